/**
 * A convoy as read by any phone at a checkpoint names the passes logged there — the convoy's and
 * each vehicle's, by whichever phone — so the next shift sees what was logged; a voided pass is
 * not among them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ulid } from 'ulid';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`checkpoint passes on the convoy (${dialect.name})`, () => {
    let h: Harness;
    let base: string;
    let operationId: string;
    let officer: Client, monitorA: Client, monitorB: Client;
    const fact = (f: Record<string, unknown>) => ({
      id: ulid(),
      operationId,
      convoyId: 'c1',
      deviceTime: new Date().toISOString(),
      payload: {},
      ...f,
    });

    before(async () => {
      h = await startHarness(await dialect.open());
      operationId = (await setUpOperation(h, 'passes-op')).id;
      base = `/api/operations/${operationId}`;
      assert.equal((await h.admin.post(`${base}/sites`, { id: 'ramouseh', kind: 'checkpoint', nameEn: 'Ramouseh' })).status, 201);
      [officer, monitorA, monitorB] = (await Promise.all(
        (['coordinator', 'checkpoint_monitor', 'checkpoint_monitor'] as const).map((r) => h.userWithRoles(operationId, [r])),
      )) as [Client, Client, Client];
      assert.equal((await officer.post(`${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'ramouseh', 'rashidin'] })).status, 201);
      assert.equal((await officer.post(`${base}/convoys`, { id: 'c1', routeId: 'r1' })).status, 201);
      for (const id of ['bus1', 'bus2'])
        assert.equal((await officer.post(`${base}/convoys/c1/vehicles`, { id, kind: 'bus', mode: 'head_count' })).status, 201);
    });
    after(async () => h.close());

    test('passes logged by one phone are read by another; a voided one is left out', async () => {
      const convoyPass = fact({ kind: 'passed_checkpoint', siteId: 'ramouseh' });
      const bus1 = fact({ kind: 'passed_checkpoint', siteId: 'ramouseh', vehicleId: 'bus1', payload: { observedHeadCount: 30 } });
      const bus2 = fact({ kind: 'passed_checkpoint', siteId: 'ramouseh', vehicleId: 'bus2' });
      const r = await monitorA.post(`${base}/facts`, { facts: [convoyPass, bus1, bus2] });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const voids = await monitorA.post(`${base}/facts`, {
        facts: [fact({ kind: 'correction', convoyId: undefined, payload: { voids: bus2.id } })],
      });
      assert.equal(voids.status, 200, JSON.stringify(voids.body));
      const seen = await monitorB.get(`${base}/convoys/c1`);
      assert.equal(seen.status, 200);
      assert.deepEqual(
        seen.body.checkpointPasses.map((p: { siteId: string; vehicleId: string | null }) => [p.siteId, p.vehicleId]).sort(),
        [
          ['ramouseh', null],
          ['ramouseh', 'bus1'],
        ],
      );
      assert.equal(seen.body.checkpointPasses[0].at, convoyPass.deviceTime);
    });
  });
}
