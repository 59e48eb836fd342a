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
import { chromiumMissing, launch, loggedIn, shoot } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';

const skip = chromiumMissing();
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const desks = [
  'dashboard',
  'registration',
  'convoys',
  'checkpoint',
  'reception',
  'tracing',
  'import',
  'duplicates',
  'persons',
  'reconciliation',
  'admin/staff',
  'admin/sites',
  'admin/routes',
  'admin/wristbands',
  'admin/devices',
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

describe('every desk in Arabic and English: no English in Arabic, no serious accessibility violation', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;
  let cookie: string;

  before(async () => {
    [s, browser] = await Promise.all([startServer(), launch()]);
    await s.userWithRoles('all-roles', [...roles]);
    cookie = await s.sessionCookie('all-roles');
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  async function open(lang: 'en' | 'ar'): Promise<Page> {
    const ctx = await browser.newContext({
      viewport: { width: 1366, height: 800 },
      locale: lang === 'ar' ? 'ar-SY' : 'en-GB',
      bypassCSP: true,
    });
    await ctx.addInitScript((l) => localStorage.setItem('corridor.lang', l), lang);
    return loggedIn(ctx, s.url, cookie);
  }
  async function settle(page: Page, desk: string) {
    await page.goto(`${s.url}/op/${s.operationId}/${desk}`);
    await page.locator('main h1, main h2').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('.loading'), undefined, { timeout: 15_000 }).catch(() => undefined);
  }

  for (const lang of ['ar', 'en'] as const) {
    test(`every desk in ${lang}: no serious or critical axe violation${lang === 'ar' ? ', no English words' : ''}`, async () => {
      const page = await open(lang);
      const problems: string[] = [];
      for (const desk of desks) {
        await settle(page, desk);
        for (const v of await axeViolations(page)) problems.push(`${desk}: ${v}`);
        if (lang === 'ar') {
          const words = [...new Set((await englishWords(page)).filter((w) => !allowed.has(w)))];
          if (words.length) problems.push(`${desk}: English words ${words.join(', ')}`);
        }
        await shoot(page, `desk-${desk.replace('/', '-')}-${lang}`);
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
});
