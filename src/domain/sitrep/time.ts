/**
 * Time for the situation report: the count's hourly flows summed into cumulative series, the
 * value of a series at a moment (the end of the hour that holds it: the count's resolution), and
 * the operation's local day of a UTC hour.
 */
import { parseCellKey, type Counts, type CountMetric } from '../counts/model.js';

/** People who left the origin and did not come back: on the road, arrived, or missing on the way. */
export const leftMetrics: readonly CountMetric[] = ['in_transit', 'arrived', 'missing'];

export interface HourPoint {
  hour: string;
  value: number;
}

/** Cumulative number in any of `metrics` at the end of every hour that saw a flow in them, oldest first. */
export function hourlySeries(counts: Counts, metrics: readonly CountMetric[]): HourPoint[] {
  const wanted = new Set<string>(metrics);
  const flows = new Map<string, number>();
  for (const [key, n] of counts.cells) {
    const { metric, dims } = parseCellKey(key);
    if (dims.hour === '*' || dims.vulnerability !== '*' || !wanted.has(metric)) continue;
    flows.set(dims.hour, (flows.get(dims.hour) ?? 0) + n);
  }
  let running = 0;
  return [...flows.keys()].sort().map((hour) => ({ hour, value: (running += flows.get(hour) ?? 0) }));
}

/** The series' value at `at`: the end of the last hour bucket starting at or before it (0 before any). */
export function valueAt(series: readonly HourPoint[], at: string): number {
  const t = Date.parse(at);
  let v = 0;
  for (const p of series) {
    if (Date.parse(p.hour.replace(/Z$/, ':00Z')) > t) break;
    v = p.value;
  }
  return v;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The operation's calendar day (YYYY-MM-DD) of a UTC hour bucket `YYYY-MM-DDTHH:00Z`. */
export function localDay(hour: string, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f.format(new Date(Date.parse(hour.replace(/Z$/, ':00Z'))));
}
