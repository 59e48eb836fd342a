/**
 * The login throttle (security audit: anyone could lock any account, usernames could be told
 * apart). Failed logins make the (username, address) pair and the address wait, never the
 * account everywhere; unknown names get the same answers after the same argon2 work; names
 * that are no account are counted, not audited one row each; the throttle stores no address.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { throttleAddressOf } from '../../src/domain/login-throttle.js';
import { dialects } from '../support/db.js';
import { startHarness, TEST_PASSWORD, type Harness } from '../support/harness.js';

const MINUTE = 60_000;

for (const dialect of dialects) {
  describe(`login throttle (${dialect.name})`, () => {
    let h: Harness;
    let now = Date.parse('2026-03-01T08:00:00Z');
    const clock = () => new Date(now);

    before(async () => {
      h = await startHarness(await dialect.open(), { clock });
    });
    after(async () => h.close());

    const addUser = (username: string) => h.addUser(username);
    const login = (username: string, password: string, remoteAddress: string) =>
      h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });
    const codeOf = (r: { body: string }) => JSON.parse(r.body).error?.code as string | undefined;

    test('50 wrong passwords from one address do not stop the real user logging in from another address at once', async () => {
      await addUser('victim');
      for (let i = 0; i < 50; i++) {
        const r = await login('victim', `guess ${i}`, '203.0.113.66');
        assert.ok([401, 429].includes(r.statusCode), `attempt ${i}: ${r.statusCode}`);
      }
      const r = await login('victim', TEST_PASSWORD, '198.51.100.7');
      assert.equal(r.statusCode, 200, r.body);
      // The admin account too.
      for (let i = 0; i < 50; i++) await login('root', `guess ${i}`, '203.0.113.67');
      assert.equal((await login('root', TEST_PASSWORD, '198.51.100.8')).statusCode, 200);
    });

    test('the address that failed waits, answered 429 auth.locked with Retry-After, even with the right password', async () => {
      await addUser('forgetful');
      for (let i = 0; i < 5; i++) assert.equal((await login('forgetful', 'wrong', '192.0.2.10')).statusCode, 401);
      const locked = await login('forgetful', TEST_PASSWORD, '192.0.2.10');
      assert.equal(locked.statusCode, 429);
      assert.equal(codeOf(locked), 'auth.locked');
      assert.equal(locked.headers['retry-after'], String(15 * 60));
      assert.equal(JSON.parse(locked.body).error.details.retryAfterSeconds, 15 * 60);
      assert.equal(locked.headers['set-cookie'], undefined);
      now += 16 * MINUTE;
      assert.equal((await login('forgetful', TEST_PASSWORD, '192.0.2.10')).statusCode, 200, 'the wait passes');
    });

    test('the waits grow: the sixth failure of a pair waits twice as long as the fifth', async () => {
      await addUser('stubborn');
      for (let i = 0; i < 5; i++) await login('stubborn', 'wrong', '192.0.2.11');
      now += 16 * MINUTE;
      assert.equal((await login('stubborn', 'wrong', '192.0.2.11')).statusCode, 401);
      const r = await login('stubborn', TEST_PASSWORD, '192.0.2.11');
      assert.equal(r.statusCode, 429);
      assert.equal(r.headers['retry-after'], String(30 * 60));
      now += 31 * MINUTE;
    });

    test('one address trying many usernames waits too, other addresses do not', async () => {
      await addUser('bystander');
      for (let i = 0; i < 20; i++) assert.equal((await login(`spray-${i}`, 'wrong', '192.0.2.12')).statusCode, 401);
      const r = await login('bystander', TEST_PASSWORD, '192.0.2.12');
      assert.equal(r.statusCode, 429);
      assert.equal(codeOf(r), 'auth.locked');
      assert.equal(r.headers['retry-after'], '1');
      assert.equal((await login('bystander', TEST_PASSWORD, '192.0.2.13')).statusCode, 200);
      now += 2_000;
      assert.equal((await login('bystander', TEST_PASSWORD, '192.0.2.12')).statusCode, 200, 'the short wait passes');
    });

    test('an unknown username and a known one with a wrong password get identical answers, attempt after attempt', async () => {
      await addUser('real-name');
      for (let i = 0; i < 10; i++) {
        const known = await login('real-name', 'wrong', '192.0.2.20');
        const unknown = await login('no-such-name', 'wrong', '192.0.2.21');
        assert.equal(unknown.statusCode, known.statusCode, `attempt ${i}`);
        assert.deepEqual(JSON.parse(unknown.body), JSON.parse(known.body), `attempt ${i}`);
        assert.equal(unknown.headers['retry-after'], known.headers['retry-after']);
        assert.equal(i < 5 ? 401 : 429, known.statusCode);
      }
    });

    test('an unknown username pays an argon2 verification like a known one (medians within a factor of 3)', async () => {
      await addUser('timed');
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 9; i++) {
        // A fresh address each time: every attempt is verified, none is throttled.
        let t = performance.now();
        await login('timed', 'wrong', `198.18.1.${i}`);
        known.push(performance.now() - t);
        t = performance.now();
        await login('timed-not', 'wrong', `198.18.2.${i}`);
        unknown.push(performance.now() - t);
      }
      const [k, u] = [median(known), median(unknown)];
      // argon2id at m=19 MiB, t=2 takes tens of milliseconds; 5 ms is well under it.
      assert.ok(k >= 5 && u >= 5, `medians ${k} / ${u} ms`);
      assert.ok(u < k * 3 && k < u * 3, `medians ${k} / ${u} ms`);
    });

    test('failed logins for unknown names write one audit row per address and hour, with the count of the hour before', async () => {
      const auditRows = async () =>
        Number(
          (
            await sql<{ n: number }>`select count(*)::int as n from audit_log
              where action = 'auth.login_failed' and details->>'reason' = 'unknown_user'`.execute(h.db.kysely)
          ).rows[0]!.n,
        );
      now = Date.parse('2026-03-02T10:00:00Z');
      const before = await auditRows();
      for (let i = 0; i < 16; i++) await login(`random-${i}-${now}`, 'wrong', '192.0.2.30');
      assert.equal(await auditRows(), before + 1, 'one row for 16 names from one address in one hour');
      now += 61 * MINUTE;
      await login('random-next-hour', 'wrong', '192.0.2.30');
      assert.equal(await auditRows(), before + 2);
      const last = await sql<{ details: { previousHourFailures: number } }>`select details from audit_log
        where action = 'auth.login_failed' order by seq desc limit 1`.execute(h.db.kysely);
      assert.equal(last.rows[0]!.details.previousHourFailures, 16);
    });

    test('the throttle table holds neither client addresses nor usernames in clear', async () => {
      await login('clear-name-xyz', 'wrong', '203.0.113.99');
      const dump = await sql<{ j: string }>`select coalesce(string_agg(to_jsonb(t)::text, '|'), '') as j from login_throttle t`.execute(
        h.db.kysely,
      );
      const text = dump.rows[0]!.j;
      assert.ok(text.length > 0);
      for (const clear of ['203.0.113.99', 'clear-name-xyz', 'victim', Buffer.from('203.0.113.99').toString('hex')])
        assert.equal(text.includes(clear), false, clear);
    });

    test('IPv6 addresses are throttled by their /64, IPv4-mapped ones as IPv4', () => {
      assert.equal(throttleAddressOf('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
      assert.equal(throttleAddressOf('2001:db8:1:2::9'), '2001:db8:1:2::/64');
      assert.equal(throttleAddressOf('2001:db8::1'), '2001:db8:0:0::/64');
      assert.equal(throttleAddressOf('::ffff:192.0.2.1'), '192.0.2.1');
      assert.equal(throttleAddressOf('192.0.2.1'), '192.0.2.1');
    });
  });
}
