import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wallTimeToIso } from './wall-time.js';

test('a time written on a paper form is read in the operation’s time zone, not the device’s', () => {
  assert.equal(wallTimeToIso('2016-12-15T08:30', 'Asia/Damascus'), '2016-12-15T06:30:00.000Z');
  assert.equal(wallTimeToIso('2026-12-07T08:30', 'Asia/Damascus'), '2026-12-07T05:30:00.000Z');
  assert.equal(wallTimeToIso('2026-07-01T12:00', 'Europe/London'), '2026-07-01T11:00:00.000Z');
  assert.equal(wallTimeToIso('2026-07-01', 'Europe/London'), undefined);
});
