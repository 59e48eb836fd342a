/**
 * How common an agreeing given name is. Two records that share a rare given name are more
 * likely one person than two that share "Mohammed": Fellegi–Sunter with one u per level
 * cannot see that, so the share of the agreeing name among the population's given names
 * becomes a field of its own, with levels by share and m and u estimated like any other
 * field (the term-frequency adjustment of Splink, made a comparison level). Shares come from
 * the records being matched when there are enough of them — no labels needed — and from the
 * shipped model's table otherwise (a single registration scored against the database).
 */
import { compareChains, MISSING, NAME_PHONETIC } from './compare-names.js';
import type { Comparator } from './compare.js';
import type { PreparedRecord } from './prepare.js';

export const FREQUENCY_LEVELS = ['very common name', 'common name', 'uncommon name', 'rare name'] as const;
export const FREQUENCY_CODES = ['very_common', 'common', 'uncommon', 'rare'] as const;
/** Lower bounds of the share of records for the first three levels. */
const BOUNDS = [0.03, 0.008, 0.002] as const;
/** Below this many records, a batch's own shares are too noisy and the model's table is used. */
export const MIN_RECORDS_FOR_SHARES = 1000;

/** Share of the records (with a given name) whose given name has each skeleton. */
export function givenNameShares(records: readonly PreparedRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  let total = 0;
  for (const r of records) {
    if (r.names.given.length === 0) continue;
    total++;
    for (const s of new Set(r.names.given.map((n) => n.skel))) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const shares = new Map<string, number>();
  for (const [s, c] of counts) shares.set(s, c / Math.max(1, total));
  return shares;
}

/** Sets each given-name spelling's share from a table (skeletons absent from it are rare). */
export function markGivenShares(records: readonly PreparedRecord[], shares: ReadonlyMap<string, number>): void {
  for (const r of records) for (const n of r.names.given) n.share = shares.get(n.skel) ?? 0;
}

function levelOfShare(share: number): number {
  const i = BOUNDS.findIndex((b) => share >= b);
  return i === -1 ? BOUNDS.length : i;
}

/** Levels by the share of the agreeing given name; missing unless the given names agree (exact or phonetic). */
export const givenFrequencyComparator: Comparator = {
  name: 'givenFrequency',
  levels: FREQUENCY_LEVELS,
  codes: FREQUENCY_CODES,
  compare: (a, b) => {
    const c = compareChains(a, b);
    if (c.levels.given === MISSING || c.levels.given > NAME_PHONETIC) return { level: MISSING };
    const skels = new Set([...b.names.given, ...b.names.father, ...b.names.family].map((n) => n.skel));
    let share = 0;
    for (const n of a.names.given) if (skels.has(n.skel) && n.share > share) share = n.share;
    return { level: levelOfShare(share), detail: `${(share * 100).toFixed(1)} % of given names` };
  },
};
