/**
 * Follow-ups on the desks in a real Chromium: reconciliation's route-order items (out of order,
 * checkpoint skipped) read in English and Arabic with their sites and facts; a tracing officer
 * acknowledges and closes protection alerts with an outcome and a note, and is told plainly when
 * someone else closed one first; the dashboard stops and offers to log in again when its session
 * ends; a checkpoint log entry follows the language switched to after it was recorded; the
 * duplicate review desk shows the pairs that the check after each registration finds while it is
 * open (at once when it shows none, on the reviewer's word when it shows some).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { ulid } from 'ulid';
import { chromiumMissing, launch, loggedIn, shoot } from './support/browser.js';
import { PASSWORD, startServer, type E2eServer } from './support/server.js';

const skip = chromiumMissing();

describe('desk follow-ups in Chromium', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;
  let opApi: string;
  let everyone: string;
  const op = () => `${s.url}/op/${s.operationId}`;
  const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();

  async function as(cookie: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const ctx = await browser.newContext({ viewport, locale: 'en-GB' });
    ctx.on('page', (p) =>
      p.on('pageerror', (err) => {
        throw err;
      }),
    );
    return loggedIn(ctx, s.url, cookie);
  }
  async function post(path: string, body: unknown, status = 201, cookie = everyone) {
    const r = await s.api('POST', `${opApi}${path}`, body, cookie);
    assert.equal(r.status, status, `${path}: ${JSON.stringify(r.body)}`);
    return r.body;
  }
  const fact = (convoyId: string, kind: string, siteId: string, at: string, vehicleId?: string) => ({
    id: ulid(),
    operationId: s.operationId,
    convoyId,
    kind,
    siteId,
    deviceTime: at,
    payload: {},
    ...(vehicleId ? { vehicleId } : {}),
  });

  before(async () => {
    [s, browser] = await Promise.all([startServer(), launch()]);
    opApi = `/api/operations/${s.operationId}`;
    await s.userWithRoles('everyone', [
      'coordinator',
      'convoy_officer',
      'checkpoint_monitor',
      'reception_officer',
      'tracing_officer',
      'registrar',
    ]);
    await s.userWithRoles('tracer', ['tracing_officer']);
    await s.userWithRoles('monitor', ['checkpoint_monitor']);
    await s.userWithRoles('viewer', ['viewer']);
    everyone = await s.sessionCookie('everyone');
    await post('/routes', { id: 'north-road', name: 'North road', siteIds: ['amiriyah', 'ramouseh', 'rashidin'] });
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  test('reconciliation names a vehicle seen out of route order and a checkpoint a vehicle went past unlogged, in English and Arabic', async () => {
    const cv = await post('/convoys', { routeId: 'north-road', name: 'Convoy 21' });
    for (const id of ['BUS-21', 'BUS-22']) await post(`/convoys/${cv.id}/vehicles`, { id, kind: 'bus', mode: 'head_count' });
    const late = fact(cv.id, 'passed_checkpoint', 'ramouseh', ago(20), 'BUS-21');
    await post(
      '/facts',
      {
        facts: [
          fact(cv.id, 'departed', 'amiriyah', ago(40)),
          fact(cv.id, 'arrived', 'rashidin', ago(30), 'BUS-21'),
          late,
          fact(cv.id, 'arrived', 'rashidin', ago(25), 'BUS-22'),
        ],
      },
      200,
    );
    const page = await as(everyone);
    await page.goto(`${op()}/convoys?convoy=${cv.id}`);
    const rec = page.getByTestId('reconciliation');
    const order = rec.locator('[data-kind="checkpoint_out_of_order"]');
    await order.getByRole('heading', { name: /Seen out of route order/ }).waitFor();
    await order
      .getByText(
        /^Vehicle BUS-21 was seen at Ramouseh checkpoint \(.+\) after al-Rashidin reception \(.+\), which comes later on the route/,
      )
      .waitFor();
    await order.getByText(late.id).waitFor();
    const skipped = rec.locator('[data-kind="checkpoint_skipped"]');
    await skipped
      .getByText(/^Vehicle BUS-22 was never logged at Ramouseh checkpoint, though seen further on at al-Rashidin reception/)
      .waitFor();
    assert.doesNotMatch(await rec.innerText(), /checkpoint_(out_of_order|skipped)/, 'no raw kind shown');
    await shoot(page, 'reconciliation-route-order-en');
    await page.getByTestId('language-switch').click();
    await order.getByRole('heading', { name: /شوهدت بغير ترتيب الطريق/ }).waitFor();
    await order.getByText(/^شوهدت المركبة BUS-21 في حاجز الراموسة .+ بعد مركز استقبال الراشدين/).waitFor();
    await skipped.getByText(/^لم تُسجَّل المركبة BUS-22 في حاجز الراموسة/).waitFor();
    await page.locator('html[dir="rtl"]').waitFor({ state: 'attached' }); // the catalogue loads first
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await shoot(page, 'reconciliation-route-order-ar');
    await page.context().close();
  });

  test('a tracing officer acknowledges and closes protection alerts, and is told when someone else closed one first', async () => {
    const child = (given: string, givenAr: string) => ({
      names: { ar: { given: givenAr, family: 'يوسف' }, lat: { given, family: 'Youssef' } },
      sex: 'male',
      estimatedAge: 11,
      vulnerabilities: ['unaccompanied_child'],
      consent: { tracing: true, disclosure: false },
    });
    const ids: string[] = [];
    for (const [given, ar] of [
      ['Sami', 'سامي'],
      ['Karim', 'كريم'],
    ] as const) {
      const hh = await post('/households', { siteId: 'amiriyah', members: [child(given, ar)] });
      ids.push(hh.members?.[0]?.id ?? (await s.api('GET', `${opApi}/households/${hh.id}`, undefined, everyone)).body.members[0].id);
    }
    for (const personId of ids) await post('/check-ins', { siteId: 'rashidin', personId });
    const alerts = (await s.api('GET', `${opApi}/protection-alerts?status=open`, undefined, everyone)).body as {
      id: string;
      personId: string;
    }[];
    const karimAlert = alerts.find((a) => a.personId === ids[1])!;

    const page = await as(await s.sessionCookie('tracer'));
    await page.goto(`${op()}/tracing`);
    const box = page.getByTestId('alerts');
    const sami = box.getByTestId('alert-row').filter({ hasText: 'Sami Youssef' });
    await sami.getByText('nobody has taken it yet').waitFor();
    await sami.getByRole('button', { name: 'Someone is with Sami Youssef: acknowledge the alert' }).click();
    await box.getByText('Alert acknowledged.').waitFor();
    // Who acted is named (display name, isolated for bidirectional text), never an account id.
    await sami
      .getByTestId('alert-acknowledged')
      .getByText(/^someone is with the child since .+ \(acknowledged by \u2068tracer\u2069\)$/)
      .waitFor();
    await sami.getByRole('button', { name: 'Close the alert for Sami Youssef with an outcome' }).click();
    const form = sami.getByTestId('alert-close-form');
    assert.equal(await form.getByTestId('alert-close-send').isDisabled(), true, 'an outcome and a note are needed');
    await form.getByLabel('Referred to child protection').check();
    await form.getByLabel('Note on the outcome').fill('Handed to the child protection worker on shift at the centre.');
    await shoot(page, 'tracing-alert-close-en');
    await form.getByTestId('alert-close-send').click();
    await box.getByText('Alert closed: Referred to child protection.').waitFor();
    await sami.waitFor({ state: 'detached' });

    // Karim's alert: the officer opens the close form, and meanwhile another officer closes it.
    const karim = box.getByTestId('alert-row').filter({ hasText: 'Karim Youssef' });
    await karim.getByTestId('alert-close').click();
    await karim.getByLabel('In interim care').check();
    await karim.getByLabel('Note on the outcome').fill('Placed with a foster family.');
    await post(`/protection-alerts/${karimAlert.id}/close`, { outcome: 'reunited', note: 'His aunt came to the centre.' }, 200);
    await karim.getByTestId('alert-close-send').click();
    const refused = box.locator('[data-code="protection_alert.closed"]');
    await refused.getByText(/^\u2068everyone\u2069 closed this alert first \(Reunited with family, .+\); their outcome stands\./).waitFor();
    await box.getByText('No open alerts.').waitFor();

    await box.getByRole('button', { name: 'Closed', exact: true }).click();
    await box
      .getByTestId('alert-row')
      .filter({ hasText: 'Sami Youssef' })
      .getByText(/Referred to child protection — Handed to the child protection worker/)
      .waitFor();
    await box
      .getByTestId('alert-row')
      .filter({ hasText: 'Karim Youssef' })
      .getByText(/^closed .+ by \u2068everyone\u2069: Reunited with family/)
      .waitFor();
    await box
      .getByTestId('alert-row')
      .filter({ hasText: 'Sami Youssef' })
      .getByText(/^closed .+ by \u2068tracer\u2069: Referred/)
      .waitFor();
    const stored = (await s.api('GET', `${opApi}/protection-alerts?status=closed`, undefined, everyone)).body as {
      personId: string;
      outcome: string;
    }[];
    assert.deepEqual(
      stored.map((a) => [a.personId, a.outcome]).sort(),
      [
        [ids[0], 'referred'],
        [ids[1], 'reunited'],
      ].sort(),
    );
    await page.getByTestId('language-switch').click();
    await box
      .getByTestId('alert-row')
      .filter({ hasText: 'سامي يوسف' })
      .getByText(/أُحيل إلى حماية الطفل/)
      .waitFor();
    await box.getByRole('button', { name: 'المغلقة' }).waitFor();
    await shoot(page, 'tracing-alerts-closed-ar');
    await page.context().close();
  });

  test('the dashboard stops listening when its session ends and offers to log in again', async () => {
    const login = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'viewer', password: PASSWORD } });
    const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0]!;
    const page = await as(cookie);
    let streams = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/counts/stream')) streams++;
    });
    await page.goto(`${op()}/dashboard`);
    await page.getByTestId('live').getByText('Live').waitFor();
    const r = await s.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    assert.ok(r.statusCode < 300, `logout: ${r.body}`);
    await page
      .getByTestId('session-ended')
      .getByText(/Your session has ended/)
      .waitFor();
    await page.getByTestId('live').getByText('Not live').waitFor();
    const seen = streams;
    await page.waitForTimeout(4000); // longer than the stream's `retry: 3000`
    assert.equal(streams, seen, 'no reconnect after the end event');
    await shoot(page, 'dashboard-session-ended-en');
    await page.getByTestId('log-in-again').click();
    await page.getByLabel('Username').fill('viewer');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('live').getByText('Live').waitFor();
    assert.ok(page.url().endsWith('/dashboard'), 'back at the dashboard');
    await page.context().close();
  });

  test('a desk opened by its address asks for its code and first reads before the session answers, and a desk not allowed is still not shown', async () => {
    const cookie = await s.sessionCookie('viewer');
    // No service worker: the page's own requests are what is watched and held back here.
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', serviceWorkers: 'block' });
    ctx.on('page', (p) =>
      p.on('pageerror', (err) => {
        throw err;
      }),
    );
    const [name, value] = cookie.split('=') as [string, string];
    await ctx.addCookies([{ name, value, url: s.url }]);
    const page = await ctx.newPage();
    const asked: { path: string; at: number }[] = [];
    let meAnswered = Number.POSITIVE_INFINITY;
    page.on('request', (r) => asked.push({ path: new URL(r.url()).pathname, at: Date.now() }));
    // The session held back: what the page asks for meanwhile is what it asked for without waiting on it.
    await page.route('**/api/auth/me', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const answer = await route.fetch();
      meAnswered = Math.min(meAnswered, Date.now());
      await route.fulfill({ response: answer });
    });
    await page.goto(`${op()}/dashboard`);
    await page.getByTestId('kpi-registered').waitFor();
    const early = asked.filter((a) => a.at < meAnswered).map((a) => a.path);
    assert.ok(
      early.some((p) => /^\/assets\/dashboard-[\w-]+\.js$/.test(p)),
      `the dashboard's code before the session: ${early.join(' ')}`,
    );
    for (const read of ['/counts', '/sites', '/convoys']) {
      assert.ok(early.includes(`${opApi}${read}`), `${read} before the session: ${early.join(' ')}`);
    }
    // A viewer opening the registration desk's address: its code may come, the desk does not.
    await page.goto(`${op()}/registration`);
    await page.getByTestId('not-allowed').waitFor();
    assert.equal(await page.getByLabel(/Given name/).count(), 0);
    await ctx.close();
  });

  test('the duplicate review desk shows pairs found after it was opened: at once when empty, on a click when it shows some', async () => {
    const page = await as(everyone);
    await page.goto(`${op()}/duplicates`);
    await page.getByText('No pairs here.').waitFor();
    const member = (names: object, estimatedAge: number) => ({ siteId: 'amiriyah', members: [{ names, sex: 'male', estimatedAge }] });
    // Registered at two desks while the review desk is open: the check runs just after each is saved.
    await post('/households', member({ lat: { given: 'Salim', father: 'Rafiq', grandfather: 'Nabil', family: 'Dabbaghtest' } }, 44));
    await post('/households', member({ lat: { given: 'Saleem', father: 'Rafiq', grandfather: 'Nabil', family: 'Dabbaghtest' } }, 45));
    const first = page.getByTestId('duplicate-pair').filter({ hasText: 'Dabbaghtest' });
    await first.first().waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('queue-changed').count(), 0, 'shown at once, with no notice');

    // With a pair on screen, a new one does not move it: the desk says the list changed and shows it when asked.
    await post('/households', member({ lat: { given: 'Wael', father: 'Jamil', grandfather: 'Saeed', family: 'Kayyalitest' } }, 30));
    await post('/households', member({ lat: { given: 'Wail', father: 'Jamil', grandfather: 'Saeed', family: 'Kayyalitest' } }, 31));
    await page
      .getByTestId('queue-changed')
      .getByText(/The list has changed: \d+ pairs? to review now\./)
      .waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('duplicate-pair').filter({ hasText: 'Kayyalitest' }).count(), 0, 'not shown until asked');
    assert.ok(await first.first().isVisible(), 'the pair being read stays where it was');
    await page.getByTestId('show-changed').click();
    await page.getByTestId('duplicate-pair').filter({ hasText: 'Kayyalitest' }).first().waitFor();
    await page.getByTestId('queue-changed').waitFor({ state: 'detached' });
    await page.context().close();
  });

  test('a checkpoint log entry shows its count in the language active now, not when it was recorded', async () => {
    const cv = await post('/convoys', { routeId: 'north-road', name: 'Convoy 23' });
    await post(`/convoys/${cv.id}/vehicles`, { id: 'VAN-23', kind: 'van', mode: 'head_count' });
    await post('/facts', { facts: [fact(cv.id, 'departed', 'amiriyah', ago(5))] }, 200);
    const page = await as(await s.sessionCookie('monitor'), { width: 390, height: 844 });
    await page.goto(`${op()}/checkpoint`);
    await page.getByTestId(`cp-convoy-${cv.id}`).click();
    await page.getByTestId('cp-vehicle-VAN-23').click();
    await page.getByTestId('cp-count').fill('12');
    await page.getByTestId('cp-passed').click();
    await page.getByTestId('cp-log').getByText('VAN-23 passed with 12').waitFor();
    await page.getByTestId('language-switch').click();
    await page.getByTestId('cp-log').getByText('عبرت VAN-23 وعلى متنها ١٢').waitFor();
    await page.context().close();
  });
});
