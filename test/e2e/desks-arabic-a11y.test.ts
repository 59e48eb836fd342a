/**
 * Every desk, in English and in Arabic, in a real Chromium: axe-core finds no serious or critical
 * accessibility violation (WCAG 2 A/AA rules), and in Arabic no English word is shown — except
 * what people typed or print in Latin letters (names, tags, plates, ids: marked `lang="en"`,
 * `dir="ltr"` or isolated in `<bdi>`/`.tag`/`code`) and the names of file formats. A field error
 * sent back by the server shows in Arabic too.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { roles } from '../../src/domain/policy.js';
import { ar } from '../../src/web/i18n/ar.js';
import { chromiumMissing, launch, loggedIn, shootDesk } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';

const skip = chromiumMissing();
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Every page of the web app inside the operation (src/web/desks.ts), with a person's record, a
 * convoy's details and the printed sheets reached from the desks; the pages outside it (log-in,
 * the list of operations, the administrator's users, the account set-up) are checked apart.
 */
const desks = [
  'dashboard',
  'registration',
  'convoys',
  'convoys?convoy=dawn',
  'convoy-watch',
  'replay',
  'checkpoint',
  'reception',
  'tracing',
  'tracing?request={request}',
  'import',
  'duplicates',
  'persons',
  'persons?status=arrived',
  'persons/{person}',
  'reconciliation',
  'sitrep',
  'admin/staff',
  'admin/sites',
  'admin/routes',
  'admin/wristbands',
  'admin/devices',
  'print/convoys/dawn/vehicles/car-3/manifest',
  'print/convoys/dawn/vehicles/car-3/count',
  'print/sites/rashidin/convoys/dawn/arrivals',
  'print/registration-form',
];
/** The desks used in the field, on a phone: no horizontal scroll at 360 px, in Arabic no English either. */
const fieldDesks = [
  'registration',
  'convoys',
  'convoys?convoy=dawn',
  'checkpoint',
  'reception',
  'tracing',
  'tracing?request={request}',
  'persons',
  'persons/{person}',
  'dashboard',
];
/**
 * Latin words an Arabic desk may show: names of formats, standards and products (the map's data
 * source), and the usernames of this test (typed in Latin, shown as typed).
 */
const allowed = new Set([
  'CSV',
  'XLSX',
  'Excel',
  'HXL',
  'PFIF',
  'PDF',
  'UTF',
  'XML',
  'ODK',
  'Central',
  'KoboToolbox',
  'Natural',
  'Earth',
  'HTML',
  'all-roles',
  'root',
]);

/** Words in Latin letters on the page, outside what is typed or printed in Latin (see above). */
function englishWords(page: Page): Promise<string[]> {
  // A string, not a function: the test's compiler would add helpers the page does not have.
  return page.evaluate(`(() => {
    const skip = (el) => !!el && !!el.closest('[lang="en"], [dir="ltr"], bdi, .tag, code, script, style, [hidden], [aria-hidden="true"]');
    // Words with a Latin letter, outside text the app isolates (names, ids: U+2068 … U+2069); a tag as printed (34C-9XH7) is a code.
    const latin = (s) => ((s || '').replace(/\u2068[^\u2069]*\u2069/g, ' ').match(/[A-Za-z0-9][A-Za-z0-9'’-]*/g) || [])
      .filter((w) => /[A-Za-z]{2}/.test(w) && !/^[0-9A-Z]{3}-?[0-9A-Z]{4}$/.test(w));
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || skip(el) || el.getClientRects().length === 0) continue;
      out.push(...latin(n.textContent));
    }
    for (const el of document.querySelectorAll('[placeholder], [aria-label], [title]'))
      if (!skip(el)) for (const a of ['placeholder', 'aria-label', 'title']) out.push(...latin(el.getAttribute(a)));
    return out;
  })()`);
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- axe is injected as a global
    const axe = (window as any).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return (r.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(' | ')}`,
      );
  });
}

/** Elements that stick out of a page narrower than its content, for the message (the first few). */
function overflowing(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const w = document.documentElement.clientWidth, out = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect(), pr = el.parentElement.getBoundingClientRect();
      if ((r.right > w + 1 || r.left < -1) && pr.right <= w + 1 && pr.left >= -1)
        out.push(el.tagName + '.' + el.className + '#' + (el.getAttribute('data-testid') || '') + ' ' + Math.round(r.width));
    }
    return out.slice(0, 6).join(' | ');
  })()`);
}

describe(
  'every page in Arabic and English: no English in Arabic, no serious accessibility violation, no scroll at 360 px',
  { skip },
  () => {
    let s: E2eServer;
    let browser: Browser;
    let cookie: string;
    let person = '';
    let request = '';
    const opApi = () => `/api/operations/${s.operationId}`;
    async function post(path: string, body: unknown, status = 201) {
      const r = await s.api('POST', `${opApi()}${path}`, body, cookie);
      assert.equal(r.status, status, `${path}: ${JSON.stringify(r.body)}`);
      return r.body;
    }

    before(async () => {
      [s, browser] = await Promise.all([startServer(), launch()]);
      await s.userWithRoles('all-roles', [...roles]);
      cookie = await s.sessionCookie('all-roles');
      // A household on a convoy that has arrived, one of them checked in: the record, the convoy's details and the sheets have something to show.
      const hh = await post('/households', {
        siteId: 'amiriyah',
        members: [
          {
            names: { ar: { given: 'هالة', family: 'القدسي' }, lat: { given: 'Hala', family: 'Qudsi' } },
            sex: 'female',
            estimatedAge: 34,
            relationship: 'head',
            consent: { tracing: true, disclosure: true },
          },
          {
            names: { ar: { given: 'عمر', family: 'القدسي' }, lat: { given: 'Omar', family: 'Qudsi' } },
            sex: 'male',
            estimatedAge: 6,
            relationship: 'child',
            consent: { tracing: true, disclosure: true },
          },
        ],
      });
      person = hh.members[0].id;
      await post('/routes', {
        id: 'north-road',
        name: 'North road',
        nameAr: 'الطريق الشمالي',
        siteIds: ['amiriyah', 'ramouseh', 'rashidin'],
      });
      await post('/convoys', { id: 'dawn', routeId: 'north-road', name: 'Dawn convoy' });
      await post('/convoys/dawn/vehicles', { id: 'car-3', kind: 'private_car', capacity: 3, plate: 'ALP-303' });
      const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
      await post('/convoys/dawn/boardings', { householdId: hh.id, vehicleId: 'car-3', at: ago(120) });
      await post('/convoys/dawn/transitions', { event: 'depart', at: ago(110), override: { reason: 'synthetic test' } }, 200);
      await post('/convoys/dawn/transitions', { event: 'arrive', at: ago(60) }, 200);
      await post('/check-ins', { siteId: 'rashidin', personId: person });
      // A tracing request with Omar as its candidate: the match explanation is read in each language.
      const tracing = await post('/tracing', {
        enquirer: { name: 'Synthetic Cousin' },
        relation: 'other_relative',
        sought: {
          names: { lat: { given: 'Omar', family: 'Qudsi' }, ar: { given: 'عمر', family: 'القدسي' } },
          sex: 'male',
          ageMin: 5,
          ageMax: 8,
        },
      });
      request = tracing.id;
      // Another agency's figure, which the situation report's page lists in the interface's words.
      await post('/sources', {
        source: 'Agency A, statement (synthetic)',
        at: ago(30),
        figure: 2060,
        qualifier: 'about',
        claims: 'head_count_vehicles',
      });
    });
    after(async () => {
      await browser?.close();
      await s?.close();
    });

    async function open(lang: 'en' | 'ar', viewport = { width: 1366, height: 800 }, as = cookie): Promise<Page> {
      const ctx = await browser.newContext({
        viewport,
        locale: lang === 'ar' ? 'ar-SY' : 'en-GB',
        bypassCSP: true,
        serviceWorkers: 'block',
      });
      await ctx.addInitScript((l) => {
        try {
          localStorage.setItem('corridor.lang', l);
        } catch {
          /* a frame without storage */
        }
      }, lang);
      return loggedIn(ctx, s.url, as);
    }
    async function settle(page: Page, desk: string) {
      await page.goto(
        desk.startsWith('/')
          ? `${s.url}${desk}`
          : `${s.url}/op/${s.operationId}/${desk.replace('{person}', person).replace('{request}', request)}`,
      );
      await page.locator('main h1, main h2, .paper h1').first().waitFor();
      await page.waitForFunction(() => !document.querySelector('.loading'), undefined, { timeout: 15_000 }).catch(() => undefined);
    }
    async function check(page: Page, desk: string, lang: 'en' | 'ar', problems: string[]) {
      for (const v of await axeViolations(page)) problems.push(`${desk}: ${v}`);
      if (lang === 'ar') {
        const words = [...new Set((await englishWords(page)).filter((w) => !allowed.has(w)))];
        if (words.length) problems.push(`${desk}: English words ${words.join(', ')}`);
      }
    }
    const shotName = (desk: string) =>
      desk
        .replace(/^\//, '')
        .replace('{person}', 'record')
        .replace('{request}', 'request')
        .replace(/[/?=]+/g, '-') || 'operations';

    for (const lang of ['ar', 'en'] as const) {
      test(`every desk in ${lang}: no serious or critical axe violation${lang === 'ar' ? ', no English words' : ''}`, async () => {
        const page = await open(lang);
        const problems: string[] = [];
        for (const desk of desks) {
          await settle(page, desk);
          await check(page, desk, lang, problems);
          await shootDesk(page, `desk-${shotName(desk)}-${lang}`);
        }
        await page.context().close();
        assert.deepEqual(problems, []);
      });

      test(`the pages outside an operation in ${lang}: log-in, operations, users, account set-up`, async () => {
        const problems: string[] = [];
        // Logged out: the log-in form.
        const ctx = await browser.newContext({
          viewport: { width: 1366, height: 800 },
          locale: lang === 'ar' ? 'ar-SY' : 'en-GB',
          bypassCSP: true,
        });
        await ctx.addInitScript((l) => localStorage.setItem('corridor.lang', l), lang);
        const anon = await ctx.newPage();
        await anon.goto(`${s.url}/`);
        await anon.locator('main h1, main h2').first().waitFor();
        await check(anon, 'log-in', lang, problems);
        await shootDesk(anon, `desk-login-${lang}`);
        // A new account's first log-in: it chooses its own password.
        const username = `newcomer-${lang}`;
        await s.userWithRoles(username, ['registrar']);
        const user = await s.api('GET', '/api/users');
        const id = user.body.find((u: { username: string }) => u.username === username).id;
        const reset = await s.api('POST', `/api/users/${id}/reset-password`);
        assert.equal(reset.status, 200, JSON.stringify(reset.body));
        await anon.getByLabel(/^(Username|اسم المستخدم)$/).fill(username);
        await anon.getByLabel(/^(Password|كلمة المرور)$/).fill(reset.body.temporaryPassword);
        await anon.getByRole('button', { name: /^(Log in|دخول)$/ }).click();
        await anon.locator('#password-change').waitFor();
        await check(anon, 'account set-up', lang, problems);
        await shootDesk(anon, `desk-account-setup-${lang}`);
        await ctx.close();
        // The administrator: the operations and the users.
        const admin = await open(lang, undefined, s.adminCookie);
        for (const p of ['/', '/admin/users']) {
          await settle(admin, p);
          await check(admin, p, lang, problems);
          await shootDesk(admin, `desk-${shotName(p)}-${lang}`);
        }
        await admin.context().close();
        assert.deepEqual(problems, []);
      });

      test(`the field desks on a 360 px phone in ${lang}: no horizontal scroll${lang === 'ar' ? ', no English words' : ''}, no serious axe violation`, async () => {
        const page = await open(lang, { width: 360, height: 780 });
        const problems: string[] = [];
        for (const desk of fieldDesks) {
          await settle(page, desk);
          // Measured once the page has stopped loading: on a loaded machine a desk caught between two of its
          // requests was once a few pixels wide for a frame, and never when settled (CI, stop 26).
          await page.waitForLoadState('networkidle').catch(() => undefined);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > 360) {
            const culprits = await overflowing(page);
            const after = await page.evaluate(() => document.documentElement.scrollWidth);
            problems.push(`${desk}: ${width} px wide (${after} px when the culprits were listed): ${culprits}`);
          }
          await check(page, desk, lang, problems);
          await shootDesk(page, `desk-${shotName(desk)}-${lang}-phone`);
        }
        await page.context().close();
        assert.deepEqual(problems, []);
      });
    }

    test('a field error the server sends back shows in Arabic', async () => {
      const page = await open('ar');
      await settle(page, 'admin/sites');
      // A site id already taken: the server's field message comes back with its key, shown in Arabic.
      const form = page.locator('form').filter({ has: page.getByTestId('site-save') });
      await form.getByLabel(ar.admin.siteId, { exact: true }).fill('amiriyah');
      await form.getByLabel(ar.admin.nameEn, { exact: true }).fill('Duplicate site');
      await form.getByLabel(ar.admin.capacity, { exact: true }).fill('٣٠٠');
      await form.getByTestId('site-save').click();
      await form.getByText(ar.fieldMessages.id_taken).first().waitFor();
      assert.equal(await form.locator('.field-error').filter({ hasText: ar.fieldMessages.id_taken }).count(), 1, 'beside the id field');
      assert.equal(
        await form.getByLabel(ar.admin.capacity, { exact: true }).inputValue(),
        '300',
        'Arabic-Indic digits typed are read as digits',
      );
      await page.context().close();
    });
  },
);
