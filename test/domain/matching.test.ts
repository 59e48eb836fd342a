import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_MODEL,
  findCandidatePairs,
  jaroWinkler,
  levenshtein,
  matchPair,
  matchRecords,
  recordKeys,
} from '../../src/domain/matching/index.js';
import type { MatchRecord } from '../../src/domain/matching/index.js';

const ahmadAr: MatchRecord = { id: 'a', given: 'أحمد', father: 'محمد', grandfather: 'حسن', family: 'الحلبي', sex: 'ذكر', birthYear: 1980 };
const ahmadLat: MatchRecord = { id: 'b', given: 'Ahmad', father: 'Mohamad', family: 'al-Halabi', sex: 'm', birthYear: 1981 };
const brother: MatchRecord = {
  id: 'c',
  given: 'Omar',
  father: 'Mohammed',
  grandfather: 'Hassan',
  family: 'Halabi',
  sex: 'm',
  birthYear: 1986,
};

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
  const swapped: MatchRecord = {
    id: 'd',
    given: 'Mohammed',
    father: 'Ahmad',
    grandfather: 'Hassan',
    family: 'Halabi',
    sex: 'm',
    birthYear: 1980,
  };
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
    ahmadAr,
    ahmadLat,
    brother,
    { id: 'f1', given: 'فاطمة', father: 'يوسف', grandfather: 'علي', family: 'الشامي', sex: 'f', birthYear: 1990 },
    { id: 'f2', given: 'Fatima', father: 'Youssef', grandfather: 'Ali', family: 'ash-Shami', sex: 'f', birthYear: 1990 },
    { id: 'f3', given: 'Rima', father: 'Youssef', grandfather: 'Ali', family: 'ash-Shami', sex: 'f', birthYear: 1994 },
  ];
  const out = matchRecords(people, { estimate: false });
  const links = out.results
    .filter((r) => r.decision === 'link')
    .map((r) => [r.idA, r.idB].sort().join('-'))
    .sort();
  assert.deepEqual(links, ['a-b', 'f1-f2']);
});

test('every explanation line carries a stable code beside its English level', () => {
  const r = matchPair(ahmadAr, ahmadLat);
  for (const e of r.explanation) assert.match(e.code ?? '', /^[a-z0-9_:]+$/, JSON.stringify(e));
  assert.equal(r.explanation.find((e) => e.field === 'given')?.code, 'phonetic:lineage_agrees');
  assert.equal(r.explanation.find((e) => e.field === 'sex')?.code, 'agree');
  assert.equal(matchPair({ ...ahmadLat, sex: 'unknown' }, ahmadAr).explanation.find((e) => e.field === 'sex')?.code, 'missing');
});

test('a family name written with and without the article before و or ي agrees', () => {
  const a: MatchRecord = { id: 'x', given: 'رزان', father: 'رامي', family: 'اليوسف' };
  const b: MatchRecord = { id: 'y', given: 'رزان', father: 'رامي', family: 'يوسف' };
  assert.match(matchPair(a, b).explanation.find((e) => e.field === 'lineage')?.detail ?? '', /family exact/);
});

test('two common Arabic names one edit apart are another name, a rare form one edit away is a typo', () => {
  // عبيدة and عماد share the skeleton consonants but one; both are common names.
  const base = { father: 'محمد', grandfather: 'علي', family: 'الخطيب', sex: 'm', birthYear: 2001 };
  const a: MatchRecord = { id: 'x', given: 'عبيدة', ...base };
  const b: MatchRecord = { id: 'y', given: 'عماد', ...base };
  assert.equal(matchPair(a, b).explanation.find((e) => e.field === 'given')?.code, 'other_known_name:lineage_agrees');
  const typo: MatchRecord = { id: 'z', given: 'محمج', ...base };
  const right: MatchRecord = { id: 'w', given: 'محمد', ...base };
  assert.equal(matchPair(typo, right).explanation.find((e) => e.field === 'given')?.code, 'typo:lineage_agrees');
});

test('an agreeing rare given name weighs more than an agreeing very common one', () => {
  const rest = { father: 'Ahmad', grandfather: 'Ali', family: 'al-Halabi', sex: 'm', birthYear: 1990 };
  const common = matchPair({ id: 'a', given: 'Mohammed', ...rest }, { id: 'b', given: 'محمد', ...rest });
  const rare = matchPair({ id: 'c', given: 'Shawqi', ...rest }, { id: 'd', given: 'شوقي', ...rest });
  const w = (r: typeof common) => r.explanation.find((e) => e.field === 'givenFrequency')?.weight ?? 0;
  assert.ok(w(rare) > w(common), `${w(rare)} > ${w(common)}`);
});

test('with field kinds known, a date with one wrong part and an e-mail with a typo still share a key', () => {
  const kinds = { dob: 'date', email: 'text' } as const;
  const a: MatchRecord = { id: 'a', given: 'Theodore', extra: { dob: '1978-09-19', email: 't.m39@brooks-sawyer.com' } };
  const b: MatchRecord = { id: 'b', given: 'eTheodroe', extra: { dob: '1978-08-19', email: 't.m39@brooks-sawer.com' } };
  const shared = (x: string[], y: string[]) => x.filter((k) => y.includes(k));
  assert.deepEqual(shared(recordKeys(a), recordKeys(b)), []);
  const both = shared(recordKeys(a, kinds), recordKeys(b, kinds));
  assert.ok(both.includes('x.dob.yd:197819') && both.includes('x.email.w:brooks'), both.join(' '));
});

test('letters swapped by a keystroke are a typo even where the skeleton stays; two common Arabic names one letter apart are not', () => {
  const given = (x: string, y: string) =>
    matchPair({ id: 'x', given: x, family: 'Halabi' }, { id: 'y', given: y, family: 'Halabi' }).explanation.find((e) => e.field === 'given')
      ?.code;
  assert.equal(given('Khalid', 'Khlaid'), 'typo');
  // Unless the swapped spelling still reads as the same common Arabic name (لبنى): then it is one name.
  assert.equal(given('Lubna', 'Lbuna'), 'phonetic');
  // Two common Arabic-script names with one skeleton are two names, not two spellings.
  assert.equal(given('محمد', 'محمود'), 'other_known_name');
});

test('a Latin spelling beside another Arabic name with the same consonants is not phonetic', () => {
  const given = (x: string, y: string) =>
    matchPair({ id: 'x', given: x, family: 'العلي' }, { id: 'y', given: y, family: 'al-Ali' }).explanation.find((e) => e.field === 'given')
      ?.code;
  assert.equal(given('مريم', 'Maryam'), 'phonetic');
  // Maryam reads as مريم, which is a common name of its own: another known name.
  assert.equal(given('مرام', 'Maryam'), 'other_known_name');
});

test('transliteration habits the skeleton cannot take agree across scripts only', () => {
  const given = (x: string, y: string) =>
    matchPair({ id: 'x', given: x, family: 'Halabi' }, { id: 'y', given: y, family: 'الحلبي' }).explanation.find((e) => e.field === 'given')
      ?.code;
  for (const [lat, ar] of [
    ['Ahmet', 'أحمد'],
    ['Hayat', 'حياة'],
    ['Farah', 'فرح'],
    ['Moaz', 'معاذ'],
    ['Osman', 'عثمان'],
  ] as const)
    assert.equal(given(lat, ar), 'phonetic', `${lat} / ${ar}`);
  // Within one script the extra skeletons do not hold: ذكي (Dhaki) and زكي (Zaki) are two names.
  const same = matchPair({ id: 'x', given: 'ذكي', family: 'الحلبي' }, { id: 'y', given: 'زكي', family: 'الحلبي' }).explanation.find(
    (e) => e.field === 'given',
  )?.code;
  assert.notEqual(same, 'phonetic');
});

test('a Turkish final t agrees with d between two Latin spellings too', () => {
  const r = matchPair({ id: 'x', given: 'Ahmet', family: 'Halabi' }, { id: 'y', given: 'Ahmed', family: 'Halabi' });
  assert.match(r.explanation.find((e) => e.field === 'given')?.code ?? '', /^(phonetic|typo)$/);
});

test('swapped letters, an e-mail local part and a first letter with the year of birth are batch keys', () => {
  const kinds = { dob: 'date', email: 'text' } as const;
  const has = (a: MatchRecord, b: MatchRecord, key: string) => recordKeys(a, kinds).includes(key) && recordKeys(b, kinds).includes(key);
  assert.ok(has({ id: 'a', family: 'Williams' }, { id: 'b', family: 'Williasm' }, 'anagram:aiilmsw'));
  assert.ok(has({ id: 'a', extra: { email: 'e.e@day.com' } }, { id: 'b', extra: { email: 'e.e@ay.cod' } }, 'x.email.local:e.e'));
  assert.ok(
    has(
      { id: 'a', given: 'Lucas', extra: { dob: '1991-04-05' } },
      { id: 'b', given: 'Luas', extra: { dob: '1991-05-06' } },
      'initial:l|1991',
    ),
  );
});

test('an Arabic family name with a keystroke on its article is a typo of the Latin one', () => {
  for (const [lat, ar] of [
    ['al-Qassab', 'ارقصاب'],
    ['al-Halabi', 'ارحلبي'],
  ]) {
    const r = matchPair({ id: 'a', given: 'Khalid', father: 'Omar', family: lat }, { id: 'b', given: 'خالد', father: 'عمر', family: ar });
    assert.equal(r.explanation.find((e) => e.field === 'lineage')?.code, 'agree_2_close_0_differ_0', `${lat} / ${ar}`);
  }
});

test('a name one typed letter off, a date a few weeks off and a name in an e-mail address share a batch key', () => {
  const kinds = { dob: 'date', email: 'text' } as const;
  const shared = (a: MatchRecord, b: MatchRecord) => recordKeys(a, kinds).filter((k) => recordKeys(b, kinds).includes(k));
  // A letter typed twice and two swapped (JkJcason), a letter dropped at the end (Harppe): no skeleton or anagram in common.
  assert.ok(shared({ id: 'a', given: 'JkJcason' }, { id: 'b', given: 'Jackson', family: 'Lee' }).some((k) => k.startsWith('anagram-1:')));
  assert.ok(
    shared({ id: 'a', family: 'Harppe' }, { id: 'b', given: 'Charlotte', family: 'Harper' }).some((k) => k.startsWith('anagram-1:')),
  );
  // Thirty days apart: month and day both differ.
  assert.ok(
    shared({ id: 'a', extra: { dob: '1978-08-19' } }, { id: 'b', extra: { dob: '1978-09-18' } }).some((k) => k.startsWith('x.dob.near')),
  );
  assert.ok(shared({ id: 'a', extra: { email: 'j.fisher4@sullivan.com' } }, { id: 'b', given: 'Fisher', family: 'Jackson' }).length > 0);
  // Not between two distinct names of a long chain, whose pair keys already carry one typo.
  const chain = (given: string): MatchRecord => ({ id: given, given, father: 'Ahmad', grandfather: 'Ali', family: 'Halabi' });
  assert.deepEqual(
    shared(chain('Hasan'), chain('Hanan')).filter((k) => k.startsWith('anagram') && !k.endsWith('aabhil')),
    [],
  );
});

test('siblings of one household registration are never sent to review; the same pair from two registrations may be', () => {
  const sister: MatchRecord = {
    id: 's1',
    given: 'Rasha',
    father: 'Ahmad',
    grandfather: 'Hassan',
    family: 'Halabi',
    sex: 'f',
    birthYear: 2006,
    householdId: 'H1',
  };
  const other: MatchRecord = {
    id: 's2',
    given: 'Rola',
    father: 'Ahmad',
    grandfather: 'Hassan',
    family: 'Halabi',
    sex: 'f',
    birthYear: 2008,
    householdId: 'H1',
  };
  const apart = matchPair(sister, { ...other, householdId: 'H2' });
  assert.equal(apart.decision, 'review', `the model itself proposes this pair: ${JSON.stringify(apart.explanation)}`);
  assert.equal(matchPair(sister, other).decision, 'none');
  // Entered twice in one registration: strong enough to link, so still proposed.
  assert.equal(matchPair(sister, { ...sister, id: 's3' }).decision, 'link');
});
