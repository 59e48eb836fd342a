import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockingKeys, normaliseArabic, normaliseLatin, searchKeys, skeleton } from '../../src/domain/names/index.js';

function sameSkeleton(names: string[]): void {
  const first = skeleton(names[0] as string);
  for (const n of names) assert.equal(skeleton(n), first, `${n} → ${skeleton(n)} differs from ${names[0]} → ${first}`);
}

test('Arabic normalisation removes diacritics and tatweel and unifies letter forms', () => {
  assert.equal(normaliseArabic('مُحَمَّد'), 'محمد');
  assert.equal(normaliseArabic('محـــمد'), 'محمد');
  assert.equal(normaliseArabic('أحمد'), 'احمد');
  assert.equal(normaliseArabic('إسماعيل'), 'اسماعيل');
  assert.equal(normaliseArabic('فاطمة'), 'فاطمه');
  assert.equal(normaliseArabic('مصطفى'), 'مصطفي');
  assert.equal(normaliseArabic('رؤوف'), 'رووف');
  assert.equal(normaliseArabic('هانئ'), 'هاني');
  assert.equal(normaliseArabic('کریم'), 'كريم');
  assert.equal(normaliseArabic('١٩٨٥'), '1985');
});

test('Arabic compounds are written one way whatever the spacing', () => {
  assert.equal(normaliseArabic('عبد الرحمن'), normaliseArabic('عبدالرحمن'));
  assert.equal(normaliseArabic('أبو بكر'), normaliseArabic('ابوبكر'));
  assert.equal(normaliseArabic('محمد بن علي'), 'محمد علي');
});

test('Latin normalisation folds case, accents, ayn marks, articles and compounds', () => {
  assert.equal(normaliseLatin('ʿAlī'), 'ali');
  assert.equal(normaliseLatin("Sa'id"), 'said');
  assert.equal(normaliseLatin('Abd al-Rahman'), 'abdulrahman');
  assert.equal(normaliseLatin('Abdul Rahman'), 'abdulrahman');
  assert.equal(normaliseLatin('abdurrahman'), 'abdulrahman');
  assert.equal(normaliseLatin('Abdel-Rahman'), 'abdulrahman');
  assert.equal(normaliseLatin('el Hassan'), 'alhasan');
  assert.equal(normaliseLatin('ash-Shami'), 'alshami');
  assert.equal(normaliseLatin('Abou Bakr'), normaliseLatin('Abu Bakr'));
  assert.equal(normaliseLatin('Khalid bin Walid'), 'khalid walid');
});

test('the skeleton joins Arabic script with its common Latin spellings', () => {
  sameSkeleton(['محمد', 'Mohammed', 'Muhammad', 'Mohamad', 'mohamed', 'مُحَمَّد']);
  sameSkeleton(['يوسف', 'Yousef', 'Youssef', 'Yusuf', 'Youcef']);
  sameSkeleton(['عبد الرحمن', 'Abdul Rahman', 'Abdulrahman', 'Abd al-Rahman', 'عبدالرحمن']);
  sameSkeleton(['الحسن', 'al-Hasan', 'Alhassan', 'el Hassan', 'Hassan']);
  sameSkeleton(['فاطمة', 'Fatima', 'Fatimah', 'Fatma']);
  sameSkeleton(['عبدالله', 'Abdullah', 'Abdallah', 'Abd Allah']);
  sameSkeleton(['خالد', 'Khaled', 'Khalid']);
  sameSkeleton(['الشامي', 'ash-Shami', 'al-Shami', 'Chami']);
});

test('the skeleton keeps apart names that differ in a consonant', () => {
  assert.notEqual(skeleton('Jamal'), skeleton('Kamal'));
  assert.notEqual(skeleton('سعيد'), skeleton('زيد'));
  assert.notEqual(skeleton('Salim'), skeleton('Karim'));
});

test('with long vowels kept, Arabic script tells apart names the plain skeleton merges', () => {
  // The plain skeleton drops vowels, so these meet; Latin spelling cannot separate them.
  assert.equal(skeleton('محمد'), skeleton('محمود'));
  assert.notEqual(skeleton('محمد', { keepLongVowels: true }), skeleton('محمود', { keepLongVowels: true }));
  assert.notEqual(skeleton('حسن', { keepLongVowels: true }), skeleton('حسين', { keepLongVowels: true }));
  assert.equal(skeleton('مُحَمَّد', { keepLongVowels: true }), skeleton('محمد', { keepLongVowels: true }));
});

test('blocking keys survive one wrong or misplaced name part', () => {
  const a = blockingKeys({
    names: { ar: { given: 'محمد', father: 'علي', grandfather: 'حسن', family: 'الحلبي' } },
    sex: 'm',
    birthYear: 1980,
  });
  // Latin record, grandfather missing, given name misspelt.
  const b = blockingKeys({ names: { lat: { given: 'Mohamed', father: 'Aly', family: 'al-Halabi' } }, sex: 'm', birthYear: 1982 });
  // Father's name typed into the given-name field.
  const c = blockingKeys({ names: { lat: { given: 'Ali', family: 'Halabi' } }, sex: 'm' });
  const set = (ks: Array<{ kind: string; value: string }>) => new Set(ks.map((k) => `${k.kind}:${k.value}`));
  const sa = set(a);
  assert.ok(
    [...set(b)].some((k) => sa.has(k)),
    'a and b share no key',
  );
  assert.ok(
    [...set(c)].some((k) => k.startsWith('pair:') && sa.has(k)),
    'a and c share no pair key',
  );
  assert.ok(a.length >= 6);
});

test('a search for a Latin spelling produces the keys of the Arabic record', () => {
  const person = new Set(blockingKeys({ names: { ar: { given: 'محمد', family: 'الحلبي' } } }).map((k) => `${k.kind}:${k.value}`));
  for (const q of ['mohamad', 'Muhammad', 'al-Halabi', 'محمد']) {
    const keys = searchKeys(q);
    assert.ok(
      keys.some((k) => person.has(`${k.kind}:${k.value}`)),
      `search "${q}" finds nothing`,
    );
  }
  const two = searchKeys('mohamad halabi');
  assert.ok(two.some((k) => k.kind === 'pair' && person.has(`pair:${k.value}`)));
});
