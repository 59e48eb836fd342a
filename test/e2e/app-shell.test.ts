/**
 * How the app itself reaches a phone: assets pre-compressed (brotli or gzip to a client that
 * accepts them, plain to one that does not, with the right cache headers), a service worker that
 * opens the app shell with no network and never caches the API (the outbox then sends what waited
 * once the server answers), and a new deploy that replaces the old shell.
 *
 * No network is played by a TCP proxy in front of the server that is closed and opened again on
 * the same port: Playwright's setOffline does not cut a service worker's requests
 * (microsoft/playwright#2311), and a stopped server is what a phone out of coverage sees.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { ulid } from 'ulid';
import { chromiumMissing, controlled, launch, loggedIn, shoot } from './support/browser.js';
import { networkProxy } from './support/network.js';
import { startServer, type E2eServer } from './support/server.js';

const skip = chromiumMissing();

function get(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('app shell: compression, service worker, deploys', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;
  const opApi = () => `/api/operations/${s.operationId}`;
  const fact = (convoyId: string, kind: string, siteId: string) => ({
    id: ulid(),
    operationId: s.operationId,
    convoyId,
    kind,
    siteId,
    deviceTime: new Date().toISOString(),
    payload: {},
  });

  before(async () => {
    [s, browser] = await Promise.all([startServer(), launch()]);
    await s.userWithRoles('monitor', ['checkpoint_monitor']);
    await s.userWithRoles('lead', ['coordinator', 'convoy_officer', 'checkpoint_monitor']);
    await s.api('POST', `${opApi()}/routes`, { id: 'north-road', name: 'North road', siteIds: ['amiriyah', 'ramouseh', 'rashidin'] });
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  test('JavaScript and CSS are sent brotli or gzip to a client that accepts them and plain to one that does not', async () => {
    const index = readFileSync(join(s.web, 'index.html'), 'utf8');
    const assets = [...index.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    assert.ok(
      assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')),
      `assets named by index.html: ${assets.join(', ')}`,
    );
    for (const asset of assets.filter((a) => readFileSync(join(s.web, a)).length >= 1024)) {
      const plain = readFileSync(join(s.web, asset));
      const br = await get(`${s.url}${asset}`, { 'accept-encoding': 'gzip, deflate, br' });
      assert.equal(br.status, 200);
      assert.equal(br.headers['content-encoding'], 'br', asset);
      assert.match(String(br.headers.vary), /accept-encoding/i);
      assert.match(String(br.headers['cache-control']), /immutable/);
      assert.ok(br.body.length < plain.length, `${asset}: ${br.body.length} < ${plain.length}`);
      assert.deepEqual(brotliDecompressSync(br.body), plain);
      const gz = await get(`${s.url}${asset}`, { 'accept-encoding': 'gzip' });
      assert.equal(gz.headers['content-encoding'], 'gzip', asset);
      assert.deepEqual(gunzipSync(gz.body), plain);
      const none = await get(`${s.url}${asset}`, {});
      assert.equal(none.headers['content-encoding'], undefined, asset);
      assert.deepEqual(none.body, plain);
    }
    // The shell and the worker are asked for again each time, so a deploy is seen at once.
    for (const path of ['/', '/sw.js', '/manifest.webmanifest'])
      assert.equal((await get(`${s.url}${path}`, {})).headers['cache-control'], 'no-cache', path);
    const deep = await get(`${s.url}/op/${s.operationId}/dashboard`, { accept: 'text/html' });
    assert.equal(deep.status, 200);
    assert.equal(deep.headers['cache-control'], 'no-cache', 'a desk opened by its address gets the shell, not kept by caches');
  });

  test('with no network the phone opens the app from the service worker, the API is never cached, and what waited is sent when the network returns', async () => {
    const cv = (await s.api('POST', `${opApi()}/convoys`, { routeId: 'north-road', name: 'Convoy 31' }, await s.sessionCookie('lead')))
      .body;
    await s.api(
      'POST',
      `${opApi()}/convoys/${cv.id}/vehicles`,
      { id: 'VAN-31', kind: 'van', mode: 'head_count' },
      await s.sessionCookie('lead'),
    );
    const r = await s.api('POST', `${opApi()}/facts`, { facts: [fact(cv.id, 'departed', 'amiriyah')] }, await s.sessionCookie('lead'));
    assert.equal(r.status, 200, JSON.stringify(r.body));

    const net = await networkProxy(Number(new URL(s.url).port));
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    const page = await loggedIn(ctx, net.url, await s.sessionCookie('monitor'));
    await page.goto(`${net.url}/op/${s.operationId}/checkpoint`);
    await controlled(page);
    await page.getByTestId(`cp-convoy-${cv.id}`).click();
    await page.getByTestId('cp-vehicle-VAN-31').click();
    await page.getByTestId('cp-count').fill('9');

    await net.down();
    await page.getByTestId('cp-passed').click();
    await page.getByTestId('cp-log').locator('[data-status="queued"]').waitFor();
    await page.reload();
    // The checkpoint log opens from the copy of its convoys kept on the phone (checkpoint-offline.test.ts);
    // a desk that handles people's records says "No network".
    await page.getByTestId('cp-offline').waitFor();
    await page.goto(`${net.url}/op/${s.operationId}/persons`);
    await page.getByTestId('app-offline').getByRole('heading', { name: 'No network' }).waitFor();
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys())
        for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
      return urls;
    });
    assert.ok(cached.includes('/index.html'), `precached: ${cached.join(', ')}`);
    assert.deepEqual(
      cached.filter((u) => u.startsWith('/api/')),
      [],
      'no API answer is cached',
    );
    assert.equal(
      await page.evaluate(() =>
        fetch('/api/auth/me').then(
          () => 'answered',
          () => 'failed',
        ),
      ),
      'failed',
      'the API is not answered from a cache',
    );
    await page.getByTestId('language-switch').click();
    await page.getByRole('heading', { name: 'لا توجد شبكة' }).waitFor();
    await page.locator('html[dir="rtl"]').waitFor({ state: 'attached' }); // the catalogue loads first
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await shoot(page, 'app-offline-ar-phone');

    await page.getByTestId('offline-checkpoint-link').click();
    await net.up();
    await page.getByTestId('cp-offline').waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByTestId('checkpoint-site').waitFor();
    const sent = async () =>
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from movement_facts where convoy_id = ${cv.id} and kind = 'passed_checkpoint' and vehicle_id = 'VAN-31'`.execute(
          s.db.kysely,
        )
      ).rows[0]!.n;
    for (let i = 0; i < 60 && (await sent()) === 0; i++) await new Promise((r) => setTimeout(r, 500));
    assert.equal(await sent(), 1, 'the head count waited on the phone and was sent once');
    await ctx.close();
    await net.down();
  });

  test('a new deploy replaces the old shell: the new worker takes over and the page moves to the new version at the next step', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    const page = await loggedIn(ctx, s.url, await s.sessionCookie('lead'));
    await page.goto(`${s.url}/op/${s.operationId}/convoys`);
    await controlled(page);
    const deployed = () => page.evaluate(() => document.querySelector('meta[name="corridor-deploy"]')?.getAttribute('content') ?? null);
    assert.equal(await deployed(), null);

    // Deploy: a changed index.html (and its compressed copies), and a worker whose precache names its new revision.
    const html = readFileSync(join(s.web, 'index.html'), 'utf8').replace(
      '<title>',
      '<meta name="corridor-deploy" content="2" />\n    <title>',
    );
    writeFileSync(join(s.web, 'index.html'), html);
    writeFileSync(join(s.web, 'index.html.br'), brotliCompressSync(html));
    writeFileSync(join(s.web, 'index.html.gz'), gzipSync(html));
    const sw = readFileSync(join(s.web, 'sw.js'), 'utf8');
    const next = sw.replace(/(url:"index\.html",revision:")[0-9a-f]+"/, '$1deploy2"');
    assert.notEqual(next, sw, 'the worker precaches index.html by revision');
    writeFileSync(join(s.web, 'sw.js'), next);

    // The next visit still opens at once (old shell from the worker); the browser finds the new worker meanwhile.
    await page.reload();
    await page
      .getByTestId('update-ready')
      .getByText('A new version of Corridor is ready; it opens at your next step.')
      .waitFor({ timeout: 30_000 });
    await page.locator('nav.menu a[href$="/checkpoint"]').click();
    await page.waitForFunction(() => document.querySelector('meta[name="corridor-deploy"]') !== null);
    assert.equal(await deployed(), '2');
    await page.getByRole('heading', { name: 'Checkpoint log' }).waitFor();
    assert.equal(await page.getByTestId('update-ready').count(), 0);
    await ctx.close();
  });
});
