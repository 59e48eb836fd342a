/**
 * The pieces of a batch duplicate scan over a large population, kept apart from the model
 * itself so a scan of a million records decides each pair exactly as the single-record check
 * does (`scorePair` with the same model and comparators), only faster:
 *  - records are prepared once, and a name value seen before is not normalised again;
 *  - a pair whose weight cannot reach review is not compared chain by chain: an upper bound
 *    from memoised levels of single name values (pair-bound.ts) rules out most pairs; with
 *    comparators the bound does not know, the cheap fields (sex, birth year …) with every
 *    name agreeing give a looser bound (both exact, not guesses);
 *  - candidates come from an index of blocks (people sharing a key): each record keeps its
 *    `k` candidates sharing the most keys, a rare key counting more than a common one
 *    (log N / block size), and a pair is compared when either side keeps the other.
 * Pure code: the scan's reading, threads and writing live in services/matching/scan.ts.
 */
import type { Comparator } from './compare.js';
import { createPairBound, NameLevelMemo } from './pair-bound.js';
import { arrangeRecordNames } from './arrange.js';
import { prepareNameValue, prepareRecord, type PreparedRecord } from './prepare.js';
import { compareVector, levelWeight, priorWeight, scorePair, unshapedWeightFloor, vectorWeight } from './score.js';
import type { MatchModel, MatchRecord, MatchResult, NameValue } from './types.js';

/** prepareRecord with the names prepared once per distinct value (names repeat across a population). */
export function createRecordPreparer(maxValues = 200_000): (r: MatchRecord) => PreparedRecord {
  const cache = new Map<string, PreparedRecord['names']['given']>();
  const field = (v: NameValue | undefined) => {
    if (v === undefined) return [];
    const key = Array.isArray(v) ? v.join('\u0001') : v;
    let p = cache.get(key);
    if (p === undefined) {
      if (cache.size >= maxValues) cache.clear();
      p = prepareNameValue(v);
      cache.set(key, p);
    }
    return p;
  };
  return (record) => {
    const { given, father, grandfather, family, ...rest } = arrangeRecordNames(record);
    const base = prepareRecord(rest);
    base.names = { ...base.names, given: field(given), father: field(father), grandfather: field(grandfather), family: field(family) };
    return base;
  };
}

/** The comparators whose work is the name chain; every other one is cheap enough to compute before. */
const NAME_COMPARATORS = new Set(['given', 'family', 'lineage', 'order']);

export interface PairScorer {
  /** The explained result when the pair reaches review or link; null otherwise. */
  score(a: PreparedRecord, b: PreparedRecord): MatchResult | null;
  /** Pairs scored, and of them those ruled out by the bound alone, without comparing the chains. */
  stats: { pairs: number; bounded: number; memo: NameLevelMemo };
}

/** `bound: false` scores every pair in full (to check that the bound changes nothing). */
export function createPairScorer(
  model: MatchModel,
  comparators: readonly Comparator[],
  opts: { bound?: boolean; memo?: NameLevelMemo } = {},
): PairScorer {
  // The sum of the fields a pair needs to reach review once its shape's calibration is applied.
  const review = unshapedWeightFloor(model, model.thresholds.review);
  const memo = opts.memo ?? new NameLevelMemo();
  const pairBound = opts.bound === false ? null : createPairBound(model, comparators, memo);
  const stats = { pairs: 0, bounded: 0, memo };
  const cheap = comparators.filter((c) => !NAME_COMPARATORS.has(c.name));
  // What the name comparators could add at best (missing adds 0).
  let namesBest = 0;
  for (const c of comparators) {
    const p = model.fields[c.name];
    if (!NAME_COMPARATORS.has(c.name) || p === undefined) continue;
    namesBest += Math.max(0, ...c.levels.map((_, l) => levelWeight(p, l)));
  }
  const prior = priorWeight(model);
  return {
    stats,
    score(a, b) {
      stats.pairs++;
      // A margin for rounding: the bound only skips pairs that are clearly below review.
      if (pairBound !== null && !pairBound.mayReach(a, b, review - 1e-9)) {
        stats.bounded++;
        return null;
      }
      let bound = prior + namesBest;
      for (const c of cheap) {
        const p = model.fields[c.name];
        if (p === undefined) continue;
        if (c.levelsWithoutNames !== undefined) {
          // Birth years weighed with the lineage class: the best of the classes the names could give.
          const levels = c.levelsWithoutNames(a, b);
          if (levels.length > 0) bound += Math.max(...levels.map((l) => levelWeight(p, l)));
          continue;
        }
        const { level } = c.compare(a, b);
        if (level >= 0) bound += levelWeight(p, level);
      }
      // A margin for rounding: the bound only skips pairs that are clearly below review.
      if (bound < review - 1e-9) return null;
      if (vectorWeight(model, comparators, compareVector(comparators, a, b)) < review) return null;
      const r = scorePair(model, comparators, a, b);
      return r.decision === 'none' ? null : r;
    },
  };
}

/** Blocks in compressed form: members of each block, and blocks of each person, as offsets into flat arrays. */
export interface BlockIndex {
  n: number;
  blockStart: Int32Array;
  blockMembers: Int32Array;
  blockWeight: Float64Array;
  personStart: Int32Array;
  personBlocks: Int32Array;
}

/**
 * `blocks` are lists of record indexes (0 … n-1); a block's weight comes from `keySizes[k]`
 * when given (a window of a larger block weighs what its whole key does), else its length.
 * `alloc` lets the caller give shared memory to worker threads.
 */
export function buildBlockIndex(
  n: number,
  blocks: readonly Int32Array[],
  alloc: (bytes: number) => ArrayBufferLike = (b) => new ArrayBuffer(b),
  keySizes?: ArrayLike<number>,
): BlockIndex {
  let total = 0;
  for (const b of blocks) total += b.length;
  const blockStart = new Int32Array(alloc(4 * (blocks.length + 1)));
  const blockMembers = new Int32Array(alloc(4 * total));
  const blockWeight = new Float64Array(alloc(8 * blocks.length));
  const personStart = new Int32Array(alloc(4 * (n + 1)));
  const personBlocks = new Int32Array(alloc(4 * total));
  let at = 0;
  blocks.forEach((b, k) => {
    blockStart[k] = at;
    blockMembers.set(b, at);
    at += b.length;
    // Always above 0, which marks "not seen yet" in selectCandidates.
    blockWeight[k] = Math.log(1 + n / Math.max(b.length, keySizes?.[k] ?? 0));
    for (const i of b) personStart[i + 1]! += 1;
  });
  blockStart[blocks.length] = at;
  for (let i = 0; i < n; i++) personStart[i + 1]! += personStart[i]!;
  const fill = Int32Array.from(personStart.subarray(0, n));
  blocks.forEach((b, k) => {
    for (const i of b) personBlocks[fill[i]!++] = k;
  });
  return { n, blockStart, blockMembers, blockWeight, personStart, personBlocks };
}

/**
 * A block too large to compare everyone in it (a very common name) cut into overlapping
 * windows of people sorted by birth year, ties by index: each person meets the `size` / 2 to
 * `size` people nearest in age who share the key, rather than nobody.
 */
export function windowsOf(members: Int32Array, birthYear: (i: number) => number, size: number): Int32Array[] {
  const sorted = Int32Array.from(members).sort();
  const years = new Map<number, number>();
  for (const i of sorted) years.set(i, birthYear(i));
  const order = [...sorted].sort((x, y) => years.get(x)! - years.get(y)! || x - y);
  const step = Math.max(1, Math.floor(size / 2));
  const out: Int32Array[] = [];
  for (let at = 0; at < order.length; at += step) {
    out.push(Int32Array.from(order.slice(at, at + size)));
    if (at + size >= order.length) break;
  }
  return out;
}

/** Scratch space of one thread for selectCandidates. */
export function candidateScratch(n: number) {
  return { weight: new Float64Array(n), touched: new Int32Array(Math.max(16, n)), values: new Float64Array(Math.max(16, n)) };
}

/** The k-th largest of values[0 … len) (values are reordered). */
function kthLargest(values: Float64Array, len: number, k: number): number {
  let lo = 0;
  let hi = len - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i++] = values[j]!;
        values[j--] = t;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return values[target]!;
  }
  return values[target]!;
}

/**
 * Record i's k strongest candidates into out[0 … k) (−1 after the last): the people sharing
 * its keys, by summed key weight, ties by index. Returns how many.
 */
export function selectCandidates(
  index: BlockIndex,
  i: number,
  k: number,
  scratch: ReturnType<typeof candidateScratch>,
  out: Int32Array,
): number {
  const { weight, touched, values } = scratch;
  let count = 0;
  for (let p = index.personStart[i]!; p < index.personStart[i + 1]!; p++) {
    const b = index.personBlocks[p]!;
    const w = index.blockWeight[b]!;
    for (let m = index.blockStart[b]!; m < index.blockStart[b + 1]!; m++) {
      const j = index.blockMembers[m]!;
      if (j === i) continue;
      if (weight[j] === 0) touched[count++] = j;
      weight[j]! += w;
    }
  }
  let threshold = Number.NEGATIVE_INFINITY;
  if (count > k) {
    for (let t = 0; t < count; t++) values[t] = weight[touched[t]!]!;
    threshold = kthLargest(values, count, k);
  }
  let taken = 0;
  let ties = 0;
  for (let t = 0; t < count; t++) {
    const j = touched[t]!;
    if (weight[j]! > threshold) out[taken++] = j;
    else if (weight[j] === threshold) values[ties++] = j;
    weight[j] = 0;
  }
  // Ties at the threshold in index order, so the choice does not depend on the key order.
  if (taken < k && ties > 0) {
    const tied = values.subarray(0, ties).sort();
    for (let t = 0; t < ties && taken < k; t++) out[taken++] = tied[t]!;
  }
  for (let t = taken; t < k; t++) out[t] = -1;
  return taken;
}

/** Whether the pair (i, j) taken from i's list is i's to compare: once per pair when both keep each other. */
export function ownsPair(top: Int32Array, k: number, i: number, j: number): boolean {
  if (i < j) return true;
  for (let t = j * k; t < j * k + k; t++) {
    const x = top[t]!;
    if (x === -1) break;
    if (x === i) return false;
  }
  return true;
}
