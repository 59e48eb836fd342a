import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  emptyManifest,
  makeVehicle,
  planBoarding,
  recordHeadCount,
  type ManifestPerson,
  type ManifestState,
} from '../../src/domain/convoys/index.js';
import { buildFact, type MovementFact, type MovementFactInput } from '../../src/domain/movements/index.js';
import { itemsFor, reconcile, summarise } from '../../src/domain/reconciliation/index.js';
import { makeRegistry } from '../../src/domain/counts/index.js';

const ulid = (n: number) => `01HZZ${String(n).padStart(21, '0')}`;
let seq = 0;
function f(kind: MovementFactInput['kind'], at: string, rest: Record<string, unknown> = {}): MovementFact {
  return buildFact({ id: ulid(++seq), operationId: 'aleppo', kind, deviceTime: `2016-12-15T${at}:00+02:00`, ...rest } as MovementFactInput);
}
const m = (personId: string, householdId: string): ManifestPerson => ({
  personId,
  householdId,
  sex: 'male',
  ageBand: '18-59',
  category: 'civilian',
  vulnerabilities: [],
});

function convoy(): ManifestState {
  let s = emptyManifest('c1', [
    makeVehicle('c1', { id: 'bus1', kind: 'bus', mode: 'named' }),
    makeVehicle('c1', { id: 'amb1', kind: 'ambulance', mode: 'named' }),
    makeVehicle('c1', { id: 'car1', kind: 'private_car', mode: 'head_count' }),
  ]);
  const steps = [
    () => planBoarding(s, { id: 'h1', members: [m('a1', 'h1'), m('a2', 'h1')] }, 'bus1'),
    () => planBoarding(s, { id: 'h2', members: [m('b1', 'h2'), m('b2', 'h2')] }, 'amb1', { memberIds: ['b1'], splitReason: 'wounded' }),
    () => planBoarding(s, { id: 'h2', members: [m('b1', 'h2'), m('b2', 'h2')] }, 'bus1'),
    () => recordHeadCount(s, 'car1', [{ sex: 'male', ageBand: '18-59', category: 'combatant', count: 3 }]),
  ];
  for (const step of steps) {
    const r = step();
    assert.ok(r.ok);
    s = r.state;
  }
  return s;
}

test('finds the person who never arrived, on the vehicle and at the site', () => {
  const facts = [
    f('departed', '08:00', { convoyId: 'c1', siteId: 'amiriyah' }),
    f('arrived', '10:00', { convoyId: 'c1', siteId: 'rashidin' }),
    ...['a1', 'b1', 'b2'].map((p) => f('checked_in', '10:30', { personId: p, siteId: 'rashidin' })),
  ];
  const items = reconcile({ manifests: [convoy()], facts });
  const missing = items.filter((i) => i.kind === 'missing_in_transit');
  assert.deepEqual(
    missing.map((i) => [i.personIds, i.vehicleId, i.siteId]),
    [[['a2'], 'bus1', 'rashidin']],
  );
  assert.equal(itemsFor(items, { siteId: 'rashidin' }).length, 1);
});

test('nobody is missing while the convoy is still on the road', () => {
  const items = reconcile({ manifests: [convoy()], facts: [f('departed', '08:00', { convoyId: 'c1' })] });
  assert.deepEqual(
    items.filter((i) => i.kind === 'missing_in_transit'),
    [],
  );
});

test('reports a checkpoint head count that disagrees with the manifest, even when it syncs late', () => {
  const late = f('passed_checkpoint', '08:30', {
    convoyId: 'c1',
    vehicleId: 'bus1',
    siteId: 'ramouseh',
    payload: { observedHeadCount: 2 },
  });
  const car = f('passed_checkpoint', '08:31', { convoyId: 'c1', vehicleId: 'car1', siteId: 'ramouseh', payload: { observedHeadCount: 3 } });
  const items = reconcile({ manifests: [convoy()], facts: [f('arrived', '10:00', { convoyId: 'c1', siteId: 'rashidin' }), late, car] });
  const mismatch = items.filter((i) => i.kind === 'head_count_mismatch');
  assert.equal(mismatch.length, 1);
  assert.deepEqual(mismatch[0]?.details, { factId: late.id, expected: 3, observed: 2, difference: -1, at: late.deviceTime });
});

test('a household that travels on whole, leg after leg, is not split; one that leaves a member behind on the next leg is', () => {
  const leg2 = (members: ManifestPerson[]) => {
    let s = emptyManifest('c2', [
      makeVehicle('c2', { id: 'bus2', kind: 'bus', mode: 'named' }),
      makeVehicle('c2', { id: 'bus3', kind: 'bus', mode: 'named' }),
    ]);
    const r = planBoarding(
      s,
      { id: 'h1', members: [m('a1', 'h1'), m('a2', 'h1')] },
      'bus2',
      members.length < 2 ? { memberIds: members.map((x) => x.personId), splitReason: 'stays for treatment' } : {},
    );
    assert.ok(r.ok);
    s = r.state;
    return s;
  };
  const whole = reconcile({ manifests: [convoy(), leg2([m('a1', 'h1'), m('a2', 'h1')])], facts: [] });
  assert.deepEqual(
    whole.filter((i) => i.kind === 'household_split').map((i) => i.householdId),
    ['h2'],
  );
  const partial = reconcile({ manifests: [convoy(), leg2([m('a1', 'h1')])], facts: [] });
  assert.deepEqual(
    partial
      .filter((i) => i.kind === 'household_split')
      .map((i) => i.householdId)
      .sort(),
    ['h1', 'h2'],
  );
});

test('lists arrivals nobody manifested and households split across vehicles', () => {
  const facts = [f('checked_in', '11:00', { personId: 'z9', siteId: 'rashidin' })];
  const items = reconcile({ manifests: [convoy()], facts });
  const stray = items.find((i) => i.kind === 'arrived_not_manifested');
  assert.deepEqual(stray?.personIds, ['z9']);
  const split = items.find((i) => i.kind === 'household_split');
  assert.equal(split?.householdId, 'h2');
  assert.equal((split?.details as { intentional: boolean }).intentional, true);
  assert.deepEqual(summarise(items).operation, { arrived_not_manifested: 1, household_split: 1 });
});

test('a merged duplicate who checked in under the other record is not missing', () => {
  const facts = [
    f('departed', '08:00', { convoyId: 'c1' }),
    f('arrived', '10:00', { convoyId: 'c1', siteId: 'rashidin' }),
    ...['a1', 'a2-again', 'b1', 'b2'].map((p) => f('checked_in', '10:30', { personId: p, siteId: 'rashidin' })),
  ];
  const registry = makeRegistry([], { 'a2-again': 'a2' });
  const items = reconcile({ manifests: [convoy()], facts, registry });
  assert.deepEqual(
    items.filter((i) => i.kind === 'missing_in_transit' || i.kind === 'arrived_not_manifested'),
    [],
  );
});

describe('checkpoint order along the route', () => {
  // amiriyah (origin) → ramouseh → hamdaniyah → rashidin (destination); both middle sites are checkpoints.
  const routes = [{ convoyId: 'c1', siteIds: ['amiriyah', 'ramouseh', 'hamdaniyah', 'rashidin'] }];
  const order = (items: ReturnType<typeof reconcile>) =>
    items.filter((i) => i.kind === 'checkpoint_out_of_order' || i.kind === 'checkpoint_skipped');
  const pass = (at: string, siteId: string, vehicleId?: string) =>
    f('passed_checkpoint', at, { convoyId: 'c1', siteId, ...(vehicleId ? { vehicleId } : {}) });

  test('a convoy seen at every checkpoint in route order gives no item', () => {
    const facts = [
      f('departed', '08:00', { convoyId: 'c1', siteId: 'amiriyah' }),
      pass('08:30', 'ramouseh'),
      pass('09:00', 'hamdaniyah'),
      f('arrived', '10:00', { convoyId: 'c1', siteId: 'rashidin' }),
    ];
    assert.deepEqual(order(reconcile({ manifests: [convoy()], facts, routes })), []);
  });

  test('a vehicle seen at a later checkpoint before an earlier one is one item for the late sighting, whatever order the facts came in', () => {
    const early = pass('09:10', 'ramouseh', 'bus1');
    const facts = [
      f('departed', '08:00', { convoyId: 'c1' }),
      pass('09:00', 'hamdaniyah', 'bus1'),
      early,
      pass('08:30', 'ramouseh', 'amb1'),
      pass('08:31', 'ramouseh', 'car1'),
      pass('09:05', 'hamdaniyah', 'amb1'),
      pass('09:06', 'hamdaniyah', 'car1'),
    ];
    const items = order(reconcile({ manifests: [convoy()], facts, routes }));
    assert.equal(items.length, 1);
    const [item] = items;
    assert.equal(item?.kind, 'checkpoint_out_of_order');
    assert.deepEqual([item?.convoyId, item?.vehicleId, item?.siteId], ['c1', 'bus1', 'ramouseh']);
    assert.equal((item?.details as { factId: string }).factId, early.id);
    assert.equal((item?.details as { seenAfter: { siteId: string } }).seenAfter.siteId, 'hamdaniyah');
    assert.deepEqual(
      order(reconcile({ manifests: [convoy()], facts: [...facts].reverse(), routes })),
      items,
      'the same item from any arrival order',
    );
  });

  test('a convoy that arrives without being seen at a checkpoint of its route is one item for the convoy, not one per vehicle', () => {
    const facts = [
      f('departed', '08:00', { convoyId: 'c1' }),
      pass('08:30', 'ramouseh'),
      f('arrived', '10:00', { convoyId: 'c1', siteId: 'rashidin' }),
    ];
    const items = order(reconcile({ manifests: [convoy()], facts, routes }));
    assert.deepEqual(
      items.map((i) => [i.kind, i.convoyId, i.vehicleId, i.siteId]),
      [['checkpoint_skipped', 'c1', undefined, 'hamdaniyah']],
    );
    assert.deepEqual((items[0]?.details as { vehicleIds: string[] }).vehicleIds, ['amb1', 'bus1', 'car1']);
    assert.equal(summarise(items).bySite.hamdaniyah?.checkpoint_skipped, 1);
  });

  test('one vehicle not logged at a checkpoint the others passed is an item for that vehicle', () => {
    const facts = [
      pass('08:30', 'ramouseh'),
      pass('09:00', 'hamdaniyah', 'bus1'),
      pass('09:01', 'hamdaniyah', 'amb1'),
      f('arrived', '10:00', { convoyId: 'c1', siteId: 'rashidin' }),
    ];
    const items = order(reconcile({ manifests: [convoy()], facts, routes }));
    assert.deepEqual(
      items.map((i) => [i.kind, i.vehicleId, i.siteId]),
      [['checkpoint_skipped', 'car1', 'hamdaniyah']],
    );
  });

  test('nothing is skipped while the vehicle has not been seen further on', () => {
    const facts = [f('departed', '08:00', { convoyId: 'c1' }), pass('08:30', 'ramouseh')];
    assert.deepEqual(order(reconcile({ manifests: [convoy()], facts, routes })), []);
  });

  test('only the sites named as checkpoints must see the vehicle', () => {
    const facts = [pass('08:30', 'ramouseh'), f('arrived', '10:00', { convoyId: 'c1', siteId: 'rashidin' })];
    const withCheckpoints = [{ ...routes[0]!, checkpointIds: ['ramouseh'] }];
    assert.deepEqual(order(reconcile({ manifests: [convoy()], facts, routes: withCheckpoints })), []);
  });

  test('a convoy going back along its route after turning back is not out of order', () => {
    const facts = [
      pass('08:30', 'ramouseh'),
      pass('09:00', 'hamdaniyah'),
      f('turned_back', '09:30', { convoyId: 'c1', payload: { reason: 'security' } }),
      pass('10:00', 'ramouseh'),
    ];
    assert.deepEqual(order(reconcile({ manifests: [convoy()], facts, routes })), []);
  });

  test('a voided sighting no longer counts, and sites off the route are not judged here', () => {
    const wrong = pass('09:10', 'ramouseh');
    const facts = [
      pass('08:30', 'ramouseh'),
      pass('09:00', 'hamdaniyah'),
      wrong,
      pass('09:20', 'elsewhere'),
      f('correction', '09:40', { payload: { voids: wrong.id } }),
    ];
    assert.deepEqual(order(reconcile({ manifests: [convoy()], facts, routes })), []);
    assert.equal(order(reconcile({ manifests: [convoy()], facts: facts.slice(0, 3), routes })).length, 1);
  });

  test('without routes the order is not checked', () => {
    const facts = [pass('09:00', 'hamdaniyah'), pass('09:10', 'ramouseh')];
    assert.deepEqual(order(reconcile({ manifests: [convoy()], facts })), []);
  });
});
