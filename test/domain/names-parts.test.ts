import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrangeNameParts, blockingKeys, normaliseArabic, normaliseLatin, skeleton, splitNameParts } from '../../src/domain/names/index.js';
import { arrangeRecordNames } from '../../src/domain/matching/arrange.js';

test('a typed value is cut into name parts, compounds kept whole', () => {
  assert.deepEqual(splitNameParts('زياد مازن العلي'), ['زياد', 'مازن', 'العلي']);
  assert.deepEqual(splitNameParts('عبد الله محمد أبو أحمد'), ['عبد الله', 'محمد', 'أبو أحمد']);
  assert.deepEqual(splitNameParts('Qasim Mohmmad Jamal Taha'), ['Qasim', 'Mohmmad', 'Jamal', 'Taha']);
  assert.deepEqual(splitNameParts('Abd al Rahman Khaled al Ali'), ['Abd al Rahman', 'Khaled', 'al Ali']);
  assert.deepEqual(splitNameParts('Abu Bakr El Hashimi'), ['Abu Bakr', 'El Hashimi']);
  assert.deepEqual(splitNameParts('Nour Eddin Fath Allah'), ['Nour Eddin', 'Fath Allah']);
  assert.deepEqual(splitNameParts('نور الدين بن خليل بن عبد السلام الشهابي'), ['نور الدين', 'خليل', 'عبد السلام', 'الشهابي']);
  assert.deepEqual(splitNameParts('Ahmad bin Hassan'), ['Ahmad', 'Hassan']);
  assert.deepEqual(splitNameParts('Haj Mahmoud Saleh'), ['Mahmoud', 'Saleh']);
  assert.deepEqual(splitNameParts('الحاج محمود'), ['محمود']);
  // A title alone is still what was typed.
  assert.deepEqual(splitNameParts('Haj'), ['Haj']);
});

test('a chain with a whole name in one box is laid out as given, father, grandfather, family', () => {
  assert.deepEqual(arrangeNameParts({ given: 'زياد مازن العلي' }), { given: 'زياد', father: 'مازن', family: 'العلي' });
  assert.deepEqual(arrangeNameParts({ family: 'Qasim Mohmmad Jamal Taha' }), {
    given: 'Qasim',
    father: 'Mohmmad',
    grandfather: 'Jamal',
    family: 'Taha',
  });
  assert.deepEqual(arrangeNameParts({ given: 'Samer Tawil' }), { given: 'Samer', family: 'Tawil' });
  // Two parts in the given box, the father's box empty.
  assert.deepEqual(arrangeNameParts({ given: 'Salah Anwar', family: 'Sukkar' }), { given: 'Salah', father: 'Anwar', family: 'Sukkar' });
  // One part per box: left as typed, compounds included.
  const typed = { given: 'Abd al-Rahman', father: 'Ali', family: 'Al Hasan' };
  assert.equal(arrangeNameParts(typed), typed);
});

test('a record keeps its Arabic and Latin chains apart when arranged', () => {
  const r = arrangeRecordNames({ id: '1', given: ['زياد مازن العلي', 'Ziad Mazen Al-Ali'] });
  assert.deepEqual(
    [r.given, r.father, r.family],
    [
      ['زياد', 'Ziad'],
      ['مازن', 'Mazen'],
      ['العلي', 'Al-Ali'],
    ],
  );
});

test('the whole name in one field gets the keys of the name typed into its boxes', () => {
  const boxed = blockingKeys({ names: { ar: { given: 'زياد', father: 'مازن', family: 'العلي' } }, sex: 'male', birthYear: 1990 });
  const whole = blockingKeys({ names: { ar: { given: 'زياد مازن العلي' } }, sex: 'male', birthYear: 1990 });
  const key = (k: { kind: string; value: string }) => `${k.kind}:${k.value}`;
  assert.deepEqual(whole.map(key).sort(), boxed.map(key).sort());
});

test('zero-width characters and bidi controls are invisible to normalisation and skeletons', () => {
  assert.equal(normaliseArabic('مح\u200Cمد'), 'محمد');
  assert.equal(normaliseArabic('\u202Bأحمد\u202C'), 'احمد');
  assert.equal(normaliseLatin('Mo\u200Bhammed\uFEFF'), normaliseLatin('Mohammed'));
  assert.equal(skeleton('\u2067Khalid\u2069'), skeleton('Khalid'));
  assert.equal(skeleton('خا\u200Dلد\u061C'), skeleton('خالد'));
});

test('a birth year typed in Arabic-Indic digits is read by the dedupe command', async () => {
  const { parseColumnMap, rowToRecord } = await import('../../src/cli/commands/dedupe.js');
  const map = parseColumnMap('id=id,given=given,birth_year=year');
  assert.equal(rowToRecord({ id: 'a', given: 'زياد', year: '١٩٨٥' }, map).birthYear, 1985);
  assert.equal(rowToRecord({ id: 'b', given: 'زياد', year: '۱۹۹۰' }, map).birthYear, 1990);
});
