/** The checkpoint's copy on the phone: what it keeps (and never keeps), and what the desk shows from it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConvoyDetail, Operation } from '../api/types.js';
import {
  convoySeen,
  convoysAt,
  copiedStates,
  copyKey,
  defaultCheckpoint,
  makeCopy,
  mergeCopy,
  passedVehicles,
  preparedStates,
  stateAfter,
  waitingFacts,
  withConvoySummaries,
} from './checkpoint-copy.js';

const operation: Operation = {
  id: 'op1',
  code: 'aleppo',
  nameEn: 'Aleppo',
  nameAr: 'حلب',
  originArea: 'East Aleppo',
  status: 'active',
  timeZone: 'Asia/Damascus',
  createdAt: '2016-12-15T00:00:00Z',
  roles: ['checkpoint_monitor'],
};
const vehicle = { id: 'BUS-1', kind: 'bus' as const, capacity: 50, mode: 'named' as const, plate: 'AL 123', occupancy: 42 };
const convoy = (id: string, state: ConvoyDetail['state'], extra: Record<string, unknown> = {}): ConvoyDetail => ({
  id,
  routeId: 'north',
  name: `Convoy ${id}`,
  state,
  dispatchedAt: null,
  createdAt: '2016-12-15T06:00:00Z',
  checkpointPasses: [],
  allowed: [],
  overridden: false,
  overrideBy: 'user-9',
  vehicles: [{ ...vehicle, ...extra }],
});

test('the copy keeps convoys that may still pass, with their vehicles, and nothing about people', () => {
  const withPeople = {
    ...convoy('c1', 'moving'),
    entries: [{ personId: 'person-17', names: { lat: { given: 'Samir' } } }],
  } as unknown as ConvoyDetail;
  const copy = makeCopy({
    user: { id: 'u1', name: 'Monitor One' },
    operation,
    permissions: ['checkpoint.log'],
    sites: [
      { id: 'ramouseh', kind: 'checkpoint', nameEn: 'Ramouseh', nameAr: 'الراموسة', lat: 1, lon: 2, capacity: null, secret: 'x' } as never,
    ],
    routes: [{ id: 'north', name: 'North', siteIds: ['a', 'ramouseh'], createdAt: '2016-12-14T00:00:00Z' }],
    convoys: [
      withPeople,
      convoy('c2', 'boarding', { manifest: ['person-18'] }),
      convoy('c3', 'planned'),
      convoy('c4', 'arrived'),
      convoy('c5', 'halted'),
      convoy('c6', 'departed'),
    ],
    savedAt: new Date('2016-12-15T10:00:00Z'),
  });
  assert.equal(copy.key, copyKey('u1', 'op1'));
  assert.equal(copy.savedAt, '2016-12-15T10:00:00.000Z');
  assert.deepEqual(
    copy.convoys.map((c) => [c.id, c.state]),
    [
      ['c1', 'moving'],
      ['c2', 'boarding'],
      ['c5', 'halted'],
      ['c6', 'departed'],
    ],
  );
  assert.deepEqual(copy.convoys[1]!.vehicles, [vehicle], 'vehicles keep plate, kind, seats, mode and the manifested count only');
  assert.deepEqual(Object.keys(copy.convoys[0]!).sort(), ['checkpointPasses', 'id', 'name', 'routeId', 'state', 'vehicles']);
  assert.deepEqual(Object.keys(copy.sites[0]!).sort(), ['capacity', 'id', 'kind', 'lat', 'lon', 'nameAr', 'nameEn']);
  assert.deepEqual(copy.operation.permissions, ['checkpoint.log']);
  const text = JSON.stringify(copy);
  for (const leak of ['Samir', 'person-17', 'person-18', 'personId', 'entries', 'manifest', 'user-9', 'East Aleppo'])
    assert.equal(text.includes(leak), false, `the copy does not carry ${leak}`);
  assert.deepEqual([...copiedStates].sort(), ['boarding', 'departed', 'halted', 'moving']);
});

test('copies are keyed by account and operation', () => {
  assert.notEqual(copyKey('u1', 'op1'), copyKey('u2', 'op1'));
  assert.notEqual(copyKey('u1', 'op1'), copyKey('u1', 'op2'));
});

test('waiting facts are read from the outbox commands of kind facts that were not refused', () => {
  const f = (id: string) => ({ id, kind: 'passed_checkpoint', convoyId: 'c1' });
  const items = [
    { kind: 'facts', body: { facts: [f('a'), f('b')] } },
    { kind: 'check_in', body: { siteId: 's', tag: 'X' } },
    { kind: 'facts', body: { facts: [f('c')] }, refused: { status: 403 } },
    { kind: 'facts', body: { facts: [f('d')] } },
  ];
  assert.deepEqual(
    waitingFacts(items).map((x) => (x as unknown as { id: string }).id),
    ['a', 'b', 'd'],
  );
});

test('a convoy-level fact logged offline moves the state the desk shows; vehicle-level facts and incidents do not', () => {
  assert.equal(stateAfter('moving', [{ kind: 'halted' }]), 'halted');
  assert.equal(stateAfter('moving', [{ kind: 'halted' }, { kind: 'resumed' }]), 'moving');
  assert.equal(stateAfter('departed', [{ kind: 'passed_checkpoint' }]), 'moving');
  assert.equal(
    stateAfter('boarding', [{ kind: 'passed_checkpoint' }]),
    'moving',
    'a convoy copied while boarding has left if it is seen here',
  );
  assert.equal(stateAfter('moving', [{ kind: 'halted', vehicleId: 'BUS-1' }]), 'moving');
  assert.equal(stateAfter('halted', [{ kind: 'incident' }]), 'halted');
  assert.equal(stateAfter('moving', [{ kind: 'resumed' }]), 'moving', 'a move the state machine refuses leaves the state');
});

test('vehicles and convoys already logged here are known per convoy and site', () => {
  const facts = [
    { kind: 'passed_checkpoint', convoyId: 'c1', siteId: 's1' },
    { kind: 'passed_checkpoint', convoyId: 'c1', siteId: 's1', vehicleId: 'BUS-1' },
    { kind: 'passed_checkpoint', convoyId: 'c1', siteId: 's2', vehicleId: 'BUS-2' },
    { kind: 'incident', convoyId: 'c1', siteId: 's1', vehicleId: 'BUS-3' },
  ];
  assert.deepEqual([...passedVehicles(facts, 'c1', 's1')], ['BUS-1']);
  assert.deepEqual([...passedVehicles(facts, 'c2', 's1')], []);
  assert.equal(convoySeen(facts, 'c1', 's1'), true);
  assert.equal(convoySeen(facts, 'c1', 's2'), false);
});

test('the desk lists convoys on routes through the site, on the road first, boarding ones after', () => {
  const routes = [
    { id: 'north', name: null, siteIds: ['a', 's1'], createdAt: '' },
    { id: 'south', name: null, siteIds: ['a', 's2'], createdAt: '' },
  ];
  const list = [
    { id: 'b', routeId: 'north', state: 'boarding' as const },
    { id: 'm', routeId: 'north', state: 'moving' as const },
    { id: 'x', routeId: 'south', state: 'moving' as const },
    { id: 'p', routeId: 'north', state: 'planned' as const },
    { id: 'h', routeId: 'north', state: 'halted' as const },
  ];
  assert.deepEqual(
    convoysAt(list, routes, 's1', copiedStates).map((c) => c.id),
    ['m', 'h', 'b'],
  );
  assert.deepEqual(
    convoysAt(list, routes, 's1', ['departed', 'moving', 'halted']).map((c) => c.id),
    ['m', 'h'],
  );
});

test('the desk opens at the remembered checkpoint, else the only one on the routes in use, else asks', () => {
  const onRoad = ['departed', 'moving', 'halted'] as const;
  const checkpoints = [{ id: 'cp1' }, { id: 'cp2' }];
  const routes = [
    { id: 'north', name: null, siteIds: ['a', 'cp1', 'z'], createdAt: '' },
    { id: 'south', name: null, siteIds: ['a', 'cp2', 'z'], createdAt: '' },
    { id: 'both', name: null, siteIds: ['a', 'cp1', 'cp2', 'z'], createdAt: '' },
  ];
  const moving = (routeId: string) => ({ routeId, state: 'moving' as const });
  // Remembered on this phone: kept, whatever is on the road (unless the site is gone).
  assert.equal(defaultCheckpoint('cp2', checkpoints, routes, [moving('north')], onRoad), 'cp2');
  assert.equal(defaultCheckpoint('gone', checkpoints, routes, [moving('north')], onRoad), 'cp1');
  // The only checkpoint on the routes of the convoys on the road; planned and boarding ones do not count.
  assert.equal(defaultCheckpoint(null, checkpoints, routes, [moving('north'), moving('north')], onRoad), 'cp1');
  assert.equal(defaultCheckpoint(null, checkpoints, routes, [moving('south'), { routeId: 'north', state: 'planned' }], onRoad), 'cp2');
  // Two checkpoints in use, or none on the road: no silent default.
  assert.equal(defaultCheckpoint(null, checkpoints, routes, [moving('north'), moving('south')], onRoad), '');
  assert.equal(defaultCheckpoint(null, checkpoints, routes, [moving('both')], onRoad), '');
  assert.equal(defaultCheckpoint(null, checkpoints, routes, [], onRoad), '');
  // A single checkpoint in the operation is the one.
  assert.equal(defaultCheckpoint(null, [{ id: 'cp1' }], routes, [], onRoad), 'cp1');
});

test('one copy for every offline desk: each replaces the convoys in the states it keeps and leaves the others', () => {
  const base = {
    user: { id: 'u1', name: 'Officer' },
    operation,
    permissions: [],
    sites: [],
    routes: [],
    savedAt: new Date('2016-12-15T08:00:00Z'),
  };
  // The convoy board keeps those being prepared (planned is not a checkpoint state).
  const board = makeCopy({
    ...base,
    convoys: [convoy('p1', 'planned'), convoy('b1', 'boarding'), convoy('m1', 'moving')],
    states: preparedStates,
  });
  assert.deepEqual(
    board.convoys.map((c) => c.id),
    ['p1', 'b1'],
  );
  // The checkpoint saves next: its convoys replace b1; the planned p1 stays; a moving one is added.
  const checkpoint = makeCopy({ ...base, convoys: [convoy('b1', 'moving'), convoy('m2', 'halted')] });
  const merged = mergeCopy(board, checkpoint, copiedStates);
  assert.deepEqual(merged.convoys.map((c) => `${c.id}:${c.state}`).sort(), ['b1:moving', 'm2:halted', 'p1:planned']);
  // The board again: p1 was cancelled (no longer read), the ones on the road stay.
  const again = mergeCopy(merged, makeCopy({ ...base, convoys: [], states: preparedStates }), preparedStates);
  assert.deepEqual(again.convoys.map((c) => c.id).sort(), ['b1', 'm2']);
  // Another account's copy is never merged into.
  assert.equal(mergeCopy({ ...merged, userId: 'u2' }, checkpoint, copiedStates), checkpoint);
  // The reception's list (no vehicles) updates name and state, keeping the vehicles another desk saved.
  const summary = {
    id: 'b1',
    routeId: 'north',
    name: 'Convoy B',
    state: 'halted' as const,
    dispatchedAt: null,
    createdAt: '2016-12-15T06:00:00Z',
  };
  const reception = withConvoySummaries(merged, [summary, { ...summary, id: 'new', state: 'moving' as const }], copiedStates);
  const b1 = reception.convoys.find((c) => c.id === 'b1')!;
  assert.equal(b1.state, 'halted');
  assert.equal(b1.name, 'Convoy B');
  assert.equal(b1.vehicles[0]!.id, 'BUS-1');
  assert.deepEqual(reception.convoys.find((c) => c.id === 'new')!.vehicles, []);
  assert.ok(
    reception.convoys.some((c) => c.id === 'p1'),
    'a planned convoy the reception does not read stays',
  );
  assert.equal(
    reception.convoys.some((c) => c.id === 'm2'),
    false,
    'one no longer on the road goes',
  );
});
