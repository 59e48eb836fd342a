/**
 * A cheap, exact upper bound on a pair's match weight, for the batch scan (batch.ts): most
 * candidate pairs of a large population are strangers who share one common name, and
 * comparing their name chains in full (`compareChains`: every spelling under every
 * alignment) is most of the scan's time. The bound needs only the levels of single name
 * values, and names repeat enormously (a few thousand given names), so those levels are
 * memoised by the prepared values themselves (the record preparer shares one array per
 * distinct value): a pair of values is compared once per thread, not millions of times.
 *
 * For each alignment the chain comparison could choose, the levels it would give are read
 * from the memo and the weight the model would then give is added up, exactly for the given
 * name, lineage, order and birth year, and with the best level of each for the given-name
 * and named-after-the-grandfather frequency fields; the bound is the largest over the
 * alignments. A pair below review under the bound is below review, so it is not compared;
 * every other pair is scored in full, unchanged. The alignments mirror compare-names.ts
 * (pair-bound.test.ts checks that the chosen one is always among them).
 */
import type { Comparator } from './compare.js';
import { compareNameValues, LINEAGE_CLASSES, lineageClassOf, lineageLevel, MISSING, NAME_LEVELS, NAME_PHONETIC } from './compare-names.js';
import type { NameField, PreparedName, PreparedRecord } from './prepare.js';
import { levelWeight, priorWeight } from './score.js';
import type { MatchModel } from './types.js';

/**
 * compareNameValues memoised by the identity of the two prepared values: each distinct value
 * gets a small id, and a pair of ids its level in a fixed-size table (a slot taken by another
 * pair is overwritten), so memory stays bounded however many pairs a scan meets. A slot holds
 * the pair and its level in one number (one memory access per look-up: the table is larger
 * than the processor's caches).
 */
export class NameLevelMemo {
  private ids = new WeakMap<readonly PreparedName[], number>();
  private nextId = 0;
  private readonly slots: Float64Array;
  private readonly mask: number;
  hits = 0;
  misses = 0;
  constructor(slotsLog2 = 22) {
    this.slots = new Float64Array(2 ** slotsLog2);
    this.mask = 2 ** slotsLog2 - 1;
  }

  /** The value's id; −1 for no value. */
  idOf(v: readonly PreparedName[]): number {
    if (v.length === 0) return -1;
    let id = this.ids.get(v);
    if (id === undefined) {
      if (this.nextId >= ID_LIMIT) {
        // Ids stay below 2^24 so that a slot is an exact integer: start again (old ids are not looked up again).
        this.ids = new WeakMap();
        this.nextId = 0;
        this.slots.fill(0);
      }
      id = this.nextId++;
      this.ids.set(v, id);
    }
    return id;
  }

  /** The level of two values by their ids (see idOf), comparing them when not known. */
  level(ia: number, a: readonly PreparedName[], ib: number, b: readonly PreparedName[]): number {
    if (ia < 0 || ib < 0) return MISSING;
    // Slot content: (pair × 16) + level + 2, below 2^52; 0 is an empty slot.
    const pair = (ia * ID_LIMIT + ib) * 16;
    let h = Math.imul(ia, 0x9e3779b1) ^ Math.imul(ib + 0x7f4a7c15, 0x85ebca77);
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
    const slot = (h ^ (h >>> 15)) & this.mask;
    const d = this.slots[slot]! - pair;
    if (d > 0 && d < 16) {
      this.hits++;
      return d - 2;
    }
    this.misses++;
    const l = compareNameValues(a, b);
    this.slots[slot] = pair + l + 2;
    return l;
  }
}

const ID_LIMIT = 2 ** 24;

/** The chain's fields, by index in the tables below. */
const FIELDS: readonly NameField[] = ['given', 'father', 'grandfather', 'family'];

/**
 * For each field of a (given, father, grandfather, family), the field of b it is compared with
 * (−1: none), and the order comparator's level, of every alignment compareChains may choose;
 * the first is the chain as registered (compare-names.ts, ALIGNMENTS), and `when` says, as
 * there, for which pairs an alignment is tried at all.
 */
export const CHAIN_ALIGNMENTS: ReadonlyArray<{
  order: number;
  map: readonly [number, number, number, number];
  when?: (a: PreparedRecord, b: PreparedRecord) => boolean;
}> = [
  { order: 0, map: [0, 1, 2, 3] },
  { order: 1, map: [1, 0, 2, 3] },
  { order: 1, map: [0, 2, 1, 3] },
  { order: 1, map: [3, 1, 2, 0] },
  { order: 2, map: [0, 1, -1, 2], when: (a, b) => b.names.family.length === 0 && b.names.grandfather.length > 0 },
  {
    order: 2,
    map: [0, 1, 3, 2],
    when: (a, b) => a.names.family.length === 0 && a.names.grandfather.length > 0 && b.names.family.length > 0,
  },
];

/** Comparators (by name) whose level this bound works out itself, with their level counts (−1: any). */
const CLASSES = LINEAGE_CLASSES.length;
const SHAPE: Record<string, number> = {
  given: NAME_LEVELS.length * CLASSES,
  lineage: -1,
  order: 3,
  givenFrequency: -1,
  namedAfterGrandfather: 2 * CLASSES,
  birthYear: 7 * CLASSES,
};

/** Name levels run from MISSING (−1) to NAME_LEVELS.length − 1: shifted by one, an index. */
const L = NAME_LEVELS.length + 1;

export interface PairBound {
  /** An upper bound on the pair's weight (prior included): exact for every field but the two frequency ones. */
  bound(a: PreparedRecord, b: PreparedRecord): number;
  /**
   * Whether the bound reaches `weight`, comparing only the name values needed to tell: the
   * same answer as bound(a, b) >= weight. An alignment is looked at only when the most it
   * could add, given the levels already known, reaches it.
   */
  mayReach(a: PreparedRecord, b: PreparedRecord, weight: number): boolean;
}

/**
 * The bound for these comparators and model, or null when the comparators are not those of a
 * registration with lineage (the scan then compares every pair in full).
 */
export function createPairBound(model: MatchModel, comparators: readonly Comparator[], memo = new NameLevelMemo()): PairBound | null {
  const byName = new Map(comparators.map((c) => [c.name, c]));
  for (const [name, levels] of Object.entries(SHAPE)) {
    const c = byName.get(name);
    if (c === undefined || (levels !== -1 && c.levels.length !== levels)) return null;
  }
  const birthYear = byName.get('birthYear') as Comparator;
  if (birthYear.levelsWithoutNames === undefined) return null;
  const table = (name: string): Float64Array => {
    const c = byName.get(name) as Comparator;
    const p = model.fields[name];
    return Float64Array.from(c.levels, (_, l) => (p === undefined ? 0 : levelWeight(p, l)));
  };
  const givenW = table('given');
  const lineageW = table('lineage');
  const orderW = table('order');
  const birthW = table('birthYear');
  const best = (w: Float64Array, from = 0, to = w.length) => {
    let m = 0;
    for (let i = from; i < to; i++) if (w[i]! > m) m = w[i]!;
    return m;
  };
  // Best of the given-name frequency levels, and of named-after-the-grandfather per lineage class; missing counts 0.
  const frequencyBest = best(table('givenFrequency'));
  const namedW = table('namedAfterGrandfather');
  const namedBest = Float64Array.from({ length: CLASSES }, (_, c) => best(namedW, 2 * c, 2 * c + 2));
  // The lineage level and class of every (father, grandfather, family) levels, from compare-names.ts itself.
  const lineageOf = new Int8Array(L * L * L);
  const classOf = new Int8Array(L * L * L);
  for (let f = 0; f < L; f++) {
    for (let g = 0; g < L; g++) {
      for (let h = 0; h < L; h++) {
        const ll = lineageLevel({ given: MISSING, father: f - 1, grandfather: g - 1, family: h - 1 });
        lineageOf[(f * L + g) * L + h] = ll;
        classOf[(f * L + g) * L + h] = lineageClassOf(ll);
      }
    }
  }
  /** The names' part of an alignment's weight, without the birth year: levels g, f, gf, fam (MISSING = −1). */
  const namesWeight = (order: number, g: number, t: number, named: boolean): number => {
    const ll = lineageOf[t]!;
    let x = orderW[order]!;
    if (ll !== MISSING) x += lineageW[ll]!;
    if (g !== MISSING) x += givenW[g + NAME_LEVELS.length * classOf[t]!]!;
    if (g !== MISSING && g <= NAME_PHONETIC) {
      x += frequencyBest;
      if (named) x += namedBest[classOf[t]!]!;
    }
    return x;
  };
  const chainIndex = (f: number, gf: number, fam: number) => ((f + 1) * L + gf + 1) * L + fam + 1;
  // For each alignment (and, as registered, with and without the named-after-the-grandfather
  // field): the most it can weigh in each lineage class given the levels known so far of the
  // fields compared as registered (a digit per field: its level + 1, or L while unknown; a
  // field the alignment compares with another field counts 0, its level is never known here).
  const straight = CHAIN_ALIGNMENTS.map((al) => al.map.map((j, i) => j === i));
  const DIGITS = (L + 1) ** 4;
  const optimistic = (k: number, named: boolean) => {
    const al = CHAIN_ALIGNMENTS[k]!;
    const out = new Float64Array(DIGITS * CLASSES).fill(Number.NEGATIVE_INFINITY);
    const positions = [0, 1, 2, 3].filter((i) => straight[k]![i]);
    for (let x = 0; x < L ** 4; x++) {
      const v = [Math.floor(x / L ** 3), Math.floor(x / L ** 2) % L, Math.floor(x / L) % L, x % L];
      const lv = v.map((y, i) => (al.map[i] === -1 ? MISSING : y - 1)) as [number, number, number, number];
      const t = chainIndex(lv[1], lv[2], lv[3]);
      const weight = namesWeight(al.order, lv[0], t, named);
      for (let unknown = 0; unknown < 1 << positions.length; unknown++) {
        const digit = [0, 0, 0, 0];
        positions.forEach((i, p) => (digit[i] = unknown & (1 << p) ? L : v[i]!));
        const at = (((digit[0]! * (L + 1) + digit[1]!) * (L + 1) + digit[2]!) * (L + 1) + digit[3]!) * CLASSES + classOf[t]!;
        if (weight > out[at]!) out[at] = weight;
      }
    }
    return out;
  };
  const most = CHAIN_ALIGNMENTS.map((_, k) => optimistic(k, false));
  const mostNamed = optimistic(0, true);
  // Every other comparator needs no names: compared as it is.
  const rest = comparators.filter((c) => !(c.name in SHAPE));
  const restParams = rest.map((c) => model.fields[c.name]);
  const prior = priorWeight(model);
  const idsOf = new WeakMap<PreparedRecord, Int32Array>();
  const ids = (r: PreparedRecord) => {
    let x = idsOf.get(r);
    if (x === undefined) idsOf.set(r, (x = Int32Array.from(FIELDS, (f) => memo.idOf(r.names[f]))));
    return x;
  };
  // The pair being bounded: levels of field i of a against field j of b at [4i + j] (NOT_YET until needed).
  const NOT_YET = -2;
  const levels = new Int8Array(16);
  const birth = new Float64Array(CLASSES);
  let pa: PreparedRecord;
  let pb: PreparedRecord;
  let ia: Int32Array;
  let ib: Int32Array;
  function level(i: number, j: number): number {
    if (j < 0) return MISSING;
    let l = levels[4 * i + j]!;
    if (l === NOT_YET) levels[4 * i + j] = l = memo.level(ia[i]!, pa.names[FIELDS[i]!], ib[j]!, pb.names[FIELDS[j]!]);
    return l;
  }
  /** Sets up the pair; returns the weight of the fields that need no names. */
  function start(a: PreparedRecord, b: PreparedRecord): number {
    pa = a;
    pb = b;
    ia = ids(a);
    ib = ids(b);
    levels.fill(NOT_YET);
    let w = prior;
    for (let i = 0; i < rest.length; i++) {
      const p = restParams[i];
      if (p === undefined) continue;
      const { level: l } = (rest[i] as Comparator).compare(a, b);
      if (l !== MISSING) w += levelWeight(p, l);
    }
    const years = birthYear.levelsWithoutNames!(a, b);
    for (let c = 0; c < CLASSES; c++) birth[c] = years.length > 0 ? birthW[years[c]!]! : 0;
    return w;
  }
  /** The weight of alignment k (names and birth year). */
  function alignmentWeight(k: number): number {
    const m = CHAIN_ALIGNMENTS[k]!.map;
    const g = level(0, m[0]);
    const t = chainIndex(level(1, m[1]), level(2, m[2]), level(3, m[3]));
    const named = k === 0 && pa.names.grandfather.length > 0 && pb.names.grandfather.length > 0;
    return namesWeight(CHAIN_ALIGNMENTS[k]!.order, g, t, named) + birth[classOf[t]!]!;
  }
  // The pair's digits (see `optimistic`), and the order in which fields are compared: the given
  // name first (common, so its levels are mostly in the memo), the grandfather last (often missing).
  const digits = new Int32Array(4);
  const ORDER = [0, 1, 3, 2];
  /** The most alignment k could weigh, from the digits known. */
  function mostOf(k: number, named: boolean): number {
    const st = straight[k]!;
    let key = 0;
    for (let i = 0; i < 4; i++) key = key * (L + 1) + (st[i] ? digits[i]! : 0);
    const table = named ? mostNamed : most[k]!;
    let x = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < CLASSES; c++) {
      const y = table[key * CLASSES + c]! + birth[c]!;
      if (y > x) x = y;
    }
    return x;
  }

  return {
    bound(a, b) {
      const w = start(a, b);
      let names = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < CHAIN_ALIGNMENTS.length; k++) {
        const when = CHAIN_ALIGNMENTS[k]!.when;
        if (when === undefined || when(a, b)) names = Math.max(names, alignmentWeight(k));
      }
      return w + names;
    },
    mayReach(a, b, weight) {
      const need = weight - start(a, b);
      const named = a.names.grandfather.length > 0 && b.names.grandfather.length > 0;
      digits.fill(L);
      // Field by field, as long as some alignment could still reach the weight.
      for (let step = 0; step < 4; step++) {
        const i = ORDER[step]!;
        digits[i] = level(i, i) + 1;
        let possible = mostOf(0, named) >= need;
        for (let k = 1; k < CHAIN_ALIGNMENTS.length && !possible; k++) {
          const when = CHAIN_ALIGNMENTS[k]!.when;
          possible = (when === undefined || when(a, b)) && mostOf(k, false) >= need;
        }
        if (!possible) return false;
      }
      // Every field known: the chain as registered weighs exactly its most.
      if (mostOf(0, named) >= need) return true;
      for (let k = 1; k < CHAIN_ALIGNMENTS.length; k++) {
        const when = CHAIN_ALIGNMENTS[k]!.when;
        if ((when === undefined || when(a, b)) && mostOf(k, false) >= need && alignmentWeight(k) >= need) return true;
      }
      return false;
    },
  };
}
