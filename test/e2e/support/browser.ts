/**
 * Debian's Chromium driven by playwright-core. When /usr/bin/chromium is not there the suite
 * is skipped, and says so loudly (CI installs the package, so there it always runs).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = new URL('../../../test-artifacts/screenshots/', import.meta.url).pathname;

export function chromiumMissing(): string | false {
  if (existsSync(CHROMIUM)) return false;
  const msg = `\n${'*'.repeat(78)}\n*** END-TO-END TESTS SKIPPED: no Chromium at ${CHROMIUM}.\n*** Install it with: apt-get update && apt-get install -y chromium\n${'*'.repeat(78)}\n`;
  process.stderr.write(msg);
  return `no Chromium at ${CHROMIUM}`;
}

export function launch(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

export async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/** Logs in through the form, as a person would, and waits for the list of operations. */
export async function logIn(page: Page, base: string, username: string, password: string) {
  await page.goto(`${base}/`);
  await page.getByLabel(/^(Username|اسم المستخدم)$/).fill(username);
  await page.getByLabel(/^(Password|كلمة المرور)$/).fill(password);
  await page.getByRole('button', { name: /^(Log in|دخول)$/ }).click();
  await page.getByTestId('operation-list').waitFor();
}
