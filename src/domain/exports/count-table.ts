/**
 * The count tables partners read (OCHA, HDX): one row per day, site, status (and category for
 * readers allowed to see it), with the people in that status at the end of the day (UTC) broken
 * down by sex × age band. Built from the counters of the one recomputable count (src/services/
 * counts): the hourly flows of each cell summed up to the end of each day, so the last day's row
 * equals the live count. Each column carries an HXL 1.1 hashtag for the row under the header.
 *
 * Small cells can point at a person ("the one wounded woman over 60 at al-Rashidin"): for
 * readers below coordinator level, a count from 1 to `suppressBelow - 1` is left empty, and the
 * row total (which would give an empty cell back by subtraction) is not written at all.
 */
import type { CountMetric } from '../counts/model.js';
import { ageBands, categories, sexes, type AgeBand } from '../schemas/persons.js';
import type { ExportTable, TableCell, TableColumn } from './table.js';

export interface CounterCell {
  metric: string;
  sex: string;
  age_band: string;
  category: string;
  site_id: string;
  vulnerability: string;
  hour: string;
  n: number;
}

export interface CountTableSite {
  id: string;
  name_en: string;
  name_ar: string | null;
  kind: string;
  lat: number | null;
  lon: number | null;
}

export interface CountTableOptions {
  metrics: readonly CountMetric[];
  /** `#affected` for every status; `#reached` for a table of arrivals. */
  base: '#affected' | '#reached';
  withCategory: boolean;
  /** Counts from 1 to this − 1 are suppressed; null: nothing is suppressed. */
  suppressBelow: number | null;
  siteId?: string;
}

/** The default threshold: cells of fewer than 5 people are not published below coordinator level. */
export const DEFAULT_SUPPRESS_BELOW = 5;

const sexAttribute: Record<(typeof sexes)[number], string> = { female: '+f', male: '+m', unknown: '+sex_unknown' };
const ageAttribute: Record<AgeBand, string> = {
  '0-4': '+children+age0_4',
  '5-11': '+children+age5_11',
  '12-17': '+children+age12_17',
  '18-59': '+adults+age18_59',
  '60+': '+elderly+age60plus',
  unknown: '+age_unknown',
};
const sexLabel: Record<(typeof sexes)[number], string> = { female: 'Female', male: 'Male', unknown: 'Sex unknown' };

/** The sex × age band columns, in a fixed order. */
export const sexAgeColumns: readonly { sex: (typeof sexes)[number]; ageBand: AgeBand }[] = sexes.flatMap((sex) =>
  ageBands.map((ageBand) => ({ sex, ageBand })),
);

export function hxlSexAge(base: string, sex: (typeof sexes)[number], ageBand: AgeBand): string {
  return `${base}${sexAttribute[sex]}${ageAttribute[ageBand]}`;
}

function columnsOf(opts: CountTableOptions): TableColumn[] {
  return [
    { header: 'Date', hxl: '#date' },
    { header: 'Site', hxl: '#loc+name' },
    { header: 'Site (Arabic)', hxl: '#loc+name+i_ar' },
    { header: 'Site code', hxl: '#loc+code' },
    { header: 'Site type', hxl: '#loc+type' },
    { header: 'Latitude', hxl: '#geo+lat' },
    { header: 'Longitude', hxl: '#geo+lon' },
    { header: 'Status', hxl: '#status+code' },
    ...(opts.withCategory ? [{ header: 'Category', hxl: '#group+category' }] : []),
    ...sexAgeColumns.map(({ sex, ageBand }) => ({
      header: `${sexLabel[sex]} ${ageBand === 'unknown' ? 'age unknown' : ageBand}`,
      hxl: hxlSexAge(opts.base, sex, ageBand),
    })),
    ...(opts.suppressBelow === null ? [{ header: 'Total', hxl: `${opts.base}+total` }] : []),
  ];
}

const dayOf = (hour: string) => hour.slice(0, 10);

/**
 * The table from every counter cell of the operation (current and hourly). Rows are sorted by
 * day, site name, status order and category; a row whose counts are all zero is left out.
 */
export function buildCountTable(cells: readonly CounterCell[], sites: readonly CountTableSite[], opts: CountTableOptions): ExportTable {
  const metrics = new Set<string>(opts.metrics);
  const sexAgeIndex = new Map(sexAgeColumns.map((c, i) => [`${c.sex}|${c.ageBand}`, i]));
  // Net flow per (site, status, category) per day, then running sums in day order.
  const flows = new Map<string, Map<string, number[]>>();
  const days = new Set<string>();
  for (const c of cells) {
    if (c.hour === '*' || c.vulnerability !== '*' || !metrics.has(c.metric)) continue;
    if (opts.siteId !== undefined && c.site_id !== opts.siteId) continue;
    const col = sexAgeIndex.get(`${c.sex}|${c.age_band}`);
    if (col === undefined) continue;
    const key = [c.site_id, c.metric, opts.withCategory ? c.category : ''].join('|');
    const day = dayOf(c.hour);
    days.add(day);
    let byDay = flows.get(key);
    if (!byDay) flows.set(key, (byDay = new Map()));
    let row = byDay.get(day);
    if (!row) byDay.set(day, (row = sexAgeColumns.map(() => 0)));
    row[col]! += Number(c.n);
  }
  const siteById = new Map(sites.map((s) => [s.id, s]));
  const metricOrder = new Map(opts.metrics.map((m, i) => [m, i]));
  const categoryOrder = new Map<string, number>(categories.map((c, i) => [c, i]));
  const keys = [...flows.keys()].sort((a, b) => {
    const [sa = '', ma = '', ca = ''] = a.split('|');
    const [sb = '', mb = '', cb = ''] = b.split('|');
    const na = siteById.get(sa)?.name_en ?? '';
    const nb = siteById.get(sb)?.name_en ?? '';
    if (na !== nb) return na < nb ? -1 : 1;
    if (sa !== sb) return sa < sb ? -1 : 1;
    if (ma !== mb) return (metricOrder.get(ma as CountMetric) ?? 0) - (metricOrder.get(mb as CountMetric) ?? 0);
    return (categoryOrder.get(ca) ?? 0) - (categoryOrder.get(cb) ?? 0);
  });
  const running = new Map(keys.map((k) => [k, sexAgeColumns.map(() => 0)]));
  const rows: TableCell[][] = [];
  const publish = (n: number): TableCell => (opts.suppressBelow !== null && n > 0 && n < opts.suppressBelow ? null : n);
  for (const day of [...days].sort()) {
    for (const key of keys) {
      const sums = running.get(key)!;
      const flow = flows.get(key)!.get(day);
      if (flow) for (let i = 0; i < sums.length; i++) sums[i]! += flow[i]!;
      if (sums.every((n) => n === 0)) continue;
      const [siteId = '', metric = '', category = ''] = key.split('|');
      const site = siteById.get(siteId);
      rows.push([
        day,
        site?.name_en ?? (siteId === '' ? 'Site unknown' : siteId),
        site?.name_ar ?? null,
        siteId === '' ? null : siteId,
        site?.kind ?? null,
        site?.lat ?? null,
        site?.lon ?? null,
        metric,
        ...(opts.withCategory ? [category] : []),
        ...sums.map(publish),
        ...(opts.suppressBelow === null ? [sums.reduce((a, b) => a + b, 0)] : []),
      ]);
    }
  }
  return { name: opts.base === '#reached' ? 'arrivals' : 'counts', columns: columnsOf(opts), rows };
}
