/**
 * The digits numbers and dates are shown in (issue 20): each of the three styles in each language,
 * through the one formatter the app uses (`formatFor`), the age bands, and the counts i18next puts
 * into sentences; and the choice kept per account on the device.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import i18next from 'i18next';
import { westernDigits } from '../../domain/digits.js';
import { ageBandText, formatFor, localeFor } from './format.js';
import { chooseDigitStyle, digitStyle, numberingSystemOf, setDigitsUser, subscribeDigitStyle, type DigitStyle } from './digit-style.js';
import { chosenDigits } from './index.js';
import { ar } from './ar.js';
import { en } from './en.js';

const WESTERN = /^[^٠-٩۰-۹]*$/;
const INDIC = /^[^0-9]*$/;
const at = '2016-12-15T06:30:00.000Z';
const t = (lang: 'en' | 'ar') => () => (lang === 'ar' ? ar : en).ageBands.unknown;

const cases: { lang: 'en' | 'ar'; style: DigitStyle; digits: 'western' | 'indic' }[] = [
  { lang: 'en', style: 'auto', digits: 'western' },
  { lang: 'ar', style: 'auto', digits: 'indic' },
  { lang: 'en', style: 'arab', digits: 'indic' },
  { lang: 'ar', style: 'arab', digits: 'indic' },
  { lang: 'en', style: 'latn', digits: 'western' },
  { lang: 'ar', style: 'latn', digits: 'western' },
];

for (const c of cases)
  test(`${c.lang} with digits "${c.style}": numbers, dates, times, percentages and age bands in ${c.digits} digits`, () => {
    const fmt = formatFor(c.lang, c.style, 'Asia/Damascus');
    const shown = [
      fmt.number(34512),
      fmt.integer(2016),
      fmt.percent(0.5),
      fmt.dateTime(at),
      fmt.date(at),
      fmt.time(at),
      ageBandText('5-11', fmt, t(c.lang)),
      ageBandText('60+', fmt, t(c.lang)),
    ];
    for (const s of shown) {
      assert.match(s, c.digits === 'western' ? /[0-9]/ : /[٠-٩]/, `${s}: has digits`);
      assert.match(s, c.digits === 'western' ? WESTERN : INDIC, `${s}: only ${c.digits} digits`);
    }
    // Only the digits change: the same date and time, written the language's way, in the other digits.
    const other = formatFor(c.lang, c.style === 'auto' ? (c.lang === 'ar' ? 'latn' : 'arab') : 'auto', 'Asia/Damascus');
    assert.equal(westernDigits(fmt.dateTime(at)), westernDigits(other.dateTime(at)));
    if (c.lang === 'en') assert.match(fmt.date(at), /Dec/);
    assert.equal(ageBandText('unknown', fmt, t(c.lang)), c.lang === 'ar' ? ar.ageBands.unknown : en.ageBands.unknown);
  });

test('the values themselves do not change with the digits', () => {
  assert.equal(formatFor('ar', 'latn').integer(2016), '2016');
  assert.equal(formatFor('ar', 'arab').integer(2016), '٢٠١٦');
  assert.equal(formatFor('en', 'arab').digits('18-59'), '١٨-٥٩');
  assert.equal(formatFor('ar', 'latn').digits('١٨-٥٩'), '18-59');
  assert.equal(localeFor('ar', 'latn'), 'ar-SY-u-nu-latn');
  assert.equal(localeFor('en', 'auto'), 'en-GB-u-nu-latn');
  assert.equal(numberingSystemOf('ar', 'auto'), 'arab');
});

test('a count put into a sentence takes the chosen digits and the plural form of its number', async () => {
  const i = i18next.createInstance();
  await i.use(chosenDigits).init({
    resources: { en: { translation: en }, ar: { translation: ar } },
    lng: 'ar',
    interpolation: { escapeValue: false, alwaysFormat: true },
  });
  const news = (lang: 'en' | 'ar') => i.getFixedT(lang)('tracing.news', { count: 3 });
  try {
    chooseDigitStyle('auto');
    assert.match(news('ar'), /^في ٣ طلبات /, 'few: the plural of 3');
    assert.match(news('en'), /^3 requests/);
    chooseDigitStyle('latn');
    assert.match(news('ar'), /^في 3 طلبات /, 'the same form, Western digits');
    chooseDigitStyle('arab');
    assert.match(news('en'), /^٣ requests/);
    // A string is a code or already formatted: it passes as it is.
    assert.equal(i.getFixedT('ar')('convoys.occupancy', { n: 'A1', capacity: '3', count: 3 }).includes('A1'), true);
  } finally {
    chooseDigitStyle('auto');
  }
});

/** A device's localStorage, for the account store (Node has none). */
function deviceStorage() {
  const m = new Map<string, string>();
  const storage = {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
  Object.assign(globalThis, { localStorage: storage });
  return m;
}
afterEach(() => {
  setDigitsUser(null);
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

test('the choice is kept per account: another account on the same device keeps its own, nobody logged in sees the language’s', () => {
  const kept = deviceStorage();
  let told = 0;
  const stop = subscribeDigitStyle(() => told++);
  setDigitsUser('user-a');
  assert.equal(digitStyle(), 'auto');
  chooseDigitStyle('latn');
  assert.equal(kept.get('corridor.digits.user-a'), 'latn');
  assert.equal(told, 1, 'the app is told, to draw again');
  setDigitsUser('user-b');
  assert.equal(digitStyle(), 'auto', 'b has not chosen');
  chooseDigitStyle('arab');
  setDigitsUser(null);
  assert.equal(digitStyle(), 'auto');
  setDigitsUser('user-a');
  assert.equal(digitStyle(), 'latn', 'a finds its choice again (a reload reads the same storage)');
  chooseDigitStyle('auto');
  assert.equal(kept.has('corridor.digits.user-a'), false, 'back to the language: nothing kept');
  kept.set('corridor.digits.user-a', 'roman');
  setDigitsUser('user-a');
  assert.equal(digitStyle(), 'auto', 'an unknown value reads as the language');
  stop();
});
