/** What the API's counts must show once the demo scenario is loaded, from the generator's truth (tests, bench). */
import type { ExpectedTotals } from './scenario/index.js';

export interface ApiCounts {
  totals: Record<string, number>;
  bySexAge: Record<string, { sex: string; ageBand: string; n: number }[]>;
  byCategory?: Record<string, Record<string, number>>;
}

/** Everyone's final status: duplicates wait (registered), the missing are missing, everyone else arrived. */
export function expectedCounts(t: ExpectedTotals) {
  const arrivedBySexAge = new Map<string, number>();
  for (const r of [...t.arrived.rows, ...t.headCountOnly.rows])
    arrivedBySexAge.set(`${r.sex}|${r.ageBand}`, (arrivedBySexAge.get(`${r.sex}|${r.ageBand}`) ?? 0) + r.count);
  return {
    totals: {
      registered: t.registeredRecords - t.boarded.total - t.unmanifestedArrivals.total,
      boarded: 0,
      in_transit: 0,
      arrived: t.arrived.total + t.headCountOnly.total,
      missing: t.missingInTransit.total,
      turned_back: 0,
      everyone: t.registeredRecords + t.headCountOnly.total,
    },
    arrivedBySexAge,
    combatantsArrived: t.headCountOnly.byCategory.combatant ?? 0,
  };
}

export function bySexAgeOf(rows: { sex: string; ageBand: string; n: number }[]): Map<string, number> {
  return new Map(rows.map((r) => [`${r.sex}|${r.ageBand}`, r.n]));
}
