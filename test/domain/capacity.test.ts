/** A vehicle's occupancy and capacity: the one rule boarding, head counts, the convoy board and the browser read. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isOverCapacity, overCapacityWarnings, vehicleOccupancy } from '../../src/domain/convoys/capacity.js';

test('occupancy is the named people plus the head count', () => {
  assert.equal(vehicleOccupancy(3, null), 3);
  assert.equal(
    vehicleOccupancy(2, [
      { sex: 'male', ageBand: '18-59', category: 'civilian', count: 4 },
      { sex: 'female', ageBand: '0-4', category: 'civilian', count: 1 },
    ]),
    7,
  );
});

test('a vehicle is over capacity with more people than seats, not when exactly full', () => {
  assert.equal(isOverCapacity({ capacity: 5 }, 5), false);
  assert.equal(isOverCapacity({ capacity: 5 }, 6), true);
  assert.deepEqual(overCapacityWarnings({ id: 'car1', capacity: 5 }, 5), []);
  assert.deepEqual(overCapacityWarnings({ id: 'car1', capacity: 5 }, 6), [
    { code: 'over_capacity', vehicleId: 'car1', capacity: 5, count: 6 },
  ]);
});
