/**
 * A head count recorded again with an earlier device time (a phone that synced late) does not
 * replace the later count: the count in force is the latest by device time, on the manifest as in
 * the counts and reconciliation, whichever order the two arrive in — through the convoy board,
 * its batch form, or the facts endpoint.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ulid } from 'ulid';
import { permissionsOf } from '../../src/domain/policy.js';
import type { Ctx } from '../../src/services/context.js';
import { recordVehicleHeadCounts } from '../../src/services/convoys/convoys-batch.js';
import { verifyCounts } from '../../src/services/counts/counts.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

const rows = (men: number, girls: number) => [
  { sex: 'male', ageBand: '18-59', category: 'civilian', count: men },
  ...(girls > 0 ? [{ sex: 'female', ageBand: '0-4', category: 'civilian', count: girls }] : []),
];
const EARLY = '2016-12-21T22:00:00.000Z';
const LATE = '2016-12-21T22:05:00.000Z';

for (const dialect of dialects) {
  describe(`the head count in force is the latest by device time (${dialect.name})`, () => {
    let h: Harness;

    async function operation(code: string) {
      const op = (await setUpOperation(h, code)).id;
      const base = `/api/operations/${op}`;
      const [officer, viewer] = (await Promise.all([h.userWithRoles(op, ['convoy_officer']), h.userWithRoles(op, ['coordinator'])])) as [
        Client,
        Client,
      ];
      assert.equal((await viewer.post(`${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'rashidin'] })).status, 201);
      assert.equal((await officer.post(`${base}/convoys`, { id: 'c1', routeId: 'r1' })).status, 201);
      assert.equal(
        (await officer.post(`${base}/convoys/c1/vehicles`, { id: 'car1', kind: 'private_car', capacity: 8, mode: 'head_count' })).status,
        201,
      );
      return { op, base, officer, viewer };
    }
    type Op = Awaited<ReturnType<typeof operation>>;

    /** What everyone reads: the manifest's count, the live counts, reconciliation after arrival with the later count observed, and the verification. */
    async function outcome(o: Op) {
      const manifest = await o.officer.get(`${o.base}/convoys/c1/manifest`);
      await h.settleCounts();
      const counts = (await o.viewer.get(`${o.base}/counts`)).body;
      const v = await verifyCounts(h.db.kysely, h.keys, o.op);
      assert.deepEqual(v.differences, [], 'maintained counts equal their recomputation');
      return {
        headCount: manifest.body.vehicles.find((x: { id: string }) => x.id === 'car1').headCount,
        boarded: counts.totals.boarded,
        bySexAge: counts.bySexAge.boarded,
      };
    }
    async function arriveAndReconcile(o: Op) {
      for (const event of ['depart', 'arrive']) {
        const r = await o.viewer.post(`${o.base}/convoys/c1/transitions`, {
          event,
          at: event === 'depart' ? '2016-12-21T22:30:00.000Z' : '2016-12-21T23:30:00.000Z',
          ...(event === 'arrive' ? { vehicleId: 'car1', observedHeadCount: 5 } : {}),
          override: { reason: 'test' },
        });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      const recon = await o.viewer.get(`${o.base}/reconciliation?convoyId=c1`);
      assert.equal(recon.status, 200);
      return recon.body.items.filter((i: { kind: string }) => i.kind === 'head_count_mismatch');
    }

    before(async () => {
      h = await startHarness(await dialect.open());
    });
    after(async () => h.close());

    test('a count recorded late with an earlier device time leaves the later one in force; both orders give the same counts', async () => {
      const inOrder = await operation('hc-in-order');
      const late = await operation('hc-late');
      // In order: 3 + 1 at 22:00, then 5 at 22:05 (a recount).
      assert.equal(
        (await inOrder.officer.post(`${inOrder.base}/convoys/c1/head-counts`, { vehicleId: 'car1', at: EARLY, rows: rows(3, 1) })).status,
        201,
      );
      assert.equal(
        (await inOrder.officer.post(`${inOrder.base}/convoys/c1/head-counts`, { vehicleId: 'car1', at: LATE, rows: rows(5, 0) })).status,
        201,
      );
      // The recount arrives first, the phone with the first count syncs afterwards.
      assert.equal(
        (await late.officer.post(`${late.base}/convoys/c1/head-counts`, { vehicleId: 'car1', at: LATE, rows: rows(5, 0) })).status,
        201,
      );
      const stale = await late.officer.post(`${late.base}/convoys/c1/head-counts`, { vehicleId: 'car1', at: EARLY, rows: rows(3, 1) });
      assert.equal(stale.status, 201, JSON.stringify(stale.body));
      assert.deepEqual(
        stale.body.warnings.map((w: { code: string }) => w.code),
        ['head_count_superseded'],
        'the officer is told the count is not in force',
      );
      assert.equal(stale.body.warnings[0].inForce.total, 5);

      const [a, b] = [await outcome(inOrder), await outcome(late)];
      assert.deepEqual(b, a);
      assert.deepEqual(a.headCount, rows(5, 0), 'the manifest shows the later count');
      assert.equal(a.boarded, 5);
      assert.deepEqual(await arriveAndReconcile(late), [], 'the later count observed on arrival agrees');
      assert.deepEqual(await arriveAndReconcile(inOrder), []);
    });

    test('the batch form keeps the latest by device time, whatever the order of its items', async () => {
      const o = await operation('hc-batch');
      const ctx: Ctx = {
        db: h.db.kysely,
        keys: h.keys,
        actor: { kind: 'user', id: o.officer.userId, name: 'officer', isAdmin: false },
        roles: ['convoy_officer'],
        permissions: permissionsOf(['convoy_officer']),
        now: new Date('2016-12-21T23:00:00.000Z'),
        operationId: o.op,
      };
      const out = await h.db.kysely.transaction().execute((trx) =>
        recordVehicleHeadCounts({ ...ctx, db: trx }, 'c1', [
          { vehicleId: 'car1', at: LATE, rows: rows(5, 0) as never },
          { vehicleId: 'car1', at: EARLY, rows: rows(3, 1) as never },
        ]),
      );
      assert.deepEqual(
        out.map((r) => r.warnings.map((w) => w.code)),
        [[], ['head_count_superseded']],
      );
      const r = await outcome(o);
      assert.deepEqual(r.headCount, rows(5, 0));
      assert.equal(r.boarded, 5);
    });

    test('the batch form warns of a car over its capacity, and refuses by item, writing nothing', async () => {
      const o = await operation('hc-batch-refusal');
      assert.equal((await o.officer.post(`${o.base}/convoys/c1/vehicles`, { id: 'bus', kind: 'bus', capacity: 50 })).status, 201);
      const ctx: Ctx = {
        db: h.db.kysely,
        keys: h.keys,
        actor: { kind: 'user', id: o.officer.userId, name: 'officer', isAdmin: false },
        roles: ['convoy_officer'],
        permissions: permissionsOf(['convoy_officer']),
        now: new Date('2016-12-21T23:00:00.000Z'),
        operationId: o.op,
      };
      const facts = async () =>
        Number(
          (
            await h.db.kysely
              .selectFrom('movement_facts')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('operation_id', '=', o.op)
              .executeTakeFirstOrThrow()
          ).n,
        );
      await assert.rejects(
        h.db.kysely.transaction().execute((trx) =>
          recordVehicleHeadCounts({ ...ctx, db: trx }, 'c1', [
            { vehicleId: 'car1', at: EARLY, rows: rows(3, 1) as never },
            { vehicleId: 'bus', at: LATE, rows: rows(2, 0) as never },
          ]),
        ),
        (err: { code?: string; details?: { index?: number } }) =>
          err.code === 'manifest.not_head_count_vehicle' && err.details?.index === 1,
      );
      assert.equal(await facts(), 0, 'nothing written');
      const out = await h.db.kysely
        .transaction()
        .execute((trx) => recordVehicleHeadCounts({ ...ctx, db: trx }, 'c1', [{ vehicleId: 'car1', at: LATE, rows: rows(8, 1) as never }]));
      assert.deepEqual(out[0]?.warnings, [{ code: 'over_capacity', vehicleId: 'car1', capacity: 8, count: 9 }]);
    });

    test('a head count sent through the facts endpoint is on the manifest when it is the latest, and not when it is older', async () => {
      const o = await operation('hc-facts');
      assert.equal(
        (await o.officer.post(`${o.base}/convoys/c1/head-counts`, { vehicleId: 'car1', at: LATE, rows: rows(5, 0) })).status,
        201,
      );
      const send = (at: string, r: ReturnType<typeof rows>) =>
        o.officer.post(`${o.base}/facts`, {
          facts: [
            {
              id: ulid(),
              kind: 'boarded',
              convoyId: 'c1',
              vehicleId: 'car1',
              siteId: 'amiriyah',
              deviceTime: at,
              payload: { headCount: r },
            },
          ],
        });
      assert.equal((await send(EARLY, rows(3, 1))).status, 200);
      assert.deepEqual((await outcome(o)).headCount, rows(5, 0), 'an older count from a late phone does not replace the later one');
      assert.equal((await send('2016-12-21T22:10:00.000Z', rows(6, 0))).status, 200);
      const r = await outcome(o);
      assert.deepEqual(r.headCount, rows(6, 0), 'a later count sent by a phone is the one in force, on the manifest too');
      assert.equal(r.boarded, 6);
    });
  });
}
