/**
 * The offline outbox in a real Chromium: a checkpoint monitor with no signal records a head
 * count and an incident; they are kept on the phone (IndexedDB) and shown as waiting; the first
 * send after the connection returns reaches the server but its answer is lost, the page is
 * reloaded, and "send now" sends the rest with the same client ids — each fact is recorded once.
 * A command the server refuses when it is finally sent (the role was withdrawn meanwhile) is
 * shown to the user, not dropped. A 409 `request.in_progress` (a copy still being processed) is
 * not a refusal: the command waits and is sent again with the same client id, once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page, Route } from 'playwright-core';
import { sql } from 'kysely';
import { chromiumMissing, launch, loggedIn, shoot } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';

const skip = chromiumMissing();

describe('offline outbox in Chromium', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;
  let convoyId: string;
  let cookie: string;
  const opApi = () => `/api/operations/${s.operationId}`;

  before(async () => {
    [s, browser] = await Promise.all([startServer(), launch()]);
    await s.userWithRoles('monitor', ['checkpoint_monitor']);
    await s.userWithRoles('monitor-2', ['checkpoint_monitor']);
    await s.userWithRoles('officer', ['coordinator', 'registrar', 'convoy_officer']);
    cookie = await s.sessionCookie('officer');
    const post = async (path: string, body: object, status = 201) => {
      const r = await s.api('POST', `${opApi()}${path}`, body, cookie);
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
        { names: { lat: { given: 'Samir', family: 'Nasser' } }, sex: 'male', estimatedAge: 50 },
        { names: { lat: { given: 'Lina', family: 'Nasser' } }, sex: 'female', estimatedAge: 45, relationship: 'spouse' },
      ],
    });
    const cv = await post('/convoys', { routeId: 'north-road', name: 'Convoy 21' });
    convoyId = cv.id;
    await post(`/convoys/${convoyId}/vehicles`, { id: 'BUS-21', kind: 'bus', mode: 'named' });
    await post(`/convoys/${convoyId}/boardings`, { householdId: hh.id, vehicleId: 'BUS-21' });
    await post(`/convoys/${convoyId}/transitions`, { event: 'depart' }, 200);
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  async function phone(username: string): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    ctx.on('page', (p) =>
      p.on('pageerror', (err) => {
        throw err;
      }),
    );
    const page = await loggedIn(ctx, s.url, await s.sessionCookie(username));
    await page.goto(`${s.url}/op/${s.operationId}/checkpoint`);
    return page;
  }

  const factCounts = async () => {
    const rows = await sql<{ kind: string; vehicle_id: string | null; n: number }>`
      select kind, vehicle_id, count(*)::int as n from movement_facts
      where operation_id = ${s.operationId} and convoy_id = ${convoyId} and kind in ('passed_checkpoint', 'incident')
      group by kind, vehicle_id order by kind, vehicle_id`.execute(s.db.kysely);
    return rows.rows.map((r) => `${r.kind}/${r.vehicle_id ?? '-'}=${r.n}`).sort();
  };

  test('a head count and an incident recorded offline wait on the phone, survive a reload and are sent once', async () => {
    const page = await phone('monitor');
    const ctx = page.context();
    await page.getByTestId(`cp-convoy-${convoyId}`).click();
    await page.getByTestId('cp-vehicle-BUS-21').waitFor();

    // No signal at the roadside.
    await ctx.setOffline(true);
    await page.getByTestId('cp-vehicle-BUS-21').click();
    await page.getByTestId('cp-count').fill('3'); // two on the manifest: the count differs
    await page.getByTestId('cp-passed').click();
    await page.getByTestId('cp-log').locator('[data-status="queued"]').getByText('saved on this phone, will be sent').waitFor();
    await page.getByTestId('cp-incident').click();
    await page.getByTestId('cp-incident-form').getByRole('button', { name: 'Shooting' }).click();
    await page.getByTestId('cp-incident-form').getByLabel('Note').fill('Shots heard north of the road; no one hurt.');
    await page.getByTestId('cp-send-incident').click();
    await page.getByTestId('cp-log').locator('[data-status="queued"]').nth(1).waitFor();
    await page.getByTestId('outbox-count').getByText('To send: 2').waitFor();
    await page.getByTestId('outbox-toggle').click();
    await page
      .getByTestId('outbox-status')
      .getByText(/this device has no network/)
      .waitFor();
    assert.equal(await page.getByTestId('outbox-panel').locator('li[data-status="waiting"]').count(), 2);
    await shoot(page, 'checkpoint-outbox-offline-en-phone');
    await page.getByTestId('language-switch').click();
    await page.getByTestId('outbox-count').getByText('للإرسال: ٢').waitFor();
    await page.locator('html[dir="rtl"]').waitFor({ state: 'attached' }); // the catalogue loads first
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await shoot(page, 'checkpoint-outbox-offline-ar-phone');
    await page.getByTestId('language-switch').click();
    assert.deepEqual(await factCounts(), [], 'nothing reached the server');

    // The signal comes back, weakly: the first send reaches the server but its answer is lost,
    // and nothing gets through after it.
    let calls = 0;
    const flaky = async (route: Route) => {
      calls++;
      if (calls === 1) await route.fetch();
      await route.abort('internetdisconnected');
    };
    await ctx.route('**/facts', flaky);
    await ctx.setOffline(false);
    await page
      .getByTestId('outbox-status')
      .getByText(/the server could not be reached/)
      .waitFor();
    assert.deepEqual(await factCounts(), ['passed_checkpoint/-=1', 'passed_checkpoint/BUS-21=1'], 'the first batch arrived');

    // The page is reloaded: the outbox is still there, both entries waiting.
    await page.reload();
    await page.getByTestId('outbox-count').getByText('To send: 2').waitFor();

    // A good connection: "send now" sends both, in order, with the client ids they were made with.
    // The panel is opened while sends still fail, so the outbox's own retry timer (5–10 s) cannot
    // empty it before the button is there, on a slow machine.
    await page.getByTestId('outbox-toggle').click();
    await page.getByTestId('outbox-send').waitFor();
    await ctx.unroute('**/facts', flaky);
    await page.getByTestId('outbox-send').click();
    await page.getByTestId('outbox').waitFor({ state: 'detached' });
    assert.deepEqual(await factCounts(), ['incident/-=1', 'passed_checkpoint/-=1', 'passed_checkpoint/BUS-21=1'], 'each fact once');
    const rec = await s.api('GET', `${opApi()}/reconciliation?convoyId=${convoyId}`, undefined, cookie);
    assert.equal(rec.status, 200, JSON.stringify(rec.body));
    const mismatches = (rec.body.items as { kind: string; vehicleId?: string; details: { observed: number } }[]).filter(
      (i) => i.kind === 'head_count_mismatch',
    );
    assert.deepEqual(
      mismatches.map((m) => [m.vehicleId, m.details.observed]),
      [['BUS-21', 3]],
      'the head count counted once',
    );
    await ctx.close();
  });

  test('a command answered 409 request.in_progress keeps waiting and is sent again with the same client id, recorded once', async () => {
    const page = await phone('monitor');
    const ctx = page.context();
    await page.getByTestId(`cp-convoy-${convoyId}`).click();
    await page.getByTestId('cp-incident').waitFor();
    const incidents = async () => Number((await factCounts()).find((x) => x.startsWith('incident/-='))?.split('=')[1] ?? 0);
    const before = await incidents();
    // The first send is answered as a server answers a copy of a write it is still processing.
    const keys: string[] = [];
    let calls = 0;
    const busy = async (route: Route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (++calls === 1)
        return route.fulfill({
          status: 409,
          headers: { 'content-type': 'application/json', 'retry-after': '1' },
          body: JSON.stringify({
            error: { code: 'request.in_progress', message: 'still being processed', details: { retryAfterSeconds: 1 } },
          }),
        });
      return route.continue();
    };
    await ctx.route('**/facts', busy);
    await page.getByTestId('cp-incident').click();
    await page.getByTestId('cp-incident-form').getByRole('button', { name: 'Shooting' }).click();
    await page.getByTestId('cp-send-incident').click();
    await page.getByTestId('cp-log').locator('[data-status="queued"]').waitFor();
    assert.equal(await page.getByTestId('outbox-refused-count').count(), 0, 'not refused');
    // The outbox's own timer sends it again (5–10 s), with the same client id.
    await page.getByTestId('outbox').waitFor({ state: 'detached', timeout: 30_000 });
    await ctx.unroute('**/facts', busy);
    assert.equal(keys.length, 2, keys.join(' '));
    assert.equal(keys[1], keys[0]);
    assert.equal(await incidents(), before + 1, 'recorded once');
    await ctx.close();
  });

  test('a command refused when it is finally sent is shown to the user, not dropped', async () => {
    const page = await phone('monitor-2');
    const ctx = page.context();
    await page.getByTestId(`cp-convoy-${convoyId}`).click();
    await page.getByTestId('cp-halt').waitFor();
    await ctx.setOffline(true);
    await page.getByTestId('cp-halt').click();
    await page.getByTestId('cp-halt-form').getByRole('button', { name: 'Log the halt' }).click();
    await page.getByTestId('cp-log').locator('[data-status="queued"]').waitFor();
    // Meanwhile the monitor's role is withdrawn: the server will refuse the halt.
    const user = await s.db.kysely.selectFrom('users').select('id').where('username', '=', 'monitor-2').executeTakeFirstOrThrow();
    const r = await s.api('PUT', `${opApi()}/staff/${user.id}`, { roles: ['viewer'] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await ctx.setOffline(false);
    await page.getByTestId('outbox-refused-count').getByText('Refused: 1').waitFor();
    await page.getByTestId('cp-log').locator('[data-status="failed"]').waitFor();
    await page.getByTestId('outbox-toggle').click();
    await page
      .getByTestId('outbox-panel')
      .locator('li[data-status="refused"]')
      .getByText(/Refused by the server/)
      .waitFor();
    await shoot(page, 'checkpoint-outbox-refused-en-phone');
    // Still there after a reload, until the user dismisses it.
    await page.reload();
    await page.getByTestId('outbox-toggle').click();
    await page.getByTestId('outbox-panel').getByRole('button', { name: 'Dismiss' }).click();
    await page.getByTestId('outbox').waitFor({ state: 'detached' });
    await ctx.close();
  });
});
