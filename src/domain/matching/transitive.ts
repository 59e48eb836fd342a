/**
 * A cautious transitive step after pairwise scoring. Blocking compares only records that share
 * a key, and some duplicates share nothing with each other (one has no name, the other a
 * misspelt city and a date one digit off) but both match a third record of the same person.
 * Full clustering (connected components of links) would reach them, but one false link then
 * joins two people's records wholesale. Here a pair A–C is only *proposed for review* when
 * some record B matches both strongly: P(A=B)·P(B=C) ≥ minPathProbability. It is never
 * linked, so link precision does not move; the reviewer sees the direct comparison of A and C
 * and, as the last explanation line, the record it was reached through.
 */
import type { Comparator } from './compare.js';
import type { PreparedRecord } from './prepare.js';
import { probabilityOf, scorePair, weightAtProbability } from './score.js';
import type { MatchModel, MatchResult } from './types.js';

export interface TransitiveOptions {
  /** Smallest product of the two probabilities for a pair to be proposed (default 0.8). */
  minPathProbability?: number;
  /** A record with more strong matches than this is skipped as a hub (default 20). */
  maxNeighbours?: number;
  /** Linking two files: only pairs whose sources differ are proposed. */
  sourceOf?: (index: number) => string;
}

/** Explanation code of the line that says through which record a pair was reached. */
export const THROUGH_RECORD_CODE = 'through_record';

const pairKey = (a: number, b: number) => (a < b ? `${a} ${b}` : `${b} ${a}`);

/**
 * Pairs not yet decided that both match a common third record strongly, scored directly and
 * decided `review`. results: the pairwise link/review results over `prepared` (ids must be
 * unique). Returns only the new results.
 */
export function proposeTransitivePairs(
  results: readonly MatchResult[],
  prepared: readonly PreparedRecord[],
  model: MatchModel,
  comparators: readonly Comparator[],
  opts: TransitiveOptions = {},
): MatchResult[] {
  const minPath = opts.minPathProbability ?? 0.8;
  const maxNeighbours = opts.maxNeighbours ?? 20;
  const index = new Map(prepared.map((r, i) => [r.id, i]));
  const decided = new Set<string>();
  const neighbours = new Map<number, Array<[number, number]>>();
  for (const r of results) {
    const a = index.get(r.idA);
    const b = index.get(r.idB);
    if (a === undefined || b === undefined) continue;
    decided.add(pairKey(a, b));
    // An edge weaker than minPath can never make a path of at least minPath.
    if (r.probability < minPath) continue;
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      const list = neighbours.get(x) ?? [];
      list.push([y, r.probability]);
      neighbours.set(x, list);
    }
  }
  const best = new Map<string, { a: number; c: number; via: number; p: number }>();
  for (const [via, list] of neighbours) {
    if (list.length > maxNeighbours) continue;
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const [a, pa] = list[x] as [number, number];
        const [c, pc] = list[y] as [number, number];
        const p = pa * pc;
        const k = pairKey(a, c);
        if (p < minPath || decided.has(k)) continue;
        if (opts.sourceOf !== undefined && opts.sourceOf(a) === opts.sourceOf(c)) continue;
        const prev = best.get(k);
        if (prev === undefined || p > prev.p) best.set(k, { a: Math.min(a, c), c: Math.max(a, c), via, p });
      }
    }
  }
  const out: MatchResult[] = [];
  for (const { a, c, via, p } of best.values()) {
    const direct = scorePair(model, comparators, prepared[a] as PreparedRecord, prepared[c] as PreparedRecord);
    const pathWeight = weightAtProbability(model, Math.min(p, 1 - 1e-12));
    const weight = Math.max(direct.weight, pathWeight);
    out.push({
      ...direct,
      weight,
      probability: probabilityOf(model, weight),
      decision: 'review',
      explanation: [
        ...direct.explanation,
        {
          field: 'cluster',
          level: 'both match another record',
          code: THROUGH_RECORD_CODE,
          weight: Math.round((weight - direct.weight) * 100) / 100,
          detail: `through ${(prepared[via] as PreparedRecord).id} (probability ${p.toFixed(2)})`,
        },
      ],
    });
  }
  return out.sort((x, y) => y.weight - x.weight);
}
