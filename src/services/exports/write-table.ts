/**
 * A table (src/domain/exports/table.ts) written as a file: CSV (UTF-8 with a byte-order mark,
 * which spreadsheet programs need to read Arabic right), the same with an HXL hashtag row under
 * the header, or XLSX (ExcelJS). Every text cell goes through the formula-injection rule first
 * (src/domain/csv-cell.ts); numbers stay numbers.
 */
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { neutraliseCsvCell } from '../../domain/csv-cell.js';
import type { ExportTable, TableCell } from '../../domain/exports/table.js';

const BOM = '\uFEFF';

function textOf(cell: TableCell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return neutraliseCsvCell(cell);
  return String(cell);
}

export function tableToCsv(table: ExportTable, opts: { hxl: boolean }): Buffer {
  const lines: string[][] = [table.columns.map((c) => neutraliseCsvCell(c.header))];
  if (opts.hxl) lines.push(table.columns.map((c) => c.hxl ?? ''));
  for (const row of table.rows) lines.push(row.map(textOf));
  return Buffer.from(BOM + stringify(lines, { record_delimiter: '\r\n' }), 'utf8');
}

export async function tableToXlsx(table: ExportTable, opts: { hxl: boolean; createdAt: Date }): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Corridor';
  book.created = opts.createdAt;
  book.modified = opts.createdAt;
  const sheet = book.addWorksheet(table.name.slice(0, 31));
  sheet.addRow(table.columns.map((c) => neutraliseCsvCell(c.header)));
  if (opts.hxl) sheet.addRow(table.columns.map((c) => c.hxl ?? ''));
  sheet.getRow(1).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row.map((c) => (typeof c === 'string' ? neutraliseCsvCell(c) : c)));
  sheet.views = [{ state: 'frozen', ySplit: opts.hxl ? 2 : 1 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}
