/**
 * The situation report's figures: what an operation's counts say as of a moment, shaped for a
 * page and for verification. Every number here is read from one recomputation of the count
 * (`recompute` over the facts and registry known at that moment), never from a second tally, so
 * `sitrep verify` can rebuild the same object and compare it whole. The object is plain JSON
 * (sorted arrays, no maps) because its canonical JSON is what the report's digest hashes.
 */
import {
  casualtyMetrics,
  countMetrics,
  parseCellKey,
  type CasualtyMetric,
  type CellMetric,
  type Counts,
  type CountMetric,
} from '../counts/model.js';

/** The person statuses among a count's cells (casualty cells — injured, killed, detained — are counted apart). */
const statusMetrics = new Set<CellMetric>(countMetrics);
const isStatus = (m: CellMetric): m is CountMetric => statusMetrics.has(m);
import { convoyMovementKinds, incidentKinds, type MovementFact } from '../movements/facts.js';
import { deriveVehicleStage } from '../movements/derive.js';
import { hourlySeries, leftMetrics, localDay, type HourPoint } from './time.js';
export { leftMetrics } from './time.js';
import { compareSource, type OutsideSource, type SourceComparison } from './sources.js';

export const SITREP_FORMAT = 'corridor.sitrep.v1';

export type MetricTally = Record<CountMetric, number>;

export interface SiteSexAgeRow {
  siteId: string;
  sex: string;
  ageBand: string;
  metric: CountMetric;
  n: number;
}

export interface DayRow {
  /** The operation's local calendar day, YYYY-MM-DD. */
  day: string;
  /** Net change of each status during the day. */
  flow: MetricTally;
  /** People who had left by the end of the day (cumulative). */
  leftByEnd: number;
  arrivedByEnd: number;
}

export interface DaySexAgeRow {
  day: string;
  sex: string;
  ageBand: string;
  /** Net arrivals of this sex and age band during the day. */
  arrived: number;
}

export interface ConvoyTally {
  planned: number;
  boarding: number;
  inTransit: number;
  halted: number;
  completed: number;
  turnedBack: number;
  cancelled: number;
}

export interface SitrepFigures {
  format: typeof SITREP_FORMAT;
  operationId: string;
  operationCode: string;
  timeZone: string;
  asOf: string;
  totals: MetricTally & { everyone: number; left: number };
  bySiteSexAge: SiteSexAgeRow[];
  byDay: DayRow[];
  byDaySexAge: DaySexAgeRow[];
  /** End of each hour that saw a change: how many had left, how many had arrived. */
  moved: { hour: string; left: number; arrived: number }[];
  convoys: ConvoyTally;
  missingInTransit: number;
  openTracingRequests: number;
  openProtectionAlerts: number;
  incidents: Record<string, number>;
  /** People injured, killed and detained in incidents (the count's casualty cells, counted apart from the statuses). */
  casualties: Record<CasualtyMetric, number>;
  excludes: {
    /** In the totals but counted by head only (private cars, vans, pick-ups): not named, not traceable. */
    headCountOnly: MetricTally & { left: number };
    /** Turned back: in `everyone`, not in `left`. */
    turnedBack: number;
    /** People who were never registered nor counted in a head count are in no figure: their number is not known. */
    unregistered: null;
  };
  /** Other sources' figures recorded by then, each beside Corridor's and explained. */
  sources: SourceComparison[];
}

export interface FigureInputs {
  operationId: string;
  operationCode: string;
  timeZone: string;
  asOf: string;
  counts: Counts;
  /** The same recomputation restricted to head-count vehicles. */
  headCountCounts: Counts;
  /** Effective facts known at `asOf` (corrections applied). */
  facts: readonly MovementFact[];
  convoyIds: readonly string[];
  openTracingRequests: number;
  openProtectionAlerts: number;
  sources: readonly OutsideSource[];
}

const zeroTally = (): MetricTally => Object.fromEntries(countMetrics.map((m) => [m, 0])) as MetricTally;
const sumLeft = (t: MetricTally) => leftMetrics.reduce((a, m) => a + t[m], 0);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Current totals of a count (hour '*', the every-person row). */
export function totalsOf(counts: Counts): MetricTally {
  const t = zeroTally();
  for (const [key, n] of counts.cells) {
    const { metric, dims } = parseCellKey(key);
    if (isStatus(metric) && dims.hour === '*' && dims.vulnerability === '*') t[metric] += n;
  }
  return t;
}

function convoyTally(facts: readonly MovementFact[], convoyIds: readonly string[]): ConvoyTally {
  const byConvoy = new Map<string, MovementFact[]>();
  const kinds = new Set<string>([...convoyMovementKinds, 'boarded']);
  for (const f of facts) {
    if (!f.convoyId || !kinds.has(f.kind)) continue;
    const list = byConvoy.get(f.convoyId);
    if (list) list.push(f);
    else byConvoy.set(f.convoyId, [f]);
  }
  const t: ConvoyTally = { planned: 0, boarding: 0, inTransit: 0, halted: 0, completed: 0, turnedBack: 0, cancelled: 0 };
  for (const id of convoyIds) {
    const { state } = deriveVehicleStage(byConvoy.get(id) ?? [], id);
    if (state === 'arrived') t.completed++;
    else if (state === 'departed' || state === 'moving') t.inTransit++;
    else if (state === 'halted') t.halted++;
    else if (state === 'turned_back') t.turnedBack++;
    else if (state === 'cancelled') t.cancelled++;
    else if (state === 'boarding') t.boarding++;
    else t.planned++;
  }
  return t;
}

function casualtiesOf(counts: Counts): Record<CasualtyMetric, number> {
  const out = Object.fromEntries(casualtyMetrics.map((m) => [m, 0])) as Record<CasualtyMetric, number>;
  for (const [key, n] of counts.cells) {
    const { metric, dims } = parseCellKey(key);
    if (!isStatus(metric) && dims.hour === '*' && dims.vulnerability === '*') out[metric as CasualtyMetric] += n;
  }
  return out;
}

function incidentTally(facts: readonly MovementFact[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(incidentKinds.map((k) => [k, 0]));
  for (const f of facts) if (f.kind === 'incident') out[f.payload.incidentKind] = (out[f.payload.incidentKind] ?? 0) + 1;
  return out;
}

/** The report's figures from one recomputation (pure; `sitrep verify` calls it again). */
export function buildFigures(i: FigureInputs): SitrepFigures {
  const totals = totalsOf(i.counts);
  const siteRows = new Map<string, SiteSexAgeRow>();
  const dayFlows = new Map<string, MetricTally>();
  const daySexAge = new Map<string, DaySexAgeRow>();
  for (const [key, n] of i.counts.cells) {
    const { metric, dims } = parseCellKey(key);
    if (!isStatus(metric) || dims.vulnerability !== '*') continue;
    if (dims.hour === '*') {
      const k = [dims.siteId, dims.sex, dims.ageBand, metric].join('|');
      const row = siteRows.get(k) ?? { siteId: dims.siteId, sex: dims.sex, ageBand: dims.ageBand, metric, n: 0 };
      row.n += n;
      siteRows.set(k, row);
      continue;
    }
    const day = localDay(dims.hour, i.timeZone);
    const flow = dayFlows.get(day) ?? zeroTally();
    flow[metric] += n;
    dayFlows.set(day, flow);
    if (metric === 'arrived') {
      const k = [day, dims.sex, dims.ageBand].join('|');
      const row = daySexAge.get(k) ?? { day, sex: dims.sex, ageBand: dims.ageBand, arrived: 0 };
      row.arrived += n;
      daySexAge.set(k, row);
    }
  }
  let left = 0;
  let arrived = 0;
  const byDay: DayRow[] = [...dayFlows.keys()].sort(byText).map((day) => {
    const flow = dayFlows.get(day) as MetricTally;
    left += sumLeft(flow);
    arrived += flow.arrived;
    return { day, flow, leftByEnd: left, arrivedByEnd: arrived };
  });
  const hc = totalsOf(i.headCountCounts);
  const moved = movedSeries(i.counts);
  return {
    format: SITREP_FORMAT,
    operationId: i.operationId,
    operationCode: i.operationCode,
    timeZone: i.timeZone,
    asOf: i.asOf,
    totals: { ...totals, everyone: countMetrics.reduce((a, m) => a + totals[m], 0), left: sumLeft(totals) },
    bySiteSexAge: [...siteRows.values()]
      .filter((r) => r.n !== 0)
      .sort((a, b) => byText(a.siteId, b.siteId) || byText(a.metric, b.metric) || byText(a.sex, b.sex) || byText(a.ageBand, b.ageBand)),
    byDay,
    byDaySexAge: [...daySexAge.values()]
      .filter((r) => r.arrived !== 0)
      .sort((a, b) => byText(a.day, b.day) || byText(a.sex, b.sex) || byText(a.ageBand, b.ageBand)),
    moved,
    convoys: convoyTally(i.facts, i.convoyIds),
    missingInTransit: totals.missing,
    openTracingRequests: i.openTracingRequests,
    openProtectionAlerts: i.openProtectionAlerts,
    incidents: incidentTally(i.facts),
    casualties: casualtiesOf(i.counts),
    excludes: { headCountOnly: { ...hc, left: sumLeft(hc) }, turnedBack: totals.turned_back, unregistered: null },
    sources: [...i.sources]
      .sort((a, b) => byText(a.at, b.at) || byText(a.id, b.id))
      .map((s) => compareSource(s, i.counts, i.headCountCounts, i.asOf)),
  };
}

/** People moved over time: left and arrived at the end of each hour that saw a change. */
export function movedSeries(counts: Counts): { hour: string; left: number; arrived: number }[] {
  const left = hourlySeries(counts, leftMetrics);
  const arrived = new Map(hourlySeries(counts, ['arrived']).map((p) => [p.hour, p.value]));
  let lastArrived = 0;
  return left.map((p: HourPoint) => {
    lastArrived = arrived.get(p.hour) ?? lastArrived;
    return { hour: p.hour, left: p.value, arrived: lastArrived };
  });
}
