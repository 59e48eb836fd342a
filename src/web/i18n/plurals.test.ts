/**
 * Plural forms (issue 20): a count shown beside a noun takes the noun's form for that count —
 * English one/other, Arabic's six (zero, one, two, few, many, other) — chosen by i18next from
 * `count`. Each plural key has all its forms in both catalogues, no English sentence puts a
 * count before a plural noun outside a plural key, and the Arabic forms come out right for
 * 0, 1, 2, 3, 11 and 100.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import i18next from 'i18next';
import { ar } from './ar.js';
import { en } from './en.js';

type Tree = { [k: string]: string | Tree };
function flatten(t: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(t)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}
const enFlat = flatten(en as unknown as Tree);
const arFlat = flatten(ar as unknown as Tree);
const arabicForms = ['zero', 'one', 'two', 'few', 'many', 'other'];

test('each plural key has English one and other, and Arabic’s six forms in Arabic', () => {
  const plural = [...enFlat.keys()].filter((k) => k.endsWith('_other')).map((k) => k.slice(0, -'_other'.length));
  assert.ok(plural.length >= 15, `${plural.length} plural keys`);
  for (const base of plural) {
    assert.ok(enFlat.get(`${base}_one`), `en: ${base}_one`);
    for (const f of arabicForms) {
      const text = arFlat.get(`${base}_${f}`);
      assert.ok(text && /[\u0600-\u06FF]/.test(text), `ar: ${base}_${f}`);
    }
  }
});

test('no English sentence puts a count before a plural noun outside a plural key', () => {
  const countBeforeNoun =
    /\{\{(n|count|rows|capacity|total)\}\} (seats|places|people|persons|members|rows|households|tags|sites|registrations|requests|convoys|vehicles)\b/;
  const offenders = [...enFlat].filter(([k, v]) => countBeforeNoun.test(v) && !/_(one|other)$/.test(k)).map(([k]) => k);
  assert.deepEqual(offenders, []);
});

test('the Arabic forms come out for 0, 1, 2, 3, 11 and 100, with the numbers as given', async () => {
  const i = i18next.createInstance();
  await i.init({ resources: { en: { translation: en }, ar: { translation: ar } }, lng: 'ar', interpolation: { escapeValue: false } });
  const seats = (count: number) => i.t('convoys.occupancy', { n: '٠', capacity: String(count), count });
  assert.equal(seats(1), '٠ من مقعد واحد');
  assert.equal(seats(2), '٠ من مقعدين');
  assert.equal(seats(3), '٠ من 3 مقاعد');
  assert.equal(seats(11), '٠ من 11 مقعدًا');
  assert.equal(seats(100), '٠ من 100 مقعد');
  assert.equal(i.t('reception.overflowRoom', { site: 'الراشدين', n: '0', count: 0 }), 'الراشدين: لا مكان شاغر');
  assert.equal(i.t('importDesk.import', { count: 2 }), 'استيراد أسرتين');
  const enT = i.getFixedT('en');
  assert.equal(enT('convoys.occupancy', { n: '0', capacity: '1', count: 1 }), '0 of 1 seat');
  assert.equal(enT('convoys.occupancy', { n: '0', capacity: '3', count: 3 }), '0 of 3 seats');
  assert.equal(enT('tracing.news', { count: 1 }).startsWith('1 request has news'), true);
});
