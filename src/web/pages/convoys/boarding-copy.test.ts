/** Boarding from the phone's copy: finding a household by tag or name, and the seats the shared rules see. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freeSeats } from '../../../domain/convoys/capacity.js';
import { occupancy, planBoarding } from '../../../domain/convoys/manifest.js';
import { encodeTag, formatTag } from '../../../domain/tags.js';
import type { CopiedConvoy } from '../../lib/checkpoint-copy.js';
import { asManifestPerson, findInList, offlineManifest, queuedBoardings, type BoardingList, type ListPerson } from './boarding-copy.js';

const tag = (serial: number) => formatTag(encodeTag(serial));
const person = (id: string, householdId: string, given: string, extra: Partial<ListPerson> = {}): ListPerson => ({
  id,
  householdId,
  relationship: 'head',
  names: { lat: { given, family: 'Haddad' } },
  sex: 'female',
  ageBand: '18-59',
  vulnerabilities: [],
  tag: null,
  ...extra,
});
const list: BoardingList = {
  convoyIds: ['c1'],
  households: [
    {
      id: 'h1',
      siteId: 'amiriyah',
      registeredAt: '2016-12-15T06:00:00Z',
      members: [
        person('p1', 'h1', 'Mariam', { tag: tag(1001) }),
        person('p2', 'h1', 'Omar', { sex: 'male', ageBand: '5-11', relationship: 'child' }),
      ],
    },
    {
      id: 'h2',
      siteId: 'amiriyah',
      registeredAt: '2016-12-15T07:00:00Z',
      members: [
        person('p3', 'h2', 'Yusuf', { sex: 'male', tag: tag(1002), carried: { equipment: ['wheelchair'], luggage: 0, pets: 0 } }),
        person('p4', 'h2', 'Huda', { names: { ar: { given: 'هدى', family: 'سالم' } } }),
      ],
    },
  ],
  entries: [{ personId: 'p4', householdId: 'h2', convoyId: 'c1', vehicleId: 'BUS-1', split: true }],
  truncated: false,
};
const convoy: CopiedConvoy = {
  id: 'c1',
  routeId: 'west',
  name: 'Convoy 1',
  state: 'boarding',
  vehicles: [
    { id: 'BUS-1', kind: 'bus', capacity: 10, mode: 'named', plate: null, occupancy: 7 },
    { id: 'CAR-1', kind: 'private_car', capacity: 4, mode: 'head_count', plate: null, occupancy: 0 },
  ],
};

test('a tag finds its household, typed in any case, with dashes or not', () => {
  const found = findInList(list, tag(1002).toLowerCase().replace('-', ''));
  assert.equal(found.by, 'tag');
  assert.deepEqual(found.by === 'tag' && found.households.map((h) => h.id), ['h2']);
});

test('a tag whose check character fails is said to be mistyped, not searched as a name', () => {
  const good = tag(1001);
  const last = good.at(-1)!;
  const wrong = good.slice(0, -1) + (last === 'A' ? 'B' : 'A');
  assert.equal(findInList(list, wrong).by, 'bad_tag');
});

test('a name finds the households of the members it names, in either script, and nothing else', () => {
  const byName = findInList(list, 'omar haddad');
  assert.deepEqual(byName.by === 'name' && byName.households.map((h) => h.id), ['h1']);
  const arabic = findInList(list, 'هدى سالم');
  assert.deepEqual(arabic.by === 'name' && arabic.households.map((h) => h.id), ['h2']);
  const none = findInList(list, 'Zainab');
  assert.deepEqual(none.by === 'name' && none.households, []);
});

test('the boardings waiting in the outbox are read from their path and ids; refused ones and other kinds are not', () => {
  const items = [
    {
      kind: 'boarding',
      path: '/api/operations/op/convoys/c1/boardings',
      body: { householdId: 'h1', vehicleId: 'BUS-1', memberIds: ['p1'] },
    },
    { kind: 'boarding', path: '/api/operations/op/convoys/c1/boardings', body: { householdId: 'h2', vehicleId: 'BUS-1' }, refused: {} },
    { kind: 'head_count', path: '/api/operations/op/convoys/c1/head-counts', body: { vehicleId: 'CAR-1' } },
  ];
  assert.deepEqual(queuedBoardings(items), [{ convoyId: 'c1', householdId: 'h1', vehicleId: 'BUS-1', memberIds: ['p1'] }]);
});

test("the seats taken are the copy's plus what this phone boarded since; a wheelchair takes two", () => {
  const before = offlineManifest(convoy, list, []);
  assert.equal(occupancy(before, 'BUS-1'), 7, "the copy's figure");
  assert.equal(freeSeats(convoy.vehicles[0]!, occupancy(before, 'BUS-1')), 3);
  const after = offlineManifest(convoy, list, [{ convoyId: 'c1', householdId: 'h1', vehicleId: 'BUS-1', memberIds: ['p1', 'p2'] }]);
  assert.equal(occupancy(after, 'BUS-1'), 9);
  // Yusuf and his wheelchair need two seats; one is left.
  const h2 = { id: 'h2', members: list.households[1]!.members.map(asManifestPerson) };
  const plan = planBoarding(after, h2, 'BUS-1', { memberIds: ['p3'] });
  assert.equal(!plan.ok && plan.code, 'manifest.vehicle_full');
  // With a free seat more, he boards: his wife already rides, split on purpose on the server, so no reason is asked again.
  const roomier = offlineManifest({ ...convoy, vehicles: [{ ...convoy.vehicles[0]!, capacity: 11 }] }, list, []);
  const ok = planBoarding(roomier, h2, 'BUS-1', { memberIds: ['p3'] });
  assert.equal(ok.ok, true);
});

test('someone already on this convoy on the phone is refused again; a boarding of another convoy does not count here', () => {
  const state = offlineManifest(convoy, list, [{ convoyId: 'c2', householdId: 'h1', vehicleId: 'BUS-9', memberIds: ['p1'] }]);
  assert.equal(occupancy(state, 'BUS-1'), 7);
  const h2 = { id: 'h2', members: list.households[1]!.members.map(asManifestPerson) };
  const again = planBoarding(state, h2, 'BUS-1', { memberIds: ['p4'] });
  assert.equal(!again.ok && again.code, 'manifest.person_already_manifested');
});
