import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MODEL, findCandidatePairs, jaroWinkler, levenshtein, matchPair, matchRecords, recordKeys } from '../../src/domain/matching/index.js';
import type { MatchRecord } from '../../src/domain/matching/index.js';

const ahmadAr: MatchRecord = { id: 'a', given: 'أحمد', father: 'محمد', grandfather: 'حسن', family: 'الحلبي', sex: 'ذكر', birthYear: 1980 };
const ahmadLat: MatchRecord = { id: 'b', given: 'Ahmad', father: 'Mohamad', family: 'al-Halabi', sex: 'm', birthYear: 1981 };
const brother: MatchRecord = { id: 'c', given: 'Omar', father: 'Mohammed', grandfather: 'Hassan', family: 'Halabi', sex: 'm', birthYear: 1986 };

test('string distances give the textbook values', () => {
  assert.ok(Math.abs(jaroWinkler('martha', 'marhta') - 0.961) < 0.001);
  assert.equal(levenshtein('kitten', 'sitting'), 3);
  assert.equal(levenshtein('kitten', 'sitting', 1), 2);
});

test('the same person in Arabic and Latin script is linked, with an explanation per field', () => {
  const r = matchPair(ahmadAr, ahmadLat);
  assert.equal(r.decision, 'link');
  const given = r.explanation.find((e) => e.field === 'given');
  assert.match(given?.level ?? '', /^phonetic/);
  assert.ok((given?.weight ?? 0) > 0);
  const lineage = r.explanation.find((e) => e.field === 'lineage');
  assert.match(lineage?.detail ?? '', /grandfather missing/);
  const prior = Math.log2(DEFAULT_MODEL.lambda / (1 - DEFAULT_MODEL.lambda));
  const total = r.explanation.reduce((s, e) => s + e.weight, prior);
  assert.ok(Math.abs(total - r.weight) < 0.05, 'prior plus field weights should make the score');
});

test('a brother sharing father, grandfather and family name is not linked', () => {
  const r = matchPair(ahmadAr, brother);
  assert.equal(r.decision === 'link', false, JSON.stringify(r.explanation));
  assert.match(r.explanation.find((e) => e.field === 'given')?.level ?? '', /^disagree/);
});

test("given and father's names typed into each other's fields are compared realigned", () => {
  const swapped: MatchRecord = { id: 'd', given: 'Mohammed', father: 'Ahmad', grandfather: 'Hassan', family: 'Halabi', sex: 'm', birthYear: 1980 };
  const r = matchPair(ahmadAr, swapped);
  assert.equal(r.explanation.find((e) => e.field === 'order')?.level, 'realigned');
  assert.match(r.explanation.find((e) => e.field === 'given')?.level ?? '', /^phonetic/);
  assert.equal(r.decision === 'none', false, JSON.stringify(r.explanation));
});

test('Latin spellings of Mohammed and Mahmoud share a skeleton but not a vowel pattern', () => {
  const a: MatchRecord = { id: 'x', given: 'Mohammed', family: 'Halabi' };
  const b: MatchRecord = { id: 'y', given: 'Mahmoud', family: 'Halabi' };
  const c: MatchRecord = { id: 'z', given: 'Muhammad', family: 'Halabi' };
  assert.match(matchPair(a, b).explanation.find((e) => e.field === 'given')?.level ?? '', /^spelling differs/);
  assert.match(matchPair(a, c).explanation.find((e) => e.field === 'given')?.level ?? '', /^phonetic/);
});

test('an unknown sex is missing, not a disagreement', () => {
  const r = matchPair({ ...ahmadLat, sex: 'unknown' }, ahmadAr);
  assert.equal(r.explanation.find((e) => e.field === 'sex')?.level, 'missing');
});

test('Arabic spellings that the skeleton merges are not counted as the same name', () => {
  const a: MatchRecord = { id: 'x', given: 'محمد', family: 'الحلبي' };
  const b: MatchRecord = { id: 'y', given: 'محمود', family: 'الحلبي' };
  assert.doesNotMatch(matchPair(a, b).explanation.find((e) => e.field === 'given')?.level ?? '', /^phonetic|^exact/);
});

test('blocking finds pairs that share any key and keeps only cross-file pairs when linking', () => {
  const recs = [ahmadAr, ahmadLat, brother, { id: 'z', given: 'Zainab', family: 'Qasim' }];
  const { pairs } = findCandidatePairs(recs, recordKeys);
  const ids = pairs.map(([i, j]) => `${recs[i]?.id}${recs[j]?.id}`);
  assert.ok(ids.includes('ab'));
  assert.ok(!ids.some((p) => p.includes('z')));
  const cross = findCandidatePairs(recs, recordKeys, { sourceOf: (i) => (i < 2 ? 'A' : 'B') });
  assert.ok(cross.pairs.every(([i, j]) => i < 2 && j >= 2));
});

test('a batch run links the duplicates of a small file and leaves the others', () => {
  const people: MatchRecord[] = [
    ahmadAr, ahmadLat, brother,
    { id: 'f1', given: 'فاطمة', father: 'يوسف', grandfather: 'علي', family: 'الشامي', sex: 'f', birthYear: 1990 },
    { id: 'f2', given: 'Fatima', father: 'Youssef', grandfather: 'Ali', family: 'ash-Shami', sex: 'f', birthYear: 1990 },
    { id: 'f3', given: 'Rima', father: 'Youssef', grandfather: 'Ali', family: 'ash-Shami', sex: 'f', birthYear: 1994 },
  ];
  const out = matchRecords(people, { estimate: false });
  const links = out.results.filter((r) => r.decision === 'link').map((r) => [r.idA, r.idB].sort().join('-')).sort();
  assert.deepEqual(links, ['a-b', 'f1-f2']);
});
