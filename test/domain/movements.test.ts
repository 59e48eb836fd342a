import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildFact,
  derivePersonPosition,
  deriveVehicleStage,
  effectiveFacts,
  encryptedFactFields,
  movementFactSchema,
  sequenceAnomalies,
  type MovementFact,
  type MovementFactInput,
} from '../../src/domain/movements/index.js';

const ulid = (n: number) => `01HZZ${String(n).padStart(21, '0')}`;
let n = 0;
function f(kind: MovementFactInput['kind'], at: string, rest: Record<string, unknown> = {}): MovementFact {
  return buildFact({ id: ulid(++n), operationId: 'aleppo', kind, deviceTime: `2016-12-15T${at}:00+02:00`, ...rest } as MovementFactInput);
}

test('each fact kind has a schema; a boarding names a person or a head count, not both', () => {
  const ok = movementFactSchema.safeParse({
    id: ulid(1),
    operationId: 'o',
    kind: 'boarded',
    convoyId: 'c',
    vehicleId: 'v',
    personId: 'p',
    deviceTime: '2016-12-15T08:00:00Z',
  });
  assert.ok(ok.success);
  const both = movementFactSchema.safeParse({
    id: ulid(1),
    operationId: 'o',
    kind: 'boarded',
    convoyId: 'c',
    vehicleId: 'v',
    personId: 'p',
    deviceTime: '2016-12-15T08:00:00Z',
    payload: { headCount: [{ sex: 'male', ageBand: '18-59', category: 'combatant', count: 3 }] },
  });
  assert.equal(both.success, false);
  const badId = movementFactSchema.safeParse({
    id: 'not-a-ulid',
    operationId: 'o',
    kind: 'departed',
    convoyId: 'c',
    deviceTime: '2016-12-15T08:00:00Z',
  });
  assert.equal(badId.success, false);
});

test('incident text is marked for encryption and an incident must concern something', () => {
  assert.deepEqual(encryptedFactFields.incident, ['payload.text']);
  // Found from the schemas' marks, not listed by hand: the free text of boardings and check-ins too.
  assert.deepEqual(encryptedFactFields.boarded, ['payload.splitReason']);
  assert.deepEqual(encryptedFactFields.checked_in, ['payload.shelter', 'payload.overCapacity.reason']);
  assert.deepEqual(encryptedFactFields.passed_checkpoint, []);
  const shape = movementFactSchema.options.find((o) => o.shape.kind.value === 'incident');
  assert.ok(shape);
  const textSchema = (shape.shape.payload as unknown as { shape: { text: { unwrap(): { meta(): unknown } } } }).shape.text;
  assert.deepEqual(textSchema.unwrap().meta(), { encrypted: true });
  const orphan = movementFactSchema.safeParse({
    id: ulid(2),
    operationId: 'o',
    kind: 'incident',
    deviceTime: '2016-12-15T08:00:00Z',
    payload: { incidentKind: 'shelling', severity: 'high' },
  });
  assert.equal(orphan.success, false);
});

test('facts are placed by device time (across time zones), whatever order they arrive in', () => {
  const a = buildFact({ id: ulid(10), operationId: 'o', kind: 'departed', convoyId: 'c1', deviceTime: '2016-12-15T09:00:00+02:00' });
  const b = buildFact({
    id: ulid(11),
    operationId: 'o',
    kind: 'passed_checkpoint',
    convoyId: 'c1',
    siteId: 'ramouseh',
    deviceTime: '2016-12-15T07:30:00Z',
  });
  assert.deepEqual(
    effectiveFacts([b, a]).map((x) => x.id),
    [a.id, b.id],
  );
  assert.deepEqual(
    effectiveFacts([a, b, a]).map((x) => x.id),
    [a.id, b.id],
  );
});

test('a correction voids a fact; voiding the correction restores it', () => {
  const wrong = f('arrived', '12:00', { convoyId: 'c1', siteId: 'rashidin' });
  const fix = f('correction', '12:05', { payload: { voids: wrong.id } });
  assert.deepEqual(effectiveFacts([wrong, fix]), []);
  const undo = f('correction', '12:10', { payload: { voids: fix.id } });
  assert.deepEqual(
    effectiveFacts([undo, fix, wrong]).map((x) => x.id),
    [wrong.id],
  );
});

test('a late checkpoint fact is placed before the halt it preceded', () => {
  const dep = f('departed', '08:00', { convoyId: 'c1', siteId: 'amiriyah' });
  const halt = f('halted', '09:00', { convoyId: 'c1', siteId: 'khan-asal', payload: { reason: 'checkpoint_inspection' } });
  const cp = f('passed_checkpoint', '08:30', { convoyId: 'c1', siteId: 'ramouseh' }); // synced a day later
  for (const order of [
    [dep, halt, cp],
    [cp, halt, dep],
  ]) {
    const stage = deriveVehicleStage(effectiveFacts(order), 'c1');
    assert.deepEqual(stage, { state: 'halted', lastSiteId: 'khan-asal' });
  }
});

test('a skewed clock does not undo an arrival; the strict order is reported as an anomaly', () => {
  const arr = f('arrived', '07:55', { convoyId: 'c1', siteId: 'rashidin' });
  const dep = f('departed', '08:00', { convoyId: 'c1' });
  const board = f('boarded', '07:00', { convoyId: 'c1', vehicleId: 'bus1', personId: 'p1' });
  const facts = effectiveFacts([dep, arr, board]);
  assert.equal(deriveVehicleStage(facts, 'c1').state, 'arrived');
  assert.deepEqual(
    sequenceAnomalies(facts, 'c1').map((a) => a.event),
    ['arrive'],
  );
});

test('a vehicle that turned back is turned back even when its convoy arrived', () => {
  const facts = effectiveFacts([
    f('departed', '08:00', { convoyId: 'c1' }),
    f('turned_back', '09:00', { convoyId: 'c1', vehicleId: 'bus2', payload: { reason: 'vehicle_breakdown' } }),
    f('arrived', '10:00', { convoyId: 'c1', siteId: 'rashidin' }),
  ]);
  assert.equal(deriveVehicleStage(facts, 'c1', 'bus1').state, 'arrived');
  assert.equal(deriveVehicleStage(facts, 'c1', 'bus2').state, 'turned_back');
});

test('a person is boarded, in transit, missing, then arrived once checked in', () => {
  const boarded = f('boarded', '07:00', { convoyId: 'c1', vehicleId: 'bus1', personId: 'p1', siteId: 'amiriyah' });
  const dep = f('departed', '08:00', { convoyId: 'c1', siteId: 'amiriyah' });
  const arr = f('arrived', '10:00', { convoyId: 'c1', siteId: 'rashidin' });
  const ci = f('checked_in', '10:20', { personId: 'p1', siteId: 'rashidin', payload: { shelter: 'tent 12' } });
  const reg = { siteId: 'amiriyah' };
  assert.equal(derivePersonPosition([], [], reg)?.status, 'registered');
  assert.equal(derivePersonPosition([boarded], [], reg)?.status, 'boarded');
  assert.equal(derivePersonPosition([boarded], [dep], reg)?.status, 'in_transit');
  assert.deepEqual(derivePersonPosition([boarded], [dep, arr], reg), {
    status: 'missing',
    siteId: 'rashidin',
    convoyId: 'c1',
    vehicleId: 'bus1',
  });
  assert.equal(derivePersonPosition([ci, boarded], [arr, dep], reg)?.status, 'arrived');
  const cancelled = f('cancelled', '07:30', { convoyId: 'c1' });
  assert.equal(derivePersonPosition([boarded], [cancelled], reg)?.status, 'registered');
});
