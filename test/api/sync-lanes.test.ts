/**
 * Sync lanes (src/server/plugins/sync-lanes.ts): writes sent from a backlog — device tokens, or an
 * outbox that says it holds more — take turns through a few lanes, so a storm of them cannot take
 * every database connection from the online desks. Taking turns loses nothing, writes nothing
 * twice, and does not lock up when copies of one request arrive together (one waits for the other
 * inside its lane).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ulid } from 'ulid';
import { OUTBOX_SIZE_HEADER } from '../../src/domain/api/endpoint.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`sync lanes (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let officer: Client;
    const tokens: string[] = [];

    before(async () => {
      h = await startHarness(await dialect.open(), { app: { syncLanes: 1 } });
      op = (await setUpOperation(h, 'sync-lanes')).id;
      officer = await h.userWithRoles(op, ['admin', 'checkpoint_monitor', 'convoy_officer'], 'lanes-maker');
      assert.equal((await officer.post(`/api/operations/${op}/routes`, { id: 'r1', siteIds: ['amiriyah', 'rashidin'] })).status, 201);
      assert.equal((await officer.post(`/api/operations/${op}/convoys`, { id: 'c1', routeId: 'r1' })).status, 201);
      assert.equal((await officer.post(`/api/operations/${op}/convoys/c1/vehicles`, { id: 'v1', kind: 'bus', capacity: 40 })).status, 201);
      for (let d = 0; d < 4; d++) {
        const made = await officer.post(`/api/operations/${op}/devices`, { name: `phone ${d}`, role: 'checkpoint_monitor' });
        assert.equal(made.status, 201, JSON.stringify(made.body));
        tokens.push(made.body.token);
      }
    });
    after(async () => h.close());

    test('many device batches at once, copies among them, with a desk reading beside: each write once, the desk answered', async () => {
      const pass = (i: number) => ({
        id: ulid(),
        kind: 'passed_checkpoint',
        convoyId: 'c1',
        vehicleId: 'v1',
        siteId: 'rashidin',
        deviceTime: new Date(Date.parse('2016-12-15T08:00:00.000Z') + i * 1000).toISOString(),
        payload: { observedHeadCount: i % 30 },
      });
      const batches = Array.from({ length: 12 }, (_, b) => ({
        key: ulid(),
        facts: Array.from({ length: 10 }, (_, i) => pass(b * 10 + i)),
      }));
      const send = (b: (typeof batches)[number], d: number) =>
        h.app.inject({
          method: 'POST',
          url: `/api/operations/${op}/facts`,
          headers: { authorization: `Bearer ${tokens[d % tokens.length]}`, 'idempotency-key': b.key, [OUTBOX_SIZE_HEADER]: '10' },
          payload: { facts: b.facts },
        });
      // Each batch by its phone, and a third of them twice at once (an answer lost, sent again).
      const [replies, desk] = await Promise.all([
        Promise.all(batches.flatMap((b, i) => (i % 3 === 0 ? [send(b, i), send(b, i)] : [send(b, i)]))),
        officer.get(`/api/operations/${op}/convoys/c1`),
      ]);
      for (const r of replies) assert.equal(r.statusCode, 200, r.body);
      assert.equal(desk.status, 200);
      const stored = await h.db.kysely.selectFrom('movement_facts').select('id').where('operation_id', '=', op).execute();
      assert.equal(stored.length, 120);
      assert.deepEqual(new Set(stored.map((r) => r.id)), new Set(batches.flatMap((b) => b.facts.map((f) => f.id))));
    });

    test('an online desk that says its outbox is empty or holds one write is not made to wait for a lane', async () => {
      // Only behaviour visible from outside: such requests succeed as before (the lane is for backlogs).
      for (const said of ['0', '1']) {
        const r = await h.app.inject({
          method: 'POST',
          url: `/api/operations/${op}/facts`,
          headers: { cookie: officer.cookie, 'idempotency-key': ulid(), [OUTBOX_SIZE_HEADER]: said },
          payload: {
            facts: [
              {
                id: ulid(),
                kind: 'passed_checkpoint',
                convoyId: 'c1',
                vehicleId: 'v1',
                siteId: 'rashidin',
                deviceTime: '2016-12-15T10:00:00.000Z',
              },
            ],
          },
        });
        assert.equal(r.statusCode, 200, r.body);
      }
    });
  });
}
