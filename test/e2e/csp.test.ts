/**
 * The built web app runs under the Content-Security-Policy (audit finding 13): logged in with
 * every role, each desk of the menu, the administration pages and the API documentation open in
 * Chromium without one violation report — while an inline script put into the page is refused,
 * so the policy is really enforced (a page without it would run the script and fail the test).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { roles } from '../../src/domain/policy.js';
import { chromiumMissing, launch, loggedIn } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';

const skip = chromiumMissing();

/** Collected in the page, before any of its own scripts run, and read back by the test. */
const LISTEN = () => {
  const w = window as unknown as { cspViolations: string[] };
  w.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
};

describe('the web app under its Content-Security-Policy', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;
  const consoleViolations: string[] = [];

  before(async () => {
    [s, browser] = await Promise.all([startServer(), launch()]);
    await s.userWithRoles('all-roles', [...roles]);
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  async function open(cookie: string): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    await ctx.addInitScript(LISTEN);
    ctx.on('page', (p) =>
      p.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) consoleViolations.push(m.text());
      }),
    );
    return loggedIn(ctx, s.url, cookie);
  }
  const violations = (page: Page) => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

  test('the page itself is sent with the policy', async () => {
    const r = await fetch(`${s.url}/`, { headers: { accept: 'text/html' } });
    assert.match(r.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  });

  test('every desk and administration page opens with no violation', async () => {
    const page = await open(await s.sessionCookie('all-roles'));
    await page.getByRole('link', { name: 'Eastern Aleppo evacuation' }).click();
    await page.getByTestId('desk-menu').waitFor();
    const links = await page.locator('nav.menu a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    assert.ok(links.length >= 8, `desks in the menu: ${links.length}`);
    for (const href of links) {
      await page.goto(href);
      await page.locator('main h1, h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      assert.deepEqual(await violations(page), [], href);
    }
    await page.context().close();

    const admin = await open(s.adminCookie);
    for (const path of ['/admin/users', `/op/${s.operationId}/admin/devices`, '/api/docs/static/index.html']) {
      await admin.goto(`${s.url}${path}`);
      await admin.waitForLoadState('networkidle');
      assert.deepEqual(await violations(admin), [], path);
    }
    await admin.context().close();
    assert.deepEqual(consoleViolations, []);
  });

  test('an inline script is refused (the policy is enforced, so the test above can fail)', async () => {
    const page = await open(await s.sessionCookie('all-roles'));
    await page.evaluate(() => {
      const el = document.createElement('script');
      el.textContent = 'window.inlineRan = true';
      document.body.append(el);
    });
    assert.equal(await page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan), undefined);
    await page.waitForFunction(() => (window as unknown as { cspViolations: string[] }).cspViolations.length > 0);
    assert.match((await violations(page))[0]!, /script-src/);
    await page.context().close();
  });
});
