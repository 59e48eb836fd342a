/**
 * The download beside a list, in Chromium: a coordinator downloads the people list as CSV from
 * the people desk (purpose and recipient asked first, the file holds the names); a viewer's
 * dashboard offers the count table as HXL and nothing that names people.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launch, loggedIn } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';

const skip = chromiumMissing();

describe('export download in Chromium', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;

  before(async () => {
    [s, browser] = await Promise.all([startServer(), launch()]);
    await s.userWithRoles('lead', ['coordinator', 'registrar']);
    await s.userWithRoles('donor', ['viewer']);
    const hh = await s.api(
      'POST',
      `/api/operations/${s.operationId}/households`,
      { siteId: 'amiriyah', members: [{ names: { lat: { given: 'Rania', family: 'Khatib' } }, sex: 'female', estimatedAge: 29 }] },
      await s.sessionCookie('lead'),
    );
    assert.equal(hh.status, 201, JSON.stringify(hh.body));
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  test('a coordinator downloads the people list after giving a purpose and a recipient', async () => {
    const ctx = await browser.newContext({ locale: 'en-GB', acceptDownloads: true });
    const page = await loggedIn(ctx, s.url, await s.sessionCookie('lead'));
    await page.goto(`${s.url}/op/${s.operationId}/persons`);
    await page.getByTestId('export-people').click();
    const form = page.getByTestId('export-form-people');
    await form.getByTestId('export-submit').click();
    await form.getByText('Fill this in.').first().waitFor();
    await form.getByLabel('Purpose').fill('Handover to the camp management');
    await form.getByLabel('Recipient').fill('Camp manager, site B');
    const [download] = await Promise.all([page.waitForEvent('download'), form.getByTestId('export-submit').click()]);
    assert.match(download.suggestedFilename(), /-people-\d{8}-\d{4}\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    assert.match(text, /Rania/);
    await page.getByTestId('export-done').waitFor();
    await ctx.close();
  });

  test("a viewer's dashboard offers the count table, as HXL, and no list of people", async () => {
    const ctx = await browser.newContext({ locale: 'en-GB', acceptDownloads: true });
    const page = await loggedIn(ctx, s.url, await s.sessionCookie('donor'));
    await page.goto(`${s.url}/op/${s.operationId}/dashboard`);
    await page.getByTestId('export-counts').click();
    const form = page.getByTestId('export-form-counts');
    await form.getByLabel('Format').selectOption('hxl');
    await form.getByLabel('Purpose').fill('Situation report');
    await form.getByLabel('Recipient').fill('OCHA');
    const [download] = await Promise.all([page.waitForEvent('download'), form.getByTestId('export-submit').click()]);
    const lines = readFileSync((await download.path())!, 'utf8').split('\r\n');
    assert.match(lines[1]!, /^#date,#loc\+name/);
    assert.doesNotMatch(lines.join('\n'), /Rania/);
    assert.equal(await page.getByTestId('export-people').count(), 0);
    await ctx.close();
  });
});
