import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoToWallTime, readWallTime, wallTimeToIso } from './wall-time.js';

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

test('across a clock change the same wall-clock hour names instants an hour apart from the plain difference', () => {
  // Damascus went from +2 to +3 at 00:00 on 25 March 2016, and back at 00:00 on 28 October 2016.
  assert.deepEqual(readWallTime('2016-03-24 23:30', 'Asia/Damascus'), { iso: '2016-03-24T21:30:00.000Z' });
  assert.deepEqual(
    readWallTime('٢٠١٦-٠٣-٢٥ ٠١:٣٠', 'Asia/Damascus'),
    { iso: '2016-03-24T22:30:00.000Z' },
    'two wall hours later, one hour later',
  );
  assert.deepEqual(readWallTime('2016-10-27 22:30', 'Asia/Damascus'), { iso: '2016-10-27T19:30:00.000Z' }, 'before the change back: +3');
  assert.deepEqual(readWallTime('۲۰۱۶-۱۰-۲۸ ۰۸:۰۰', 'Asia/Damascus'), { iso: '2016-10-28T06:00:00.000Z' }, 'after it: +2');
  // Damascus has kept +3 all year since 2022: no change in 2026.
  assert.deepEqual(readWallTime('2026-03-27 00:30', 'Asia/Damascus'), { iso: '2026-03-26T21:30:00.000Z' });
  assert.deepEqual(readWallTime('2026-03-29 01:30', 'Europe/London'), { problem: 'skipped' });
  assert.deepEqual(readWallTime('2026-03-29 02:30', 'Europe/London'), { iso: '2026-03-29T01:30:00.000Z' });
});

test('a wall-clock time the clocks skipped is refused; one they showed twice reads with the offset after the change', () => {
  assert.deepEqual(readWallTime('2016-03-25 00:30', 'Asia/Damascus'), { problem: 'skipped' });
  assert.deepEqual(readWallTime('2016-10-27 23:30', 'Asia/Damascus'), { iso: '2016-10-27T21:30:00.000Z' });
  // The paper desk's reader is unchanged: it moves a skipped time past the change.
  assert.equal(wallTimeToIso('2016-03-25 00:30', 'Asia/Damascus'), '2016-03-24T22:30:00.000Z');
});

test('empty is no time unless one is required; what is not a date and time says so', () => {
  assert.deepEqual(readWallTime('  ', 'Asia/Damascus'), {});
  assert.deepEqual(readWallTime('', 'Asia/Damascus', true), { problem: 'required' });
  for (const typed of ['2016-12-15', '٢٠١٦-١٣-٠١ ٠٨:٣٠', '15/12/2016 08:30', 'tomorrow'])
    assert.deepEqual(readWallTime(typed, 'Asia/Damascus', true), { problem: 'format' }, typed);
});

test('an instant reads back as the operation’s wall clock, not the device’s, and round-trips', () => {
  assert.equal(isoToWallTime('2016-12-15T06:30:00.000Z', 'Asia/Damascus'), '2016-12-15 08:30');
  assert.equal(isoToWallTime('2016-07-01T06:30:00.000Z', 'Asia/Damascus'), '2016-07-01 09:30');
  assert.equal(isoToWallTime(Date.UTC(2026, 11, 7, 22, 5, 59), 'Asia/Damascus'), '2026-12-08 01:05');
  for (const iso of ['2016-03-24T21:30:00.000Z', '2016-03-24T22:30:00.000Z', '2016-10-27T21:30:00.000Z', '2026-07-01T11:00:00.000Z'])
    for (const zone of ['Asia/Damascus', 'Europe/London'])
      assert.equal(readWallTime(isoToWallTime(iso, zone), zone).iso, iso, `${iso} ${zone}`);
});
