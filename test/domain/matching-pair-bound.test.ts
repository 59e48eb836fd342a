import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareChains, compareNameValues } from '../../src/domain/matching/compare-names.js';
import { buildComparators, OPERATION_MODEL, type MatchRecord, type PreparedRecord } from '../../src/domain/matching/index.js';
import { compareVector, vectorWeight } from '../../src/domain/matching/score.js';
import { createRecordPreparer } from '../../src/domain/matching/batch.js';
import { CHAIN_ALIGNMENTS, createPairBound, NameLevelMemo } from '../../src/domain/matching/pair-bound.js';
import type { NameField } from '../../src/domain/matching/prepare.js';
import { blockingKeys } from '../../src/domain/names/index.js';
import { generateScenarioChunks } from '../../src/demo/scenario/index.js';
import { toMatchRecord } from '../../src/services/matching/candidates.js';

/** Scenario people as the batch scan reads them, and the pairs sharing a blocking key (as many as asked). */
function population(people: number, maxPairs: number) {
  const records: MatchRecord[] = [];
  const keys = new Map<string, number[]>();
  const chunks = generateScenarioChunks({ seed: 11, people: people * 2 });
  for (let step = chunks.next(); !step.done && records.length < people; step = chunks.next()) {
    for (const h of step.value.households) {
      for (const m of h.members) {
        const i = records.length;
        const birthYear = m.dateOfBirth ? Number(m.dateOfBirth.slice(0, 4)) : 2016 - (m.estimatedAge ?? 30);
        records.push(
          toMatchRecord(`p${i}`, { names: m.names, sex: m.sex, birthYear, birthYearEstimated: !m.dateOfBirth, householdId: h.id }),
        );
        for (const k of blockingKeys({ names: m.names, sex: m.sex, birthYear })) {
          const key = `${k.kind}|${k.value}`;
          keys.set(key, [...(keys.get(key) ?? []), i]);
        }
      }
    }
  }
  const pairs = new Set<string>();
  for (const members of keys.values()) {
    if (members.length > 60) continue;
    for (let x = 0; x < members.length && pairs.size < maxPairs; x++)
      for (let y = x + 1; y < members.length; y++) pairs.add(`${members[x]} ${members[y]}`);
  }
  // Strangers too: pairs sharing no key.
  for (let i = 0; i + 7 < records.length && pairs.size < maxPairs + 2000; i += 3) pairs.add(`${i} ${i + 7}`);
  // Chains written in other fields (the family name in the grandfather's field, swapped names), each beside the chain as registered.
  const at = records.length;
  const base = {
    given: ['أحمد', 'Ahmad'],
    father: ['محمد', 'Mohammed'],
    grandfather: ['علي', 'Ali'],
    family: ['الحسن', 'al-Hassan'],
    sex: 'm',
    birthYear: 1980,
  };
  records.push(
    { id: 'chain', ...base },
    { id: 'family-in-grandfather', ...base, grandfather: base.family, family: [] },
    { id: 'family-in-grandfather-no-father', ...base, father: [], grandfather: base.family, family: [] },
    { id: 'given-father-swapped', ...base, given: base.father, father: base.given },
    { id: 'father-grandfather-swapped', ...base, father: base.grandfather, grandfather: base.father, birthYear: 1981 },
    { id: 'given-family-swapped', ...base, given: base.family, family: base.given },
  );
  for (let x = at; x < records.length; x++) for (let y = at; y < records.length; y++) if (x !== y) pairs.add(`${x} ${y}`);
  const prepare = createRecordPreparer();
  const prepared = records.map((r) => prepare(r));
  return { prepared, pairs: [...pairs].map((p) => p.split(' ').map(Number) as [number, number]) };
}

const { prepared, pairs } = population(2500, 20_000);
const comparators = buildComparators({ lineage: true, sex: true, birthYear: true, origin: false, household: true, extra: {} });
const FIELDS: readonly NameField[] = ['given', 'father', 'grandfather', 'family'];

test('the memo of name levels gives what compareNameValues does, also when pairs share a slot', () => {
  for (const memo of [new NameLevelMemo(), new NameLevelMemo(3)]) {
    for (const [i, j] of pairs.slice(0, 5000)) {
      const a = prepared[i]!;
      const b = prepared[j]!;
      for (const fa of FIELDS) {
        for (const fb of FIELDS) {
          const want = compareNameValues(a.names[fa], b.names[fb]);
          assert.equal(memo.level(memo.idOf(a.names[fa]), a.names[fa], memo.idOf(b.names[fb]), b.names[fb]), want);
        }
      }
    }
  }
  // Names repeat: many look-ups are answered from the memo.
  const memo = new NameLevelMemo();
  for (const [i, j] of pairs)
    memo.level(
      memo.idOf(prepared[i]!.names.given),
      prepared[i]!.names.given,
      memo.idOf(prepared[j]!.names.given),
      prepared[j]!.names.given,
    );
  assert.ok(memo.hits > 0.3 * (memo.hits + memo.misses), `${memo.hits} hits, ${memo.misses} misses`);
});

test('the alignment compareChains chooses is always one the bound looks at for the pair', () => {
  const realigned = new Set<string>();
  for (const [i, j] of pairs) {
    const a = prepared[i]!;
    const b = prepared[j]!;
    const { levels } = compareChains(a, b);
    const found = CHAIN_ALIGNMENTS.some(
      (al) =>
        (al.when === undefined || al.when(a, b)) &&
        FIELDS.every((f, x) => levels[f] === (al.map[x] === -1 ? -1 : compareNameValues(a.names[f], b.names[FIELDS[al.map[x]!]!]))),
    );
    assert.ok(found, `levels ${JSON.stringify(levels)} of ${a.id}, ${b.id} under no known alignment`);
    if (compareChains(a, b).realigned) realigned.add(compareChains(a, b).alignment);
  }
  assert.equal(realigned.size, 4, `realignments seen: ${[...realigned].join(', ')}`);
});

// The bound is on the sum of the fields: a record shape's calibration comes after it, and the
// scan compares the bound with the lowest sum from which any shape reaches review (batch.ts).
test('the weight bound is never below the sum of the fields scorePair adds up, and mayReach answers as the bound does', () => {
  const bound = createPairBound(OPERATION_MODEL, comparators);
  assert.ok(bound !== null);
  const review = OPERATION_MODEL.thresholds.review;
  let below = 0;
  for (const [i, j] of pairs) {
    for (const [a, b] of [
      [prepared[i]!, prepared[j]!],
      [prepared[j]!, prepared[i]!],
    ] as [PreparedRecord, PreparedRecord][]) {
      const w = vectorWeight(OPERATION_MODEL, comparators, compareVector(comparators, a, b));
      const ub = bound.bound(a, b);
      assert.ok(ub >= w - 1e-9, `bound ${ub} below the weight ${w} of ${a.id}, ${b.id}`);
      // The same answer but for rounding (the scan keeps a margin of 1e-9 below review).
      for (const t of [review, review - 3, review + 3, w - 1e-6, ub - 1e-6, ub + 1e-6]) {
        if (Math.abs(ub - t) > 1e-9) assert.equal(bound.mayReach(a, b, t), ub >= t, `mayReach(${t}) of ${a.id}, ${b.id}`);
      }
      if (ub < review) below++;
    }
  }
  // It rules out most pairs, or it would be of no use.
  assert.ok(below > pairs.length, `only ${below} of ${2 * pairs.length} ruled out`);
});

test('no bound for comparators it does not know (the batch then compares every pair in full)', () => {
  assert.equal(
    createPairBound(
      OPERATION_MODEL,
      buildComparators({ lineage: false, sex: true, birthYear: true, origin: false, household: false, extra: {} }),
    ),
    null,
  );
});
