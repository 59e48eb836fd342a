/**
 * Estimation of the Fellegi–Sunter parameters. u (how often different people agree) comes
 * from random pairs, which are almost all different people; m (how often the same person
 * agrees with himself) and the prior come from expectation–maximisation on the candidate
 * pairs, with u held fixed — the approach that stays stable when fields are correlated.
 * Labelled pairs, where there are any, give m and u directly.
 */
import { LINEAGE_CLASSES, LINEAGE_LEVELS, lineageClassOf, MISSING, NAME_LEVELS } from './compare-names.js';
import { BIRTH_YEAR_LEVELS, NAMED_AFTER_LEVELS } from './compare.js';
import type { Comparator } from './compare.js';
import type { PreparedRecord } from './prepare.js';
import { compareVector } from './score.js';
import type { FieldParams, MatchModel } from './types.js';

const PSEUDO = 0.5;

function normalise(counts: number[]): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => c / total);
}

/** A small deterministic generator, so fitting gives the same numbers on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function estimateU(comparators: readonly Comparator[], records: readonly PreparedRecord[], samples = 20000, seed = 1): number[][] {
  const counts = comparators.map((c) => c.levels.map(() => PSEUDO));
  const rnd = lcg(seed);
  const n = records.length;
  if (n < 2) return counts.map(normalise);
  for (let s = 0; s < samples; s++) {
    const i = Math.floor(rnd() * n);
    let j = Math.floor(rnd() * (n - 1));
    if (j >= i) j++;
    const v = compareVector(comparators, records[i] as PreparedRecord, records[j] as PreparedRecord);
    v.forEach((l, f) => {
      if (l !== MISSING) (counts[f] as number[])[l]! += 1;
    });
  }
  return counts.map(normalise);
}

/** Holds m of the last level (disagree) at or below u, moving the excess to the other levels. */
function boundDisagree(m: number[], u: number[]): number[] {
  const last = m.length - 1;
  const cap = u[last] as number;
  if (last < 1 || (m[last] as number) <= cap) return m;
  const rest = 1 - (m[last] as number);
  return m.map((x, l) => (l === last ? cap : rest > 0 ? (x * (1 - cap)) / rest : (1 - cap) / last));
}

export interface EmOptions {
  iterations?: number;
  /** Upper bound of the prior: a share of candidate pairs that can plausibly be matches. */
  maxLambda?: number;
}

/**
 * EM for m and lambda on comparison vectors, u fixed. Two bounds keep it from finding some
 * other structure than "same person" (people of one city, one family): the prior stays
 * below maxLambda, and no field's last level (disagree) may count for a match — its m is
 * held at or below its u, the rest renormalised.
 */
export function fitEm(
  comparators: readonly Comparator[],
  vectors: readonly Int8Array[],
  start: MatchModel,
  iterationsOrOpts: number | EmOptions = 30,
): MatchModel {
  const opts: EmOptions = typeof iterationsOrOpts === 'number' ? { iterations: iterationsOrOpts } : iterationsOrOpts;
  const iterations = opts.iterations ?? 30;
  const maxLambda = Math.min(0.5, opts.maxLambda ?? 0.5);
  const u = comparators.map((c) => start.fields[c.name]?.u ?? c.levels.map(() => 1 / c.levels.length));
  let m = comparators.map(
    (c, i) => start.fields[c.name]?.m ?? c.levels.map((_, k) => (k === 0 ? 0.9 : 0.1 / Math.max(1, c.levels.length - 1))) ?? u[i],
  );
  let lambda = start.lambda;
  for (let it = 0; it < iterations; it++) {
    const mCounts = comparators.map((c) => c.levels.map(() => 0.01));
    let gSum = 0;
    for (const v of vectors) {
      let logRatio = Math.log(lambda / (1 - lambda));
      for (let f = 0; f < v.length; f++) {
        const l = v[f] as number;
        if (l === MISSING) continue;
        logRatio += Math.log(Math.max((m[f] as number[])[l] as number, 1e-6) / Math.max((u[f] as number[])[l] as number, 1e-6));
      }
      const g = 1 / (1 + Math.exp(-logRatio));
      gSum += g;
      for (let f = 0; f < v.length; f++) {
        const l = v[f] as number;
        if (l !== MISSING) (mCounts[f] as number[])[l]! += g;
      }
    }
    m = mCounts.map((c, f) => boundDisagree(normalise(c), u[f] as number[]));
    lambda = Math.min(maxLambda, Math.max(1e-6, gSum / Math.max(1, vectors.length)));
  }
  const fields: Record<string, FieldParams> = { ...start.fields };
  comparators.forEach((c, f) => {
    fields[c.name] = { levels: [...c.levels], m: m[f] as number[], u: u[f] as number[] };
  });
  return { lambda, fields: capPenalties(comparators, conditionLineage(fields)), thresholds: start.thresholds };
}

/** m and u counted on labelled pairs (true / false), for the shipped default model. */
export function fitLabelled(
  comparators: readonly Comparator[],
  vectors: readonly Int8Array[],
  isMatch: readonly boolean[],
  thresholds: MatchModel['thresholds'],
): MatchModel {
  const mc = comparators.map((c) => c.levels.map(() => PSEUDO));
  const uc = comparators.map((c) => c.levels.map(() => PSEUDO));
  let matches = 0;
  vectors.forEach((v, i) => {
    const target = isMatch[i] ? mc : uc;
    if (isMatch[i]) matches++;
    v.forEach((l, f) => {
      if (l !== MISSING) (target[f] as number[])[l]! += 1;
    });
  });
  const fields: Record<string, FieldParams> = {};
  comparators.forEach((c, f) => {
    fields[c.name] = { levels: [...c.levels], m: normalise(mc[f] as number[]), u: normalise(uc[f] as number[]) };
  });
  const conditioned = conditionLineage(fields);
  for (const [name, classOf] of classFields(fields)) {
    const f = comparators.findIndex((c) => c.name === name);
    const counts = (mc[f] as number[]).map((x) => x - PSEUDO);
    const p = conditioned[name] as FieldParams;
    conditioned[name] = { ...p, m: smoothWithinClass(counts, p.u, classOf) };
  }
  return { lambda: Math.max(1e-6, matches / Math.max(1, vectors.length)), fields: capPenalties(comparators, conditioned), thresholds };
}

/** Holds m at or below u on each comparator's penalty-only levels (compare.ts, penaltyOnly): their weight is at most 0. */
export function capPenalties(comparators: readonly Comparator[], fields: Record<string, FieldParams>): Record<string, FieldParams> {
  const out = { ...fields };
  for (const c of comparators) {
    const p = out[c.name];
    if (p === undefined || c.penaltyOnly === undefined) continue;
    const m = p.m.map((x, l) => (c.penaltyOnly?.includes(l) === true ? Math.min(x, p.u[l] ?? x) : x));
    out[c.name] = { ...p, m };
  }
  return out;
}

/**
 * The fields weighed within the lineage class, each with how its levels map to the classes:
 * the given name is compared jointly with the lineage class (compare-names.ts), so its weight
 * already carries what the class says; these fields only add what their level says beyond it.
 */
function classFields(fields: Record<string, FieldParams>): Array<[string, (l: number) => number]> {
  const lineage = fields['lineage'];
  const given = fields['given'];
  if (
    lineage === undefined ||
    given === undefined ||
    given.levels.length <= NAME_LEVELS.length ||
    lineage.levels.length !== LINEAGE_LEVELS.length
  )
    return [];
  const out: Array<[string, (l: number) => number]> = [['lineage', lineageClassOf]];
  for (const [name, perClass] of [
    ['birthYear', BIRTH_YEAR_LEVELS.length],
    ['namedAfterGrandfather', NAMED_AFTER_LEVELS.length],
  ] as const) {
    if (fields[name]?.levels.length === perClass * LINEAGE_CLASSES.length) out.push([name, (l) => Math.floor(l / perClass)]);
  }
  return out;
}

function within(p: readonly number[], classOf: (l: number) => number): number[] {
  const sums = new Map<number, number>();
  p.forEach((x, l) => {
    const c = classOf(l);
    sums.set(c, (sums.get(c) ?? 0) + x);
  });
  return p.map((x, l) => x / (sums.get(classOf(l)) as number));
}

/** m and u of the class-weighed fields normalised within each class. */
export function conditionLineage(fields: Record<string, FieldParams>): Record<string, FieldParams> {
  const out: Record<string, FieldParams> = { ...fields };
  for (const [name, classOf] of classFields(fields)) {
    const f = fields[name] as FieldParams;
    out[name] = { ...f, m: within(f.m, classOf), u: within(f.u, classOf) };
  }
  return out;
}

/**
 * Labelled m of a class-weighed field: counted within each class and drawn toward u where the
 * class holds few true pairs, so a class the training pairs never show (no true pair has its
 * lineage missing entirely) weighs nothing rather than what a pseudo-count makes of it.
 */
function smoothWithinClass(counts: readonly number[], u: readonly number[], classOf: (l: number) => number): number[] {
  const totals = new Map<number, number>();
  const sizes = new Map<number, number>();
  counts.forEach((x, l) => {
    const c = classOf(l);
    totals.set(c, (totals.get(c) ?? 0) + x);
    sizes.set(c, (sizes.get(c) ?? 0) + 1);
  });
  return counts.map((x, l) => {
    const c = classOf(l);
    const prior = PSEUDO * (sizes.get(c) as number);
    return (x + prior * (u[l] as number)) / ((totals.get(c) as number) + prior);
  });
}
