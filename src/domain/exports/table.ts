/**
 * What every tabular export is before it becomes a file: a header per column, an optional HXL
 * hashtag per column (the row written under the header in HXL files), and rows of plain values.
 * A `null` cell is written empty (a value the reader may not see, or a count suppressed as too
 * small to publish). The CSV and XLSX writers take this and nothing else.
 */
export type TableCell = string | number | boolean | null;

export interface TableColumn {
  header: string;
  /** HXL 1.1 hashtag with attributes, e.g. `#affected+f+children`; absent: the column is written with an empty tag. */
  hxl?: string;
}

export interface ExportTable {
  /** Sheet name in an XLSX file. */
  name: string;
  columns: readonly TableColumn[];
  rows: TableCell[][];
}
