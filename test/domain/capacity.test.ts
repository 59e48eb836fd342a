/** A vehicle's occupancy and capacity: the one rule boarding, head counts, the convoy board and the browser read. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freeSeats, isOverCapacity, overCapacityWarnings, seatsFor, vehicleOccupancy } from '../../src/domain/convoys/capacity.js';
import { emptyManifest, occupancy, planBoarding } from '../../src/domain/convoys/manifest.js';
import { makeVehicle } from '../../src/domain/convoys/vehicles.js';

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

test('seats left: capacity less the people on board, none when full or over', () => {
  assert.equal(freeSeats({ capacity: 50 }, 42), 8);
  assert.equal(freeSeats({ capacity: 5 }, 5), 0);
  assert.equal(freeSeats({ capacity: 5 }, 7), 0);
});

test('a wheelchair takes one more seat, a stretcher two more; oxygen and walking aids none', () => {
  assert.equal(seatsFor(undefined), 1);
  assert.equal(seatsFor([]), 1);
  assert.equal(seatsFor(['oxygen', 'walking_aid']), 1);
  assert.equal(seatsFor(['wheelchair']), 2);
  assert.equal(seatsFor(['stretcher', 'oxygen']), 3);
});

test('boarding counts seats: a household with a stretcher does not fit the seats its heads would', () => {
  const vehicles = [makeVehicle('c1', { id: 'van', kind: 'van', capacity: 4, mode: 'named' })];
  const person = (id: string, equipment: ('stretcher' | 'wheelchair')[] = []) => ({
    personId: id,
    householdId: 'h1',
    sex: 'male' as const,
    ageBand: '18-59' as const,
    category: 'civilian' as const,
    vulnerabilities: [],
    ...(equipment.length ? { equipment } : {}),
  });
  const household = { id: 'h1', members: [person('p1', ['stretcher']), person('p2'), person('p3')] };
  const full = planBoarding(emptyManifest('c1', vehicles), household, 'van');
  assert.equal(full.ok, false);
  assert.equal(!full.ok && full.code, 'manifest.vehicle_full');
  assert.equal(!full.ok && (full.details as { requested: number }).requested, 5);
  const two = planBoarding(emptyManifest('c1', vehicles), household, 'van', { memberIds: ['p1', 'p2'], splitReason: 'the son follows' });
  assert.ok(two.ok);
  assert.deepEqual(
    two.state.entries.map((e) => [e.personId, e.seats ?? 1]),
    [
      ['p1', 3],
      ['p2', 1],
    ],
  );
  assert.equal(occupancy(two.state, 'van'), 4);
});
