/**
 * The import page in a real Chromium: a registrar chooses a spreadsheet typed by hand, checks
 * it (the mapping is suggested from its headers, the bad row is named with its column and can
 * be downloaded as a report), imports it and watches the progress reach the end.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launch, loggedIn, shoot } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';
import { xlsxOf } from '../support/import-files.js';

const skip = chromiumMissing();

describe('import page in Chromium', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;

  before(async () => {
    [s, browser] = await Promise.all([startServer(), launch()]);
    await s.userWithRoles('importer', ['registrar']);
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  test('a registrar checks a spreadsheet, sees the bad row, downloads the report and imports the rest', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', acceptDownloads: true });
    const page = await loggedIn(ctx, s.url, await s.sessionCookie('importer'));
    page.on('pageerror', (err) => {
      throw err;
    });
    await page.goto(`${s.url}/op/${s.operationId}/import`);
    const file = await xlsxOf([
      {
        name: 'Households',
        rows: [
          ['Family no', 'First name', "Father's name", 'Surname', 'Gender', 'Age'],
          ['1', 'Test', 'Sample', 'Example', 'female', '40'],
          ['1', 'Trial', 'Test', 'Example', 'male', '9'],
          ['2', 'Probe', 'Case', 'Instance', 'robot', '50'],
        ],
      },
    ]);
    await page.setInputFiles('#import-files', { name: 'households.xlsx', mimeType: 'application/octet-stream', buffer: file });
    // The operation's only registration site is chosen already: the first check does not come out empty.
    assert.equal(await page.getByTestId('import-site').inputValue(), 'amiriyah');
    await page.getByLabel('Site of households whose rows name none').selectOption('amiriyah');
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByTestId('import-summary').getByText('in rows: 3. To register: 1 (people: 2)', { exact: false }).waitFor();
    assert.equal(await page.getByLabel('Gender', { exact: true }).inputValue(), 'sex');
    const issues = page.getByTestId('import-issues');
    await issues.getByText('import.value_invalid').waitFor();
    assert.match(await issues.locator('tbody tr').first().innerText(), /Households · 4\s+Gender/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the report (CSV)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'import-report.csv');
    await page.getByRole('button', { name: 'Import 1 household' }).click();
    await page.getByTestId('import-progress').getByText('Done: households registered: 1 (people: 2)', { exact: false }).waitFor();
    await shoot(page, 'import-done');
    await ctx.close();
  });

  test('Latin headers are mapped, and with two registration sites the page asks for the site before and after the check', async () => {
    const added = await s.api('POST', `/api/operations/${s.operationId}/sites`, {
      id: 'hamdaniyah',
      kind: 'assembly_point',
      nameEn: 'al-Hamdaniyah assembly point',
      nameAr: 'نقطة تجمع الحمدانية',
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const ctx = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'en-GB' });
    const page = await loggedIn(ctx, s.url, await s.sessionCookie('importer'));
    await page.goto(`${s.url}/op/${s.operationId}/import`);
    assert.equal(await page.getByTestId('import-site').inputValue(), '');
    await page.getByText('Choose the site these households are registered at', { exact: false }).waitFor();
    const csv = [
      'hh_id,given_name,family_name,father_name,sex,age,date_of_birth',
      '9,Test,Example,Sample,female,30,',
      '9,Probe,Example,Test,male,,2015-04-02',
    ];
    await page.setInputFiles('#import-files', { name: 'latin.csv', mimeType: 'text/csv', buffer: Buffer.from(csv.join('\n')) });
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByTestId('import-no-site').waitFor();
    for (const [header, target] of [
      ['hh_id', 'household'],
      ['given_name', 'givenName'],
      ['family_name', 'familyName'],
      ['father_name', 'fatherName'],
      ['sex', 'sex'],
      ['age', 'age'],
      ['date_of_birth', 'dateOfBirth'],
    ] as const)
      assert.equal(await page.getByLabel(header, { exact: true }).inputValue(), target, header);
    // Chosen, the check registers the household; the choice is remembered on this device.
    await page.getByTestId('import-site').selectOption('hamdaniyah');
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByTestId('import-summary').getByText('To register: 1 (people: 2)', { exact: false }).waitFor();
    assert.equal(await page.getByTestId('import-no-site').count(), 0);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360);
    await page.reload();
    assert.equal(await page.getByTestId('import-site').inputValue(), 'hamdaniyah');
    await ctx.close();
  });
});
