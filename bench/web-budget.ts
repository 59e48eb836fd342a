/**
 * The web app's JavaScript budget, as the build counts it (vite.config.ts writes
 * dist/web/budget.json): gzipped bytes each desk needs on first load — the entry, the operation
 * shell, the desk's chunk and their static imports. The checkpoint and reception pages have a
 * 200 KB budget; every desk is reported beside the shell alone (what any desk costs before its
 * own code). The web app is built first (`npm run build`), so the figures are of these sources.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { BenchRow } from './lib.js';

const root = new URL('..', import.meta.url).pathname;

interface Budget {
  budgetKb: number;
  budgeted: string[];
  desks: Record<string, { gzipBytes: number; files: string[] }>;
}

export async function runWebBudget(): Promise<BenchRow[]> {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const budget = JSON.parse(readFileSync(`${root}dist/web/budget.json`, 'utf8')) as Budget;
  const shell = budget.desks.shell;
  if (shell === undefined) throw new Error('dist/web/budget.json has no shell entry');
  const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
  const rows: BenchRow[] = [];
  for (const [desk, { gzipBytes }] of Object.entries(budget.desks)) {
    if (desk === 'shell') continue;
    const budgeted = budget.budgeted.includes(desk);
    rows.push({
      group: 'web: JavaScript on first load (gzip)',
      figure: `${desk} page`,
      target: 'none',
      value: kb(gzipBytes),
      unit: 'KB',
      baseline: { label: 'entry + operation shell alone', value: kb(shell.gzipBytes) },
      ...(budgeted ? { goal: `≤ ${budget.budgetKb} KB`, pass: gzipBytes <= budget.budgetKb * 1024 } : {}),
    });
  }
  return rows;
}
