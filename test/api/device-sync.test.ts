/**
 * Field devices at sync (issue 17): each request made with a device token records the device's
 * last contact, and the number of writes its outbox still holds when it says so
 * (`Corridor-Outbox-Size`); the admin's device list shows both. A revoked device is answered
 * `device.revoked` on every request (it wipes what it holds), an expired one `device.expired`
 * (it keeps its queue for a new token) — both distinct from a token that matches nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ulid } from 'ulid';
import { OUTBOX_SIZE_HEADER } from '../../src/domain/api/endpoint.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, TEST_PASSWORD, type Harness } from '../support/harness.js';

type DeviceRow = { id: string; lastSeenAt: string | null; heldWrites: number | null; heldReportedAt: string | null; revoked: boolean };

for (const dialect of dialects) {
  describe(`device contact, revocation and expiry (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let now = new Date('2026-12-01T08:00:00.000Z');

    before(async () => {
      h = await startHarness(await dialect.open(), { clock: () => now });
      op = (await setUpOperation(h, 'device-sync')).id;
      await h.userWithRoles(op, ['admin', 'registrar', 'checkpoint_monitor'], 'device-maker');
    });
    after(async () => h.close());

    // The test's clock jumps by hours: the admin logs in again for each look (a session times out).
    const maker = {
      get: async (url: string) => (await h.login('device-maker', TEST_PASSWORD)).get(url),
      post: async (url: string, body?: unknown) => (await h.login('device-maker', TEST_PASSWORD)).post(url, body),
      put: async (url: string, body?: unknown) => (await h.login('device-maker', TEST_PASSWORD)).put(url, body),
    };
    const make = async (name: string, validDays = 30) => {
      const r = await maker.post(`/api/operations/${op}/devices`, { name, role: 'registrar', siteId: 'amiriyah', validDays });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body as { id: string; token: string };
    };
    const as = async (token: string, method: 'GET' | 'POST', url: string, held?: string, body?: object) => {
      const r = await h.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${token}`,
          ...(held !== undefined ? { [OUTBOX_SIZE_HEADER]: held } : {}),
          ...(method === 'POST' ? { 'idempotency-key': ulid() } : {}),
        },
        ...(body ? { payload: body } : {}),
      });
      return { status: r.statusCode, body: JSON.parse(r.body) };
    };
    const listed = async (id: string) => {
      const r = await maker.get(`/api/operations/${op}/devices`);
      assert.equal(r.status, 200);
      return (r.body as DeviceRow[]).find((d) => d.id === id) as DeviceRow;
    };
    const household = {
      households: [
        {
          siteId: 'amiriyah',
          registeredAt: '2026-12-01T07:00:00.000Z',
          members: [{ names: { lat: { given: 'Queued', family: 'Offline' } }, sex: 'female', estimatedAge: 41 }],
        },
      ],
    };

    test('a device that never called shows no contact; its sync records the time and the writes it still holds', async () => {
      const d = await make('desk tablet');
      assert.deepEqual(await listed(d.id), { ...(await listed(d.id)), lastSeenAt: null, heldWrites: null, heldReportedAt: null });
      now = new Date('2026-12-01T09:00:00.000Z');
      const r = await as(d.token, 'POST', `/api/operations/${op}/households/batch`, '12', household);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      let row = await listed(d.id);
      assert.equal(row.lastSeenAt, now.toISOString());
      assert.equal(row.heldWrites, 12);
      assert.equal(row.heldReportedAt, now.toISOString());

      // Five seconds on, the count has gone down: written at once (a change is always written).
      now = new Date('2026-12-01T09:00:05.000Z');
      assert.equal((await as(d.token, 'GET', `/api/operations/${op}/sites`, '3')).status, 200);
      row = await listed(d.id);
      assert.equal(row.heldWrites, 3);
      assert.equal(row.lastSeenAt, now.toISOString());

      // The same count a moment later is not written again (a storm of requests is not a storm of updates)…
      now = new Date('2026-12-01T09:00:08.000Z');
      assert.equal((await as(d.token, 'GET', `/api/operations/${op}/sites`, '3')).status, 200);
      assert.equal((await listed(d.id)).lastSeenAt, '2026-12-01T09:00:05.000Z');
      // …but the contact is, once 15 s have passed; a request that says nothing keeps the last count said.
      now = new Date('2026-12-01T09:01:00.000Z');
      assert.equal((await as(d.token, 'GET', `/api/operations/${op}/sites`)).status, 200);
      row = await listed(d.id);
      assert.equal(row.lastSeenAt, now.toISOString());
      assert.equal(row.heldWrites, 3);
      assert.equal(row.heldReportedAt, '2026-12-01T09:00:05.000Z');
    });

    test('an outbox size that is not a whole number up to a million is ignored, never a failure', async () => {
      const d = await make('odd phone');
      for (const bad of ['-1', 'abc', '1.5', '99999999', '2000000', ' ']) {
        const r = await as(d.token, 'GET', `/api/operations/${op}/sites`, bad);
        assert.equal(r.status, 200, bad);
      }
      assert.equal((await listed(d.id)).heldWrites, null);
      assert.equal((await as(d.token, 'GET', `/api/operations/${op}/sites`, '0')).status, 200);
      assert.equal((await listed(d.id)).heldWrites, 0);
    });

    test('a revoked device is answered device.revoked on every request, and its contact is still seen', async () => {
      const d = await make('lost phone');
      now = new Date('2026-12-01T10:00:00.000Z');
      assert.equal((await as(d.token, 'GET', `/api/operations/${op}/sites`, '40')).status, 200);
      assert.equal((await maker.post(`/api/operations/${op}/devices/${d.id}/revoke`)).status, 200);
      now = new Date('2026-12-01T10:30:00.000Z');
      for (const [method, url, body] of [
        ['GET', `/api/operations/${op}/sites`, undefined],
        ['POST', `/api/operations/${op}/households/batch`, household],
        ['GET', '/api/auth/me', undefined],
      ] as const) {
        const r = await as(d.token, method, url, '40', body);
        assert.equal(r.status, 401, url);
        assert.equal(r.body.error.code, 'device.revoked', url);
      }
      const row = await listed(d.id);
      assert.equal(row.revoked, true);
      assert.equal(row.lastSeenAt, now.toISOString(), 'the admin sees the revoked device called (and was told to wipe)');
      assert.equal(row.heldWrites, 40);
      // Nothing it sent after revocation was written.
      const n = await h.db.kysely.selectFrom('households').select('id').where('operation_id', '=', op).execute();
      assert.equal(n.length, 1);
    });

    test('a device whose maker lost the role is revoked too; an expired one is told device.expired; an unknown token auth.required', async () => {
      const d = await make('short-lived', 1);
      now = new Date('2026-12-03T10:00:00.000Z');
      const expired = await as(d.token, 'GET', `/api/operations/${op}/sites`, '5');
      assert.equal(expired.status, 401);
      assert.equal(expired.body.error.code, 'device.expired');
      assert.equal((await listed(d.id)).heldWrites, 5, 'what an expired device still holds is seen');

      const unknown = await as(`cdv_registrar.${'x'.repeat(43)}`, 'GET', `/api/operations/${op}/sites`);
      assert.equal(unknown.status, 401);
      assert.equal(unknown.body.error.code, 'auth.required');

      const second = await h.userWithRoles(op, ['admin', 'registrar'], 'second-maker');
      const made = await second.post(`/api/operations/${op}/devices`, { name: 'orphan', role: 'registrar', validDays: 30 });
      assert.equal(made.status, 201);
      assert.equal((await as(made.body.token, 'GET', `/api/operations/${op}/sites`)).status, 200);
      const staff = await maker.put(`/api/operations/${op}/staff/${second.userId}`, { roles: ['admin'] });
      assert.equal(staff.status, 200, JSON.stringify(staff.body));
      const orphan = await as(made.body.token, 'GET', `/api/operations/${op}/sites`);
      assert.equal(orphan.status, 401);
      assert.equal(orphan.body.error.code, 'device.revoked');
    });
  });
}
