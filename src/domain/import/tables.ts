/**
 * The tables of an imported file, and how their rows become households. A plain list is one
 * table: each row a person, grouped into households by the household column when one is mapped
 * (else each row is a household of one). A KoboToolbox or ODK Central export with a repeat group
 * is several tables — sheets of one XLSX, or one CSV file each: the main table holds a submission
 * per household, each repeat table a row per member, joined to its submission by Kobo's
 * `_parent_index` → `_index` or ODK Central's `PARENT_KEY` → `KEY`.
 */
import type { ImportMapping } from './mapping.js';

export interface Table {
  /** Sheet name, or file name without its extension. */
  name: string;
  headers: string[];
  /** Cells as text, one array per data row, in header order. */
  rows: string[][];
  /** The file line (or sheet row) of each data row, for reports. */
  lines: number[];
}

export interface SourceRow {
  table: string;
  line: number;
  values: Map<string, string>;
}

export interface SourceHousehold {
  /** The submission (main-table row) of a form export; absent for a plain list. */
  parent?: SourceRow;
  /** The rows that are people, in file order. */
  members: SourceRow[];
}

export interface JoinIssue {
  table: string;
  line: number;
  column: string;
  message: string;
}

const KOBO_PARENT = '_parent_index';
const KOBO_INDEX = '_index';
const ODK_PARENT = 'PARENT_KEY';
const ODK_KEY = 'KEY';

const parentColumnOf = (t: Table) =>
  t.headers.includes(KOBO_PARENT) ? KOBO_PARENT : t.headers.includes(ODK_PARENT) ? ODK_PARENT : undefined;

function rowsOf(t: Table): SourceRow[] {
  return t.rows.map((cells, i) => ({
    table: t.name,
    line: t.lines[i] ?? i + 2,
    values: new Map(t.headers.map((h, c) => [h, cells[c] ?? ''])),
  }));
}

/** Every header of the tables that take part, main table first. */
export function headersOf(tables: readonly Table[]): string[] {
  return [...new Set(tables.flatMap((t) => t.headers))];
}

/** The main table and the repeat tables joined to it; other sheets (notes, instructions) are left out. */
export function formTables(tables: readonly Table[]): { main: Table; repeats: Table[] } {
  const main = tables.find((t) => parentColumnOf(t) === undefined) ?? tables[0]!;
  return { main, repeats: tables.filter((t) => t !== main && parentColumnOf(t) !== undefined) };
}

/** Groups the rows into households as described above; rows that cannot be placed are issues. */
export function householdsOf(tables: readonly Table[], mapping: ImportMapping): { households: SourceHousehold[]; issues: JoinIssue[] } {
  const { main, repeats } = formTables(tables);
  const issues: JoinIssue[] = [];
  const mainRows = rowsOf(main);
  if (repeats.length === 0) {
    const column = mapping.columns.household;
    if (!column) return { households: mainRows.map((r) => ({ members: [r] })), issues };
    const byKey = new Map<string, SourceHousehold>();
    const households: SourceHousehold[] = [];
    for (const r of mainRows) {
      const k = (r.values.get(column) ?? '').trim();
      if (k === '') {
        households.push({ members: [r] });
        continue;
      }
      let h = byKey.get(k);
      if (!h) {
        h = { members: [] };
        byKey.set(k, h);
        households.push(h);
      }
      h.members.push(r);
    }
    return { households, issues };
  }
  const nameColumns = new Set(Object.entries(mapping.columns).flatMap(([t, c]) => (isNameTarget(t) && c ? [c] : [])));
  const households = mainRows.map((r) => ({
    parent: r,
    // The submission is a member too when it holds a person's name (the head's, say).
    members: main.headers.some((h) => nameColumns.has(h) && (r.values.get(h) ?? '').trim() !== '') ? [r] : [],
  }));
  const byIndex = new Map<string, SourceHousehold>();
  for (const h of households) {
    const idx = h.parent.values.get(KOBO_INDEX) ?? h.parent.values.get(ODK_KEY);
    if (idx !== undefined && idx !== '') byIndex.set(idx, h);
  }
  for (const t of repeats) {
    const parentColumn = parentColumnOf(t)!;
    for (const r of rowsOf(t)) {
      const h = byIndex.get(r.values.get(parentColumn) ?? '');
      if (h) h.members.push(r);
      else
        issues.push({
          table: t.name,
          line: r.line,
          column: parentColumn,
          message: `no submission of "${main.name}" has this ${parentColumn}`,
        });
    }
  }
  return { households, issues };
}

function isNameTarget(target: string): boolean {
  return ['givenName', 'fatherName', 'grandfatherName', 'familyName', 'fullName'].includes(target);
}
