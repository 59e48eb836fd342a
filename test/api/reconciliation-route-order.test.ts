/**
 * Checkpoint order in reconciliation through the API: a vehicle seen at a later checkpoint
 * before an earlier one, and a checkpoint a vehicle never passed though it arrived, are items
 * in the operation's reconciliation, scoped to the convoy, vehicle and site; correcting the
 * wrong fact clears the item. A hospital on the route is not a checkpoint that must log it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ulid } from 'ulid';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

const at = (m: number) => new Date(Date.parse('2016-12-15T08:00:00Z') + m * 60_000).toISOString();

for (const dialect of dialects) {
  describe(`reconciliation: checkpoint order (${dialect.name})`, () => {
    let h: Harness;
    let base: string;
    let coordinator: Client, officer: Client, monitor: Client;
    const ids: Record<string, string> = {};

    before(async () => {
      h = await startHarness(await dialect.open());
      const op = (await setUpOperation(h, 'route-order')).id;
      base = `/api/operations/${op}`;
      for (const site of [
        { id: 'ramouseh', kind: 'checkpoint', nameEn: 'Ramouseh' },
        { id: 'clinic', kind: 'hospital', nameEn: 'Field clinic' },
        { id: 'hamdaniyah', kind: 'checkpoint', nameEn: 'Hamdaniyah' },
      ]) {
        assert.equal((await h.admin.post(`${base}/sites`, site)).status, 201);
      }
      [coordinator, officer, monitor] = (await Promise.all(
        (['coordinator', 'convoy_officer', 'checkpoint_monitor'] as const).map((r) => h.userWithRoles(op, [r])),
      )) as [Client, Client, Client];
      assert.equal(
        (await coordinator.post(`${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'ramouseh', 'clinic', 'hamdaniyah', 'rashidin'] }))
          .status,
        201,
      );
      for (const id of ['c1', 'c2']) {
        assert.equal((await officer.post(`${base}/convoys`, { id, routeId: 'r1' })).status, 201);
        for (const v of ['bus1', 'bus2'])
          assert.equal((await officer.post(`${base}/convoys/${id}/vehicles`, { id: `${id}-${v}`, kind: 'bus' })).status, 201);
      }
      const fact = (key: string, f: Record<string, unknown>) => {
        ids[key] = ulid();
        return { id: ids[key], ...f };
      };
      const r = await monitor.post(`${base}/facts`, {
        facts: [
          // c1: bus1 is logged at Hamdaniyah before Ramouseh (a wrong clock or a wrong site); bus2 in order.
          fact('c1-ham', { kind: 'passed_checkpoint', convoyId: 'c1', vehicleId: 'c1-bus1', siteId: 'hamdaniyah', deviceTime: at(30) }),
          fact('c1-ram-late', { kind: 'passed_checkpoint', convoyId: 'c1', vehicleId: 'c1-bus1', siteId: 'ramouseh', deviceTime: at(40) }),
          fact('c1b2-ram', { kind: 'passed_checkpoint', convoyId: 'c1', vehicleId: 'c1-bus2', siteId: 'ramouseh', deviceTime: at(20) }),
          fact('c1b2-ham', { kind: 'passed_checkpoint', convoyId: 'c1', vehicleId: 'c1-bus2', siteId: 'hamdaniyah', deviceTime: at(35) }),
          // c2: the whole convoy passes Ramouseh and is seen further on, never at Hamdaniyah.
          fact('c2-ram', { kind: 'passed_checkpoint', convoyId: 'c2', siteId: 'ramouseh', deviceTime: at(20) }),
        ],
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const arrived = await h.userWithRoles(op, ['reception_officer']);
      const a = await arrived.post(`${base}/facts`, {
        facts: [{ id: ulid(), kind: 'arrived', convoyId: 'c2', siteId: 'rashidin', deviceTime: at(90) }],
      });
      assert.equal(a.status, 200, JSON.stringify(a.body));
    });
    after(async () => h.close());

    const orderItems = async (query = '') => {
      const r = await coordinator.get(`${base}/reconciliation${query}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.items.filter((i: { kind: string }) => i.kind.startsWith('checkpoint_')) as {
        key: string;
        kind: string;
        convoyId: string;
        vehicleId?: string;
        siteId: string;
        details: Record<string, unknown>;
      }[];
    };

    test('a vehicle seen at a later checkpoint before an earlier one is an item naming the late fact', async () => {
      const items = await orderItems('?convoyId=c1');
      assert.deepEqual(
        items.map((i) => [i.kind, i.vehicleId, i.siteId]),
        [['checkpoint_out_of_order', 'c1-bus1', 'ramouseh']],
      );
      assert.equal(items[0]!.details.factId, ids['c1-ram-late']);
    });

    test('a convoy seen beyond a checkpoint that never logged it is one item for the convoy; the hospital on the route is not required', async () => {
      const items = await orderItems('?convoyId=c2');
      assert.deepEqual(
        items.map((i) => [i.kind, i.vehicleId ?? null, i.siteId]),
        [['checkpoint_skipped', null, 'hamdaniyah']],
      );
      const r = await coordinator.get(`${base}/reconciliation?siteId=hamdaniyah`);
      assert.equal(r.body.summary.operation.checkpoint_skipped, 1);
    });

    test('voiding the wrong fact clears the out-of-order item', async () => {
      const r = await monitor.post(`${base}/facts`, {
        facts: [
          { id: ulid(), kind: 'correction', deviceTime: at(60), payload: { voids: ids['c1-ram-late'], note: 'logged at the wrong site' } },
        ],
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      // Now bus1 was never seen at Ramouseh, though seen further on: a skip instead.
      const items = await orderItems('?convoyId=c1');
      assert.deepEqual(
        items.map((i) => [i.kind, i.vehicleId, i.siteId]),
        [['checkpoint_skipped', 'c1-bus1', 'ramouseh']],
      );
    });
  });
}
