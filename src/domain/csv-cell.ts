/**
 * Cells of every CSV and XLSX file Corridor writes pass through here (`corridor dedupe --out`,
 * `corridor demo generate`, every export). A spreadsheet opening the file runs
 * a cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage return before one) as a
 * formula: an id or name taken from an imported file could then fetch a URL or run a command on
 * the desk that opens the output (CSV injection). Such a cell is written with a leading `'`,
 * which spreadsheets show as text. An XLSX cell written as text is not run either, but
 * the same value is written there with the same `'` so a copy to CSV or a re-typed cell stays harmless. A plain number (`-3.25`) is left as it is: it is no formula.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

export function neutraliseCsvCell(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}
