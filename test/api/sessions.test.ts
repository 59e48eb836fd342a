/**
 * Accounts and sessions: the cookie's flags, the token's size and that only its hash is
 * stored, logout, idle and absolute timeouts (the app's clock is moved, not waited for),
 * locking after failed logins, unknown usernames answered like wrong passwords, the argon2id
 * parameters, and device tokens bound to their operation and role and refused once revoked.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { ulid } from 'ulid';
import { buildApp } from '../../src/server/app.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, TEST_PASSWORD, type Harness } from '../support/harness.js';

const MINUTE = 60_000;

for (const dialect of dialects) {
  describe(`sessions and accounts (${dialect.name})`, () => {
    let h: Harness;
    let now = Date.parse('2026-03-01T08:00:00Z');
    const clock = () => new Date(now);
    let op: string;

    before(async () => {
      h = await startHarness(await dialect.open(), { clock });
      op = (await setUpOperation(h, 'sessions-op')).id;
    });
    after(async () => h.close());

    const addUser = (username: string) => h.addUser(username);
    const login = (app: FastifyInstance, username: string, password = TEST_PASSWORD) =>
      app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    const cookieOf = (r: { headers: Record<string, unknown> }) => String([r.headers['set-cookie']].flat()[0]);
    const me = (cookie: string) => h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });

    test('the session cookie is HttpOnly, SameSite=Strict, and Secure when secure cookies are on', async () => {
      await addUser('cookie-user');
      const plain = cookieOf(await login(h.app, 'cookie-user'));
      assert.match(plain, /^corridor_session=[^;]+;/);
      assert.match(plain, /; HttpOnly/i);
      assert.match(plain, /; SameSite=Strict/i);
      assert.match(plain, /; Path=\//i);
      assert.doesNotMatch(plain, /; Secure/i, 'auto: not Secure over plain HTTP');
      const secureApp = await buildApp({ db: h.db, keys: h.keys, secureCookies: 'always', logLevel: 'silent', clock });
      try {
        const secure = cookieOf(await login(secureApp, 'cookie-user'));
        assert.match(secure, /; Secure/i);
        assert.match(secure, /; HttpOnly/i);
        assert.match(secure, /; SameSite=Strict/i);
      } finally {
        await secureApp.close();
      }
    });

    test('the token carries 128 random bits and only its SHA-256 is stored', async () => {
      await addUser('token-user');
      const tokens = [];
      for (let i = 0; i < 2; i++)
        tokens.push(
          cookieOf(await login(h.app, 'token-user'))
            .split(';')[0]!
            .split('=')[1]!,
        );
      assert.notEqual(tokens[0], tokens[1]);
      for (const t of tokens) {
        assert.equal(Buffer.from(t, 'base64url').length, 16, 'a 128-bit token');
        const hash = createHash('sha256').update(t).digest();
        const row = await h.db.kysely.selectFrom('sessions').selectAll().where('token_hash', '=', hash).executeTakeFirst();
        assert.ok(row, 'the session is found by the hash of its token');
      }
      const all = await sql<{ j: string }>`select to_jsonb(s)::text as j from sessions s`.execute(h.db.kysely);
      const text = all.rows.map((r) => r.j).join('\n');
      for (const t of tokens) {
        assert.equal(text.includes(t), false, 'the token is not stored');
        assert.equal(text.includes(Buffer.from(t, 'base64url').toString('hex')), false, 'nor its bytes');
      }
    });

    test('logout ends the session on the server, not only in the browser', async () => {
      await addUser('logout-user');
      const cookie = cookieOf(await login(h.app, 'logout-user')).split(';')[0]!;
      assert.equal((await me(cookie)).statusCode, 200);
      const out = await h.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
      assert.equal(out.statusCode, 204);
      assert.match(cookieOf(out), /corridor_session=;/, 'the cookie is cleared');
      const after = await me(cookie);
      assert.equal(after.statusCode, 401, 'replaying the old cookie does not work');
      assert.equal(JSON.parse(after.body).error.code, 'auth.required');
    });

    test('a session ends after 30 idle minutes; activity keeps it alive', async () => {
      await addUser('idle-user');
      const cookie = cookieOf(await login(h.app, 'idle-user')).split(';')[0]!;
      now += 29 * MINUTE;
      assert.equal((await me(cookie)).statusCode, 200);
      now += 29 * MINUTE;
      assert.equal((await me(cookie)).statusCode, 200, 'the last request restarted the idle time');
      now += 31 * MINUTE;
      assert.equal((await me(cookie)).statusCode, 401);
    });

    test('a session ends 12 hours after login however active it is', async () => {
      await addUser('long-user');
      const start = now;
      const cookie = cookieOf(await login(h.app, 'long-user')).split(';')[0]!;
      while (now + 20 * MINUTE < start + 12 * 60 * MINUTE) {
        now += 20 * MINUTE;
        assert.equal((await me(cookie)).statusCode, 200, `still valid after ${(now - start) / MINUTE} minutes`);
      }
      now = start + 12 * 60 * MINUTE + 1;
      assert.equal((await me(cookie)).statusCode, 401);
    });

    test('five failed logins lock the account, even for the right password, until the lock passes', async () => {
      await addUser('lock-user');
      for (let i = 0; i < 5; i++) {
        const r = await login(h.app, 'lock-user', 'not the password');
        assert.equal(r.statusCode, 401);
        assert.equal(JSON.parse(r.body).error.code, 'auth.invalid_credentials');
      }
      const locked = await login(h.app, 'lock-user');
      assert.equal(locked.statusCode, 429);
      assert.equal(JSON.parse(locked.body).error.code, 'auth.locked');
      assert.equal(locked.headers['set-cookie'], undefined);
      now += 14 * MINUTE;
      assert.equal((await login(h.app, 'lock-user')).statusCode, 429, 'still locked after 14 minutes');
      now += 2 * MINUTE;
      assert.equal((await login(h.app, 'lock-user')).statusCode, 200, 'the lock passes');
    });

    test('an unknown username is answered exactly like a wrong password', async () => {
      await addUser('known-user');
      const wrong = await login(h.app, 'known-user', 'not the password');
      const unknown = await login(h.app, 'no-such-user', 'not the password');
      assert.equal(unknown.statusCode, wrong.statusCode);
      assert.deepEqual(JSON.parse(unknown.body), JSON.parse(wrong.body));
      assert.equal(unknown.headers['set-cookie'], undefined);
    });

    test('passwords are stored as argon2id with m=19456, t=2, p=1', async () => {
      const row = await h.db.kysely.selectFrom('users').select('password_hash').where('username', '=', 'root').executeTakeFirstOrThrow();
      const [, algorithm, version, params] = row.password_hash.split('$');
      assert.equal(algorithm, 'argon2id');
      assert.equal(version, 'v=19');
      assert.deepEqual(Object.fromEntries(params!.split(',').map((kv) => kv.split('='))), { m: '19456', t: '2', p: '1' });
      assert.equal(row.password_hash.includes(TEST_PASSWORD), false);
    });

    test('a device token acts only in its operation, only with its role, and not once revoked', async () => {
      h.admin = await h.login('root', TEST_PASSWORD); // the clock moved on past the first session
      const other = (await setUpOperation(h, 'sessions-other')).id;
      // A device token never holds more than its maker: made by an admin who holds the role too.
      const maker = await h.userWithRoles(op, ['admin', 'registrar'], 'device-maker');
      const made = await maker.post(`/api/operations/${op}/devices`, { name: 'checkpoint phone', role: 'registrar', siteId: 'amiriyah' });
      assert.equal(made.status, 201);
      const token = made.body.token as string;
      const as = (method: 'GET' | 'POST', url: string, body?: object, t = token) =>
        h.app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${t}`, ...(method === 'POST' ? { 'idempotency-key': ulid() } : {}) },
          ...(body ? { payload: body } : {}),
        });
      const household = {
        siteId: 'amiriyah',
        members: [{ names: { lat: { given: 'Device', family: 'Registered' } }, sex: 'male', estimatedAge: 30 }],
      };
      assert.equal((await as('POST', `/api/operations/${op}/households`, household)).statusCode, 201, 'a registrar device registers');
      assert.equal((await as('GET', `/api/operations/${op}/persons?q=device`)).statusCode, 200);
      const staff = await as('GET', `/api/operations/${op}/staff`);
      assert.equal(staff.statusCode, 403, 'but does not manage staff');
      const elsewhere = await as('POST', `/api/operations/${other}/households`, household);
      assert.equal(elsewhere.statusCode, 404);
      assert.equal(JSON.parse(elsewhere.body).error.code, 'operation.not_found');
      const promoted = token.replace(/^cdv_registrar\./, 'cdv_admin.');
      assert.equal(
        (await as('GET', `/api/operations/${op}/staff`, undefined, promoted)).statusCode,
        401,
        'the role in the token cannot be changed',
      );
      const tables = await sql<{
        t: string;
      }>`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(
        h.db.kysely,
      );
      for (const { t } of tables.rows) {
        const rows = await sql<{ j: string }>`select to_jsonb(x)::text as j from ${sql.table(t)} x`.execute(h.db.kysely);
        assert.equal(
          rows.rows.some((r) => r.j.includes(token.split('.')[1]!)),
          false,
          `the device token is stored in clear in ${t}`,
        );
      }

      const revoke = await h.admin.post(`/api/operations/${op}/devices/${made.body.id}/revoke`);
      assert.equal(revoke.status, 200);
      const refused = await as('GET', `/api/operations/${op}/persons?q=device`);
      assert.equal(refused.statusCode, 401);
      // A distinct code, so the device wipes what it holds (test/api/device-sync.test.ts).
      assert.equal(JSON.parse(refused.body).error.code, 'device.revoked');
    });
  });
}
