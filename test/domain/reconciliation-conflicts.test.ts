/**
 * The conflict items of devices that synced late (src/domain/reconciliation/conflicts.ts): which
 * pairs are conflicts, which side stands, and the same items for every order the facts came in.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFact, type MovementFact, type MovementFactInput } from '../../src/domain/movements/index.js';
import { conflictItems } from '../../src/domain/reconciliation/index.js';
import { makeRegistry } from '../../src/domain/counts/index.js';

const id = (n: number) => `01HZZ${String(n).padStart(21, '0')}`;
let seq = 0;
function f(kind: MovementFactInput['kind'], at: string, rest: Record<string, unknown> = {}): MovementFact {
  return buildFact({ id: id(++seq), operationId: 'aleppo', kind, deviceTime: `2016-12-15T${at}:00.000Z`, ...rest } as MovementFactInput);
}
const board = (personId: string, convoyId: string, vehicleId: string, at: string) => f('boarded', at, { personId, convoyId, vehicleId });
const checkIn = (personId: string, siteId: string, at: string, payload: Record<string, unknown> = {}) =>
  f('checked_in', at, { personId, siteId, payload });

/** Every order of a small list (the facts as they might have arrived). */
function orders<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => orders([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

describe('conflicts of offline devices', () => {
  test('two boardings on two vehicles: the later device time stands; the same item in every arrival order', () => {
    const a = board('p1', 'c1', 'bus1', '10:00');
    const b = board('p1', 'c1', 'bus2', '10:05');
    const other = checkIn('p2', 'rashidin', '11:00');
    const seen = new Set<string>();
    for (const facts of orders([a, b, other])) {
      const items = conflictItems(facts, makeRegistry([]));
      assert.equal(items.length, 1);
      assert.equal(items[0]!.details.standing && (items[0]!.details.standing as { factId: string }).factId, b.id);
      seen.add(JSON.stringify(items));
    }
    assert.equal(seen.size, 1);
  });

  test('a tie in device time is broken by the fact id', () => {
    const a = board('p1', 'c1', 'bus1', '10:00');
    const b = board('p1', 'c1', 'bus2', '10:00');
    const [item] = conflictItems([b, a], makeRegistry([]));
    assert.equal((item!.details.standing as { factId: string }).factId, a.id < b.id ? b.id : a.id);
  });

  test('a boarding voided by the server for a later one is still a side; one voided by a person is not', () => {
    const a = board('p1', 'c1', 'bus1', '09:00');
    const b = board('p1', 'c2', 'c2-bus', '09:30');
    const byServer = f('correction', '09:30', { payload: { voids: a.id, replacedBy: b.id } });
    assert.equal(conflictItems([a, b, byServer], makeRegistry([])).length, 1);
    const byPerson = f('correction', '09:40', { payload: { voids: a.id } });
    assert.equal(conflictItems([a, b, byPerson], makeRegistry([])).length, 0);
  });

  test('boarding again after the convoy turned back or was cancelled is a new departure; boarding elsewhere before that is a conflict', () => {
    // The 16 December convoy of the Aleppo scenario: halted at the crossing, turned back; its people board again on 18 December.
    const first = board('p1', 'c16', 'bus1', '08:00');
    const turnedBack = f('turned_back', '12:00', { convoyId: 'c16', siteId: 'ramouseh', payload: { reason: 'ceasefire_suspended' } });
    const again = board('p1', 'c18', 'c18-bus', '20:00');
    for (const facts of orders([first, turnedBack, again])) assert.deepEqual(conflictItems(facts, makeRegistry([])), []);
    const cancelled = f('cancelled', '09:00', { convoyId: 'c20', payload: {} });
    assert.deepEqual(
      conflictItems([board('p2', 'c20', 'b20', '08:30'), cancelled, board('p2', 'c21', 'b21', '09:10')], makeRegistry([])),
      [],
    );
    // Boarded on another convoy while the first was still on the road: a conflict still.
    const early = board('p3', 'c16', 'bus1', '08:00');
    const elsewhere = board('p3', 'c17', 'c17-bus', '11:00');
    assert.equal(
      conflictItems(
        [early, elsewhere, f('turned_back', '12:00', { convoyId: 'c16', payload: { reason: 'ceasefire_suspended' } })],
        makeRegistry([]),
      ).length,
      1,
    );
    // A turn-back voided by a correction ends nothing.
    const voided = f('correction', '12:30', { payload: { voids: turnedBack.id } });
    assert.equal(conflictItems([first, turnedBack, voided, again], makeRegistry([])).length, 1);
  });

  test('merged records are one person; a journey (boarded, checked in, boarded on) and a shelter are not conflicts', () => {
    const registry = makeRegistry([], { 'p1-dup': 'p1' });
    assert.equal(conflictItems([board('p1', 'c1', 'bus1', '10:00'), board('p1-dup', 'c1', 'bus2', '10:01')], registry).length, 1);
    const journey = [
      board('p3', 'c1', 'bus1', '08:00'),
      checkIn('p3', 'rashidin', '08:30'),
      board('p3', 'c2', 'c2-bus', '09:00'),
      checkIn('p3', 'jibrin', '09:30'),
      checkIn('p3', 'rashidin', '10:00', { shelter: 'Hall 3' }),
    ];
    assert.deepEqual(conflictItems(journey, makeRegistry([])), []);
    const twoSites = [checkIn('p4', 'rashidin', '08:30'), checkIn('p4', 'jibrin', '08:40')];
    const [item] = conflictItems(twoSites, makeRegistry([]));
    assert.equal(item!.kind, 'check_in_conflict');
    assert.equal(item!.siteId, 'jibrin');
  });
});
