/**
 * The operation-wide "what does not add up" list as a desk reads it: one kind at a time, a page
 * at a time, with the summary of the whole scope; plates, convoy names and people's names come
 * with the list (the names read audited), so nothing shows a raw id; a viewer is refused.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

const minutes = (base: number, m: number) => new Date(base + m * 60_000).toISOString();

for (const dialect of dialects) {
  describe(`reconciliation with labels (${dialect.name})`, () => {
    let h: Harness;
    let base: string;
    let registrar: Client, officer: Client, coordinator: Client, reception: Client, viewer: Client;
    const missing: string[] = [];
    const t0 = Date.now() - 6 * 3600_000;

    before(async () => {
      h = await startHarness(await dialect.open());
      const op = (await setUpOperation(h, 'rec-labels')).id;
      base = `/api/operations/${op}`;
      [registrar, officer, coordinator, reception, viewer] = (await Promise.all(
        (['registrar', 'convoy_officer', 'coordinator', 'reception_officer', 'viewer'] as const).map((r) => h.userWithRoles(op, [r])),
      )) as [Client, Client, Client, Client, Client];
      assert.equal((await coordinator.post(`${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'rashidin'] })).status, 201);
      assert.equal((await officer.post(`${base}/convoys`, { id: 'c1', routeId: 'r1', name: 'Dawn convoy' })).status, 201);
      assert.equal(
        (await officer.post(`${base}/convoys/c1/vehicles`, { id: 'bus1', kind: 'bus', capacity: 40, plate: 'ALP-101' })).status,
        201,
      );
      for (const family of ['Qudsi', 'Tarabishi']) {
        const r = await registrar.post(`${base}/households`, {
          siteId: 'amiriyah',
          members: [
            { names: { lat: { given: 'Hala', family } }, sex: 'female', estimatedAge: 34 },
            { names: { lat: { given: 'Omar', family } }, sex: 'male', estimatedAge: 6 },
          ],
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        const b = await officer.post(`${base}/convoys/c1/boardings`, { householdId: r.body.id, vehicleId: 'bus1', at: minutes(t0, 0) });
        assert.equal(b.status, 201, JSON.stringify(b.body));
        missing.push(...r.body.members.map((m: { id: string }) => m.id));
      }
      const d = await coordinator.post(`${base}/convoys/c1/transitions`, {
        event: 'depart',
        at: minutes(t0, 10),
        override: { reason: 'test' },
      });
      assert.equal(d.status, 200, JSON.stringify(d.body));
      assert.equal((await officer.post(`${base}/convoys/c1/transitions`, { event: 'arrive', at: minutes(t0, 60) })).status, 200);
      assert.equal((await reception.post(`${base}/check-ins`, { siteId: 'rashidin', personId: missing.shift() })).status, 201);
    });
    after(async () => h.close());

    test('one kind a page at a time, with the whole scope summarised', async () => {
      const p1 = await reception.get(`${base}/reconciliation?kind=missing_in_transit&limit=2`);
      assert.equal(p1.status, 200, JSON.stringify(p1.body));
      assert.equal(p1.body.total, 3);
      assert.equal(p1.body.items.length, 2);
      assert.ok(p1.body.items.every((i: { kind: string }) => i.kind === 'missing_in_transit'));
      assert.equal(p1.body.summary.operation.missing_in_transit, 3);
      const p2 = await reception.get(`${base}/reconciliation?kind=missing_in_transit&limit=2&offset=2`);
      assert.equal(p2.body.items.length, 1);
      const seen = [...p1.body.items, ...p2.body.items].flatMap((i: { personIds: string[] }) => i.personIds);
      assert.deepEqual(seen.sort(), [...missing].sort());
      const all = await reception.get(`${base}/reconciliation`);
      assert.equal(all.body.total, all.body.items.length, 'without a limit, every item');
      assert.equal((await reception.get(`${base}/reconciliation?kind=nonsense`)).status, 400);
    });

    test('plates, convoy names and people’s names come with the list; naming them is audited', async () => {
      const r = await reception.get(`${base}/reconciliation?kind=missing_in_transit`);
      assert.deepEqual(r.body.labels.vehicles, [{ id: 'bus1', convoyId: 'c1', kind: 'bus', plate: 'ALP-101' }]);
      assert.deepEqual(r.body.labels.convoys, [{ id: 'c1', name: 'Dawn convoy' }]);
      const names = new Map(r.body.labels.persons.map((p: { id: string; names: { lat: { given: string } } }) => [p.id, p.names.lat.given]));
      assert.deepEqual([...names.keys()].sort(), [...missing].sort(), 'exactly the people the items name');
      assert.ok([...names.values()].includes('Omar'));
      const audited = await h.db.kysely
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'reconciliation.read')
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      const details = (typeof audited.details === 'string' ? JSON.parse(audited.details) : audited.details) as { persons: string[] };
      assert.deepEqual(details.persons.sort(), [...missing].sort());
      const empty = await reception.get(`${base}/reconciliation?kind=checkpoint_skipped`);
      assert.deepEqual(empty.body.labels.persons, []);
    });

    test('a viewer sees aggregates only: the list is refused', async () => {
      assert.equal((await viewer.get(`${base}/reconciliation`)).status, 403);
      assert.equal((await viewer.get(`${base}/reconciliation?kind=missing_in_transit`)).status, 403);
      assert.equal((await viewer.get(`${base}/counts`)).status, 200);
    });
  });
}
