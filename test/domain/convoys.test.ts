import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allowedTransitions,
  checkDispatch,
  emptyManifest,
  makeVehicle,
  movementWindowInput,
  planBoarding,
  recordHeadCount,
  routeInput,
  transition,
  type ConvoyEvent,
  type ConvoyState,
  type ManifestPerson,
} from '../../src/domain/convoys/index.js';

const windows = [
  movementWindowInput.parse({ start: '2016-12-15T05:00:00+02:00', end: '2016-12-16T14:00:00+02:00' }),
  movementWindowInput.parse({ start: '2016-12-18T06:00:00+02:00', end: '2016-12-22T23:00:00+02:00' }),
];

function member(
  personId: string,
  householdId: string,
  ageBand: ManifestPerson['ageBand'] = '18-59',
  vulnerabilities: ManifestPerson['vulnerabilities'] = [],
): ManifestPerson {
  return { personId, householdId, sex: 'female', ageBand, category: 'civilian', vulnerabilities };
}

test('a convoy goes through every state from planned to arrived', () => {
  const path: Array<[ConvoyEvent, ConvoyState]> = [
    ['board', 'boarding'],
    ['board', 'boarding'],
    ['depart', 'departed'],
    ['halt', 'halted'],
    ['resume', 'moving'],
    ['pass_checkpoint', 'moving'],
    ['halt', 'halted'],
    ['pass_checkpoint', 'moving'],
    ['arrive', 'arrived'],
  ];
  let state: ConvoyState = 'planned';
  for (const [event, expected] of path) {
    const r = transition(state, event);
    assert.ok(r.ok, `${state} --${event}--> refused`);
    state = r.state;
    assert.equal(state, expected);
  }
});

test('a refused transition names the allowed ones', () => {
  const r = transition('halted', 'depart');
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.code, 'convoy.invalid_transition');
  assert.deepEqual(r.details.allowed, [
    { event: 'resume', to: 'moving' },
    { event: 'pass_checkpoint', to: 'moving' },
    { event: 'arrive', to: 'arrived' },
    { event: 'turn_back', to: 'turned_back' },
  ]);
  assert.match(r.message, /resume → moving/);
});

test('a convoy can be cancelled only before it leaves, and finished convoys allow nothing', () => {
  assert.ok(transition('planned', 'cancel').ok);
  assert.ok(transition('boarding', 'cancel').ok);
  assert.equal(transition('departed', 'cancel').ok, false);
  assert.ok(transition('halted', 'turn_back').ok);
  for (const s of ['arrived', 'cancelled', 'turned_back'] as const) assert.deepEqual(allowedTransitions(s), []);
  const r = transition('arrived', 'halt');
  assert.ok(!r.ok && /finished/.test(r.message));
});

test('dispatch is allowed inside a movement window and refused outside it', () => {
  assert.equal(checkDispatch(windows, '2016-12-15T09:00:00+02:00').ok, true);
  const refused = checkDispatch(windows, '2016-12-17T09:00:00+02:00');
  assert.ok(!refused.ok);
  assert.equal(refused.code, 'convoy.outside_movement_window');
  assert.deepEqual(refused.details.nextWindow, windows[1]);
  // Windows are half-open: the end instant is outside.
  assert.equal(checkDispatch(windows, '2016-12-16T12:00:00Z').ok, false);
});

test('a coordinator may dispatch outside a window with a reason, which the decision records', () => {
  const d = checkDispatch(windows, '2016-12-17T09:00:00+02:00', { reason: 'wounded need surgery', by: 'u1' });
  assert.ok(d.ok && d.decision === 'allowed_by_override');
  assert.equal(d.reason, 'wounded need surgery');
  assert.equal(d.by, 'u1');
  const blank = checkDispatch(windows, '2016-12-17T09:00:00+02:00', { reason: '  ' });
  assert.ok(!blank.ok && blank.code === 'convoy.override_reason_required');
});

test('a route passes each site once, from origin to destination', () => {
  assert.ok(routeInput.safeParse({ id: 'r1', siteIds: ['amiriyah', 'ramouseh', 'rashidin'] }).success);
  assert.equal(routeInput.safeParse({ id: 'r1', siteIds: ['amiriyah'] }).success, false);
  assert.equal(routeInput.safeParse({ id: 'r1', siteIds: ['a', 'b', 'a'] }).success, false);
});

test("vehicles take their kind's default capacity", () => {
  assert.equal(makeVehicle('c1', { id: 'bus1', kind: 'bus', mode: 'named' }).capacity, 50);
  assert.equal(makeVehicle('c1', { id: 'amb', kind: 'ambulance', mode: 'named' }).capacity, 4);
  assert.equal(makeVehicle('c1', { id: 'car', kind: 'private_car', mode: 'named', capacity: 7 }).capacity, 7);
});

const ambulance = makeVehicle('c1', { id: 'amb1', kind: 'ambulance', mode: 'named' });
const bus = makeVehicle('c1', { id: 'bus1', kind: 'bus', mode: 'named' });
const car = makeVehicle('c1', { id: 'car1', kind: 'private_car', mode: 'head_count' });

test('boards a whole household in one vehicle', () => {
  const h = { id: 'h1', members: [member('p1', 'h1'), member('p2', 'h1', '5-11')] };
  const r = planBoarding(emptyManifest('c1', [bus, ambulance]), h, 'bus1');
  assert.ok(r.ok);
  assert.deepEqual(
    r.added.map((e) => e.personId),
    ['p1', 'p2'],
  );
  assert.deepEqual(r.warnings, []);
});

test('rejects boarding when the vehicle is full', () => {
  const h = { id: 'h1', members: ['a', 'b', 'c', 'd', 'e'].map((id) => member(id, 'h1')) };
  const r = planBoarding(emptyManifest('c1', [ambulance]), h, 'amb1');
  assert.ok(!r.ok);
  assert.equal(r.code, 'manifest.vehicle_full');
  assert.deepEqual({ ...r.details }, { vehicleId: 'amb1', capacity: 4, occupied: 0, requested: 5 });
});

test('refuses to split a household without a reason, and records the reason when given', () => {
  const h = { id: 'h1', members: [member('p1', 'h1', '18-59', ['wounded']), member('p2', 'h1'), member('p3', 'h1', '0-4')] };
  const noReason = planBoarding(emptyManifest('c1', [bus, ambulance]), h, 'amb1', { memberIds: ['p1'] });
  assert.ok(!noReason.ok && noReason.code === 'manifest.household_split');
  const first = planBoarding(emptyManifest('c1', [bus, ambulance]), h, 'amb1', { memberIds: ['p1'], splitReason: 'wounded by ambulance' });
  assert.ok(first.ok);
  assert.equal(first.added[0]?.splitReason, 'wounded by ambulance');
  // The rest follow in the bus under the reason already recorded.
  const rest2 = planBoarding(first.state, h, 'bus1');
  assert.ok(rest2.ok);
  assert.deepEqual(rest2.warnings[0], {
    code: 'household_split',
    householdId: 'h1',
    vehicleIds: ['amb1', 'bus1'],
    reason: 'wounded by ambulance',
  });
});

test('flags unaccompanied children and children riding without an adult of their household', () => {
  const lone = { id: 'h2', members: [member('k1', 'h2', '12-17', ['unaccompanied_child'])] };
  const r = planBoarding(emptyManifest('c1', [bus]), lone, 'bus1');
  assert.ok(r.ok);
  assert.deepEqual(r.added[0]?.flags, ['unaccompanied_child']);
  const family = { id: 'h3', members: [member('m', 'h3'), member('k', 'h3', '5-11')] };
  const split = planBoarding(emptyManifest('c1', [bus]), family, 'bus1', { memberIds: ['k'], splitReason: 'mother follows tomorrow' });
  assert.ok(split.ok);
  assert.deepEqual(split.added[0]?.flags, ['child_without_adult_on_vehicle']);
});

test('refuses people already on the manifest and names-boarding on a head-count vehicle', () => {
  const h = { id: 'h1', members: [member('p1', 'h1')] };
  const once = planBoarding(emptyManifest('c1', [bus, car]), h, 'bus1');
  assert.ok(once.ok);
  const twice = planBoarding(once.state, h, 'bus1', { memberIds: ['p1'] });
  assert.ok(!twice.ok && twice.code === 'manifest.person_already_manifested');
  const onCar = planBoarding(emptyManifest('c1', [car]), h, 'car1');
  assert.ok(!onCar.ok && onCar.code === 'manifest.head_count_vehicle');
});

test('a closed manifest refuses boarding', () => {
  const h = { id: 'h1', members: [member('p1', 'h1')] };
  const r = planBoarding(emptyManifest('c1', [bus], 'departed'), h, 'bus1');
  assert.ok(!r.ok && r.code === 'manifest.closed');
});

test('a head-count vehicle records counts by sex, age band and category, and warns when over capacity', () => {
  const r = recordHeadCount(emptyManifest('c1', [car]), 'car1', [
    { sex: 'male', ageBand: '18-59', category: 'combatant', count: 4 },
    { sex: 'male', ageBand: '18-59', category: 'combatant', count: 2 },
  ]);
  assert.ok(r.ok);
  assert.deepEqual(r.state.headCounts.car1, [{ sex: 'male', ageBand: '18-59', category: 'combatant', count: 6 }]);
  assert.deepEqual(r.warnings, [{ code: 'over_capacity', vehicleId: 'car1', capacity: 5, count: 6 }]);
  const named = recordHeadCount(emptyManifest('c1', [bus]), 'bus1', []);
  assert.ok(!named.ok && named.code === 'manifest.not_head_count_vehicle');
});
