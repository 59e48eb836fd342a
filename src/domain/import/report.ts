/**
 * The dry-run report as a CSV file, one line per problem: the same file from the CLI
 * (`--report`) and the web page's download. Cells are neutralised against formula injection,
 * since they quote the imported file.
 */
import { neutraliseCsvCell } from '../csv-cell.js';
import type { ImportIssue } from './households.js';

const quote = (s: string) => `"${neutraliseCsvCell(s).replace(/"/g, '""')}"`;

export function issuesCsv(issues: readonly ImportIssue[]): string {
  const lines = [['table', 'line', 'column', 'code', 'message'].join(',')];
  for (const i of issues) lines.push([i.table, String(i.line), i.column ?? '', i.code, i.message].map(quote).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** One issue as a sentence naming where it is: `members.csv line 4, column "sex": import.value_invalid — …`. */
export function describeIssue(i: ImportIssue): string {
  return `${i.table} line ${i.line}${i.column ? `, column "${i.column}"` : ''}: ${i.code} — ${i.message}`;
}
