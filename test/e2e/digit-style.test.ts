/**
 * Issue 20's digit choice, in a real Chromium: in the Arabic interface a coordinator switches the
 * digits from "as the language" (Arabic-Indic) to Western with the control beside the language
 * switch; the dashboard's figures, the chart's dates and a printed sheet follow at once, the choice
 * survives a reload, another account on the same browser keeps its own, and switching back brings
 * the Arabic-Indic digits again. Tags stay as printed whatever the choice.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { westernDigits } from '../../src/domain/digits.js';
import { ar } from '../../src/web/i18n/ar.js';
import { chromiumMissing, launch, loggedIn, shoot } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';

const skip = chromiumMissing();
const INDIC = /[٠-٩]/;
const WESTERN = /[0-9]/;

describe('the digits each user chooses', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;
  let coordinator: string;
  let other: string;
  const op = () => `${s.url}/op/${s.operationId}`;
  const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();

  async function post(path: string, body: unknown, status = 201) {
    const r = await s.api('POST', `/api/operations/${s.operationId}${path}`, body, coordinator);
    assert.equal(r.status, status, `${path}: ${JSON.stringify(r.body)}`);
    return r.body;
  }
  async function arabic(viewport = { width: 1366, height: 800 }): Promise<Page> {
    const ctx = await browser.newContext({ viewport, locale: 'ar-SY', serviceWorkers: 'block' });
    await ctx.addInitScript(() => {
      try {
        localStorage.setItem('corridor.lang', 'ar');
      } catch {
        /* a frame without storage */
      }
    });
    ctx.on('page', (p) =>
      p.on('pageerror', (err) => {
        throw err;
      }),
    );
    return loggedIn(ctx, s.url, coordinator);
  }
  async function settle(page: Page, path?: string) {
    if (path) await page.goto(`${op()}/${path}`);
    await page.locator('main h1, .paper h1').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('.loading'), undefined, { timeout: 15_000 });
  }
  /** The dashboard's headline figures, and the chart's first date and largest number. */
  async function dashboard(page: Page) {
    await page.getByTestId('chart-from').waitFor();
    return {
      figures: (await page.getByTestId('kpis').locator('.n').allInnerTexts()).join(' '),
      from: (await page.getByTestId('chart-from').textContent()) ?? '',
      max: (await page.getByTestId('chart-max').textContent()) ?? '',
    };
  }
  async function as(ctx: BrowserContext, cookie: string) {
    const [name, value] = cookie.split('=') as [string, string];
    await ctx.clearCookies();
    await ctx.addCookies([{ name, value, url: s.url }]);
  }

  before(async () => {
    [s, browser] = await Promise.all([startServer(), launch()]);
    await s.userWithRoles('coordinator', ['coordinator', 'convoy_officer', 'registrar', 'reception_officer', 'checkpoint_monitor']);
    await s.userWithRoles('other', ['coordinator']);
    [coordinator, other] = await Promise.all([s.sessionCookie('coordinator'), s.sessionCookie('other')]);
    const hh = await post('/households', {
      siteId: 'amiriyah',
      members: [
        { names: { lat: { given: 'Hala', family: 'Qudsi' } }, sex: 'female', estimatedAge: 34, relationship: 'head' },
        { names: { lat: { given: 'Omar', family: 'Qudsi' } }, sex: 'male', estimatedAge: 6, relationship: 'child' },
      ],
    });
    await post('/routes', { id: 'north-road', name: 'North road', siteIds: ['amiriyah', 'ramouseh', 'rashidin'] });
    await post('/convoys', { id: 'dawn', routeId: 'north-road', name: 'Dawn convoy' });
    await post('/convoys/dawn/vehicles', { id: 'car-3', kind: 'private_car', capacity: 3, plate: 'ALP-303' });
    await post('/convoys/dawn/boardings', { householdId: hh.id, vehicleId: 'car-3', at: ago(180) });
    await post('/convoys/dawn/transitions', { event: 'depart', at: ago(170), override: { reason: 'synthetic test' } }, 200);
    await post('/convoys/dawn/transitions', { event: 'arrive', at: ago(60) }, 200);
    await post('/check-ins', { siteId: 'rashidin', personId: hh.members[0].id });
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  test('in Arabic, Western digits are chosen, kept across a reload and per account, and Arabic-Indic come back', async () => {
    const page = await arabic();
    await settle(page, 'dashboard');
    const choice = page.getByLabel(ar.app.digits, { exact: true });
    assert.equal(await choice.inputValue(), 'auto', 'as the language at first');
    let d = await dashboard(page);
    const figures = d.figures;
    assert.match(figures, /^[٠-٩٬ ]+$/, figures);
    assert.match(figures, /[١-٩]/, 'not all zero');
    const western = westernDigits(figures).replace(/٬/g, ',');
    assert.match(d.from, INDIC);
    assert.doesNotMatch(d.from + d.max, WESTERN, `Arabic-Indic as the language: ${d.from} ${d.max}`);

    await choice.selectOption('latn');
    await page.waitForFunction(() => !/[٠-٩]/.test(document.querySelector('[data-testid="kpis"]')?.textContent ?? '٠'));
    d = await dashboard(page);
    assert.equal(d.figures, western, 'the same figures in Western digits');
    assert.match(d.from, WESTERN);
    assert.doesNotMatch(d.from + d.max, INDIC, `Western at once: ${d.from} ${d.max}`);
    assert.match(await page.getByTestId('kpis').innerText(), /[\u0621-\u064A]/, 'the words stay Arabic');
    await shoot(page, 'digits-western-ar');

    await page.reload();
    await settle(page);
    d = await dashboard(page);
    assert.equal(d.figures, western, 'kept across a reload');
    assert.doesNotMatch(d.from, INDIC);
    assert.equal(await page.getByLabel(ar.app.digits, { exact: true }).inputValue(), 'latn');

    // A printed sheet in Arabic takes the reader's digits too.
    await settle(page, 'print/convoys/dawn/vehicles/car-3/count');
    const total = await page.getByTestId('paper-total').innerText();
    assert.match(total, /2/);
    assert.doesNotMatch(total, INDIC, total);

    // Another account on the same browser has not chosen: it reads the language's digits.
    await as(page.context(), other);
    await settle(page, 'dashboard');
    assert.equal((await dashboard(page)).figures, figures, 'the other account: as the language');
    assert.equal(await page.getByLabel(ar.app.digits, { exact: true }).inputValue(), 'auto');
    await as(page.context(), coordinator);
    await settle(page, 'dashboard');
    assert.equal((await dashboard(page)).figures, western, 'the coordinator finds its choice again');

    // And back.
    await page.getByLabel(ar.app.digits, { exact: true }).selectOption('auto');
    await page.waitForFunction(() => /[٠-٩]/.test(document.querySelector('[data-testid="kpis"]')?.textContent ?? ''));
    await page.reload();
    await settle(page);
    d = await dashboard(page);
    assert.equal(d.figures, figures);
    assert.doesNotMatch(d.from + d.max, WESTERN, `Arabic-Indic again after a reload: ${d.from} ${d.max}`);
    await page.context().close();
  });

  test('counts in sentences and age bands follow the choice; tags and plates stay as printed', async () => {
    const page = await arabic();
    await settle(page, 'dashboard');
    await page.getByLabel(ar.app.digits, { exact: true }).selectOption('latn');
    await settle(page, 'convoys?convoy=dawn');
    const detail = page.getByTestId('convoy-detail');
    await detail.getByTestId('manifest-person').first().waitFor();
    const people = (await detail.getByTestId('manifest-person').allInnerTexts()).join(' | ');
    assert.ok(people.includes('18-59') && people.includes('5-11'), `Western age bands: ${people}`);
    assert.doesNotMatch(people, INDIC, people);
    const vehicles = await page.getByTestId('vehicles').innerText();
    assert.match(vehicles, /2 من 3 مقاعد/, 'a count in a sentence, with its plural form');
    assert.match(vehicles, /ALP-303/);
    await page.getByLabel(ar.app.digits, { exact: true }).selectOption('arab');
    await page
      .getByText(/٢ من ٣ مقاعد/)
      .first()
      .waitFor();
    assert.match(await page.getByTestId('vehicles').innerText(), /ALP-303/, 'the plate is a code: as written');
    await page.getByLabel(ar.app.digits, { exact: true }).selectOption('auto');
    await page.context().close();
  });

  test('on a 360 px phone the choice sits in the header without sideways scroll, in two rows at most', async () => {
    const page = await arabic({ width: 360, height: 780 });
    await settle(page, 'checkpoint');
    const header = await page.evaluate(() => {
      const bar = document.querySelector('header.topbar')!;
      // A row is where the visible controls' middles are (they are centred on their row).
      const tops = new Set(
        [...bar.children]
          .map((el) => el.getBoundingClientRect())
          .filter((r) => r.width > 0 && r.height > 0)
          .map((r) => Math.round((r.top + r.bottom) / 2 / 16)),
      );
      const select = document.querySelector('[data-testid="digit-style"]')!.getBoundingClientRect();
      return { rows: tops.size, scroll: document.documentElement.scrollWidth, left: select.left, right: select.right };
    });
    assert.ok(header.scroll <= 360, `no sideways scroll: ${header.scroll}`);
    assert.ok(header.left >= 0 && header.right <= 360, `the choice on the screen: ${JSON.stringify(header)}`);
    await shoot(page, 'digits-header-ar-phone');
    assert.ok(header.rows <= 2, `header rows: ${header.rows}`);
    await page.context().close();
  });

  test('a paper time and a date of birth typed in Arabic-Indic or Persian digits are read as dates', async () => {
    const page = await arabic();
    await settle(page, 'registration');
    await page.getByTestId('paper-mode').check();
    const time = page.getByTestId('paper-time');
    // As a person types: key by key, not pasted.
    await time.pressSequentially('٢٠١٦-١٢-١٥ ۰۸:۳۰');
    assert.equal(await time.inputValue(), '2016-12-15 08:30');
    await page.getByTestId('start-household').click();
    const form = page.getByTestId('member-form');
    await form.waitFor();
    assert.match(await page.locator('main').innerText(), /١٥\u200f?\/١٢\u200f?\/٢٠١٦/, 'the time read back in the interface’s digits');
    const dob = form.locator('input[name="dob"]');
    await dob.pressSequentially('۲۰۱۰-۰۳-۰۴');
    assert.equal(await dob.inputValue(), '2010-03-04');
    const age = form.locator('input[name="age"]');
    await age.pressSequentially('۳٤');
    assert.equal(await age.inputValue(), '34');
    await page.context().close();
  });
});
