/**
 * The batch boarding path (`boardHouseholds`, used by bulk loads) keeps the flags of those already
 * on board right exactly as one boarding at a time does: a child boarded alone is flagged, and
 * loses the flag (and the household its split reason) when the mother boards through the batch —
 * whether the child boarded earlier or earlier in the same batch.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Executor } from '../../src/db/queries/executor.js';
import { permissionsOf, type Role } from '../../src/domain/policy.js';
import { personInput } from '../../src/domain/schemas/persons.js';
import type { Ctx } from '../../src/services/context.js';
import { createConvoy, getManifest } from '../../src/services/convoys/convoys.js';
import { addVehicle, boardHousehold, boardHouseholds, type BoardingInput } from '../../src/services/convoys/convoys-batch.js';
import { registerHousehold } from '../../src/services/persons/persons.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Harness } from '../support/harness.js';

const NOW = new Date('2016-12-15T08:00:00.000Z');

for (const dialect of dialects) {
  describe(`batch boarding recomputes the flags of those on board (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    const ctxFor = (db: Executor, roles: Role[]): Ctx => ({
      db,
      keys: h.keys,
      actor: { kind: 'user', id: h.admin.userId, name: 'root', isAdmin: false },
      roles,
      permissions: permissionsOf(roles),
      now: NOW,
      operationId: op,
    });
    const inTx = <T>(fn: (ctx: Ctx) => Promise<T>, roles: Role[] = ['convoy_officer']) =>
      h.db.kysely.transaction().execute((trx) => fn(ctxFor(trx, roles)));
    const manifest = (convoyId: string) => inTx((ctx) => getManifest(ctx, convoyId));
    const entry = async (convoyId: string, personId: string) => (await manifest(convoyId)).entries.find((e) => e.personId === personId);

    /** A mother and her son of seven, ids `${p}-mother` and `${p}-son`; convoy `${p}` with one bus. */
    async function family(p: string) {
      await inTx(
        (ctx) =>
          registerHousehold(
            ctx,
            {
              id: `${p}-h`,
              siteId: 'amiriyah',
              members: [
                personInput.parse({
                  id: `${p}-mother`,
                  names: { lat: { given: 'Mother', family: p } },
                  sex: 'female',
                  estimatedAge: 35,
                  relationship: 'head',
                }),
                personInput.parse({
                  id: `${p}-son`,
                  names: { lat: { given: 'Son', family: p } },
                  sex: 'male',
                  estimatedAge: 7,
                  relationship: 'child',
                }),
              ],
            },
            { flagDuplicates: false },
          ),
        ['registrar'],
      );
      await inTx(async (ctx) => {
        await createConvoy(ctx, { id: p, routeId: 'r1' });
        await addVehicle(ctx, p, { id: `${p}-bus`, kind: 'bus', capacity: 10, mode: 'named' });
      });
    }
    const sonAlone = (p: string): BoardingInput => ({
      householdId: `${p}-h`,
      vehicleId: `${p}-bus`,
      memberIds: [`${p}-son`],
      splitReason: 'mother at the clinic',
      at: '2016-12-15T07:00:00.000Z',
    });
    const mother = (p: string): BoardingInput => ({
      householdId: `${p}-h`,
      vehicleId: `${p}-bus`,
      memberIds: [`${p}-mother`],
      at: '2016-12-15T07:10:00.000Z',
    });

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h, 'batch-flags')).id;
      assert.equal((await h.admin.post(`/api/operations/${op}/routes`, { id: 'r1', siteIds: ['amiriyah', 'rashidin'] })).status, 201);
    });
    after(async () => h.close());

    test('a child boarded alone loses its flag, and the household its split, when the mother boards through the batch', async () => {
      await family('a');
      await inTx((ctx) => boardHousehold(ctx, 'a', sonAlone('a')));
      const alone = await entry('a', 'a-son');
      assert.deepEqual(alone?.flags, ['child_without_adult_on_vehicle']);
      assert.equal(alone?.splitReason, 'mother at the clinic');

      const out = await inTx((ctx) => boardHouseholds(ctx, 'a', [mother('a')]));
      assert.deepEqual(
        out.results[0]?.updated,
        [{ personId: 'a-son', householdId: 'a-h', vehicleId: 'a-bus', flags: [], splitReason: null }],
        'the batch says whose flags it changed',
      );
      const son = await entry('a', 'a-son');
      assert.deepEqual(son?.flags, [], 'with his mother on the bus the child is no longer flagged');
      assert.equal(son?.splitReason, null, 'the household rides whole again');
      assert.equal((await entry('a', 'a-mother'))?.splitReason, null);
    });

    test('the batch and one boarding at a time leave the same manifest, and a child boarded earlier in the same batch ends unflagged', async () => {
      await family('s');
      await family('b');
      const single = await inTx(async (ctx) => [
        await boardHousehold(ctx, 's', sonAlone('s')),
        await boardHousehold(ctx, 's', mother('s')),
      ]);
      const batch = await inTx((ctx) => boardHouseholds(ctx, 'b', [sonAlone('b'), mother('b')]));
      const shape = (convoyId: string, xs: { entries: object[]; updated: object[] }[]) =>
        JSON.parse(JSON.stringify(xs.map((r) => ({ entries: r.entries, updated: r.updated }))).replaceAll(`${convoyId}-`, 'X-'));
      assert.deepEqual(shape('b', batch.results), shape('s', single), 'the same entries and updates, boarding by boarding');
      const view = async (convoyId: string) =>
        JSON.parse(JSON.stringify((await manifest(convoyId)).entries).replaceAll(`${convoyId}-`, 'X-'));
      assert.deepEqual(await view('b'), await view('s'));
      assert.deepEqual((await entry('b', 'b-son'))?.flags, []);
      assert.equal((await entry('b', 'b-son'))?.splitReason, null);
    });

    test('a split made through the batch is written to those already on board', async () => {
      // The mother boards alone first (split, with a reason); the son follows through the batch onto the same bus: whole again.
      await family('c');
      await inTx((ctx) => boardHousehold(ctx, 'c', { ...mother('c'), splitReason: 'son with his uncle' }));
      assert.equal((await entry('c', 'c-mother'))?.splitReason, 'son with his uncle');
      await inTx((ctx) => boardHouseholds(ctx, 'c', [{ householdId: 'c-h', vehicleId: 'c-bus', memberIds: ['c-son'] }]));
      assert.equal((await entry('c', 'c-mother'))?.splitReason, null, 'the mother is no longer split from her son');
      assert.deepEqual((await entry('c', 'c-son'))?.flags, []);
    });
  });
}
