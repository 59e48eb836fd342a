/**
 * The second factor and the account life cycle (audit finding 2). TOTP with recovery codes,
 * required (here as by default) for admins, coordinators and tracing officers, who may do
 * nothing but set it up until they have; a login then asks for the code; a right password and
 * code is never refused because of others' failures. An administrator disables an account,
 * resets a password (changed at the next login, and a weak one refused), resets the second
 * factor and ends all sessions; device tokens expire; the demo operation can be exempted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'otplib';
import { grantRoles } from '../../src/db/queries/operations.js';
import { DEMO_OPERATION_ID } from '../../src/demo/load.js';
import { ctxOf } from '../../src/demo/load-convoy.js';
import { operationInput } from '../../src/domain/schemas/operations.js';
import { createOperation } from '../../src/services/operations/operations.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, TEST_PASSWORD, type Harness } from '../support/harness.js';

const DAY = 86_400_000;

for (const dialect of dialects) {
  describe(`second factor and account life cycle (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let now = Date.parse('2026-03-01T08:00:00Z');
    const clock = () => new Date(now);
    const code = (secret: string) => generate({ secret, epoch: Math.floor(now / 1000) });
    const secrets = new Map<string, string>();

    before(async () => {
      h = await startHarness(await dialect.open(), {
        clock,
        app: { secondFactor: { requiredFor: ['admin', 'coordinator', 'tracing_officer'], exemptOperationIds: [] } },
      });
      // The system admin creates the operation and so administers it: it sets up its factor first.
      const setup = (await h.admin.post('/api/auth/second-factor/setup')).body;
      assert.equal((await h.admin.post('/api/auth/second-factor/enable', { code: await code(setup.secret) })).status, 200);
      op = (await setUpOperation(h)).id;
    });
    after(async () => h.close());

    const login = (username: string, password: string, more: { code?: string; from?: string } = {}) =>
      h.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password, ...(more.code ? { code: more.code } : {}) },
        remoteAddress: more.from ?? '198.51.100.1',
      });
    const cookieOf = (r: { headers: Record<string, unknown> }) => String([r.headers['set-cookie']].flat()[0]).split(';')[0]!;
    const as = (cookie: string, method: 'GET' | 'POST', url: string, payload?: object) =>
      h.app.inject({ method, url, headers: { cookie, 'idempotency-key': crypto.randomUUID() }, ...(payload ? { payload } : {}) });
    const codeOf = (r: { body: string }) => JSON.parse(r.body).error?.code as string | undefined;

    /** A coordinator of the operation who has set up the second factor; its secret is kept. */
    async function enrolled(username: string): Promise<string> {
      const id = await h.addUser(username);
      await grantRoles(h.db.kysely, op, id, ['coordinator'], id, new Date(now));
      const cookie = cookieOf(await login(username, TEST_PASSWORD));
      const setup = JSON.parse((await as(cookie, 'POST', '/api/auth/second-factor/setup')).body);
      const on = await as(cookie, 'POST', '/api/auth/second-factor/enable', { code: await code(setup.secret) });
      assert.equal(on.statusCode, 200, on.body);
      secrets.set(username, setup.secret);
      return id;
    }

    test('a coordinator without a second factor can do nothing but set one up; then works', async () => {
      const id = await h.addUser('new-coordinator');
      await grantRoles(h.db.kysely, op, id, ['coordinator'], id, new Date(now));
      const r = await login('new-coordinator', TEST_PASSWORD);
      assert.equal(r.statusCode, 200, 'the password alone opens a session, for the set-up');
      const cookie = cookieOf(r);
      const me = JSON.parse((await as(cookie, 'GET', '/api/auth/me')).body);
      assert.equal(me.pending, 'second_factor_enrolment');
      assert.deepEqual(me.secondFactor, { enabled: false, required: true });
      const blocked = await as(cookie, 'GET', `/api/operations/${op}/persons?q=a`);
      assert.equal(blocked.statusCode, 403);
      assert.equal(codeOf(blocked), 'auth.account_setup_required');
      assert.equal(JSON.parse(blocked.body).error.details.pending, 'second_factor_enrolment');

      const setup = await as(cookie, 'POST', '/api/auth/second-factor/setup');
      assert.equal(setup.statusCode, 200, setup.body);
      const { secret, uri } = JSON.parse(setup.body);
      assert.match(uri, /^otpauth:\/\/totp\/Corridor:new-coordinator\?.*secret=/);
      const wrong = await as(cookie, 'POST', '/api/auth/second-factor/enable', { code: '000000' });
      assert.equal(wrong.statusCode, 400);
      assert.equal(JSON.parse(wrong.body).error.details.fields[0].path, 'code');
      const on = await as(cookie, 'POST', '/api/auth/second-factor/enable', { code: await code(secret) });
      assert.equal(on.statusCode, 200, on.body);
      const { recoveryCodes } = JSON.parse(on.body);
      assert.equal(recoveryCodes.length, 10);
      assert.equal(new Set(recoveryCodes).size, 10);
      assert.equal((await as(cookie, 'GET', `/api/operations/${op}/persons?q=a`)).statusCode, 200, 'set up: works');

      // Stored: the secret sealed, the recovery codes hashed.
      const row = await h.db.kysely.selectFrom('users').select(['totp_secret']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(Buffer.from(row.totp_secret!).includes(Buffer.from(secret)), false, 'the TOTP secret is sealed');
      const hashes = await h.db.kysely.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', id).execute();
      assert.equal(hashes.length, 10);
      for (const c of recoveryCodes)
        assert.equal(
          hashes.some((x) => Buffer.from(x.code_hash).includes(Buffer.from(c))),
          false,
        );
    });

    test('the login then asks for the code: none, a wrong one and a used one are refused; a recovery code works once', async () => {
      await enrolled('coordinator-2fa');
      now += 60_000;
      const none = await login('coordinator-2fa', TEST_PASSWORD);
      assert.equal(none.statusCode, 401);
      assert.equal(codeOf(none), 'auth.second_factor_required');
      assert.equal(none.headers['set-cookie'], undefined);
      const wrong = await login('coordinator-2fa', TEST_PASSWORD, { code: '123456' });
      assert.equal(codeOf(wrong), 'auth.second_factor_invalid');
      const right = await code(secrets.get('coordinator-2fa')!);
      assert.equal((await login('coordinator-2fa', TEST_PASSWORD, { code: right })).statusCode, 200);
      const replayed = await login('coordinator-2fa', TEST_PASSWORD, { code: right });
      assert.equal(codeOf(replayed), 'auth.second_factor_invalid', 'a code is used once');
      assert.equal((await login('coordinator-2fa', 'wrong password', { code: right })).statusCode, 401);
    });

    test('recovery codes: each works once, typed in any case', async () => {
      const id = await h.addUser('recovering');
      await grantRoles(h.db.kysely, op, id, ['tracing_officer'], id, new Date(now));
      const cookie = cookieOf(await login('recovering', TEST_PASSWORD));
      const { secret } = JSON.parse((await as(cookie, 'POST', '/api/auth/second-factor/setup')).body);
      const { recoveryCodes } = JSON.parse((await as(cookie, 'POST', '/api/auth/second-factor/enable', { code: await code(secret) })).body);
      const first = recoveryCodes[0] as string;
      assert.equal((await login('recovering', TEST_PASSWORD, { code: first.toUpperCase() })).statusCode, 200);
      assert.equal(codeOf(await login('recovering', TEST_PASSWORD, { code: first })), 'auth.second_factor_invalid');
      assert.equal((await login('recovering', TEST_PASSWORD, { code: recoveryCodes[1] })).statusCode, 200);
    });

    test('50 wrong attempts from one address; the right password and code from another log in at once', async () => {
      await enrolled('target-2fa');
      now += 60_000;
      for (let i = 0; i < 50; i++) {
        const r = await login('target-2fa', i % 2 ? `guess ${i}` : TEST_PASSWORD, { code: String(100000 + i), from: '203.0.113.66' });
        assert.ok([401, 429].includes(r.statusCode), `attempt ${i}: ${r.statusCode}`);
      }
      const ok = await login('target-2fa', TEST_PASSWORD, { code: await code(secrets.get('target-2fa')!), from: '198.51.100.77' });
      assert.equal(ok.statusCode, 200, ok.body);
    });

    test('a role without the requirement (registrar) works with a password alone', async () => {
      const registrar = await h.userWithRoles(op, ['registrar'], 'plain-registrar');
      assert.equal((await registrar.get(`/api/operations/${op}/persons?q=a`)).status, 200);
      assert.equal((await registrar.get('/api/auth/me')).body.pending, null);
    });

    test('an admin resets a password: sessions end, the user must change it, a weak new one is refused', async () => {
      const victim = await h.userWithRoles(op, ['registrar'], 'forgot-password');
      const reset = await h.admin.post(`/api/users/${victim.userId}/reset-password`);
      assert.equal(reset.status, 200, JSON.stringify(reset.body));
      assert.equal((await victim.get('/api/auth/me')).status, 401, 'the old session ended');
      assert.equal((await login('forgot-password', TEST_PASSWORD)).statusCode, 401, 'the old password is gone');
      const cookie = cookieOf(await login('forgot-password', reset.body.temporaryPassword));
      assert.equal(JSON.parse((await as(cookie, 'GET', '/api/auth/me')).body).pending, 'password_change');
      assert.equal(codeOf(await as(cookie, 'GET', `/api/operations/${op}/persons?q=a`)), 'auth.account_setup_required');
      const weak = await as(cookie, 'POST', '/api/auth/password', {
        currentPassword: reset.body.temporaryPassword,
        newPassword: 'password1234',
      });
      assert.equal(weak.statusCode, 400);
      assert.equal(codeOf(weak), 'user.password_weak');
      assert.equal(JSON.parse(weak.body).error.details.fields[0].path, 'newPassword');
      const badCurrent = await as(cookie, 'POST', '/api/auth/password', {
        currentPassword: 'not it',
        newPassword: 'amber lantern over quiet rivers',
      });
      assert.equal(badCurrent.statusCode, 400);
      const changed = await as(cookie, 'POST', '/api/auth/password', {
        currentPassword: reset.body.temporaryPassword,
        newPassword: 'amber lantern over quiet rivers',
      });
      assert.equal(changed.statusCode, 204, changed.body);
      assert.equal((await as(cookie, 'GET', `/api/operations/${op}/persons?q=a`)).statusCode, 200);
      assert.equal((await login('forgot-password', 'amber lantern over quiet rivers')).statusCode, 200);
    });

    test("an admin disables an account (its sessions and its devices' tokens stop), enables it, ends its sessions", async () => {
      const lead = await h.userWithRoles(op, ['admin', 'registrar'], 'desk-lead');
      // An admin account: it must set up its factor before making a device.
      const setup = (await lead.post('/api/auth/second-factor/setup')).body;
      await lead.post('/api/auth/second-factor/enable', { code: await code(setup.secret) });
      const device = await lead.post(`/api/operations/${op}/devices`, { name: 'tablet', role: 'registrar', siteId: 'amiriyah' });
      assert.equal(device.status, 201, JSON.stringify(device.body));
      const bearer = () =>
        h.app.inject({
          method: 'GET',
          url: `/api/operations/${op}/persons?q=a`,
          headers: { authorization: `Bearer ${device.body.token}` },
        });
      assert.equal((await bearer()).statusCode, 200);

      assert.equal((await h.admin.post(`/api/users/${lead.userId}/disable`)).status, 200);
      assert.equal((await lead.get('/api/auth/me')).status, 401);
      assert.equal((await bearer()).statusCode, 401, "a disabled account's device tokens stop");
      assert.equal((await login('desk-lead', TEST_PASSWORD, { code: await code(setup.secret) })).statusCode, 401);
      assert.equal((await h.admin.get('/api/users')).body.find((u: { id: string }) => u.id === lead.userId).disabled, true);

      assert.equal((await h.admin.post(`/api/users/${lead.userId}/enable`)).status, 200);
      now += 60_000;
      const back = await login('desk-lead', TEST_PASSWORD, { code: await code(setup.secret) });
      assert.equal(back.statusCode, 200);
      assert.equal((await bearer()).statusCode, 200);
      const ended = await h.admin.post(`/api/users/${lead.userId}/end-sessions`);
      assert.equal(ended.body.sessionsEnded, 1);
      assert.equal((await as(cookieOf(back), 'GET', '/api/auth/me')).statusCode, 401);

      assert.equal((await h.admin.post(`/api/users/${lead.userId}/reset-second-factor`)).status, 200);
      const again = await login('desk-lead', TEST_PASSWORD);
      assert.equal(again.statusCode, 200, 'no code asked once the factor is reset');
      assert.equal(JSON.parse((await as(cookieOf(again), 'GET', '/api/auth/me')).body).pending, 'second_factor_enrolment');

      const log = (await h.admin.get(`/api/operations/${op}/audit?limit=500`)).body;
      assert.ok(Array.isArray(log));
      const system = await h.db.kysely.selectFrom('audit_log').select('action').where('subject_id', '=', lead.userId).execute();
      for (const a of ['user.disabled', 'user.enabled', 'user.sessions_ended', 'user.second_factor_reset'])
        assert.ok(
          system.some((r) => r.action === a),
          a,
        );
    });

    test('only a system admin manages accounts', async () => {
      const other = await h.userWithRoles(op, ['registrar'], 'curious');
      assert.equal((await other.post(`/api/users/${other.userId}/reset-password`)).status, 403);
    });

    test('device tokens expire', async () => {
      const maker = await enrolled('device-maker-3');
      await grantRoles(h.db.kysely, op, maker, ['admin', 'coordinator', 'checkpoint_monitor'], maker, new Date(now));
      now += 60_000;
      const cookie = cookieOf(await login('device-maker-3', TEST_PASSWORD, { code: await code(secrets.get('device-maker-3')!) }));
      const made = JSON.parse(
        (await as(cookie, 'POST', `/api/operations/${op}/devices`, { name: 'phone', role: 'checkpoint_monitor', validDays: 1 })).body,
      );
      const use = () => h.app.inject({ method: 'GET', url: `/api/operations/${op}`, headers: { authorization: `Bearer ${made.token}` } });
      assert.equal((await use()).statusCode, 200);
      now += 2 * DAY;
      assert.equal((await use()).statusCode, 401);
    });
  });
}

describe('the demo operation exempt from the second factor', () => {
  test('its coordinator works with a password alone; a role in another operation still needs the factor', async () => {
    const h = await startHarness(await dialects[0]!.open(), {
      // (Not admin here: the harness's system admin sets the operations up with a password alone.)
      app: { secondFactor: { requiredFor: ['coordinator', 'tracing_officer'], exemptOperationIds: [DEMO_OPERATION_ID] } },
    });
    try {
      // The demo operation, made as the demo's set-up makes it (its fixed id).
      const root = (await h.admin.get('/api/auth/me')).body as { id: string };
      await h.db.kysely
        .transaction()
        .execute((trx) =>
          createOperation(
            ctxOf(trx, h.keys, { kind: 'user', id: root.id, name: 'root', isAdmin: true }, [], new Date()),
            operationInput.parse({ code: 'aleppo-2016', nameEn: 'Demo', status: 'active' }),
            DEMO_OPERATION_ID,
          ),
        );
      const other = (await setUpOperation(h, 'real-op')).id;
      const coordinator = await h.userWithRoles(DEMO_OPERATION_ID, ['coordinator'], 'demo-coordinator');
      assert.equal((await coordinator.get('/api/auth/me')).body.pending, null, 'exempt: the demo operation');
      assert.equal((await coordinator.get(`/api/operations/${DEMO_OPERATION_ID}/persons?q=a`)).status, 200);
      await grantRoles(h.db.kysely, other, coordinator.userId, ['tracing_officer'], coordinator.userId, new Date());
      assert.equal((await coordinator.get('/api/auth/me')).body.pending, 'second_factor_enrolment', 'not exempt: another operation');
    } finally {
      await h.close();
    }
  });
});
