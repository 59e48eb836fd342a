/**
 * Rate limits (audit finding 4: 16 clients logging in made another user's reads 100 times
 * slower). A flood from one address is refused with 429 `request.rate_limited` and Retry-After,
 * while another address — and another account — is served at once; one account flooding from
 * many addresses is limited too; logins, which cost an argon2 hash each, have their own tighter
 * limit per address. Small limits here; the defaults are in src/server/plugins/rate-limit.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { startHarness, TEST_PASSWORD, type Harness } from '../support/harness.js';

const dialect = dialects[0]!;

describe('rate limits', () => {
  let h: Harness;
  let cookie: string;
  before(async () => {
    h = await startHarness(await dialect.open(), {
      app: { rateLimits: { perAddress: 40, perAccount: 25, loginsPerAddress: 5 } },
    });
    await h.addUser('busy-registrar');
    const r = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'busy-registrar', password: TEST_PASSWORD },
      remoteAddress: '198.51.100.20',
    });
    cookie = String([r.headers['set-cookie']].flat()[0]).split(';')[0]!;
  });
  after(async () => h.close());

  const get = (url: string, remoteAddress: string, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'GET', url, remoteAddress, headers });

  test('a flood from one address is refused with 429 and Retry-After; another address is served at once', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await get('/api/health', '203.0.113.50')).statusCode);
    assert.equal(statuses.filter((s) => s === 200).length, 40);
    assert.ok(statuses.slice(40).every((s) => s === 429));
    const refused = await get('/api/health', '203.0.113.50');
    assert.equal(refused.statusCode, 429);
    const body = JSON.parse(refused.body);
    assert.equal(body.error.code, 'request.rate_limited');
    assert.equal(body.error.details.per, 'address');
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal(body.error.details.retryAfterSeconds, retryAfter);
    // Unauthenticated junk and the web app's pages count too, but nobody else pays for them.
    assert.equal((await get('/api/health', '203.0.113.51')).statusCode, 200);
    assert.equal((await get('/api/auth/me', '198.51.100.21', { cookie })).statusCode, 200);
  });

  test('one account flooding from many addresses is limited; other accounts are served', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await get('/api/auth/me', `192.0.2.${100 + i}`, { cookie })).statusCode);
    assert.equal(statuses.filter((s) => s === 200).length, 24, 'the login was the first of its 25 requests');
    const refused = await get('/api/auth/me', '192.0.2.200', { cookie });
    assert.equal(refused.statusCode, 429);
    assert.equal(JSON.parse(refused.body).error.details.per, 'account');
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    assert.equal((await h.admin.get('/api/auth/me')).status, 200, 'another account is served');
  });

  test('logins from one address are limited before any password is hashed; other addresses log in', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await h.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: `nobody-${i}`, password: 'whatever it is' },
        remoteAddress: '203.0.113.77',
      });
      assert.equal(r.statusCode, 401);
    }
    const limited = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'busy-registrar', password: TEST_PASSWORD },
      remoteAddress: '203.0.113.77',
    });
    assert.equal(limited.statusCode, 429);
    assert.equal(JSON.parse(limited.body).error.details.per, 'logins');
    const other = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'busy-registrar', password: TEST_PASSWORD },
      remoteAddress: '203.0.113.78',
    });
    assert.equal(other.statusCode, 200);
  });
});
