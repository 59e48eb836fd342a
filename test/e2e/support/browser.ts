/**
 * Debian's Chromium driven by playwright-core. When /usr/bin/chromium is not there the suite
 * is skipped, and says so loudly (CI installs the package, so there it always runs).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = new URL('../../../test-artifacts/screenshots/', import.meta.url).pathname;

export function chromiumMissing(): string | false {
  if (existsSync(CHROMIUM)) return false;
  const msg = `\n${'*'.repeat(78)}\n*** END-TO-END TESTS SKIPPED: no Chromium at ${CHROMIUM}.\n*** Install it with: apt-get update && apt-get install -y chromium\n${'*'.repeat(78)}\n`;
  process.stderr.write(msg);
  return `no Chromium at ${CHROMIUM}`;
}

/** `extraArgs` e.g. a fake camera (see fake-camera.ts). */
export function launch(extraArgs: string[] = []): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

export async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/**
 * Where `npm run screenshots` puts the desks' pictures for reviewers (docs/screenshots, kept in
 * the repository as JPEG to stay small); unset in `npm test`, which leaves docs/ as it is.
 */
export const DOC_SCREENSHOTS = process.env.CORRIDOR_DOC_SCREENSHOTS
  ? new URL('../../../docs/screenshots/', import.meta.url).pathname
  : undefined;

/** A desk's picture: in test-artifacts always, and in docs/screenshots for `npm run screenshots`. */
export async function shootDesk(page: Page, name: string) {
  await shoot(page, name);
  if (!DOC_SCREENSHOTS) return;
  mkdirSync(DOC_SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${DOC_SCREENSHOTS}${name}.jpg`, fullPage: true, type: 'jpeg', quality: 60 });
}

/** Logs in through the form, as a person would, and waits for the list of operations. */
export async function logIn(page: Page, base: string, username: string, password: string) {
  await page.goto(`${base}/`);
  await page.getByLabel(/^(Username|اسم المستخدم)$/).fill(username);
  await page.getByLabel(/^(Password|كلمة المرور)$/).fill(password);
  await page.getByRole('button', { name: /^(Log in|دخول)$/ }).click();
  await page.getByTestId('operation-list').waitFor();
}

/**
 * Opens a new browser context already logged in, with a session cookie made once per account
 * (`login` answers it), so tests that are not about logging in skip the form and the password
 * hash. Lands on the list of operations, as a log-in through the form does.
 */
export async function loggedIn(ctx: BrowserContext, base: string, cookie: string): Promise<Page> {
  const [name, value] = cookie.split('=') as [string, string];
  await ctx.addCookies([{ name, value, url: base }]);
  const page = await ctx.newPage();
  await page.goto(`${base}/`);
  await page.getByTestId('operation-list').waitFor();
  return page;
}

/**
 * Waits until the service worker controls the page: installed (its precache fetched) and
 * activated. It claims open pages, but on a loaded machine the claim can come after the page
 * settled, so a page still uncontrolled once the worker is active is loaded again, as a user's
 * next visit would be.
 */
export async function controlled(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined), undefined);
  if (await page.evaluate(() => navigator.serviceWorker.controller === null)) await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
}
