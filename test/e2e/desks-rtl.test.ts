/**
 * Issue 20's right-to-left and counting findings, in a real Chromium, in English and Arabic: the
 * back arrow points back in the reading direction; the dashboard's Arrived card opens everyone
 * who has arrived; a route's Arabic name is given and changed in Admin and shown in Arabic; age
 * bands and counts in lists take the language's digits and plural forms; the map's labels run
 * away from their marker and do not overlap, and the chart's largest number is not clipped; the
 * newer desks (situation report, convoy watch, replay, tracing, the printed sheets) have no
 * horizontal scroll on a 360 px phone, in either language.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { ulid } from 'ulid';
import { ar } from '../../src/web/i18n/ar.js';
import { chromiumMissing, launch, loggedIn, shoot } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';

const skip = chromiumMissing();

describe('right-to-left, digits and plurals on the desks', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;
  let opApi: string;
  let everyone: string;
  const household: { id: string; members: string[] } = { id: '', members: [] };
  const op = () => `${s.url}/op/${s.operationId}`;
  const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();

  async function as(lang: 'en' | 'ar', viewport = { width: 1366, height: 800 }): Promise<Page> {
    const ctx = await browser.newContext({ viewport, locale: lang === 'ar' ? 'ar-SY' : 'en-GB', serviceWorkers: 'block' });
    // Every frame runs it, about:blank ones too, where localStorage is denied.
    await ctx.addInitScript((l) => {
      try {
        localStorage.setItem('corridor.lang', l);
      } catch {
        /* a frame without storage */
      }
    }, lang);
    ctx.on('page', (p) =>
      p.on('pageerror', (err) => {
        throw err;
      }),
    );
    return loggedIn(ctx, s.url, everyone);
  }
  async function post(path: string, body: unknown, status = 201) {
    const r = await s.api('POST', `${opApi}${path}`, body, everyone);
    assert.equal(r.status, status, `${path}: ${JSON.stringify(r.body)}`);
    return r.body;
  }
  async function settle(page: Page, path: string) {
    await page.goto(`${op()}/${path}`);
    await page.locator('main h1, .paper h1').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('.loading'), undefined, { timeout: 15_000 });
  }

  before(async () => {
    [s, browser] = await Promise.all([startServer(), launch()]);
    opApi = `/api/operations/${s.operationId}`;
    await s.userWithRoles('everyone', [
      'coordinator',
      'convoy_officer',
      'checkpoint_monitor',
      'reception_officer',
      'registrar',
      'tracing_officer',
    ]);
    everyone = await s.sessionCookie('everyone');
    // A household of two on a car of three seats; the mother is checked in, the son never arrives.
    const hh = await post('/households', {
      siteId: 'amiriyah',
      members: [
        {
          names: { ar: { given: 'هالة', family: 'القدسي' }, lat: { given: 'Hala', family: 'Qudsi' } },
          sex: 'female',
          estimatedAge: 34,
          relationship: 'head',
        },
        {
          names: { ar: { given: 'عمر', family: 'القدسي' }, lat: { given: 'Omar', family: 'Qudsi' } },
          sex: 'male',
          estimatedAge: 6,
          relationship: 'child',
        },
      ],
    });
    household.id = hh.id;
    household.members = hh.members.map((m: { id: string }) => m.id);
    await post('/routes', {
      id: 'north-road',
      name: 'North road',
      nameAr: 'الطريق الشمالي',
      siteIds: ['amiriyah', 'ramouseh', 'rashidin'],
    });
    await post('/convoys', { id: 'dawn', routeId: 'north-road', name: 'Dawn convoy' });
    await post('/convoys/dawn/vehicles', { id: 'car-3', kind: 'private_car', capacity: 3, plate: 'ALP-303' });
    await post('/convoys/dawn/vehicles', { id: 'car-1', kind: 'private_car', capacity: 1, plate: 'ALP-101' });
    await post('/convoys/dawn/boardings', { householdId: household.id, vehicleId: 'car-3', at: ago(120) });
    await post('/convoys/dawn/transitions', { event: 'depart', at: ago(110), override: { reason: 'synthetic test' } }, 200);
    await post(
      '/facts',
      {
        facts: [
          {
            id: ulid(),
            operationId: s.operationId,
            kind: 'passed_checkpoint',
            convoyId: 'dawn',
            vehicleId: 'car-3',
            siteId: 'ramouseh',
            deviceTime: ago(90),
            payload: { observedHeadCount: 2 },
          },
        ],
      },
      200,
    );
    await post('/convoys/dawn/transitions', { event: 'arrive', at: ago(60) }, 200);
    await post('/check-ins', { siteId: 'rashidin', personId: household.members[0] });
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  test('the back arrow points back: left in English, right in Arabic', async () => {
    for (const lang of ['en', 'ar'] as const) {
      const page = await as(lang);
      await settle(page, `persons/${household.members[0]}`);
      const back = page.getByTestId('back-link');
      const arrow = back.locator('.back-arrow');
      assert.equal(await arrow.innerText(), lang === 'ar' ? '→' : '←');
      // The arrow stands at the start of the line (the right in Arabic) and points away from the words.
      const [a, link] = [(await arrow.boundingBox())!, (await back.boundingBox())!];
      if (lang === 'ar') assert.ok(a.x + a.width >= link.x + link.width - 1, 'the arrow is at the right, where Arabic starts');
      else assert.ok(a.x <= link.x + 1, 'the arrow is at the left, where English starts');
      await page.context().close();
    }
  });

  test('the Arrived card opens the list of everyone who has arrived', async () => {
    const page = await as('ar');
    await settle(page, 'dashboard');
    const card = page.getByTestId('kpi-arrived');
    assert.equal(await card.evaluate((el) => el.tagName), 'A', 'the card is a link');
    await card.click();
    await page.waitForURL(/\/persons\?status=arrived$/);
    await page.getByTestId('status-list').waitFor();
    const rows = page.getByTestId('person-result');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1, 'Hala arrived; Omar did not');
    assert.match(await rows.first().innerText(), /هالة/);
    assert.equal(await rows.first().getByTestId('person-status').innerText(), ar.persons.statuses.arrived);
    // Every headline card of the dashboard opens its list (this account may read them all).
    await settle(page, 'dashboard');
    for (const metric of ['registered', 'in_transit', 'arrived', 'missing'])
      assert.equal(await page.getByTestId(`kpi-${metric}`).evaluate((el) => el.tagName), 'A', `${metric} opens a list`);
    await page.context().close();
  });

  test('a route’s Arabic name is changed in Admin and shown in the Arabic interface', async () => {
    const page = await as('ar');
    await settle(page, 'admin/routes');
    await page.getByTestId('rename-route-north-road').click();
    const form = page.getByTestId('rename-route');
    const field = form.getByLabel(ar.admin.routeNameAr, { exact: true });
    assert.equal(await field.inputValue(), 'الطريق الشمالي');
    await field.fill('طريق الراموسة');
    await form.getByTestId('rename-route-save').click();
    await page.getByText(ar.admin.routeRenamed.replace('{{route}}', 'طريق الراموسة')).waitFor();
    await page.getByTestId('routes-table').getByRole('cell', { name: 'طريق الراموسة', exact: true }).waitFor();
    await settle(page, 'convoys');
    const option = page.getByTestId('new-convoy').locator('option').first();
    assert.match(await option.innerText(), /^طريق الراموسة · /);
    await page.context().close();
    const en = await as('en');
    await settle(en, 'convoys');
    assert.match(await en.getByTestId('new-convoy').locator('option').first().innerText(), /^North road · /, 'English keeps its name');
    await en.context().close();
  });

  test('age bands and seat counts take the language’s digits and plural forms', async () => {
    const page = await as('ar');
    await settle(page, 'convoys?convoy=dawn');
    const detail = page.getByTestId('convoy-detail');
    await detail.getByTestId('manifest-person').first().waitFor();
    const people = await detail.getByTestId('manifest-person').allInnerTexts();
    assert.ok(
      people.some((p) => p.includes('١٨-٥٩')) && people.some((p) => p.includes('٥-١١')),
      `Arabic-Indic age bands: ${people.join(' | ')}`,
    );
    assert.ok(!people.some((p) => /[0-9]/.test(p.replace(/[A-Z0-9]{3}-[A-Z0-9]{4}/g, ''))), 'no Western digit but in tags');
    const vehicles = await page.getByTestId('vehicles').innerText();
    assert.match(vehicles, /٢ من ٣ مقاعد/, 'three: the plural of few');
    assert.match(vehicles, /٠ من مقعد واحد/, 'one: the singular');
    await page.context().close();
    const en = await as('en');
    await settle(en, 'convoys?convoy=dawn');
    const enVehicles = await en.getByTestId('vehicles').innerText();
    assert.match(enVehicles, /2 of 3 seats/);
    assert.match(enVehicles, /0 of 1 seat\b/);
    await en.context().close();
  });

  test('map labels run away from their marker in the reading direction and do not overlap; the chart’s numbers are whole', async () => {
    for (const lang of ['en', 'ar'] as const) {
      const page = await as(lang);
      await settle(page, 'dashboard');
      const map = page.getByTestId('site-map');
      await map.locator('[data-testid^="site-label-"]').first().waitFor();
      const boxes = await map.locator('[data-testid^="site-label-"]').evaluateAll((els) =>
        els.map((el) => {
          const r = el.getBoundingClientRect();
          const marker = el.parentElement!.querySelector('circle')!.getBoundingClientRect();
          return { text: el.textContent ?? '', x0: r.left, x1: r.right, y0: r.top, y1: r.bottom, cx: marker.left + marker.width / 2 };
        }),
      );
      assert.equal(boxes.length, 3);
      for (const b of boxes) {
        if (lang === 'ar') assert.ok(b.x1 <= b.cx, `${b.text}: to the left of its marker`);
        else assert.ok(b.x0 >= b.cx, `${b.text}: to the right of its marker`);
        if (lang === 'ar') assert.match(b.text, /[\u0600-\u06FF]/, 'Arabic site names');
      }
      for (const [i, a] of boxes.entries())
        for (const b of boxes.slice(i + 1))
          assert.ok(
            a.x1 <= b.x0 || b.x1 <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0,
            `${a.text} and ${b.text} overlap: ${JSON.stringify(boxes)}`,
          );
      // The moved-over-time chart: every label inside the drawing, none cut at its edge.
      const chart = page.locator('svg').filter({ has: page.getByTestId('chart-max') });
      const svg = (await chart.boundingBox())!;
      for (const id of ['chart-max', 'chart-zero', 'chart-from']) {
        const l = page.getByTestId(id);
        if ((await l.count()) === 0) continue;
        const box = (await l.boundingBox())!;
        assert.ok(box.x >= svg.x - 0.5 && box.x + box.width <= svg.x + svg.width + 0.5, `${id} inside the chart`);
      }
      if (lang === 'ar') assert.match((await page.getByTestId('chart-max').textContent()) ?? '', /^[٠-٩٬]+$/);
      await shoot(page, `dashboard-map-${lang}`);
      await page.context().close();
    }
  });

  test('the newer desks and the printed sheets have no horizontal scroll on a 360 px phone, in English and Arabic', async () => {
    const pages = [
      'dashboard',
      'sitrep',
      'convoy-watch',
      'replay',
      'tracing',
      'persons?status=arrived',
      `persons/${household.members[0]}`,
      'reconciliation',
      'admin/routes',
      'convoys?convoy=dawn',
      'print/convoys/dawn/vehicles/car-3/manifest',
      'print/convoys/dawn/vehicles/car-3/count',
      'print/sites/rashidin/convoys/dawn/arrivals',
      'print/registration-form',
    ];
    const wide: string[] = [];
    for (const lang of ['en', 'ar'] as const) {
      const page = await as(lang, { width: 360, height: 780 });
      for (const p of pages) {
        await settle(page, p);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > 360)
          wide.push(
            `${p} (${lang}): ${width} px ` +
              (await page.evaluate(`(() => {
                const out = [];
                for (const el of document.querySelectorAll('body *')) {
                  const r = el.getBoundingClientRect(); const pr = el.parentElement.getBoundingClientRect();
                  if ((r.right > 361 || r.left < -1) && pr.right <= 361 && pr.left >= -1) out.push(el.tagName + '.' + el.className + '#' + (el.getAttribute('data-testid') || '') + ' ' + Math.round(r.width));
                }
                return out.slice(0, 6).join(' | ');
              })()`)),
          );
        if (p === 'sitrep' || p === 'replay' || p === 'convoy-watch' || p === 'tracing')
          await shoot(page, `${p.replace('/', '-')}-360-${lang}`);
      }
      await page.context().close();
    }
    assert.deepEqual(wide, []);
  });
});
