import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchPair, matchRecords } from '../../src/domain/matching/index.js';
import type { MatchRecord } from '../../src/domain/matching/index.js';

const givenCode = (x: string, y: string) =>
  matchPair({ id: 'x', given: x, family: 'Halabi' }, { id: 'y', given: y, family: 'Halabi' }).explanation.find((e) => e.field === 'given')
    ?.code;

test('two spellings that read as two different common Arabic names are another known name, not one edit', () => {
  // Sisters and cousins' fathers: Rasha (رشا) and Rola (رولا), Imran (عمران) beside عمر.
  // (Their two-consonant skeletons rx/rl are short enough to disagree outright: compare-names.ts, SHORT_SKELETON.)
  assert.ok(['other_known_name', 'disagree'].includes(givenCode('Rasha', 'Rola') ?? ''));
  assert.equal(givenCode('Imran', 'عمر'), 'other_known_name');
  // Ahmet is read as Ahmed through its Turkish final t, and so is not Mohammed.
  assert.equal(givenCode('Ahmet', 'محمد'), 'other_known_name');
});

test('a spelling that reads as no common name stays a near spelling: a typo leaves a rare form', () => {
  assert.equal(givenCode('Osnan', 'عثمان'), 'one_edit');
});

test('two Latin spellings with different vowel patterns that read as the same Arabic name are phonetic', () => {
  assert.equal(givenCode('Fatima', 'Fatme'), 'phonetic');
  // Two names the vowel pattern tells apart stay apart.
  assert.equal(givenCode('Mohammed', 'Mahmoud'), 'spelling_differs');
});

test('an Arabic spelling one keystroke from the common name a Latin spelling writes is a typo of it', () => {
  // لعي is no common name, one swap from علي, which Ali writes.
  assert.equal(givenCode('Ali', 'لعي'), 'typo');
  // Beside another common name one letter away it is another name: Soha (سهى) beside نهى.
  assert.equal(givenCode('Soha', 'نهى'), 'other_known_name');
});

test('a boy named after his grandfather on both sides is weighed as cousins are: less than the given name alone says', () => {
  const boy: MatchRecord = {
    id: 'a',
    given: 'Said',
    father: 'Mousa',
    grandfather: 'Said',
    family: 'al-Suleiman',
    sex: 'm',
    birthYear: 2011,
  };
  const cousin: MatchRecord = { id: 'b', given: 'Said', grandfather: 'Said', family: 'al-Suleiman', sex: 'm', birthYear: 2011 };
  const named = matchPair(boy, cousin).explanation.find((e) => e.field === 'namedAfterGrandfather');
  assert.equal(named?.code, 'named_after_grandfather:lineage_agrees');
  assert.ok((named?.weight ?? 0) < 0);
  const other = matchPair({ ...boy, grandfather: 'Khalil' }, { ...cousin, grandfather: 'Khalil' }).explanation.find(
    (e) => e.field === 'namedAfterGrandfather',
  );
  assert.equal(other?.code, 'not_named_after_grandfather:lineage_agrees');
  assert.ok((other?.weight ?? 0) > (named?.weight ?? 0));
});

test('a final ي may be written for an alif maqsura: Mustafa beside مصطفي is phonetic', () => {
  assert.equal(givenCode('Mustafa', 'مصطفي'), 'phonetic');
});

test('the birth year is weighed jointly with the lineage class, and the lines still add up to the score', () => {
  const a: MatchRecord = { id: 'a', given: 'Huda', father: 'Yasser', grandfather: 'Shawqi', family: 'Hanano', sex: 'f', birthYear: 1997 };
  const sister: MatchRecord = { ...a, id: 'b', given: 'Badia', birthYear: 1995 };
  const r = matchPair(a, sister);
  const year = r.explanation.find((e) => e.field === 'birthYear');
  assert.equal(year?.code, 'within_2:lineage_agrees');
  const prior = r.weight - r.explanation.reduce((s, e) => s + e.weight, 0);
  assert.ok(
    Math.abs(matchPair(a, { ...a, id: 'c' }).explanation.reduce((s, e) => s + e.weight, prior) - matchPair(a, { ...a, id: 'c' }).weight) <
      0.05,
  );
});

/** A batch of 1,200 records with distinct chains, and `n` unrelated men sharing one chain with different grandfathers. */
function batchWithCommonChain(n: number): MatchRecord[] {
  const syllables = ['ba', 'ka', 'ta', 'ra', 'sa', 'la', 'ma', 'na', 'da', 'fa', 'ha', 'za'];
  const name = (i: number, salt: number) =>
    `${syllables[i % 12]}${syllables[Math.floor(i / 12) % 12]}${syllables[(Math.floor(i / 144) + salt) % 12]}r`;
  const out: MatchRecord[] = [];
  for (let i = 0; i < 1200; i++)
    out.push({
      id: `f${i}`,
      given: name(i, 0),
      father: name(i, 3),
      grandfather: name(i, 5),
      family: name(i, 7),
      sex: 'm',
      birthYear: 1950 + (i % 50),
    });
  const grandfathers = ['Khalil', 'Yasin', 'Saleh', 'Omar', 'Bakr', 'Hamza', 'Taha', 'Yahya', 'Anas', 'Bilal', 'Nabil', 'Fadi'];
  // Every other one without his grandfather, as registrations often are.
  for (let i = 0; i < n; i++)
    out.push({
      id: `c${i}`,
      given: 'Mohammed',
      father: 'Ahmad',
      grandfather: i % 2 === 0 ? (grandfathers[i % grandfathers.length] as string) : '',
      family: 'al-Ali',
      sex: 'm',
      birthYear: 1980 + (i % 2),
    });
  // One man registered twice, with his grandfather.
  out.push({ id: 'd1', given: 'Mohammed', father: 'Ahmad', grandfather: 'Qasim', family: 'al-Ali', sex: 'm', birthYear: 1980 });
  out.push({ id: 'd2', given: 'محمد', father: 'أحمد', grandfather: 'قاسم', family: 'العلي', sex: 'm', birthYear: 1980 });
  return out;
}

test('a name chain carried by many records counts less than one carried by one man’s records', () => {
  const out = matchRecords(batchWithCommonChain(12), { estimate: false, transitive: false });
  const find = (x: string, y: string) => out.results.find((r) => (r.idA === x && r.idB === y) || (r.idA === y && r.idB === x));
  const chainOf = (x: string, y: string) => find(x, y)?.explanation.find((e) => e.field === 'chainFrequency');
  // Strangers sharing the chain, grandfather missing on one side: the common chain speaks against them.
  const strangers = chainOf('c0', 'c1');
  assert.equal(strangers?.code, 'chain_10_plus');
  assert.ok((strangers?.weight ?? 0) < 0);
  // The same man in two scripts shares his grandfather too: the full chain is his alone.
  const same = find('d1', 'd2');
  assert.equal(same?.explanation.find((e) => e.field === 'chainFrequency')?.code, 'chain_1_2');
  assert.equal(same?.decision, 'link');
});

test('a common chain counts as common for a pair that shares it only once realigned', () => {
  const batch = batchWithCommonChain(12);
  // A stranger with the common chain, his family name written in the grandfather's field.
  batch.push({ id: 'r1', given: 'Mohammed', father: 'Ahmad', grandfather: 'al-Ali', family: '', sex: 'm', birthYear: 1981 });
  const out = matchRecords(batch, { estimate: false, transitive: false });
  const pair = out.results.find((r) => [r.idA, r.idB].sort().join() === 'c0,r1');
  assert.equal(pair?.explanation.find((e) => e.field === 'order')?.code, 'realigned');
  assert.equal(pair?.explanation.find((e) => e.field === 'chainFrequency')?.code, 'chain_10_plus');
});

test('in a batch, a Latin spelling that writes no name, one keystroke from the batch’s spelling of a name, is a typo of it', () => {
  const out = matchRecords(
    [
      { id: 'a', given: 'Lagla', father: 'Khalil', family: 'Halabi', sex: 'f', birthYear: 1990 },
      { id: 'b', given: 'Layla', father: 'Khalil', family: 'Halabi', sex: 'f', birthYear: 1990 },
      { id: 'c', given: 'ليلى', father: 'خليل', family: 'الحلبي', sex: 'f', birthYear: 1990 },
    ],
    { estimate: false, transitive: false },
  );
  const givenOf = (x: string, y: string) =>
    out.results
      .find((r) => [r.idA, r.idB].sort().join() === `${x},${y}`)
      ?.explanation.find((e) => e.field === 'given')
      ?.code?.split(':')[0];
  // Lagla reads as no common name; Layla, in the batch, writes ليلى.
  assert.equal(givenOf('a', 'b'), 'typo');
  assert.equal(givenOf('a', 'c'), 'typo');
});

test('آلاء keeps its ال: it is Alaa, not an article; beside علاء it is another known name', () => {
  assert.equal(givenCode('Alaa', 'آلاء'), 'phonetic');
  assert.equal(givenCode('Alaa', 'علاء'), 'phonetic');
  assert.equal(givenCode('آلاء', 'علاء'), 'other_known_name');
});

test('compounds the Latin normaliser splits or misreads still meet their Arabic and Latin spellings', () => {
  // Abdullah written without its final h.
  assert.equal(givenCode('Abdulla', 'Abdullah'), 'exact');
  assert.equal(givenCode('Abdulla', 'عبد الله'), 'phonetic');
  // After عبد the ال is the article even before و, which Latin drops.
  assert.equal(givenCode('Abdul Wahab', 'عبد الوهاب'), 'phonetic');
  assert.equal(givenCode('Abd al-Wahhab', 'عبد الوهاب'), 'phonetic');
  // The article and Din as a word of their own.
  assert.equal(givenCode('Nour Eddin', 'Noureddine'), 'phonetic');
  assert.equal(givenCode('Nour Eddin', 'نور الدين'), 'phonetic');
  // Fused, Alaeddine is Alaa + al-Din, not the article before Eddine.
  assert.equal(givenCode('Alaeddine', 'علاء الدين'), 'phonetic');
  assert.equal(givenCode('Alaa Eddin', 'علاء الدين'), 'phonetic');
  // Two different compounds stay apart.
  assert.equal(givenCode('Abdul Wahab', 'عبد الله'), 'disagree');
});
