/**
 * The checkpoint log with no network after a reload, in a real Chromium: a monitor opens the desk
 * online (it keeps a copy of the convoys on the phone), the network drops, the page is reloaded,
 * and the desk opens from the copy saying as of when; a head count and an incident are logged in
 * three taps each, wait in the outbox and reach the database once when the network returns. Other
 * desks still say "No network". Logging out deletes the copy; logging in as another account on
 * the same phone deletes the first account's; a role taken away deletes the copy of its operation.
 *
 * No network is a TCP proxy in front of the server that is closed and opened again on the same
 * port, as in app-shell.test.ts (Playwright's setOffline does not cut a service worker's requests,
 * microsoft/playwright#2311).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { sql } from 'kysely';
import type { Browser, Page, Route } from 'playwright-core';
import { CHROMIUM, chromiumMissing, controlled, launch, logIn, loggedIn, shoot } from './support/browser.js';
import { networkProxy, type NetworkProxy } from './support/network.js';
import { PASSWORD, startServer, type E2eServer } from './support/server.js';

const skip = chromiumMissing();

interface StoredCopy {
  key: string;
  userId: string;
  savedAt: string;
  convoys: { id: string; state: string; vehicles: { id: string; occupancy: number }[] }[];
}

/** The desk's copies in this browser's IndexedDB, read from the page (none when the database was never made). */
const copies = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<StoredCopy[]>((resolve, reject) => {
        const req = indexedDB.open('corridor-desk-copy');
        // Never create the database from here: the app would then find it without its store.
        req.onupgradeneeded = () => req.transaction?.abort();
        req.onerror = () => resolve([]);
        req.onsuccess = () => {
          const db = req.result;
          const all = db.transaction('copies').objectStore('copies').getAll();
          all.onsuccess = () => {
            db.close();
            resolve(all.result as StoredCopy[]);
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );

/** Waits (up to `tries` quarter seconds) until the page's copies are there, or gone. */
async function untilCopies(page: Page, present: boolean, tries = 60): Promise<void> {
  for (let i = 0; i < tries && (await copies(page)).length > 0 !== present; i++) await page.waitForTimeout(250);
}

describe('checkpoint log offline after a reload', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;
  let convoyId: string;
  let boardingId: string;
  let officer: string;
  let net: NetworkProxy;
  const opApi = () => `/api/operations/${s.operationId}`;

  before(async () => {
    // One after the other: a server that fails to start must not leave a browser holding the process open.
    browser = await launch();
    s = await startServer();
    // One proxy for the file (closed in after): the tests take it down and up.
    net = await networkProxy(Number(new URL(s.url).port));
    await s.userWithRoles('monitor', ['checkpoint_monitor']);
    await s.userWithRoles('monitor-b', ['checkpoint_monitor']);
    await s.userWithRoles('monitor-c', ['checkpoint_monitor']);
    await s.userWithRoles('monitor-d', ['checkpoint_monitor']);
    await s.userWithRoles('monitor-e', ['checkpoint_monitor']);
    await s.userWithRoles('monitor-f', ['checkpoint_monitor']);
    await s.userWithRoles('officer', ['coordinator', 'registrar', 'convoy_officer']);
    officer = await s.sessionCookie('officer');
    const post = async (path: string, body: object, status = 201) => {
      const r = await s.api('POST', `${opApi()}${path}`, body, officer);
      assert.equal(r.status, status, `${path}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    await post('/routes', { id: 'north-road', name: 'North road', siteIds: ['amiriyah', 'ramouseh', 'rashidin'] });
    await post('/movement-windows', {
      start: new Date(Date.now() - 3_600_000).toISOString(),
      end: new Date(Date.now() + 6 * 3_600_000).toISOString(),
      note: 'ceasefire',
    });
    const hh = await post('/households', {
      siteId: 'amiriyah',
      members: [
        { names: { lat: { given: 'Samir', family: 'Nasser' }, ar: { given: 'سمير', family: 'ناصر' } }, sex: 'male', estimatedAge: 50 },
        { names: { lat: { given: 'Lina', family: 'Nasser' } }, sex: 'female', estimatedAge: 45, relationship: 'spouse' },
      ],
    });
    convoyId = (await post('/convoys', { routeId: 'north-road', name: 'Convoy 41' })).id;
    await post(`/convoys/${convoyId}/vehicles`, { id: 'BUS-41', kind: 'bus', mode: 'named', plate: 'ALP 4141' });
    await post(`/convoys/${convoyId}/vehicles`, { id: 'VAN-42', kind: 'van', mode: 'head_count' });
    await post(`/convoys/${convoyId}/boardings`, { householdId: hh.id, vehicleId: 'BUS-41' });
    await post(`/convoys/${convoyId}/transitions`, { event: 'depart' }, 200);
    boardingId = (await post('/convoys', { routeId: 'north-road', name: 'Convoy 43' })).id;
    await post(`/convoys/${boardingId}/vehicles`, { id: 'BUS-43', kind: 'bus', mode: 'head_count' });
    await post(`/convoys/${boardingId}/transitions`, { event: 'board' }, 200);
  });
  after(async () => {
    await net?.down();
    await browser?.close();
    await s?.close();
  });

  /**
   * The desk opened online by `username`, straight at the server, once it has saved its copy. No
   * worker: Playwright's routes then see every API request the page makes.
   */
  const deskOnline = async (username: string) => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB', serviceWorkers: 'block' });
    const page = await loggedIn(ctx, s.url, await s.sessionCookie(username));
    await page.goto(`${s.url}/op/${s.operationId}/checkpoint`);
    await page.getByTestId(`cp-convoy-${convoyId}`).waitFor();
    await untilCopies(page, true);
    return { ctx, page };
  };

  const facts = async () => {
    const rows = await sql<{ kind: string; vehicle_id: string | null; n: number }>`
      select kind, vehicle_id, count(*)::int as n from movement_facts
      where operation_id = ${s.operationId} and convoy_id = ${convoyId} and kind in ('passed_checkpoint', 'incident')
      group by kind, vehicle_id`.execute(s.db.kysely);
    return rows.rows.map((r) => `${r.kind}/${r.vehicle_id ?? '-'}=${r.n}`).sort();
  };

  test('reloaded with no network, the desk opens from its copy; a head count and an incident take three taps each and reach the server once', async () => {
    await net.up();
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    ctx.on('page', (p) =>
      p.on('pageerror', (err) => {
        throw err;
      }),
    );
    const page = await loggedIn(ctx, net.url, await s.sessionCookie('monitor'));
    const me = (await s.db.kysely.selectFrom('users').select('id').where('username', '=', 'monitor').executeTakeFirstOrThrow()).id;
    await page.goto(`${net.url}/op/${s.operationId}/checkpoint`);
    await controlled(page);
    await page.getByTestId(`cp-convoy-${convoyId}`).waitFor();

    // Online, the desk keeps its copy: the convoys that may pass, with their vehicles, and no one's name.
    let copy: StoredCopy | undefined;
    for (let i = 0; i < 60 && !copy; i++) {
      copy = (await copies(page))[0];
      if (!copy) await page.waitForTimeout(250);
    }
    assert.ok(copy, 'the desk saved a copy');
    assert.equal(copy.userId, me);
    assert.deepEqual(
      copy.convoys.map((c) => [c.id, c.state, c.vehicles.map((v) => `${v.id}:${v.occupancy}`).join(',')]).sort(),
      [
        [convoyId, 'departed', 'BUS-41:2,VAN-42:0'],
        [boardingId, 'boarding', 'BUS-43:0'],
      ].sort(),
    );
    const raw = JSON.stringify(copy);
    for (const name of ['Samir', 'Lina', 'Nasser', 'سمير', 'ناصر'])
      assert.equal(raw.includes(name), false, `no person name on the phone (${name})`);

    // The network drops and the phone reloads the page.
    await net.down();
    await page.reload();
    const banner = page.getByTestId('cp-offline');
    await banner.getByText(/^Offline — convoys as of .+\.$/).waitFor();
    assert.equal(await page.getByTestId('app-offline').count(), 0, 'not the "No network" page');
    await page.getByTestId(`cp-convoy-${boardingId}`).getByText('Boarding').waitFor();

    let taps = 0;
    const tap = async (testId: string) => {
      await page.getByTestId(testId).click();
      taps++;
    };
    // A head count: the convoy, the vehicle, "Passed with N" (N filled from the manifest in the copy).
    await tap(`cp-convoy-${convoyId}`);
    await tap('cp-vehicle-BUS-41');
    assert.equal(await page.getByTestId('cp-count').inputValue(), '2');
    await tap('cp-passed');
    assert.equal(taps, 3);
    await page.getByTestId('cp-log').locator('[data-status="queued"]').getByText('BUS-41 passed with 2').waitFor();
    await page.getByTestId('cp-vehicle-BUS-41').getByLabel('logged as passed').waitFor();
    // An incident: the convoy, "Report an incident", "Send the report".
    await page.getByRole('button', { name: 'Other convoy' }).click();
    taps = 0;
    await tap(`cp-convoy-${convoyId}`);
    await tap('cp-incident');
    await tap('cp-send-incident');
    assert.equal(taps, 3);
    await page.getByTestId('cp-log').locator('[data-status="queued"]').getByText('Incident: Medical').waitFor();
    await page.getByTestId('outbox-count').getByText('To send: 2').waitFor();
    await shoot(page, 'checkpoint-offline-en-phone');

    await page.getByTestId('language-switch').click();
    await banner.getByText(/^دون اتصال — القوافل كما كانت في .+\.$/).waitFor();
    await page.locator('html[dir="rtl"]').waitFor({ state: 'attached' }); // the catalogue loads first
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await page.getByTestId('outbox-count').getByText('للإرسال: ٢').waitFor();
    await shoot(page, 'checkpoint-offline-ar-phone');
    await page.getByTestId('language-switch').click();

    // Another desk, opened with no network, still says so (it handles people's records); it offers the checkpoint log.
    await page.goto(`${net.url}/op/${s.operationId}/persons`);
    await page.getByTestId('app-offline').getByRole('heading', { name: 'No network' }).waitFor();
    assert.equal(await page.getByTestId('cp-offline').count(), 0);
    await page.getByTestId('offline-checkpoint-link').click();
    await banner.waitFor();
    // After a reload the vehicle is still known as passed (from the outbox), and no fact reached the server.
    await page.getByTestId(`cp-convoy-${convoyId}`).click();
    await page.getByTestId('cp-vehicle-BUS-41').getByLabel('logged as passed').waitFor();
    assert.deepEqual(await facts(), []);

    // The network returns: the session answers (asked every 10 s), the outbox sends, the desk is online again.
    await net.up();
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    for (let i = 0; i < 60 && (await facts()).length < 3; i++) await page.waitForTimeout(250);
    await page.getByTestId('outbox').waitFor({ state: 'detached' });
    assert.deepEqual(await facts(), ['incident/-=1', 'passed_checkpoint/-=1', 'passed_checkpoint/BUS-41=1'], 'each fact once');
    const counted = await sql<{
      n: number;
    }>`select (payload->>'observedHeadCount')::int as n from movement_facts where convoy_id = ${convoyId} and vehicle_id = 'BUS-41' and kind = 'passed_checkpoint'`.execute(
      s.db.kysely,
    );
    assert.deepEqual(
      counted.rows.map((r) => r.n),
      [2],
    );

    // Logging out deletes the copy from the phone (this account's session cookie is then spent).
    assert.equal((await copies(page)).length, 1);
    await page.getByTestId('logout').click();
    await page.getByLabel('Username').waitFor();
    assert.deepEqual(await copies(page), [], 'no copy left after logging out');
    await ctx.close();
  });

  test("logging in as another account on the same phone deletes the first account's copy", async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    const page = await loggedIn(ctx, s.url, await s.sessionCookie('monitor-b'));
    await page.goto(`${s.url}/op/${s.operationId}/checkpoint`);
    await page.getByTestId('checkpoint-site').waitFor();
    await untilCopies(page, true);
    const ids = async (username: string) =>
      (await s.db.kysely.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
    assert.deepEqual(
      (await copies(page)).map((c) => c.userId),
      [await ids('monitor-b')],
    );

    // The phone is handed over without logging out; the next account logs in.
    await ctx.clearCookies();
    const [name, value] = (await s.sessionCookie('monitor-c')).split('=') as [string, string];
    await ctx.addCookies([{ name, value, url: s.url }]);
    await page.goto(`${s.url}/`);
    await page.getByTestId('operation-list').waitFor();
    await untilCopies(page, false, 40);
    assert.deepEqual(await copies(page), [], "the first account's copy is gone");
    await ctx.close();
  });

  test('logging out with no network deletes the copy at once, ends the session when the server is back, and keeps what waits until the account logs in again', async () => {
    await net.up();
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    const cookie = await s.sessionCookie('monitor-d');
    const page = await loggedIn(ctx, net.url, cookie);
    await page.goto(`${net.url}/op/${s.operationId}/checkpoint`);
    await controlled(page);
    await untilCopies(page, true);
    assert.equal((await copies(page)).length, 1);

    await net.down();
    await page.reload();
    await page.getByTestId('cp-offline').waitFor();
    await page.getByTestId(`cp-convoy-${convoyId}`).click();
    await page.getByTestId('cp-vehicle-VAN-42').click();
    await page.getByTestId('cp-count').fill('5');
    await page.getByTestId('cp-passed').click();
    await page.getByTestId('outbox-count').getByText('To send: 1').waitFor();

    // Logging out says what stays on the phone, then deletes the copy even though the server cannot be told.
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.accept();
    });
    await page.getByTestId('logout').click();
    await page.getByTestId('app-offline').getByRole('heading', { name: 'No network' }).waitFor();
    assert.match(asked[0] ?? '', /^Entries not sent yet: 1\. They stay on this phone and are sent when you log in here again\./);
    assert.deepEqual(await copies(page), []);
    assert.equal(await page.getByTestId('offline-checkpoint-link').count(), 0, 'no desk offered from a copy');
    assert.equal(await page.getByTestId('logout').count(), 0);
    await page.reload();
    await page.getByTestId('app-offline').waitFor();
    assert.equal(await page.getByTestId('cp-offline').count(), 0, 'a reload does not bring the desk back');

    // The network returns: the server's session is ended before anything else, and nothing was sent for the logged-out account.
    await net.up();
    await page.getByLabel('Username').waitFor({ timeout: 30_000 });
    assert.equal(
      (await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode,
      401,
      'the session was ended',
    );
    const vanFacts = async () =>
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from movement_facts where convoy_id = ${convoyId} and vehicle_id = 'VAN-42' and kind = 'passed_checkpoint'`.execute(
          s.db.kysely,
        )
      ).rows[0]!.n;
    assert.equal(await vanFacts(), 0, 'waiting while its account is logged out');

    // The same account logs in again on this phone: what it logged is sent, once.
    await logIn(page, net.url, 'monitor-d', PASSWORD);
    for (let i = 0; i < 60 && (await vanFacts()) === 0; i++) await page.waitForTimeout(250);
    assert.equal(await vanFacts(), 1);
    await ctx.close();
    await net.down();
  });

  test('a desk open with a session falls back to the copy when its reads fail with a network error', async () => {
    const { ctx, page } = await deskOnline('monitor-e');
    assert.equal(await page.getByTestId('cp-offline').count(), 0, 'online: no banner');

    const cut = (route: Route) => route.abort('internetdisconnected');
    await ctx.route('**/api/**', cut);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page
      .getByTestId('cp-offline')
      .getByText(/^Offline — convoys as of /)
      .waitFor();
    await page.getByTestId(`cp-convoy-${boardingId}`).waitFor();
    await page.getByTestId(`cp-convoy-${boardingId}`).click();
    await page.getByTestId('cp-vehicle-BUS-43').click();
    await page.getByTestId('cp-count').fill('12');
    await page.getByTestId('cp-passed').click();
    await page.getByTestId('cp-log').locator('[data-status="queued"]').getByText('BUS-43 passed with 12').waitFor();
    assert.equal(await page.getByTestId('cp-state').textContent(), 'Moving', 'seen at the checkpoint: no longer boarding');

    await page.getByTestId('outbox-toggle').click();
    await page.getByTestId('outbox-send').waitFor();
    await ctx.unroute('**/api/**', cut);
    await page.getByTestId('outbox-send').click();
    await page.getByTestId('outbox').waitFor({ state: 'detached' });
    const n = await sql<{
      n: number;
    }>`select count(*)::int as n from movement_facts where convoy_id = ${boardingId} and kind = 'passed_checkpoint'`.execute(s.db.kysely);
    assert.equal(n.rows[0]!.n, 2, 'the convoy and its vehicle, once each');
    await page.getByRole('button', { name: 'Other convoy' }).click();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByTestId('cp-offline').waitFor({ state: 'detached' });
    await ctx.close();
  });

  test('a monitor whose role is taken away loses the copy at the next start online, without logging out', async () => {
    const { ctx, page } = await deskOnline('monitor-f');
    assert.equal((await copies(page)).length, 1, 'the desk saved its copy');

    const userId = (await s.db.kysely.selectFrom('users').select('id').where('username', '=', 'monitor-f').executeTakeFirstOrThrow()).id;
    const revoked = await s.api('PUT', `${opApi()}/staff/${userId}`, { roles: [] }, s.adminCookie);
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    // The phone opens the app again, online: the server says who this is, and what they may do.
    await page.goto(`${s.url}/`);
    await untilCopies(page, false);
    assert.deepEqual(await copies(page), [], 'the copy of an operation where the account no longer logs checkpoints is gone');
    await ctx.close();
  });

  test('the app can be installed on the phone: Chromium finds the manifest, its icons and no installability error', async () => {
    // A profile on disk: Playwright's usual contexts are incognito, where nothing can be installed.
    const profile = mkdtempSync(join(tmpdir(), 'corridor-e2e-install-'));
    const ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu'],
    });
    try {
      const page = await ctx.newPage();
      await page.goto(`${s.url}/`);
      await page.getByLabel('Username').waitFor();
      const cdp = await ctx.newCDPSession(page);
      const manifest = await cdp.send('Page.getAppManifest');
      assert.deepEqual(manifest.errors, []);
      assert.deepEqual((await cdp.send('Page.getInstallabilityErrors')).installabilityErrors, []);
      const icons = (JSON.parse(manifest.data ?? '{}') as { icons: { src: string; sizes: string; type: string; purpose?: string }[] })
        .icons;
      assert.deepEqual(
        icons.map((i) => `${i.sizes} ${i.type} ${i.purpose ?? 'any'}`),
        ['any image/svg+xml any', '192x192 image/png any', '512x512 image/png any', '512x512 image/png maskable'],
      );
      for (const icon of icons) {
        const r = await page.request.get(`${s.url}${icon.src}`);
        assert.equal(r.status(), 200, icon.src);
        assert.equal(r.headers()['content-type']?.split(';')[0], icon.type, icon.src);
        if (icon.type === 'image/png') {
          const png = await r.body();
          assert.equal(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`, icon.sizes, `${icon.src} is the size it says`);
        }
      }
    } finally {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
