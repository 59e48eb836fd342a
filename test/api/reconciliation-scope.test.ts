/**
 * Reconciliation for one convoy, vehicle or site reads only its slice of the operation, and gives
 * exactly the items the whole-operation reconciliation gives for that scope. On a generated
 * operation (the demo scenario, a few hundred people: buses, ambulances, head-count cars, a turned
 * back convoy, people missing in transit), made harder by hand: records merged across convoys, a
 * check-in voided, people checked in from no manifest naming a convoy, a head count seen wrong.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { loadDemo } from '../../src/demo/load.js';
import { findUserByUsername } from '../../src/db/queries/users.js';
import { buildFact, type MovementFact } from '../../src/domain/movements/index.js';
import { permissions } from '../../src/domain/policy.js';
import { itemsFor } from '../../src/domain/reconciliation/index.js';
import { ensureFirstAdmin } from '../../src/services/accounts/auth.js';
import type { Ctx } from '../../src/services/context.js';
import { appendFacts } from '../../src/services/facts/facts.js';
import { KeyRing } from '../../src/services/keys/keyring.js';
import { loadSlice, reconcileOperation, type ReconciliationScope } from '../../src/services/reconciliation/reconciliation.js';
import { dialects, type TestDb } from '../support/db.js';

for (const dialect of dialects) {
  describe(`scoped reconciliation (${dialect.name})`, () => {
    let db: TestDb;
    const keys = new KeyRing(randomBytes(32));
    let ctx: Ctx;
    let operationId: string;

    before(async () => {
      db = await dialect.open();
      await db.kysely.transaction().execute((trx) => ensureFirstAdmin(trx, new Date()));
      const adminId = (await findUserByUsername(db.kysely, 'admin'))!.id;
      operationId = (await loadDemo(db, keys, { adminId, people: 400, seed: 7 })).operationId;
      ctx = {
        db: db.kysely,
        keys,
        now: new Date('2016-12-23T12:00:00.000Z'),
        roles: ['coordinator'],
        permissions: new Set(permissions),
        actor: { kind: 'user', id: adminId, name: 'admin', isAdmin: true },
        operationId,
      };
      await harden();
    });
    after(async () => db?.close());

    /** What the generated operation lacks: merges across convoys, voided check-ins, check-ins from no manifest naming a convoy, a wrong head count. */
    async function harden() {
      const q = db.kysely;
      const manifested = await q
        .selectFrom('manifest_entries')
        .select(['person_id', 'convoy_id', 'vehicle_id'])
        .where('operation_id', '=', operationId)
        .orderBy('person_id')
        .execute();
      const convoys = [...new Set(manifested.map((e) => e.convoy_id))].sort();
      assert.ok(convoys.length >= 3, 'the scenario has several convoys with manifests');
      const onConvoy = (c: string) => manifested.filter((e) => e.convoy_id === c);
      const waiting = await q
        .selectFrom('persons')
        .select('id')
        .where('operation_id', '=', operationId)
        .where('id', 'not in', q.selectFrom('manifest_entries').select('person_id').where('operation_id', '=', operationId))
        .orderBy('id')
        .limit(4)
        .execute();
      const facts: MovementFact[] = [];
      const fact = (f: Record<string, unknown>) => {
        const x = buildFact({ id: ulid(), operationId, deviceTime: '2016-12-22T18:00:00.000Z', ...f } as never);
        facts.push(x);
        return x;
      };
      // Someone waiting is checked in saying they came with a convoy (arrived, not manifested, on that convoy).
      for (const [i, p] of waiting.slice(0, 2).entries())
        fact({ kind: 'checked_in', personId: p.id, siteId: 'rashidin', convoyId: convoys[i] });
      // A check-in voided: the person is missing again (or still arrived, by another check-in).
      const checkIn = await q
        .selectFrom('movement_facts')
        .select('id')
        .where('operation_id', '=', operationId)
        .where('kind', '=', 'checked_in')
        .where(
          'person_id',
          'in',
          onConvoy(convoys[1]!).map((e) => e.person_id),
        )
        .orderBy('id')
        .executeTakeFirst();
      if (checkIn) fact({ kind: 'correction', payload: { voids: checkIn.id } });
      // A head count at arrival that disagrees with a vehicle of the first convoy.
      const v = onConvoy(convoys[0]!)[0]!;
      fact({ kind: 'arrived', convoyId: v.convoy_id, vehicleId: v.vehicle_id, siteId: 'rashidin', payload: { observedHeadCount: 999 } });
      await db.kysely.transaction().execute((trx) => appendFacts({ ...ctx, db: trx }, facts));
      // Records merged across convoys: someone of the second convoy is a duplicate of someone of the third, and a waiting one of someone missing.
      const merge = async (from: string, into: string) =>
        q.updateTable('persons').set({ merged_into: into }).where('operation_id', '=', operationId).where('id', '=', from).execute();
      await merge(onConvoy(convoys[1]!)[1]!.person_id, onConvoy(convoys[2]!)[0]!.person_id);
      const missing = (await reconcileOperation(ctx, {})).items.filter((i) => i.kind === 'missing_in_transit').map((i) => i.personIds![0]!);
      assert.ok(missing.length >= 2, 'the scenario has people missing in transit');
      await merge(waiting[3]!.id, missing[0]!);
      // Found at reception, by their other record and with no convoy named: no longer missing. Another one, by their own record.
      await db.kysely.transaction().execute((trx) =>
        appendFacts({ ...ctx, db: trx }, [
          buildFact({
            id: ulid(),
            operationId,
            kind: 'checked_in',
            personId: waiting[3]!.id,
            siteId: 'rashidin',
            deviceTime: '2016-12-22T19:00:00.000Z',
          }),
          buildFact({
            id: ulid(),
            operationId,
            kind: 'checked_in',
            personId: missing[1]!,
            siteId: 'rashidin',
            deviceTime: '2016-12-22T19:00:00.000Z',
          }),
        ]),
      );
      // A household split between two vehicles of one convoy and, for one more member, another convoy: split across convoys.
      const entries = await q
        .selectFrom('manifest_entries')
        .innerJoin('vehicles', (j) =>
          j.onRef('vehicles.operation_id', '=', 'manifest_entries.operation_id').onRef('vehicles.id', '=', 'manifest_entries.vehicle_id'),
        )
        .select([
          'manifest_entries.person_id',
          'manifest_entries.household_id',
          'manifest_entries.convoy_id',
          'manifest_entries.vehicle_id',
        ])
        .where('manifest_entries.operation_id', '=', operationId)
        .where('vehicles.mode', '=', 'named')
        .orderBy('manifest_entries.person_id')
        .execute();
      const named = await q
        .selectFrom('vehicles')
        .select(['id', 'convoy_id'])
        .where('operation_id', '=', operationId)
        .where('mode', '=', 'named')
        .orderBy('id')
        .execute();
      const pair = entries.find(
        (a) =>
          named.filter((v) => v.convoy_id === a.convoy_id).length >= 2 &&
          entries.some((b) => b.household_id === a.household_id && b.vehicle_id === a.vehicle_id && b.person_id !== a.person_id),
      );
      assert.ok(pair, 'a household riding together on a convoy of several vehicles');
      const otherVehicle = named.find((v) => v.convoy_id === pair.convoy_id && v.id !== pair.vehicle_id)!;
      const otherConvoy = named.find((v) => v.convoy_id !== pair.convoy_id)!;
      await q
        .updateTable('manifest_entries')
        .set({ vehicle_id: otherVehicle.id })
        .where('operation_id', '=', operationId)
        .where('convoy_id', '=', pair.convoy_id)
        .where('person_id', '=', pair.person_id)
        .execute();
      await q
        .insertInto('manifest_entries')
        .values({
          operation_id: operationId,
          convoy_id: otherConvoy.convoy_id,
          person_id: waiting[2]!.id,
          household_id: pair.household_id,
          vehicle_id: otherConvoy.id,
          flags: [],
          split_reason: null,
          added_at: ctx.now,
          added_by: ctx.actor.id,
        })
        .execute();
    }

    const scopes = async (): Promise<ReconciliationScope[]> => {
      const convoys = await db.kysely.selectFrom('convoys').select('id').where('operation_id', '=', operationId).orderBy('id').execute();
      const vehicles = await db.kysely
        .selectFrom('vehicles')
        .select(['id', 'convoy_id'])
        .where('operation_id', '=', operationId)
        .orderBy('id')
        .execute();
      const sites = await db.kysely.selectFrom('sites').select('id').where('operation_id', '=', operationId).orderBy('id').execute();
      // Every convoy and site, one vehicle in three, a convoy at a site, and ids that match nothing.
      return [
        ...convoys.map((c) => ({ convoyId: c.id })),
        ...vehicles.filter((_, i) => i % 3 === 0).map((v) => ({ vehicleId: v.id })),
        ...sites.map((s) => ({ siteId: s.id })),
        { convoyId: convoys[0]!.id, siteId: 'rashidin' },
        { convoyId: 'no-such-convoy' },
        { vehicleId: 'no-such-vehicle' },
        { siteId: 'no-such-site' },
      ];
    };

    test("each convoy, vehicle and site gets exactly its slice of the whole operation's reconciliation", async () => {
      const whole = await reconcileOperation(ctx, {});
      const kinds = new Set(whole.items.map((i) => i.kind));
      for (const k of ['missing_in_transit', 'arrived_not_manifested', 'head_count_mismatch', 'household_split'] as const)
        assert.ok(kinds.has(k), `the operation has ${k} items to find`);
      let nonEmpty = 0;
      for (const scope of await scopes()) {
        const scoped = await reconcileOperation(ctx, scope);
        const expected = itemsFor(whole.items, scope);
        assert.deepEqual(scoped.items, expected, `scope ${JSON.stringify(scope)}`);
        if (expected.length > 0) nonEmpty++;
      }
      assert.ok(nonEmpty >= 5, 'most scopes have items to compare');
    });

    test("a convoy's reconciliation reads its own facts and people, not the operation's", async () => {
      const total = Number(
        (
          await db.kysely
            .selectFrom('movement_facts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('operation_id', '=', operationId)
            .executeTakeFirstOrThrow()
        ).n,
      );
      const convoy = (
        await db.kysely
          .selectFrom('manifest_entries')
          .select('convoy_id')
          .where('operation_id', '=', operationId)
          .orderBy('convoy_id')
          .executeTakeFirstOrThrow()
      ).convoy_id;
      const slice = await loadSlice(ctx, { convoyId: convoy });
      assert.ok(slice.facts.length > 0);
      assert.ok(
        slice.facts.length * 3 < total,
        `a convoy's slice (${slice.facts.length} facts) is a small part of the operation (${total})`,
      );
      assert.ok(
        slice.facts.every((f) => f.convoyId === convoy || f.personId !== undefined || f.kind === 'correction'),
        "only the convoy's facts, its people's and their corrections",
      );
    });
  });
}
