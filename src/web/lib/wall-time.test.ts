import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wallTimeToIso } from './wall-time.js';

test('a time written on a paper form is read in the operation’s time zone, not the device’s', () => {
  assert.equal(wallTimeToIso('2016-12-15T08:30', 'Asia/Damascus'), '2016-12-15T06:30:00.000Z');
  assert.equal(wallTimeToIso('2026-12-07T08:30', 'Asia/Damascus'), '2026-12-07T05:30:00.000Z');
  assert.equal(wallTimeToIso('2026-07-01T12:00', 'Europe/London'), '2026-07-01T11:00:00.000Z');
  assert.equal(wallTimeToIso('2026-07-01', 'Europe/London'), undefined);
});

test('a paper time typed in Arabic-Indic or Persian digits, with a space and a one-digit hour, is the same time', () => {
  const at = '2016-12-15T06:30:00.000Z';
  for (const typed of ['2016-12-15 08:30', '٢٠١٦-١٢-١٥ ٠٨:٣٠', '۲۰۱۶-۱۲-۱۵ ۸:۳۰', ' 2016-12-15T8:30 '])
    assert.equal(wallTimeToIso(typed, 'Asia/Damascus'), at, typed);
});

test('a paper time that names no real day or hour is refused, not carried into the next', () => {
  for (const typed of ['2016-02-30 08:30', '2016-13-01 08:30', '2016-12-15 24:00', '2016-12-15 08:60', '٢٠١٦-١٢-١٥', '15-12-2016 08:30'])
    assert.equal(wallTimeToIso(typed, 'Asia/Damascus'), undefined, typed);
});
