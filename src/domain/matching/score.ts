/**
 * Fellegi–Sunter scoring: each field's agreement level adds log2(m/u) to the prior log-odds;
 * the total decides link / review / none against two thresholds. The explanation lists
 * every field with its level and weight so a reviewer sees why a pair scored as it did.
 */
import type { Comparator } from './compare.js';
import { MISSING } from './compare-names.js';
import type { PreparedRecord } from './prepare.js';
import type { Decision, FieldExplanation, FieldParams, MatchModel, MatchResult } from './types.js';

/** Levels never seen in fitting still need a finite weight. */
const FLOOR = 1e-4;

export function levelWeight(p: FieldParams, level: number): number {
  return Math.log2(Math.max(p.m[level] ?? FLOOR, FLOOR) / Math.max(p.u[level] ?? FLOOR, FLOOR));
}

/** Match weight (log2 odds) of a probability. */
export const weightOf = (p: number) => Math.log2(p / (1 - p));

/** The calibrated probability that a pair of this weight is one person (types.ts, calibration). */
export function probabilityOf(model: Pick<MatchModel, 'calibration'>, weight: number): number {
  const c = model.calibration;
  const logOdds = c === undefined ? weight : c.slope * weight + c.intercept;
  return 1 / (1 + 2 ** -logOdds);
}

/** The weight at which the calibrated probability is p. */
export function weightAtProbability(model: Pick<MatchModel, 'calibration'>, p: number): number {
  const c = model.calibration;
  const logOdds = weightOf(p);
  return c === undefined ? logOdds : (logOdds - c.intercept) / c.slope;
}

/**
 * The pair's record shape: whether each record gives a father or grandfather beside its given
 * and family name (`chains`), one of them does not (`one_short`: a record of two name parts
 * beside any other), or neither (`both_short`). Each shape has a calibration of its own.
 */
export const RECORD_SHAPES = ['chains', 'one_short', 'both_short'] as const;
export type RecordShape = (typeof RECORD_SHAPES)[number];
export const RECORD_SHAPE_LEVELS: Record<RecordShape, string> = {
  chains: 'both records give a father or grandfather',
  one_short: 'one record gives a given and a family name only',
  both_short: 'both records give a given and a family name only',
};

const isShort = (r: PreparedRecord) => r.names.father.length === 0 && r.names.grandfather.length === 0;

export function recordShapeOf(a: PreparedRecord, b: PreparedRecord): RecordShape {
  return RECORD_SHAPES[(isShort(a) ? 1 : 0) + (isShort(b) ? 1 : 0)] as RecordShape;
}

/**
 * The weight a pair of this shape and naive-Bayes weight carries after its shape's calibration:
 * the weight at which the shared curve gives the probability the shape's own curve gives.
 * Unchanged where the model has no curve for the shape.
 */
export function shapedWeight(model: Pick<MatchModel, 'calibration'>, shape: RecordShape, weight: number): number {
  const c = model.calibration;
  const own = c?.byShape?.[shape];
  if (c === undefined || own === undefined) return weight;
  return (own.slope * weight + own.intercept - c.intercept) / c.slope;
}

/**
 * The lowest naive-Bayes weight from which a pair of some shape can reach `weight` once
 * calibrated: bounds (batch.ts, matcher.ts) compare the sum of the fields with this.
 */
export function unshapedWeightFloor(model: Pick<MatchModel, 'calibration'>, weight: number): number {
  const c = model.calibration;
  let floor = weight;
  for (const shape of RECORD_SHAPES) {
    const own = c?.byShape?.[shape];
    if (c === undefined || own === undefined || own.slope <= 0) continue;
    floor = Math.min(floor, (weight * c.slope + c.intercept - own.intercept) / own.slope);
  }
  return floor;
}

export function priorWeight(model: MatchModel): number {
  return weightOf(model.lambda);
}

export function decide(weight: number, thresholds: MatchModel['thresholds']): Decision {
  return weight >= thresholds.link ? 'link' : weight >= thresholds.review ? 'review' : 'none';
}

/**
 * Members of one household registration are different people by the registrar's own account: such
 * a pair is proposed only when it is strong enough to link (the same person entered twice), never
 * for review. Otherwise brothers and sisters — same father, grandfather and family name, close
 * ages — fill the review queue: a demo operation of 3,000 people had 700 such proposals for 91
 * real duplicates. A duplicate registered at another desk has another household and is unaffected.
 */
export function decideForPair(weight: number, thresholds: MatchModel['thresholds'], sameHousehold: boolean): Decision {
  const d = decide(weight, thresholds);
  return d === 'review' && sameHousehold ? 'none' : d;
}

/** The comparison vector only: used by fitting, where explanations are not needed. */
export function compareVector(comparators: readonly Comparator[], a: PreparedRecord, b: PreparedRecord): Int8Array {
  const v = new Int8Array(comparators.length);
  for (let i = 0; i < comparators.length; i++) v[i] = (comparators[i] as Comparator).compare(a, b).level;
  return v;
}

export function vectorWeight(model: MatchModel, comparators: readonly Comparator[], v: Int8Array): number {
  let w = priorWeight(model);
  for (let i = 0; i < comparators.length; i++) {
    const level = v[i] as number;
    if (level === MISSING) continue;
    const p = model.fields[(comparators[i] as Comparator).name];
    if (p !== undefined) w += levelWeight(p, level);
  }
  return w;
}

export function scorePair(model: MatchModel, comparators: readonly Comparator[], a: PreparedRecord, b: PreparedRecord): MatchResult {
  let weight = priorWeight(model);
  const explanation: FieldExplanation[] = [];
  for (const c of comparators) {
    const { level, detail } = c.compare(a, b);
    const p = model.fields[c.name];
    const fw = level === MISSING || p === undefined ? 0 : levelWeight(p, level);
    weight += fw;
    const name = level === MISSING ? 'missing' : (c.levels[level] ?? String(level));
    const code = level === MISSING ? 'missing' : (c.codes?.[level] ?? name);
    const e: FieldExplanation = { field: c.name, level: name, code, weight: Math.round(fw * 100) / 100 };
    if (detail !== undefined) e.detail = detail;
    explanation.push(e);
  }
  const shape = recordShapeOf(a, b);
  if (model.calibration?.byShape?.[shape] !== undefined) {
    const shaped = shapedWeight(model, shape, weight);
    explanation.push({
      field: 'calibration',
      level: RECORD_SHAPE_LEVELS[shape],
      code: shape,
      weight: Math.round((shaped - weight) * 100) / 100,
    });
    weight = shaped;
  }
  const sameHousehold = a.householdId !== '' && a.householdId === b.householdId;
  return {
    idA: a.id,
    idB: b.id,
    weight,
    probability: probabilityOf(model, weight),
    decision: decideForPair(weight, model.thresholds, sameHousehold),
    explanation,
  };
}
