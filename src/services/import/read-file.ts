/**
 * The tables of the files of one import. A file starting with a zip header is an XLSX (each
 * sheet with a header row is a table, as Kobo exports its repeat groups); anything else is CSV
 * text in one of the encodings `decodeText` reads, with its delimiter found from the header
 * line (comma, semicolon — Kobo's default —, tab or bar). Cells are read as text: a date cell of
 * a spreadsheet as YYYY-MM-DD, a formula as its stored result (never evaluated).
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { decodeText, type TextEncoding } from '../../domain/import/decode.js';
import type { Table } from '../../domain/import/tables.js';
import { AppError } from '../../domain/errors.js';
import { checkXlsxArchive } from './zip-guard.js';

export const MAX_FILE_BYTES = 25 * 1024 * 1024;
export const MAX_ROWS = 500_000;

export interface ImportFile {
  name: string;
  bytes: Buffer;
}

const DELIMITERS = [',', ';', '\t', '|'];

const baseName = (name: string) => name.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');

/** The delimiter found most often outside quotes in the header line. */
function sniffDelimiter(text: string): string {
  const counts = new Map(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

/** Header cells made unique (a repeated header gets " (2)"), blanks named by their position. */
function uniqueHeaders(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((c, i) => {
    const h = c.trim() === '' ? `column ${i + 1}` : c.trim();
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    return n === 1 ? h : `${h} (${n})`;
  });
}

function readCsv(file: ImportFile, encoding?: TextEncoding): Table {
  const decoded = decodeText(file.bytes, encoding);
  if (!decoded.ok) throw new AppError('import.encoding', `${file.name}: ${decoded.reason}.`, { file: file.name });
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(decoded.text, {
      delimiter: sniffDelimiter(decoded.text),
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      to: MAX_ROWS + 1,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    throw new AppError('import.malformed', `${file.name}, line ${e.lines ?? '?'}: ${e.message ?? 'cannot be read as CSV'}.`, {
      file: file.name,
      line: e.lines ?? null,
    });
  }
  const [header, ...rows] = records;
  return {
    name: baseName(file.name),
    headers: uniqueHeaders(header?.record ?? []),
    rows: rows.map((r) => r.record),
    lines: rows.map((r) => r.info.lines),
  };
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText((v.result ?? null) as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    if ('error' in v) return '';
    return '';
  }
  return String(v);
}

async function readXlsx(file: ImportFile): Promise<Table[]> {
  checkXlsxArchive(file.bytes);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file.bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw new AppError('import.malformed', `${file.name}: the spreadsheet cannot be read (${(err as Error).message}).`, {
      file: file.name,
    });
  }
  const tables: Table[] = [];
  wb.eachSheet((sheet) => {
    let headers: string[] | undefined;
    const rows: string[][] = [];
    const lines: number[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, number) => {
      const width = headers?.length ?? row.cellCount;
      const cells: string[] = [];
      for (let c = 1; c <= Math.max(width, row.cellCount); c++) cells.push(cellText(row.getCell(c).value).trim());
      if (cells.every((c) => c === '')) return;
      if (!headers) headers = uniqueHeaders(cells);
      else {
        rows.push(cells);
        lines.push(number);
      }
    });
    if (rows.length > MAX_ROWS) throw new AppError('import.file_too_large', `${file.name}: more than ${MAX_ROWS} rows.`);
    if (headers) tables.push({ name: sheet.name, headers, rows, lines });
  });
  return tables;
}

/** Every table of the files, in the order given (the main table of a form export first). */
export async function readImportFiles(files: readonly ImportFile[], opts: { encoding?: TextEncoding } = {}): Promise<Table[]> {
  const tables: Table[] = [];
  for (const f of files) {
    if (f.bytes.length > MAX_FILE_BYTES) throw new AppError('import.file_too_large', undefined, { file: f.name, bytes: f.bytes.length });
    if (f.bytes.length === 0) throw new AppError('import.malformed', `${f.name}: the file is empty.`, { file: f.name });
    const isZip = f.bytes[0] === 0x50 && f.bytes[1] === 0x4b && f.bytes[2] === 0x03 && f.bytes[3] === 0x04;
    if (isZip) tables.push(...(await readXlsx(f)));
    else {
      const t = readCsv(f, opts.encoding);
      if (t.rows.length > MAX_ROWS) throw new AppError('import.file_too_large', `${f.name}: more than ${MAX_ROWS} rows.`);
      tables.push(t);
    }
  }
  if (tables.length === 0 || tables.every((t) => t.rows.length === 0))
    throw new AppError('import.malformed', 'The file has a header row but no rows to import.');
  return tables;
}
