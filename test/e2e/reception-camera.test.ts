/**
 * Reception scans a wristband with the camera: Chromium's fake camera plays a frame showing the
 * QR code of a registered person's tag; the desk finds the person and checks the household in.
 * Chromium on Linux has no BarcodeDetector, so this exercises the jsQR fallback.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { encodeTag, formatTag } from '../../src/domain/tags.js';
import { chromiumMissing, launch, loggedIn, SCREENSHOTS, shoot } from './support/browser.js';
import { fakeCameraArgs, qrVideo } from './support/fake-camera.js';
import { startServer, type E2eServer } from './support/server.js';

const skip = chromiumMissing();

describe('reception camera in Chromium', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;
  let tag: string;

  before(async () => {
    s = await startServer();
    tag = formatTag(encodeTag(s.rangeFirstSerial + 40));
    mkdirSync(SCREENSHOTS, { recursive: true });
    // The wristband sheet prints the formatted tag in its QR code.
    const video = qrVideo(tag, resolve(SCREENSHOTS, '..', `wristband-${tag}.y4m`));
    browser = await launch(fakeCameraArgs(video));
    await s.userWithRoles('registrar', ['registrar']);
    await s.userWithRoles('reception', ['reception_officer']);
    const cookie = await s.sessionCookie('registrar');
    const hh = await s.api(
      'POST',
      `/api/operations/${s.operationId}/households`,
      {
        siteId: 'amiriyah',
        members: [
          { names: { lat: { given: 'Yusuf', family: 'Darwish' } }, sex: 'male', estimatedAge: 33, tag },
          { names: { lat: { given: 'Mona', family: 'Darwish' } }, sex: 'female', estimatedAge: 31, relationship: 'spouse' },
        ],
      },
      cookie,
    );
    assert.equal(hh.status, 201, JSON.stringify(hh.body));
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  test('a wristband held to the camera finds the person, and the household is checked in', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    ctx.on('page', (p) =>
      p.on('pageerror', (err) => {
        throw err;
      }),
    );
    const page = await loggedIn(ctx, s.url, await s.sessionCookie('reception'));
    await page.goto(`${s.url}/op/${s.operationId}/reception`);
    assert.equal(
      await page.evaluate(() => 'BarcodeDetector' in window),
      false,
      'no BarcodeDetector here: the jsQR fallback reads the code',
    );
    await page.getByTestId('camera-scan').click();
    await page.getByTestId('check-in-form').waitFor({ timeout: 15_000 });
    assert.equal(await page.getByTestId('tag-input').inputValue(), tag);
    assert.equal(await page.getByTestId('camera-video').count(), 0, 'the camera is switched off once the code is read');
    await page.getByTestId('check-in-household').getByText('Check in the household (2)').waitFor();
    await shoot(page, 'reception-camera-en-phone');
    await page.getByTestId('check-in-household').click();
    await page.getByTestId('checked-in').locator('li').nth(1).waitFor();
    assert.match(await page.getByTestId('checked-in').innerText(), /\u2068Yusuf Darwish\u2069 checked in/);
    await ctx.close();
  });
});
