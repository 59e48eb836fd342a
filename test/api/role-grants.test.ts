/**
 * Who may give access to people (audit finding 3: an operation admin gave itself reading roles
 * with `PUT …/staff/<own id>`, or a device token with them, and turned 403 into 200 on people).
 * Nobody adds a role to themselves; a role that reads protection data (or admin) asked for by an
 * operation admin waits for a second admin's approval — not the asker's, not the grantee's — or
 * is granted at once by a system admin; a device token never holds more than its maker, while it
 * is used too; every step is audited.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { grantRoles } from '../../src/db/queries/operations.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`role grants (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let opAdmin: Client;
    let secondAdmin: Client;
    const url = (path: string) => `/api/operations/${op}${path}`;
    const actions = async () => (await h.admin.get(url('/audit?limit=500'))).body.map((e: { action: string }) => e.action) as string[];

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h)).id;
      opAdmin = await h.userWithRoles(op, ['admin'], 'op-admin');
      secondAdmin = await h.userWithRoles(op, ['admin'], 'second-admin');
    });
    after(async () => h.close());

    test('an operation admin cannot give itself a reading role; people stay 403', async () => {
      const r = await opAdmin.put(url(`/staff/${opAdmin.userId}`), { roles: ['admin', 'coordinator', 'reception_officer'] });
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'staff.self_grant');
      assert.equal((await opAdmin.get(url('/persons?q=a'))).status, 403);
      const staff = (await opAdmin.get(url('/staff'))).body.find((s: { userId: string }) => s.userId === opAdmin.userId);
      assert.deepEqual(staff.roles, ['admin']);
      assert.ok((await actions()).includes('staff.self_grant_refused'), 'the refusal is audited');
    });

    test('a system admin cannot give itself roles either, but may drop its own', async () => {
      const r = await h.admin.put(url(`/staff/${h.admin.userId}`), { roles: ['admin', 'tracing_officer'] });
      assert.equal(r.status, 403);
      assert.equal(r.body.error.code, 'staff.self_grant');
      const drop = await secondAdmin.put(url(`/staff/${secondAdmin.userId}`), { roles: [] });
      assert.equal(drop.status, 200, 'removing your own roles is fine');
      await grantRoles(h.db.kysely, op, secondAdmin.userId, ['admin'], h.admin.userId, new Date());
    });

    test("a reading role asked by an operation admin waits for a second admin's approval", async () => {
      const clerk = await h.userWithRoles(op, ['viewer'], 'new-clerk');
      const asked = await opAdmin.put(url(`/staff/${clerk.userId}`), { roles: ['viewer', 'registrar', 'checkpoint_monitor'] });
      assert.equal(asked.status, 200, JSON.stringify(asked.body));
      assert.deepEqual(asked.body.roles.sort(), ['checkpoint_monitor', 'viewer'], 'roles that read no person are granted at once');
      assert.deepEqual(asked.body.pending, ['registrar']);
      assert.equal((await clerk.get(url('/persons?q=a'))).status, 403, 'not yet');

      const requests = (await opAdmin.get(url('/role-requests'))).body;
      const mine = requests.find((r: { userId: string }) => r.userId === clerk.userId);
      assert.equal(mine.role, 'registrar');
      assert.equal(mine.requestedByUsername, 'op-admin');

      const self = await opAdmin.post(url(`/role-requests/${mine.id}/approve`));
      assert.equal(self.status, 403, 'not by the admin who asked');
      assert.equal(self.body.error.code, 'role_request.own');
      assert.equal((await clerk.post(url(`/role-requests/${mine.id}/approve`))).status, 403, 'the clerk has no staff right');

      const ok = await secondAdmin.post(url(`/role-requests/${mine.id}/approve`));
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.outcome, 'approved');
      assert.equal((await clerk.get(url('/persons?q=a'))).status, 200, 'now the clerk reads people');
      const again = await secondAdmin.post(url(`/role-requests/${mine.id}/reject`));
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'role_request.decided');
      const log = await actions();
      for (const a of ['staff.role_requested', 'staff.role_approved', 'staff.roles_set']) assert.ok(log.includes(a), a);
    });

    test('a request for an operation admin itself cannot be approved by that admin; a rejection grants nothing', async () => {
      const asked = await secondAdmin.put(url(`/staff/${opAdmin.userId}`), { roles: ['admin', 'tracing_officer'] });
      assert.deepEqual(asked.body.pending, ['tracing_officer']);
      const req = (await opAdmin.get(url('/role-requests'))).body.find((r: { userId: string }) => r.userId === opAdmin.userId);
      const own = await opAdmin.post(url(`/role-requests/${req.id}/approve`));
      assert.equal(own.status, 403);
      assert.equal(own.body.error.code, 'role_request.own');
      const third = await h.userWithRoles(op, ['admin'], 'third-admin');
      assert.equal((await third.post(url(`/role-requests/${req.id}/reject`))).body.outcome, 'rejected');
      assert.equal((await opAdmin.get(url('/tracing'))).status, 403);
      assert.ok((await actions()).includes('staff.role_rejected'));
    });

    test('the admin role itself needs a second approval; a system admin grants reading roles at once', async () => {
      const helper = await h.userWithRoles(op, ['viewer'], 'helper');
      assert.deepEqual((await opAdmin.put(url(`/staff/${helper.userId}`), { roles: ['viewer', 'admin'] })).body.pending, ['admin']);
      const byRoot = await h.admin.put(url(`/staff/${helper.userId}`), { roles: ['viewer', 'coordinator'] });
      assert.equal(byRoot.status, 200);
      assert.deepEqual(byRoot.body.roles.sort(), ['coordinator', 'viewer']);
      assert.deepEqual(byRoot.body.pending, []);
      assert.equal(
        (await opAdmin.get(url('/role-requests'))).body.some((r: { userId: string; role: string }) => r.userId === helper.userId),
        false,
        'the admin request no longer asked for is withdrawn',
      );
    });

    test('a device token never holds more than the account that made it', async () => {
      const refused = await opAdmin.post(url('/devices'), { name: 'desk tablet', role: 'registrar', siteId: 'amiriyah' });
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'device.role_not_held');
      assert.ok((await actions()).includes('device.create_refused'));

      const maker = await h.userWithRoles(op, ['admin', 'reception_officer'], 'device-maker-2');
      const made = await maker.post(url('/devices'), {
        name: 'reception phone',
        role: 'reception_officer',
        siteId: 'rashidin',
        validDays: 7,
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const bearer = { authorization: `Bearer ${made.body.token}` };
      const read = () => h.app.inject({ method: 'GET', url: url('/persons?q=a'), headers: bearer });
      assert.equal((await read()).statusCode, 200);
      // Its maker loses the role: the token loses it too.
      await maker.put(url(`/staff/${maker.userId}`), { roles: ['admin'] });
      assert.equal((await read()).statusCode, 401);
    });
  });
}
