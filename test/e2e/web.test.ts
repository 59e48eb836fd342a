/**
 * The web app in a real Chromium against a real server: each desk role sees its own menu, a
 * household is registered by keyboard alone, Arabic turns the layout right-to-left, a viewer
 * cannot reach a person's record (UI or API), and the wristband PDF downloads. Screenshots of
 * every desk in English and Arabic go to test-artifacts/screenshots/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { PDFDocument } from 'pdf-lib';
import { encodeTag, formatTag } from '../../src/domain/tags.js';
import type { Role } from '../../src/domain/policy.js';
import { chromiumMissing, launch, logIn, shoot } from './support/browser.js';
import { PASSWORD, startServer, type E2eServer } from './support/server.js';

const skip = chromiumMissing();

/** The menu each role must see (field desks, then administration), in English. */
const menus: Record<Role, string[]> = {
  admin: ['Dashboard', 'Staff & roles', 'Sites', 'Wristbands', 'Devices'],
  coordinator: ['Dashboard', 'Convoys', 'Duplicates', 'Find a person', 'Sites', 'Wristbands'],
  registrar: ['Dashboard', 'Registration', 'Duplicates', 'Find a person'],
  convoy_officer: ['Dashboard', 'Convoys', 'Find a person'],
  checkpoint_monitor: ['Dashboard', 'Checkpoint'],
  reception_officer: ['Dashboard', 'Reception', 'Find a person'],
  tracing_officer: ['Dashboard', 'Tracing', 'Find a person'],
  viewer: ['Dashboard'],
};

describe('web app in Chromium', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;
  const roleNames = Object.keys(menus) as Role[];

  before(async () => {
    [s, browser] = await Promise.all([startServer(), launch()]);
    for (const role of roleNames) await s.userWithRoles(role.replace('_', '-'), [role]);
    await s.userWithRoles('everyone', roleNames);
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  async function asUser(username: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const ctx = await browser.newContext({ viewport, locale: 'en-GB', acceptDownloads: true });
    const page = await ctx.newPage();
    page.on('pageerror', (err) => { throw err; });
    await logIn(page, s.url, username, PASSWORD);
    return page;
  }
  const op = () => `${s.url}/op/${s.operationId}`;

  test('each desk role logs in, opens the operation and sees only its desks', async () => {
    await Promise.all(roleNames.map(async (role) => {
      const page = await asUser(role.replace('_', '-'));
      await page.getByRole('link', { name: 'Eastern Aleppo evacuation' }).click();
      await page.getByTestId('desk-menu').waitFor();
      const items = await page.locator('nav.menu ul a').allInnerTexts();
      assert.deepEqual(items, menus[role], `menu of ${role}`);
      await page.context().close();
    }));
  });

  test('a registrar registers a household of two by keyboard alone', async () => {
    const page = await asUser('registrar');
    await page.goto(`${op()}/registration`);
    await page.getByTestId('household-form').waitFor();
    // The site list has focus; Enter starts the household.
    await page.keyboard.press('Enter');
    await page.getByTestId('member-form').waitFor();
    const tag1 = formatTag(encodeTag(s.rangeFirstSerial));
    const tag2 = encodeTag(s.rangeFirstSerial + 1).toLowerCase(); // typed lower case, no dash
    const type = async (text: string) => { if (text) await page.keyboard.type(text); await page.keyboard.press('Tab'); };
    // Arabic given, father, grandfather, family; Latin given, father, grandfather, family.
    for (const v of ['محمد', 'أحمد', 'علي', 'الحسن', 'Mohammed', 'Ahmad', '', 'al-Hasan']) await type(v);
    await page.keyboard.press('Tab'); // relationship stays "head"
    await type('m'); // sex: Male
    await type('40'); // estimated age
    await page.keyboard.press('Tab'); // date of birth
    // A mistyped tag is caught as it is typed.
    const wrong = tag1.slice(0, -1) + (tag1.endsWith('3') ? '4' : '3');
    await page.keyboard.type(wrong);
    await page.getByText('This code does not check out').waitFor();
    for (let i = 0; i < wrong.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type(tag1);
    await page.getByText(`Tag ${tag1} checks out`).waitFor();
    await page.keyboard.press('Enter');
    await page.getByText('محمد أحمد الحسن saved').or(page.getByText('Mohammed Ahmad al-Hasan saved')).waitFor();
    // Focus is back on the first name field for the next member.
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).name), 'ar.given');
    for (const v of ['فاطمة', 'محمد', '', 'الحسن', 'Fatima', '', '', '']) await type(v);
    await page.keyboard.press('Tab'); // relationship: child (the default after the head)
    await type('f');
    await type('9');
    await page.keyboard.press('Tab');
    await page.keyboard.type(tag2);
    await page.keyboard.press('Enter');
    await page.getByTestId('saved-members').locator('tbody tr').nth(1).waitFor();
    const rows = await page.getByTestId('saved-members').locator('tbody tr').allInnerTexts();
    assert.equal(rows.length, 2);
    assert.match(rows[0]!, new RegExp(tag1));
    assert.match(rows[1]!, /Child/);
    await shoot(page, 'registration-members-en');
    // The server holds both, in one household.
    const found = await page.request.get(`${s.url}/api/operations/${s.operationId}/persons?tag=${tag1}`);
    const [head] = await found.json();
    const household = await (await page.request.get(`${s.url}/api/operations/${s.operationId}/households/${head.householdId}`)).json();
    assert.equal(household.members.length, 2);
    assert.equal(household.members[1].names.lat.given, 'Fatima');
    await page.context().close();
  });

  test('switching to Arabic makes the whole layout right-to-left with translated labels', async () => {
    const page = await asUser('registrar');
    await page.goto(`${op()}/registration`);
    await page.getByTestId('household-form').waitFor();
    await page.getByTestId('language-switch').click();
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.getAttribute('html', 'lang'), 'ar');
    await page.getByRole('heading', { name: 'مكتب التسجيل' }).waitFor();
    assert.deepEqual(await page.locator('nav.menu ul a').allInnerTexts(), ['لوحة المتابعة', 'التسجيل', 'السجلات المكرّرة', 'البحث عن شخص']);
    // The menu sits on the right in Arabic.
    const menu = await page.locator('nav.menu').boundingBox();
    assert.ok(menu && menu.x > 600, `menu on the right, x=${menu?.x}`);
    await page.getByLabel('موقع التسجيل').focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('الاسم', { exact: true }).first().waitFor();
    assert.equal(await page.locator('input[name="lat.given"]').evaluate((el) => getComputedStyle(el).direction), 'ltr', 'Latin names stay left-to-right');
    await shoot(page, 'registration-members-ar');
    // The choice sticks after a reload.
    await page.reload();
    await page.getByRole('heading', { name: 'مكتب التسجيل' }).waitFor();
    await page.getByTestId('language-switch').click();
    assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
    await page.context().close();
  });

  test("a viewer cannot reach a person's record, through the UI or the API", async () => {
    const reg = await s.api('POST', '/api/auth/login', { username: 'registrar', password: PASSWORD });
    assert.equal(reg.status, 200);
    const page = await asUser('viewer');
    const anyone = await (await page.request.get(`${s.url}/api/operations/${s.operationId}/persons?q=Mohammed`)).status();
    assert.equal(anyone, 403);
    const everyone = await asUser('everyone');
    const res = await everyone.request.get(`${s.url}/api/operations/${s.operationId}/persons?q=Mohammed`);
    const [person] = await res.json();
    assert.ok(person?.id, 'someone to look for');
    await everyone.context().close();
    await page.goto(`${op()}/persons/${person.id}`);
    await page.getByTestId('not-allowed').waitFor();
    assert.equal(await page.getByTestId('person-card').count(), 0);
    assert.equal(await page.getByText('محمد').count(), 0);
    assert.equal((await page.request.get(`${s.url}/api/operations/${s.operationId}/persons/${person.id}`)).status(), 403);
    assert.deepEqual(await page.locator('nav.menu ul a').allInnerTexts(), ['Dashboard']);
    await page.context().close();
  });

  test('the wristband sheet of a range downloads as a PDF with one label per tag', async () => {
    const page = await asUser('admin');
    await page.goto(`${op()}/admin/wristbands`);
    const button = page.getByRole('button', { name: /Wristband sheet/ }).first();
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    assert.match(download.suggestedFilename(), /^wristbands-aleppo-e2e-.*\.pdf$/);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(path);
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    const pdf = await PDFDocument.load(bytes);
    assert.equal(pdf.getPageCount(), 2, '60 tags at 30 a page');
    assert.match(pdf.getTitle() ?? '', new RegExp(formatTag(encodeTag(s.rangeFirstSerial))));
    await page.context().close();
  });

  test('the dashboard shows the live count of people registered', async () => {
    const page = await asUser('viewer');
    await page.goto(`${op()}/dashboard`);
    const api = await (await page.request.get(`${s.url}/api/operations/${s.operationId}/counts`)).json();
    assert.ok(api.totals.registered >= 2, 'the household registered above is counted');
    await page.getByTestId('kpi-registered').getByText(String(api.totals.registered), { exact: true }).waitFor();
    await page.getByTestId('live').getByText('Live').waitFor();
    await page.context().close();
  });

  test('every desk renders in English and Arabic (screenshots)', async () => {
    const desks = ['dashboard', 'registration', 'convoys', 'checkpoint', 'reception', 'tracing', 'duplicates', 'persons', 'admin/staff', 'admin/sites', 'admin/wristbands', 'admin/devices'];
    const runs = ['en', 'ar'].flatMap((lang) => [
      { lang, viewport: { width: 1280, height: 900 }, suffix: '', list: desks },
      { lang, viewport: { width: 390, height: 844 }, suffix: '-phone', list: ['checkpoint', 'reception'] },
    ]);
    await Promise.all(runs.map(async ({ lang, viewport, suffix, list }) => {
      const page = await asUser('everyone', viewport);
      if (lang === 'ar') await page.getByTestId('language-switch').click();
      await page.goto(`${op()}/${list[0]}`);
      for (const d of list) {
        // Move inside the app as a user would (no page reload): through the menu.
        await page.locator(`nav.menu a[href$="/${d}"]`).click();
        await page.waitForURL(`**/${d}`);
        await page.waitForFunction(() => !document.querySelector('.loading') && !!document.querySelector('main h1'));
        if (d === 'dashboard') await page.getByTestId('site-map').locator('path').first().waitFor();
        assert.equal(await page.getAttribute('html', 'dir'), lang === 'ar' ? 'rtl' : 'ltr');
        await shoot(page, `${d.replace('/', '-')}-${lang}${suffix}`);
      }
      await page.context().close();
    }));
  });

  test('the build keeps the checkpoint and reception pages within 200 KB of gzipped JavaScript', async () => {
    const { readFileSync } = await import('node:fs');
    const budget = JSON.parse(readFileSync(new URL('../../dist/web/budget.json', import.meta.url), 'utf8'));
    for (const desk of ['checkpoint', 'reception']) {
      assert.ok(budget.desks[desk].gzipBytes <= 200 * 1024, `${desk}: ${budget.desks[desk].gzipBytes} bytes`);
    }
  });
});
