/**
 * The coordinators' date-and-time field (issue 20): what it reads from a text typed in Western,
 * Arabic-Indic or Persian digits, in the operation's zone across a clock change, and which message
 * it shows — and when — for a text that is not a date and time, with words in both languages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ar } from '../i18n/ar.js';
import { en } from '../i18n/en.js';
import i18next from 'i18next';
import { dateTimeFieldState, inUsersDigits } from './date-time-field.js';

const zone = 'Asia/Damascus';

test('a date and time in Western, Arabic-Indic or Persian digits reads as the same instant of the operation’s zone', () => {
  for (const typed of ['2016-12-15 08:30', '٢٠١٦-١٢-١٥ ٠٨:٣٠', '۲۰۱۶-۱۲-۱۵ ۰۸:۳۰', '٢٠١٦-١٢-١٥ ۸:۳۰', '2016-12-15T08:30'])
    assert.deepEqual(dateTimeFieldState(typed, zone), { iso: '2016-12-15T06:30:00.000Z' }, typed);
  assert.deepEqual(dateTimeFieldState('2016-12-15 08:30', 'Europe/London'), { iso: '2016-12-15T08:30:00.000Z' });
});

test('what is typed shows in the user’s digits, whichever digits were typed, and reads the same', () => {
  assert.equal(inUsersDigits('2016-12-15 ۰۸:3٠', 'arab'), '٢٠١٦-١٢-١٥ ٠٨:٣٠');
  assert.equal(inUsersDigits('٢٠١٦-١٢-١٥ ۰۸:3٠', 'latn'), '2016-12-15 08:30');
  for (const system of ['arab', 'latn'] as const)
    assert.equal(dateTimeFieldState(inUsersDigits('۲۰۱۶-۱۲-۱۵ 08:30', system), zone).iso, '2016-12-15T06:30:00.000Z', system);
});

test('across Damascus’s clock change of March 2016 the offset follows the date; the skipped hour is refused at once', () => {
  assert.equal(dateTimeFieldState('٢٠١٦-٠٣-٢٤ ٢٢:٠٠', zone).iso, '2016-03-24T20:00:00.000Z');
  assert.equal(dateTimeFieldState('٢٠١٦-٠٣-٢٥ ٠٢:٠٠', zone).iso, '2016-03-24T23:00:00.000Z');
  assert.deepEqual(dateTimeFieldState('٢٠١٦-٠٣-٢٥ ٠٠:١٥', zone), { problem: 'skipped', show: 'dateTimeField.skipped' });
});

test('a text on its way to a date and time waits for its message; a complete wrong one, a left field or a letter shows it', () => {
  assert.deepEqual(dateTimeFieldState('٢٠١٦-١٢-١', zone), { problem: 'format' }, 'still being typed');
  assert.deepEqual(dateTimeFieldState('2016-12-15 08:3', zone), { problem: 'format' }, 'one key from a date and time');
  assert.equal(dateTimeFieldState('2016-12-15 8:30', zone).iso, '2016-12-15T06:30:00.000Z', 'a one-digit hour is complete');
  assert.deepEqual(dateTimeFieldState('٢٠١٦-١٢-١', zone, { touched: true }), { problem: 'format', show: 'dateTimeField.format' });
  assert.deepEqual(dateTimeFieldState('٢٠١٦-١٣-٠١ ٠٨:٣٠', zone), { problem: 'format', show: 'dateTimeField.format' }, 'month 13');
  assert.deepEqual(dateTimeFieldState('2016-12-15 24:00', zone), { problem: 'format', show: 'dateTimeField.format' });
  assert.deepEqual(dateTimeFieldState('15/12', zone), { problem: 'format', show: 'dateTimeField.format' }, 'a character no date has');
  assert.deepEqual(dateTimeFieldState('', zone), {}, 'empty and optional: now');
  assert.deepEqual(dateTimeFieldState('', zone, { required: true }), { problem: 'required' }, 'required: not before the form is sent');
  assert.deepEqual(dateTimeFieldState('', zone, { required: true, touched: true }), {
    problem: 'required',
    show: 'dateTimeField.required',
  });
});

test('each of the field’s messages has English and Arabic words with the same placeholders', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
  assert.deepEqual(Object.keys(ar.dateTimeField).sort(), Object.keys(en.dateTimeField).sort());
  for (const [key, words] of Object.entries(en.dateTimeField)) {
    const arabic = ar.dateTimeField[key as keyof typeof ar.dateTimeField] as string;
    assert.match(arabic, /[\u0621-\u064A]/, key);
    assert.doesNotMatch(arabic.replace(/\{\{\w+\}\}/g, ''), /[A-Za-z]/, `${key}: no English in "${arabic}"`);
    assert.deepEqual(placeholders(arabic), placeholders(words), key);
  }
});

test('a date and time that is not one says so in the interface’s language', async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { en: { translation: en }, ar: { translation: ar } }, lng: 'ar', interpolation: { escapeValue: false } });
  const { show } = dateTimeFieldState('٢٠١٦-١٣-٠١ ٠٨:٣٠', zone);
  const words = { zone, example: '٢٠١٦-١٢-١٥ ٠٨:٣٠' };
  assert.equal(i18n.t(show!, words), 'أدخل التاريخ والوقت بالترتيب: السنة-الشهر-اليوم الساعة:الدقيقة، مثل ٢٠١٦-١٢-١٥ ٠٨:٣٠.');
  await i18n.changeLanguage('en');
  assert.equal(
    i18n.t(show!, { ...words, example: '2016-12-15 08:30' }),
    'Give the date and time as year-month-day hour:minute, e.g. 2016-12-15 08:30.',
  );
  assert.match(i18n.t(dateTimeFieldState('2016-03-25 00:15', zone).show!, words), /Asia\/Damascus went forward/);
});
