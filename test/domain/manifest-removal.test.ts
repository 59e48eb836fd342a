import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  emptyManifest,
  makeVehicle,
  planBoarding,
  planHeadCountRemoval,
  planRemoval,
  recordHeadCount,
  type ManifestPerson,
  type ManifestState,
} from '../../src/domain/convoys/index.js';

const member = (
  personId: string,
  ageBand: ManifestPerson['ageBand'] = '18-59',
  vulnerabilities: ManifestPerson['vulnerabilities'] = [],
): ManifestPerson => ({ personId, householdId: 'h1', sex: 'female', ageBand, category: 'civilian', vulnerabilities });
const bus = makeVehicle('c1', { id: 'bus1', kind: 'bus', mode: 'named' });
const bus2 = makeVehicle('c1', { id: 'bus2', kind: 'bus', mode: 'named' });
const car = makeVehicle('c1', { id: 'car1', kind: 'private_car', mode: 'head_count' });
const family = { id: 'h1', members: [member('mum'), member('dad'), member('kid', '5-11')] };

function boarded(): ManifestState {
  const r = planBoarding(emptyManifest('c1', [bus, bus2, car], 'boarding'), family, 'bus1');
  assert.ok(r.ok);
  return r.state;
}

test('taking a whole household off leaves nothing of it and no split', () => {
  const r = planRemoval(boarded(), family);
  assert.ok(r.ok);
  assert.equal(r.state.entries.length, 0);
  assert.deepEqual(
    r.removed.map((e) => e.personId),
    ['mum', 'dad', 'kid'],
  );
  assert.deepEqual(r.warnings, []);
  // …and it boards another vehicle whole.
  const again = planBoarding(r.state, family, 'bus2');
  assert.ok(again.ok);
  assert.deepEqual(again.warnings, []);
});

test('taking off part of a household needs a reason; the rest is marked split with it', () => {
  const state = boarded();
  const refused = planRemoval(state, family, { memberIds: ['dad'] });
  assert.ok(!refused.ok);
  assert.equal(refused.code, 'manifest.household_split');
  assert.deepEqual(refused.details.stayingPersonIds, ['mum', 'kid']);
  const r = planRemoval(state, family, { memberIds: ['dad'], reason: 'waits for his brother' });
  assert.ok(r.ok);
  assert.deepEqual(
    r.updated.map((e) => [e.personId, e.splitReason, e.flags]),
    [
      ['mum', 'waits for his brother', []],
      ['kid', 'waits for his brother', []],
    ],
  );
  assert.equal(r.warnings[0]?.code, 'household_split');
  // Boarding him elsewhere later keeps the reason the household was split for.
  const later = planBoarding(r.state, family, 'bus2', { memberIds: ['dad'] });
  assert.ok(later.ok);
  assert.equal(later.added[0]?.splitReason, 'waits for his brother');
});

test('a child whose last adult of the family is taken off is flagged again', () => {
  const first = planRemoval(boarded(), family, { memberIds: ['dad'], reason: 'wounded' });
  assert.ok(first.ok);
  const second = planRemoval(first.state, family, { memberIds: ['mum'], reason: 'goes with him' });
  assert.ok(second.ok);
  assert.deepEqual(
    second.state.entries.map((e) => [e.personId, e.flags]),
    [['kid', ['child_without_adult_on_vehicle']]],
  );
  assert.ok(second.warnings.some((w) => w.code === 'child_without_adult_on_vehicle'));
  assert.equal(second.state.entries[0]?.splitReason, 'wounded', 'the first reason stands');
  // A child already flagged unaccompanied keeps that flag and gets no other.
  const lone = { id: 'h1', members: [member('mum'), member('kid', '5-11', ['separated_child'])] };
  const b = planBoarding(emptyManifest('c1', [bus]), lone, 'bus1');
  assert.ok(b.ok);
  const r = planRemoval(b.state, lone, { memberIds: ['mum'], reason: 'next convoy' });
  assert.ok(r.ok);
  assert.deepEqual(r.state.entries[0]?.flags, ['separated_child']);
});

test('nobody is taken off after departure, nor someone not on the manifest or not of the household', () => {
  const state = boarded();
  for (const convoyState of ['departed', 'moving', 'arrived', 'cancelled'] as const) {
    const r = planRemoval({ ...state, convoyState }, family);
    assert.ok(!r.ok);
    assert.equal(r.code, 'manifest.closed');
    assert.match(r.message, /facts/);
  }
  const off = planRemoval(state, family);
  assert.ok(off.ok);
  const twice = planRemoval(off.state, family);
  assert.ok(!twice.ok);
  assert.equal(twice.code, 'manifest.not_on_manifest');
  const stranger = planRemoval(state, family, { memberIds: ['someone-else'] });
  assert.ok(!stranger.ok);
  assert.equal(stranger.code, 'manifest.person_not_in_household');
});

test('a head count is removed before departure, and only from a head-count vehicle that has one', () => {
  const counted = recordHeadCount(emptyManifest('c1', [bus, car], 'boarding'), 'car1', [
    { sex: 'male', ageBand: '18-59', category: 'civilian', count: 3 },
  ]);
  assert.ok(counted.ok);
  const r = planHeadCountRemoval(counted.state, 'car1');
  assert.ok(r.ok);
  assert.deepEqual(r.state.headCounts, {});
  const none = planHeadCountRemoval(r.state, 'car1');
  assert.equal(!none.ok && none.code, 'manifest.no_head_count');
  const named = planHeadCountRemoval(counted.state, 'bus1');
  assert.equal(!named.ok && named.code, 'manifest.not_head_count_vehicle');
  const late = planHeadCountRemoval({ ...counted.state, convoyState: 'departed' }, 'car1');
  assert.equal(!late.ok && late.code, 'manifest.closed');
});

test("boarding the adult back clears the child's flag, and a household whole again is no longer split", () => {
  const off = planRemoval(boarded(), family, { memberIds: ['mum', 'dad'], reason: 'papers checked first' });
  assert.ok(off.ok);
  assert.deepEqual(
    off.state.entries.map((e) => [e.personId, e.flags, e.splitReason]),
    [['kid', ['child_without_adult_on_vehicle'], 'papers checked first']],
  );
  const mum = planBoarding(off.state, family, 'bus1', { memberIds: ['mum'] });
  assert.ok(mum.ok, 'dad still waits: the reason the household was split for stands');
  assert.deepEqual(
    mum.updated.map((e) => [e.personId, e.flags, e.splitReason]),
    [['kid', [], 'papers checked first']],
  );
  const dad = planBoarding(mum.state, family, 'bus1', { memberIds: ['dad'] });
  assert.ok(dad.ok);
  assert.deepEqual(dad.warnings, []);
  assert.deepEqual(dad.state.entries.map((e) => [e.personId, e.flags, e.splitReason]).sort(), [
    ['dad', [], undefined],
    ['kid', [], undefined],
    ['mum', [], undefined],
  ]);
});
