/**
 * The batch pipeline: prepare records, block, compare, estimate the parameters on the data
 * itself when asked (u from random pairs, m and the prior by EM — no labels needed), score
 * and decide. Used by the dedupe command and the quality benchmark; registration-time
 * checks call scorePair with the shipped model instead.
 */
import { findCandidatePairs } from './blocking.js';
import type { Comparator } from './compare.js';
import { buildComparators, shapeOf } from './compare.js';
import { capPenalties, estimateU, fitEm } from './em.js';
import { DEFAULT_MODEL } from './default-model.js';
import type { PreparedRecord } from './prepare.js';
import {
  givenFrequencyComparator,
  givenFrequencyLevelShares,
  givenNameShares,
  markChainCounts,
  markGivenShares,
  MIN_RECORDS_FOR_SHARES,
} from './name-frequency.js';
import { KNOWN_NAME_MIN_COUNT, markKnownNames, prepareRecord } from './prepare.js';
import { recordKeys } from './record-keys.js';
import { compareVector, scorePair, unshapedWeightFloor, vectorWeight } from './score.js';
import { proposeTransitivePairs, type TransitiveOptions } from './transitive.js';
import type { ExtraKind, FieldParams, MatchModel, MatchRecord, MatchResult } from './types.js';

export interface MatchOptions {
  /** Extra fields and how to compare them. */
  extra?: Record<string, ExtraKind>;
  /** Starting (or, without estimate, final) parameters; the shipped model by default. */
  model?: MatchModel;
  /** Estimate u and m on these records before scoring (default true). */
  estimate?: boolean;
  thresholds?: MatchModel['thresholds'];
  maxBlockSize?: number;
  /** For linking two files: the file each record index came from. */
  sourceOf?: (index: number) => string;
  /**
   * Propose for review the pairs that both match a third record strongly (transitive.ts);
   * default true, false to keep pairwise decisions only.
   */
  transitive?: boolean | TransitiveOptions;
}

export interface MatchOutput {
  /** Pairs decided link or review, strongest first. */
  results: MatchResult[];
  candidatePairs: Array<[number, number]>;
  model: MatchModel;
  comparators: Comparator[];
  prepared: PreparedRecord[];
  /** The review pairs the transitive step added (also in results); not candidate pairs of blocking. */
  transitive: MatchResult[];
}

/**
 * What a batch knows of its own names, set on its prepared records: which names are common
 * (the model's list and the batch's own counts), the given names' shares and how many records
 * carry each name chain — the last two from the batch itself when it has at least
 * MIN_RECORDS_FOR_SHARES records, else the model's table and no chain counts. The in-memory
 * pipeline below and the operation's batch scan (services/matching/scan-engine.ts) both call it, so a
 * pair is decided alike by `corridor dedupe --csv` and `corridor dedupe --operation`.
 */
export function markBatchFrequencies(prepared: readonly PreparedRecord[], model: MatchModel): void {
  markKnownNames(prepared, KNOWN_NAME_MIN_COUNT, new Set(model.knownNames ?? []));
  const counted = prepared.length >= MIN_RECORDS_FOR_SHARES;
  markGivenShares(prepared, counted ? givenNameShares(prepared) : new Map(Object.entries(model.givenNameShares ?? {})));
  if (counted) markChainCounts(prepared);
}

export function matchRecords(records: readonly MatchRecord[], opts: MatchOptions = {}): MatchOutput {
  let model: MatchModel = opts.model ?? DEFAULT_MODEL;
  const prepared = records.map((r) => prepareRecord(r));
  markBatchFrequencies(prepared, model);
  const shape = shapeOf(prepared, opts.extra ?? {});
  // Scored with the model as given (no estimate), the comparators take the model's shape: a file
  // of given and family names only is still compared as chains whose lineage is the family name,
  // so a disagreeing family name counts against (the shipped model has no separate family field:
  // without this its weight was 0, and the given name was weighed as if the lineage agreed).
  if (opts.estimate === false && model.fields['lineage'] !== undefined) shape.lineage = true;
  const comparators = buildComparators(shape);
  const blockOpts: { maxBlockSize?: number; sourceOf?: (i: number) => string } = {};
  if (opts.maxBlockSize !== undefined) blockOpts.maxBlockSize = opts.maxBlockSize;
  if (opts.sourceOf !== undefined) blockOpts.sourceOf = opts.sourceOf;
  const kinds = opts.extra ?? {};
  const { pairs } = findCandidatePairs(records, (r) => recordKeys(r, kinds), blockOpts);
  if (opts.thresholds !== undefined) model = { ...model, thresholds: opts.thresholds };
  const vectors = pairs.map(([i, j]) => compareVector(comparators, prepared[i] as PreparedRecord, prepared[j] as PreparedRecord));
  if (opts.estimate !== false && pairs.length > 0) {
    const u = estimateU(comparators, prepared);
    // The shipped calibration belongs to the shipped weights: weights estimated here are their own probabilities.
    const { calibration: _shipped, ...uncalibrated } = model;
    const start: MatchModel = { ...uncalibrated, fields: { ...model.fields } };
    comparators.forEach((c, f) => {
      const known = model.fields[c.name];
      // The model's m only where its levels are this comparator's (a FEBRL file has no lineage, so its given name has fewer levels).
      const m =
        known !== undefined && known.m.length === c.levels.length
          ? known.m
          : c.levels.map((_, k) => (k === 0 ? 0.9 : 0.1 / (c.levels.length - 1)));
      start.fields[c.name] = { levels: [...c.levels], m, u: u[f] as number[] };
    });
    // Each record has a few duplicates at most: matches are of the order of the records,
    // so the prior is bounded by a few records per candidate pair.
    const maxLambda = Math.min(0.5, (4 * records.length) / pairs.length);
    start.lambda = Math.min(maxLambda, Math.max(1e-4, records.length / pairs.length / 4));
    const fitted = fitEm(comparators, vectors, start, { maxLambda });
    // EM that ends on its bound has found something other than "same person" (shared
    // cities, shared families): keep the u it was given and generic m instead — exact
    // agreement likely for a match, disagreement rare — with the prior at records / pairs.
    if (fitted.lambda >= maxLambda * 0.99) {
      const fields = { ...start.fields };
      comparators.forEach((c) => {
        const f = fields[c.name] as FieldParams;
        const k = c.levels.length;
        // The frequency levels are not ordered from agreement to disagreement: their m is how the records' own names spread.
        const m =
          c.name === givenFrequencyComparator.name
            ? givenFrequencyLevelShares(prepared)
            : c.levels.map((_, l) => (l === 0 ? 0.7 : l === k - 1 ? 0.05 : 0.25 / Math.max(1, k - 2)));
        fields[c.name] = { ...f, m };
      });
      model = { ...start, fields: capPenalties(comparators, fields), lambda: Math.min(maxLambda, records.length / pairs.length) };
    } else {
      model = fitted;
    }
  }
  const results: MatchResult[] = [];
  const reviewFloor = unshapedWeightFloor(model, model.thresholds.review);
  pairs.forEach(([i, j], k) => {
    if (vectorWeight(model, comparators, vectors[k] as Int8Array) < reviewFloor) return;
    results.push(scorePair(model, comparators, prepared[i] as PreparedRecord, prepared[j] as PreparedRecord));
  });
  let transitive: MatchResult[] = [];
  if (opts.transitive !== false) {
    const tOpts: TransitiveOptions = typeof opts.transitive === 'object' ? { ...opts.transitive } : {};
    if (opts.sourceOf !== undefined) tOpts.sourceOf = opts.sourceOf;
    transitive = proposeTransitivePairs(results, prepared, model, comparators, tOpts);
    results.push(...transitive);
  }
  results.sort((a, b) => b.weight - a.weight);
  return { results, candidatePairs: pairs, model, comparators, prepared, transitive };
}
