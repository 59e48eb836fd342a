import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, timeAxis } from './time-axis.js';

const H = 3_600_000;

test('hours are placed in proportion to time, a two-day suspension keeping its length', () => {
  const times = [0, 10 * H, 10 * H + 2 * DAY_MS, 20 * H + 2 * DAY_MS];
  const axis = timeAxis(times);
  assert.deepEqual(axis.breaks, []);
  assert.equal(axis.position(0), 0);
  assert.equal(axis.position(times[3] as number), 1);
  assert.equal(axis.position(10 * H), 10 / 68);
});

test('a long quiet stretch is drawn short and marked, so the busy week keeps its width', () => {
  const week = Array.from({ length: 8 }, (_, d) => d * DAY_MS);
  const later = 7 * DAY_MS + 3650 * DAY_MS; // ten years on: one new action today
  const axis = timeAxis([...week, later]);
  assert.equal(axis.breaks.length, 1);
  assert.equal(axis.breaks[0]?.from, 7 * DAY_MS);
  assert.equal(axis.breaks[0]?.to, later);
  // The week fills most of the axis: 7 days of 7.5.
  assert.ok(axis.position(7 * DAY_MS) > 0.9);
  assert.equal(axis.position(later), 1);
  assert.ok((axis.breaks[0]?.at ?? 0) > axis.position(7 * DAY_MS) && (axis.breaks[0]?.at ?? 1) < 1);
});

test('one hour alone sits at the start', () => {
  assert.equal(timeAxis([5 * H]).position(5 * H), 0);
  assert.deepEqual(timeAxis([]).breaks, []);
});
