/**
 * Fits the shipped model (weights.json) on labelled synthetic registrations from the
 * scenario generator: m and u counted on the candidate pairs that blocking finds, with the
 * truth the generator knows. Thresholds are chosen on the same data: link at the best F1
 * and review low enough that 99.5 % of the true candidate pairs reach review.
 * The known-name list and the given-name shares shipped with the model come from the same
 * training registrations. Pure code; run (write elsewhere first: this module itself loads
 * weights.json): npx tsx scripts/fit/fit-weights.ts > /tmp/w.json && mv /tmp/w.json src/domain/matching/weights.json
 */
import { generateMatchingSet } from '../../src/demo/scenario/matching-set.js';
import { generateWikidataTrainSet, readTrainTokens } from './sets/wikidata-train-set.js';
import { findCandidatePairs } from '../../src/domain/matching/blocking.js';
import { buildComparators, shapeOf } from '../../src/domain/matching/compare.js';
import { fitLabelled } from '../../src/domain/matching/em.js';
import { givenNameShares, markChainCounts, markGivenShares } from '../../src/domain/matching/name-frequency.js';
import { countNames, KNOWN_NAME_MIN_COUNT, markKnownNames, prepareRecord } from '../../src/domain/matching/prepare.js';
import type { PreparedRecord } from '../../src/domain/matching/prepare.js';
import { recordKeys } from '../../src/domain/matching/record-keys.js';
import {
  compareVector,
  recordShapeOf,
  shapedWeight,
  vectorWeight,
  weightAtProbability,
  type RecordShape,
} from '../../src/domain/matching/score.js';
import type { MatchModel, MatchRecord } from '../../src/domain/matching/types.js';

export const FIT_SEED = 1;

export function toMatchRecord(r: {
  id: string;
  given_name: string;
  father_name: string;
  grandfather_name: string;
  family_name: string;
  sex: string;
  birth_year: string;
}): MatchRecord {
  const year = Number.parseInt(r.birth_year, 10);
  return {
    id: r.id,
    given: r.given_name,
    father: r.father_name,
    grandfather: r.grandfather_name,
    family: r.family_name,
    sex: r.sex,
    birthYear: Number.isFinite(year) ? year : null,
  };
}

/** One labelled training batch: its records prepared with the batch's own known names, shares and chain shares, and its candidate pairs. */
function labelledBatch(seed: number, people: number, shippedKnown: ReadonlySet<string>) {
  return labelledOf(generateMatchingSet({ seed, people, slipsOnEveryRecord: true }), shippedKnown);
}

/** A cross-script batch of people of every origin from the Wikidata train pairs (wikidata-train-set.ts); null without the file. */
function wikidataBatch(seed: number, people: number, slice: 0 | 1, shippedKnown: ReadonlySet<string>) {
  const tokens = readTrainTokens();
  if (typeof tokens === 'string') {
    console.warn(`fit-weights: no cross-script batch, ${tokens}`);
    return null;
  }
  return labelledOf(generateWikidataTrainSet(tokens, { seed, people, slice }), shippedKnown);
}

function labelledOf(
  set: { records: Parameters<typeof toMatchRecord>[0][]; truePairs: Array<[string, string]> },
  shippedKnown: ReadonlySet<string>,
) {
  const records = set.records.map(toMatchRecord);
  const truth = new Set(set.truePairs.map(([a, b]) => (a < b ? `${a} ${b}` : `${b} ${a}`)));
  const prepared = records.map((r) => prepareRecord(r));
  // Known names as a batch scored with the shipped model has them: the model's list and the batch's own.
  markKnownNames(prepared, KNOWN_NAME_MIN_COUNT, shippedKnown);
  const shares = givenNameShares(prepared);
  markGivenShares(prepared, shares);
  markChainCounts(prepared);
  const { pairs } = findCandidatePairs(records, recordKeys);
  const isMatch = pairs.map(([i, j]) => {
    const a = records[i] as MatchRecord;
    const b = records[j] as MatchRecord;
    return truth.has(a.id < b.id ? `${a.id} ${b.id}` : `${b.id} ${a.id}`);
  });
  return { prepared, shares, pairs, isMatch };
}

/**
 * Training batches: FIT_SEED and further seeds, each a batch of `people` as an evaluation batch
 * is (its own known names and shares), their labelled candidate pairs pooled. More batches of
 * the same size, rather than one larger batch, keep what "common" means in a batch unchanged.
 */
export const TRAINING_SEEDS: readonly number[] = [FIT_SEED, 101, 102, 103];

/** Batches the weights are calibrated and the thresholds chosen on: never fitted on, never evaluated on. */
export const CALIBRATION_SEEDS: readonly number[] = [201];

/**
 * Cross-script batches of two-part names of every origin from the Wikidata train file, fitted
 * on (tokens of one half of the file) and calibrated on (the other half).
 */
export const CROSS_SCRIPT_SEEDS: readonly number[] = [301];
export const CROSS_SCRIPT_CALIBRATION_SEEDS: readonly number[] = [401];
const CROSS_SCRIPT_PEOPLE = 3000;

export function fitShippedModel(
  seeds: readonly number[] = TRAINING_SEEDS,
  people = 4000,
  calibrationSeeds: readonly number[] = CALIBRATION_SEEDS,
): ReturnType<typeof fitLabelled> {
  // The shipped known names and shares come from the first batch (known names: only Arabic-script ones are used, compare-names.ts).
  const first = labelledBatch(seeds[0] ?? FIT_SEED, people, new Set());
  const givenShares = Object.fromEntries(
    [...first.shares]
      .filter(([s, x]) => s !== '' && x * first.prepared.length >= KNOWN_NAME_MIN_COUNT)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([s, x]) => [s, Number(x.toPrecision(3))]),
  );
  const knownNames = [...countNames(first.prepared)]
    .filter(([s, n]) => n >= KNOWN_NAME_MIN_COUNT && /[\u0600-\u06ff]/.test(s))
    .map(([s]) => s)
    .sort();
  // Every further batch is marked as an evaluation batch is: the shipped list and its own names.
  const known = new Set(knownNames);
  const crossScript = CROSS_SCRIPT_SEEDS.map((seed) => wikidataBatch(seed, CROSS_SCRIPT_PEOPLE, 0, known));
  const batches = [first, ...seeds.slice(1).map((seed) => labelledBatch(seed, people, known)), ...crossScript.filter((b) => b !== null)];
  const comparators = buildComparators(shapeOf(first.prepared));
  const vectors: Int8Array[] = [];
  const isMatch: boolean[] = [];
  for (const b of batches) {
    b.pairs.forEach(([i, j], k) => {
      vectors.push(compareVector(comparators, b.prepared[i] as PreparedRecord, b.prepared[j] as PreparedRecord));
      isMatch.push(b.isMatch[k] as boolean);
    });
  }
  const model = fitLabelled(comparators, vectors, isMatch, { link: 0, review: 0 });
  // Calibrated on batches the weights were not fitted on: the weight's log-odds rescaled
  // (Platt) so that a pair's probability is the share of such pairs that are one person.
  const calibrationBatches = [
    ...calibrationSeeds.map((seed) => labelledBatch(seed, people, known)),
    ...CROSS_SCRIPT_CALIBRATION_SEEDS.map((seed) => wikidataBatch(seed, CROSS_SCRIPT_PEOPLE, 1, known)).filter((b) => b !== null),
  ];
  const scored: Array<{ w: number; m: boolean; shape: RecordShape }> = [];
  for (const b of calibrationBatches) {
    b.pairs.forEach(([i, j], k) => {
      const a = b.prepared[i] as PreparedRecord;
      const c = b.prepared[j] as PreparedRecord;
      const v = compareVector(comparators, a, c);
      scored.push({ w: vectorWeight(model, comparators, v), m: b.isMatch[k] as boolean, shape: recordShapeOf(a, c) });
    });
  }
  const calibration: NonNullable<MatchModel['calibration']> = fitPlatt(scored);
  // A curve of its own for some record shapes (score.ts): where a record gives two name parts,
  // the fields' agreements are not independent and one curve for all pairs is overconfident.
  const byShape: NonNullable<typeof calibration.byShape> = {};
  for (const shape of CALIBRATED_SHAPES) {
    const own = scored.filter((x) => x.shape === shape);
    if (own.filter((x) => x.m).length >= MIN_SHAPE_TRUE_PAIRS) byShape[shape] = fitPlatt(own);
  }
  calibration.byShape = byShape;
  for (const x of scored) x.w = shapedWeight({ calibration }, x.shape, x.w);
  // Thresholds on the calibrated probability: link from an even chance up; review low enough
  // that 99.5 % of the calibration batches' true candidate pairs reach it.
  const link = weightAtProbability({ calibration }, LINK_PROBABILITY);
  scored.sort((a, b) => b.w - a.w);
  const totalTrue = scored.filter((x) => x.m).length;
  let tp = 0;
  let review = Number.NEGATIVE_INFINITY;
  for (const x of scored) {
    if (x.m) tp++;
    if (tp >= 0.995 * totalTrue) {
      review = x.w;
      break;
    }
  }
  return {
    ...model,
    // Rounded up: a pair at the link threshold has at least LINK_PROBABILITY.
    thresholds: { link: Math.ceil(link * 100) / 100, review: Math.round(Math.min(review, link - 1) * 100) / 100 },
    calibration,
    knownNames,
    givenNameShares: givenShares,
  };
}

/**
 * The record shapes calibrated on their own curve (score.ts, RECORD_SHAPES): a record of two name
 * parts beside one that gives a father — the corner where another person with the same given and
 * family name, sex and year is linked. A curve for every shape was tried on the development
 * figures (docs/matching.md): the two-part-beside-two-part curve lies above the shared one and
 * lowered their link precision; the chains' curve lowered the mean F1.
 */
const CALIBRATED_SHAPES: readonly RecordShape[] = ['one_short'];

/** A record shape gets a calibration curve of its own when the calibration batches hold this many of its true pairs (79 for `one_short`). */
const MIN_SHAPE_TRUE_PAIRS = 50;

/** A link is proposed from this calibrated probability up. */
export const LINK_PROBABILITY = 0.5;

/**
 * Platt scaling in log2 odds: calibrated log-odds = slope · weight + intercept, by Newton's
 * method on the log-likelihood of the labelled pairs (weights clipped to ±40: beyond, the
 * answer is certain either way).
 */
function fitPlatt(scored: ReadonlyArray<{ w: number; m: boolean }>): { slope: number; intercept: number } {
  let a = 1;
  let b = 0;
  const LN2 = Math.LN2;
  for (let it = 0; it < 50; it++) {
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    for (const { w, m } of scored) {
      const x = Math.max(-40, Math.min(40, w)) * LN2;
      const p = 1 / (1 + Math.exp(-(a * x + b * LN2)));
      const r = (m ? 1 : 0) - p;
      const q = Math.max(p * (1 - p), 1e-12);
      ga += r * x;
      gb += r * LN2;
      haa += q * x * x;
      hab += q * x * LN2;
      hbb += q * LN2 * LN2;
    }
    const det = haa * hbb - hab * hab;
    if (det <= 0) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a += da;
    b += db;
    if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) break;
  }
  return { slope: Number(a.toPrecision(6)), intercept: Number(b.toPrecision(6)) };
}

if (typeof process !== 'undefined' && process.argv[1]?.endsWith('fit-weights.ts')) {
  console.log(JSON.stringify(fitShippedModel(), null, 1));
}
