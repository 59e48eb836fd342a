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
import { findCandidatePairs } from '../../src/domain/matching/blocking.js';
import { buildComparators, shapeOf } from '../../src/domain/matching/compare.js';
import { fitLabelled } from '../../src/domain/matching/em.js';
import { givenNameShares, markChainCounts, markGivenShares } from '../../src/domain/matching/name-frequency.js';
import { countNames, KNOWN_NAME_MIN_COUNT, markKnownNames, prepareRecord } from '../../src/domain/matching/prepare.js';
import type { PreparedRecord } from '../../src/domain/matching/prepare.js';
import { recordKeys } from '../../src/domain/matching/record-keys.js';
import { compareVector, vectorWeight } from '../../src/domain/matching/score.js';
import type { MatchRecord } from '../../src/domain/matching/types.js';

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
  const set = generateMatchingSet({ seed, people });
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

export function fitShippedModel(seeds: readonly number[] = TRAINING_SEEDS, people = 4000): ReturnType<typeof fitLabelled> {
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
  const batches = [first, ...seeds.slice(1).map((seed) => labelledBatch(seed, people, new Set(knownNames)))];
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
  // Thresholds from the weights of true and false candidate pairs.
  const scored = vectors.map((v, k) => ({ w: vectorWeight(model, comparators, v), m: isMatch[k] as boolean })).sort((a, b) => b.w - a.w);
  const totalTrue = scored.filter((s) => s.m).length;
  let tp = 0;
  let link = Number.POSITIVE_INFINITY;
  let bestF1 = -1;
  let review = Number.NEGATIVE_INFINITY;
  scored.forEach((s, k) => {
    if (s.m) tp++;
    const f1 = (2 * tp) / (k + 1 + totalTrue);
    if (f1 > bestF1) {
      bestF1 = f1;
      link = s.w;
    }
    if (review === Number.NEGATIVE_INFINITY && tp >= 0.995 * totalTrue) review = s.w;
  });
  return {
    ...model,
    thresholds: { link: Math.round(link * 100) / 100, review: Math.round(Math.min(review, link - 1) * 100) / 100 },
    knownNames,
    givenNameShares: givenShares,
  };
}

if (typeof process !== 'undefined' && process.argv[1]?.endsWith('fit-weights.ts')) {
  console.log(JSON.stringify(fitShippedModel(), null, 1));
}
