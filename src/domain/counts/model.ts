/**
 * The counts model: one number per cell, a cell being a metric (a person's status) and its
 * dimensions — sex, age band, category, site, vulnerability and hour. It mirrors a SQL table of
 * counters, `(metric, sex, age_band, category, site_id, vulnerability, hour) → n`, maintained
 * with upserts of `{ metric, dims, delta }`.
 *
 * - Metrics are exclusive statuses: each person (or head-counted occupant) is in exactly one of
 *   registered (waiting, not on a vehicle), boarded, in_transit, arrived, missing, turned_back.
 *   Their sum is everyone the operation knows of.
 * - vulnerability '*' is the row every person has; a person with flags has one more row per flag,
 *   so totals read `vulnerability = '*'` and a flag's count reads that flag.
 * - hour '*' holds the current numbers. Other hours (UTC, `YYYY-MM-DDTHH:00Z`) hold the net flow
 *   into the cell during that hour; the running sum over hours is the cumulative picture (how
 *   many were in the status at the end of each hour). UTC keeps buckets stable whatever the
 *   operation's zone; the dashboard shifts them to local time (exact for whole-hour offsets).
 * - siteId '' means the site is not known.
 * - Casualties (`casualtyMetrics`: injured, killed, detained) are counted beside the statuses,
 *   from the incidents that report them (sex, age band and category unknown, at the incident's
 *   site and hour). They are not statuses: the injured are still in transit or arrived, so they
 *   are never part of "everyone".
 */
import type { AgeBand } from '../schemas/persons.js';
import type { categories, sexes, vulnerabilities } from '../schemas/persons.js';
import { personStatuses, type PersonStatus } from '../movements/derive.js';
import { casualtyFields } from '../movements/facts.js';

export const countMetrics = personStatuses;
export type CountMetric = PersonStatus;
export const casualtyMetrics = casualtyFields;
export type CasualtyMetric = (typeof casualtyMetrics)[number];
/** What a counter cell counts: a status of people, or casualties of incidents. */
export type CellMetric = CountMetric | CasualtyMetric;

export interface CountDims {
  sex: (typeof sexes)[number];
  ageBand: AgeBand;
  category: (typeof categories)[number];
  siteId: string;
  vulnerability: (typeof vulnerabilities)[number] | '*';
  hour: string;
}

export interface CountDelta {
  metric: CellMetric;
  dims: CountDims;
  delta: number;
}

export interface Counts {
  readonly cells: ReadonlyMap<string, number>;
}

const SEP = '|';

export function cellKey(metric: CellMetric, d: CountDims): string {
  return [metric, d.sex, d.ageBand, d.category, d.siteId, d.vulnerability, d.hour].join(SEP);
}

export function parseCellKey(key: string): { metric: CellMetric; dims: CountDims } {
  const [metric, sex, ageBand, category, siteId, vulnerability, hour] = key.split(SEP) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    metric: metric as CellMetric,
    dims: { sex, ageBand, category, siteId, vulnerability, hour } as CountDims,
  };
}

/** UTC hour bucket of an ISO time. */
export function hourBucket(iso: string): string {
  return `${new Date(Date.parse(iso)).toISOString().slice(0, 13)}:00Z`;
}

export function emptyCounts(): Counts {
  return { cells: new Map() };
}

/** Add signed amounts per cell key to a map, dropping cells that reach zero. */
export function addInto(cells: Map<string, number>, key: string, n: number): void {
  const v = (cells.get(key) ?? 0) + n;
  if (v === 0) cells.delete(key);
  else cells.set(key, v);
}

export function applyDeltas(counts: Counts, deltas: readonly CountDelta[]): Counts {
  const cells = new Map(counts.cells);
  for (const d of deltas) addInto(cells, cellKey(d.metric, d.dims), d.delta);
  return { cells };
}

export type CountFilter = Partial<Omit<CountDims, 'hour' | 'vulnerability'>> & { vulnerability?: CountDims['vulnerability'] };

function matches(d: CountDims, f: CountFilter): boolean {
  return (Object.keys(f) as (keyof CountFilter)[]).every((k) => f[k] === undefined || d[k] === f[k]);
}

/** Current number in a metric, optionally narrowed (e.g. `{ sex: 'female', siteId: 'rashidin' }`). */
export function total(counts: Counts, metric: CellMetric, filter: CountFilter = {}): number {
  const f: CountFilter = { vulnerability: '*', ...filter };
  let n = 0;
  for (const [key, v] of counts.cells) {
    const c = parseCellKey(key);
    if (c.metric === metric && c.dims.hour === '*' && matches(c.dims, f)) n += v;
  }
  return n;
}

/** Current numbers of a metric split along one dimension, e.g. by age band or by site. */
export function breakdown<K extends Exclude<keyof CountDims, 'hour'>>(
  counts: Counts,
  metric: CountMetric,
  by: K,
  filter: CountFilter = {},
): Map<CountDims[K], number> {
  const out = new Map<CountDims[K], number>();
  const f: CountFilter = by === 'vulnerability' ? filter : { vulnerability: '*', ...filter };
  for (const [key, v] of counts.cells) {
    const c = parseCellKey(key);
    if (c.metric !== metric || c.dims.hour !== '*' || !matches(c.dims, f)) continue;
    if (by === 'vulnerability' && c.dims.vulnerability === '*') continue;
    out.set(c.dims[by], (out.get(c.dims[by]) ?? 0) + v);
  }
  return out;
}

/** How many were in a metric at the end of each hour that saw a change, oldest first. */
export function hourlyCumulative(counts: Counts, metric: CountMetric, filter: CountFilter = {}): Array<{ hour: string; value: number }> {
  const f: CountFilter = { vulnerability: '*', ...filter };
  const flows = new Map<string, number>();
  for (const [key, v] of counts.cells) {
    const c = parseCellKey(key);
    if (c.metric !== metric || c.dims.hour === '*' || !matches(c.dims, f)) continue;
    flows.set(c.dims.hour, (flows.get(c.dims.hour) ?? 0) + v);
  }
  let running = 0;
  return [...flows.keys()].sort().map((hour) => ({ hour, value: (running += flows.get(hour) ?? 0) }));
}

/** Cells as sorted entries: a stable form to compare and to print. */
export function countEntries(counts: Counts): Array<[string, number]> {
  return [...counts.cells.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
