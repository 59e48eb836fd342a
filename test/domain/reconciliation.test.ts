import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyManifest, makeVehicle, planBoarding, recordHeadCount, type ManifestPerson, type ManifestState } from '../../src/domain/convoys/index.js';
import { buildFact, type MovementFact, type MovementFactInput } from '../../src/domain/movements/index.js';
import { itemsFor, reconcile, summarise } from '../../src/domain/reconciliation/index.js';
import { makeRegistry } from '../../src/domain/counts/index.js';

const ulid = (n: number) => `01HZZ${String(n).padStart(21, '0')}`;
let seq = 0;
function f(kind: MovementFactInput['kind'], at: string, rest: Record<string, unknown> = {}): MovementFact {
  return buildFact({ id: ulid(++seq), operationId: 'aleppo', kind, deviceTime: `2016-12-15T${at}:00+02:00`, ...rest } as MovementFactInput);
}
const m = (personId: string, householdId: string): ManifestPerson => ({ personId, householdId, sex: 'male', ageBand: '18-59', category: 'civilian', vulnerabilities: [] });

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
  assert.deepEqual(missing.map((i) => [i.personIds, i.vehicleId, i.siteId]), [[['a2'], 'bus1', 'rashidin']]);
  assert.equal(itemsFor(items, { siteId: 'rashidin' }).length, 1);
});

test('nobody is missing while the convoy is still on the road', () => {
  const items = reconcile({ manifests: [convoy()], facts: [f('departed', '08:00', { convoyId: 'c1' })] });
  assert.deepEqual(items.filter((i) => i.kind === 'missing_in_transit'), []);
});

test('reports a checkpoint head count that disagrees with the manifest, even when it syncs late', () => {
  const late = f('passed_checkpoint', '08:30', { convoyId: 'c1', vehicleId: 'bus1', siteId: 'ramouseh', payload: { observedHeadCount: 2 } });
  const car = f('passed_checkpoint', '08:31', { convoyId: 'c1', vehicleId: 'car1', siteId: 'ramouseh', payload: { observedHeadCount: 3 } });
  const items = reconcile({ manifests: [convoy()], facts: [f('arrived', '10:00', { convoyId: 'c1', siteId: 'rashidin' }), late, car] });
  const mismatch = items.filter((i) => i.kind === 'head_count_mismatch');
  assert.equal(mismatch.length, 1);
  assert.deepEqual(mismatch[0]?.details, { factId: late.id, expected: 3, observed: 2, difference: -1, at: late.deviceTime });
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
  assert.deepEqual(items.filter((i) => i.kind === 'missing_in_transit' || i.kind === 'arrived_not_manifested'), []);
});
