import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildComparators,
  DEFAULT_MODEL,
  findCandidatePairs,
  prepareRecord,
  recordKeys,
  scorePair,
} from '../../src/domain/matching/index.js';
import type { MatchRecord } from '../../src/domain/matching/index.js';
import {
  buildBlockIndex,
  candidateScratch,
  createPairScorer,
  createRecordPreparer,
  ownsPair,
  selectCandidates,
  windowsOf,
} from '../../src/domain/matching/batch.js';
import { generateMatchingSet } from '../../src/demo/scenario/index.js';

const records: MatchRecord[] = generateMatchingSet({ seed: 3, people: 400 }).records.map((r) => ({
  id: r.id,
  given: r.given_name,
  father: r.father_name,
  grandfather: r.grandfather_name,
  family: r.family_name,
  sex: r.sex,
  birthYear: Number.parseInt(r.birth_year, 10) || null,
}));

test('a record prepared with the name cache is the record prepareRecord makes', () => {
  const prepare = createRecordPreparer();
  for (const r of records) assert.deepEqual(prepare(r), prepareRecord(r));
  // Names seen before come from the cache, and still equal.
  for (const r of records.slice(0, 50)) assert.deepEqual(prepare({ ...r, id: 'again' }), prepareRecord({ ...r, id: 'again' }));
});

test('the batch scorer decides every pair as scorePair does, and skips only pairs below review', () => {
  const comparators = buildComparators({ lineage: true, sex: true, birthYear: true, origin: false, household: true, extra: {} });
  const scorer = createPairScorer(DEFAULT_MODEL, comparators);
  const prepared = records.map((r) => prepareRecord(r));
  const { pairs } = findCandidatePairs(records, recordKeys);
  let proposed = 0;
  for (const [i, j] of pairs) {
    const fast = scorer.score(prepared[i]!, prepared[j]!);
    const full = scorePair(DEFAULT_MODEL, comparators, prepared[i]!, prepared[j]!);
    if (full.decision === 'none') assert.equal(fast, null);
    else assert.deepEqual(fast, full);
    if (fast) proposed++;
  }
  assert.ok(proposed > 50, `only ${proposed} pairs proposed`);
});

test('each record keeps the candidates sharing the most (and rarest) keys, and each pair is compared once', () => {
  // Record 0 shares a rare key with 1 and a common key with 1, 2, 3, 4; record 5 shares nothing.
  const blocks = [Int32Array.from([0, 1]), Int32Array.from([0, 1, 2, 3, 4])];
  const index = buildBlockIndex(6, blocks);
  const k = 2;
  const top = new Int32Array(6 * k);
  const scratch = candidateScratch(6);
  for (let i = 0; i < 6; i++) selectCandidates(index, i, k, scratch, top.subarray(i * k, i * k + k));
  assert.deepEqual([...top.subarray(0, 2)], [1, 2], 'the rare key first, then the lowest index among the ties');
  assert.deepEqual([...top.subarray(4, 6)], [0, 1], 'ties broken by index');
  assert.deepEqual([...top.subarray(10, 12)], [-1, -1]);
  const compared: string[] = [];
  for (let i = 0; i < 6; i++) {
    for (let t = i * k; t < i * k + k && top[t] !== -1; t++) if (ownsPair(top, k, i, top[t]!)) compared.push([i, top[t]!].sort().join('-'));
  }
  assert.equal(new Set(compared).size, compared.length, `a pair compared twice: ${compared.join(' ')}`);
  assert.ok(compared.includes('0-1') && compared.includes('0-2'));
});

test('a key too common to compare everyone is cut into overlapping windows of people close in birth year', () => {
  const years = [1990, 1950, 1991, 1951, 1970, 1989, 1952, 1971];
  const windows = windowsOf(Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), (i) => years[i]!, 4);
  assert.deepEqual(
    windows.map((w) => [...w]),
    [
      [1, 3, 6, 4],
      [6, 4, 7, 5],
      [7, 5, 0, 2],
    ],
  );
  // A window weighs what its whole key does.
  const index = buildBlockIndex(8, windows, undefined, [8, 8, 8]);
  assert.equal(index.blockWeight[0], index.blockWeight[2]);
  assert.ok(index.blockWeight[0]! < buildBlockIndex(8, windows).blockWeight[0]!);
});
