/**
 * Security headers (audit finding 13): a strict Content-Security-Policy on every answer — no
 * inline script, no eval, no framing — and HSTS only when the request came over TLS (directly,
 * or as a trusted proxy says), never on plain HTTP. The browser side (the built app runs under
 * the policy with no violation) is test/e2e/csp.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { startHarness, type Harness } from '../support/harness.js';

const dialect = dialects[0]!;

function directives(header: unknown): Map<string, string[]> {
  assert.equal(typeof header, 'string', 'a Content-Security-Policy header');
  const out = new Map<string, string[]>();
  for (const part of (header as string).split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name, values);
  }
  return out;
}

describe('security headers', () => {
  let h: Harness;
  let proxied: Harness;
  before(async () => {
    h = await startHarness(await dialect.open(), { app: { tileUrl: 'https://tiles.example.org/{z}/{x}/{y}.png' } });
    proxied = await startHarness(await dialect.open(), { app: { trustProxy: true } });
  });
  after(async () => {
    await h.close();
    await proxied.close();
  });

  test('every answer carries a strict Content-Security-Policy: scripts only from this origin, never inline or eval', async () => {
    for (const url of ['/api/health', '/api/auth/me', '/api/nowhere', '/api/docs/static/index.html']) {
      const r = await h.app.inject({ method: 'GET', url });
      const csp = directives(r.headers['content-security-policy']);
      assert.deepEqual(csp.get('script-src'), ["'self'"], url);
      assert.deepEqual(csp.get('script-src-attr'), ["'none'"], url);
      assert.deepEqual(csp.get('default-src'), ["'self'"], url);
      assert.deepEqual(csp.get('object-src'), ["'none'"], url);
      assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], url);
      assert.deepEqual(csp.get('base-uri'), ["'none'"], url);
      for (const [name, values] of csp) {
        // Swagger UI's pages (only) may carry inline styles; inline script nowhere.
        if (!(url.startsWith('/api/docs') && name === 'style-src'))
          assert.ok(!values.includes("'unsafe-inline'"), `${url}: ${name} allows inline`);
        assert.ok(!values.includes("'unsafe-eval'"), `${url}: ${name} allows eval`);
        assert.ok(!values.includes('*'), `${url}: ${name} allows any origin`);
      }
      assert.equal(csp.has('upgrade-insecure-requests'), false, 'plain-HTTP field servers keep working');
      assert.equal(r.headers['x-frame-options'], 'DENY');
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
      assert.equal(r.headers['referrer-policy'], 'no-referrer');
    }
  });

  test('the web app and the API allow no inline style either', async () => {
    const csp = directives((await h.app.inject({ method: 'GET', url: '/api/health' })).headers['content-security-policy']);
    assert.deepEqual(csp.get('style-src'), ["'self'"]);
  });

  test("images may come from the map's tile server, and nothing else from it", async () => {
    const csp = directives((await h.app.inject({ method: 'GET', url: '/api/health' })).headers['content-security-policy']);
    assert.ok(csp.get('img-src')?.includes('https://tiles.example.org'));
    assert.ok(!csp.get('script-src')?.includes('https://tiles.example.org'));
    assert.ok(!csp.get('connect-src')?.includes('https://tiles.example.org'));
  });

  test('no HSTS over plain HTTP, nor when an untrusted client claims HTTPS', async () => {
    const plain = await h.app.inject({ method: 'GET', url: '/api/health' });
    assert.equal(plain.headers['strict-transport-security'], undefined);
    const claimed = await h.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(claimed.headers['strict-transport-security'], undefined, 'trustProxy is off: the header is not believed');
  });

  test('HSTS when a trusted proxy says the request came over TLS', async () => {
    const r = await proxied.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(r.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    const err = await proxied.app.inject({ method: 'GET', url: '/api/nowhere', headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(err.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains', 'errors too');
    const plain = await proxied.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-forwarded-proto': 'http' } });
    assert.equal(plain.headers['strict-transport-security'], undefined);
  });
});
