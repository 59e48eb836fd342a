/**
 * Matching: comparison of person records across scripts and spellings, Fellegi–Sunter
 * weights, blocking, and explained link / review / none decisions.
 */
export type { Decision, ExtraKind, FieldExplanation, FieldParams, MatchModel, MatchRecord, MatchResult, NameValue } from './types.js';
export { findCandidatePairs } from './blocking.js';
export type { BlockingOptions, CandidatePairs } from './blocking.js';
export { buildComparators, shapeOf } from './compare.js';
export type { Comparator, DataShape } from './compare.js';
export { prepareRecord, normaliseSex } from './prepare.js';
export type { PreparedRecord } from './prepare.js';
export { recordKeys } from './record-keys.js';
export { scorePair, decide } from './score.js';
export { estimateU, fitEm, fitLabelled } from './em.js';
export { markBatchFrequencies, matchRecords } from './matcher.js';
export type { MatchOptions, MatchOutput } from './matcher.js';
export { proposeTransitivePairs, THROUGH_RECORD_CODE } from './transitive.js';
export type { TransitiveOptions } from './transitive.js';
export { DEFAULT_MODEL } from './default-model.js';
export { OPERATION_MODEL, REVIEW_QUEUE_MIN_PROBABILITY, withReviewFloor, weightOf } from './queue.js';
export { jaroWinkler, levenshtein } from './string-distance.js';

import type { MatchModel, MatchRecord, MatchResult } from './types.js';
import { buildComparators as build, shapeOf as shape } from './compare.js';
import { prepareRecord as prep } from './prepare.js';
import { scorePair as score } from './score.js';
import { DEFAULT_MODEL as MODEL } from './default-model.js';

/** Scores one pair with the shipped model (registration-time duplicate check). */
export function matchPair(a: MatchRecord, b: MatchRecord, model: MatchModel = MODEL): MatchResult {
  const pa = prep(a);
  const pb = prep(b);
  return score(model, build(shape([pa, pb])), pa, pb);
}
export { likelihoodOf, LIKELIHOODS, type Likelihood } from './likelihood.js';
