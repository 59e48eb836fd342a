/**
 * An explanation line that weighs against a pair only because a lineage part is not known on
 * one side reads "missing on one side", never "two different people"; a real difference keeps
 * the old words. Checked in both languages through the catalogues.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import i18next from 'i18next';
import { ar } from '../i18n/ar.js';
import { en } from '../i18n/en.js';
import { weightKey } from './match-weight.js';

async function words(lng: 'en' | 'ar') {
  const i = i18next.createInstance();
  await i.init({ resources: { ar: { translation: ar }, en: { translation: en } }, lng, interpolation: { escapeValue: false } });
  const t = i.getFixedT(lng);
  return (e: { weight: number; code?: string }) => t(`match.weight.${weightKey(e)}`);
}

test('a lineage part missing on one side says so and does not claim two different people', async () => {
  const say = await words('en');
  // Father and grandfather not known on one side, the family name the same.
  const slight = say({ weight: -1.2, code: 'agree_1_close_0_differ_0' });
  assert.match(slight, /missing on one side/);
  assert.match(slight, /proves nothing/);
  assert.match(slight, /slightly against/);
  assert.doesNotMatch(slight, /two different people/);
  const strong = say({ weight: -2.6, code: 'agree_2_close_0_differ_0' });
  assert.match(strong, /missing on one side/);
  assert.doesNotMatch(strong, /two different people/);
  // The given name joined with a lineage missing on one side.
  assert.match(say({ weight: -0.9, code: 'exact:lineage_missing' }), /missing on one side/);
  const sayAr = await words('ar');
  const arabic = sayAr({ weight: -1.2, code: 'agree_1_close_0_differ_0' });
  assert.match(arabic, /ناقص في أحد السجلّين/);
  assert.doesNotMatch(arabic, /شخصان مختلفان/);
});

test('a part that really differs keeps "two different people", and a missing part that weighs nothing is neutral', async () => {
  const say = await words('en');
  assert.equal(say({ weight: -1.2, code: 'agree_1_close_0_differ_1' }), en.match.weight.against);
  assert.equal(say({ weight: -3, code: 'agree_0_close_0_differ_3' }), en.match.weight.strongAgainst);
  assert.equal(say({ weight: -1.5, code: 'disagree:lineage_missing' }), en.match.weight.against);
  assert.equal(say({ weight: -1.5, code: 'exact:lineage_differs' }), en.match.weight.against);
  assert.equal(say({ weight: -1.5 }), en.match.weight.against);
  assert.equal(say({ weight: 0, code: 'missing' }), en.match.weight.neutral);
  assert.equal(say({ weight: 1.5, code: 'agree_1_close_0_differ_0' }), en.match.weight.for);
  const sayAr = await words('ar');
  assert.equal(sayAr({ weight: -1.2, code: 'agree_1_close_0_differ_1' }), ar.match.weight.against);
});

test('the record shape\'s calibration line says the estimate was lowered or raised, never "two different people"', async () => {
  for (const lng of ['en', 'ar'] as const) {
    const i = i18next.createInstance();
    await i.init({ resources: { ar: { translation: ar }, en: { translation: en } }, lng, interpolation: { escapeValue: false } });
    const t = i.getFixedT(lng);
    const say = (e: { field: string; weight: number; code?: string }) => t(`match.weight.${weightKey(e)}`);
    const lowered = say({ field: 'calibration', weight: -1.4, code: 'one_short' });
    assert.match(lowered, lng === 'en' ? /estimate is lowered/ : /يُخفَّض التقدير/);
    assert.doesNotMatch(lowered, lng === 'en' ? /two different people/ : /شخصان مختلفان/);
    assert.match(say({ field: 'calibration', weight: 0.9, code: 'one_short' }), lng === 'en' ? /estimate is raised/ : /يُرفع التقدير/);
    assert.equal(say({ field: 'calibration', weight: 0.1, code: 'one_short' }), t('match.weight.neutral'));
    // Any other field with the same weight keeps its words.
    assert.equal(say({ field: 'family', weight: -1.4, code: 'disagree' }), t('match.weight.against'));
  }
});
