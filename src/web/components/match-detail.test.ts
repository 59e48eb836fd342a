/**
 * The matcher's English notes beside an explanation read in Arabic: every kind of note the
 * matcher writes (years, name share, chain count, alignment, lineage) has Arabic words, and a
 * note it does not know is left out in Arabic rather than shown in English.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import i18next from 'i18next';
import { ar } from '../i18n/ar.js';
import { en } from '../i18n/en.js';
import { detailText } from './match-detail.js';

test('the matcher’s notes read in Arabic, and an unknown note is left out in Arabic', async () => {
  const i = i18next.createInstance();
  await i.init({ resources: { ar: { translation: ar }, en: { translation: en } }, lng: 'ar', interpolation: { escapeValue: false } });
  const num = (n: number) => new Intl.NumberFormat('ar-SY').format(n);
  const year = (n: number) => new Intl.NumberFormat('ar-SY', { useGrouping: false }).format(n);
  const t = i.getFixedT('ar');
  const notes = [
    '2017 vs 2016 (estimated)',
    '2017 vs 2017',
    '0.8 % of given names',
    '12 records carry this chain',
    'given and father swapped',
    'family in the grandfather field',
    'father missing, grandfather exact, family spelling differs',
  ];
  for (const note of notes) {
    const text = detailText(t, 'ar', note, num, year);
    assert.ok(text, note);
    assert.doesNotMatch(text, /[A-Za-z]/, `${note} → ${text}`);
  }
  assert.equal(detailText(t, 'ar', '2017 vs 2016 (estimated)', num, year), '٢٠١٧ و٢٠١٦ (تقديرًا)');
  assert.equal(detailText(t, 'ar', 'through 01ABC (probability 0.93)', num, year), undefined);
  const tEn = i.getFixedT('en');
  assert.equal(detailText(tEn, 'en', 'through 01ABC (probability 0.93)', String, String), 'through 01ABC (probability 0.93)');
  assert.equal(detailText(tEn, 'en', '2017 vs 2016 (estimated)', String, String), '2017 and 2016 (estimated)');
});
