/**
 * Reception check-in with no network, in a real Chromium: a reception officer opens the desk with
 * a network (the people expected on the convoy on its way are downloaded and kept sealed on the
 * phone: no name in clear in its storage), the network drops, the officer scans a wristband, finds
 * the person in the phone's list and checks them in; the check-in waits in the outbox and reaches
 * the database exactly once when the network returns.
 *
 * No network is a TCP proxy in front of the server that is closed and opened again (as in
 * checkpoint-offline.test.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, controlled, launch, loggedIn, shoot } from './support/browser.js';
import { networkProxy, type NetworkProxy } from './support/network.js';
import { startServer, type E2eServer } from './support/server.js';
import { storeText, until } from './support/storage.js';
import { encodeTag, formatTag } from '../../src/domain/tags.js';

const skip = chromiumMissing();

const boxesText = (page: Page) => storeText(page, 'corridor-vault', 'boxes');

describe('reception check-in offline', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;
  let net: NetworkProxy;
  let tag: string;
  let personId: string;
  let laterTag: string;
  let laterId: string;
  let convoyId: string;

  before(async () => {
    browser = await launch();
    s = await startServer();
    net = await networkProxy(Number(new URL(s.url).port));
    await s.userWithRoles('reception-off', ['reception_officer']);
    await s.userWithRoles('planner-off', ['coordinator', 'registrar', 'convoy_officer']);
    const planner = await s.sessionCookie('planner-off');
    const opApi = `/api/operations/${s.operationId}`;
    const post = async (path: string, body: object, status = 201) => {
      const r = await s.api('POST', `${opApi}${path}`, body, planner);
      assert.equal(r.status, status, `${path}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    await post('/routes', { id: 'to-camp', siteIds: ['amiriyah', 'rashidin'] });
    await post('/movement-windows', {
      start: new Date(Date.now() - 3_600_000).toISOString(),
      end: new Date(Date.now() + 6 * 3_600_000).toISOString(),
    });
    tag = formatTag(encodeTag(s.rangeFirstSerial + 50));
    const hh = await post('/households', {
      siteId: 'amiriyah',
      members: [
        { names: { lat: { given: 'Widad', family: 'Receptiontest' } }, sex: 'female', estimatedAge: 52, tag },
        { names: { lat: { given: 'Anas', family: 'Receptiontest' } }, sex: 'male', estimatedAge: 14, relationship: 'child' },
      ],
    });
    personId = hh.members[0].id;
    laterTag = formatTag(encodeTag(s.rangeFirstSerial + 51));
    const later = await post('/households', {
      siteId: 'amiriyah',
      members: [{ names: { lat: { given: 'Rafiq', family: 'Reloadtest' } }, sex: 'male', estimatedAge: 70, tag: laterTag }],
    });
    laterId = later.members[0].id;
    const convoy = (await post('/convoys', { routeId: 'to-camp', name: 'Convoy 77' })).id;
    convoyId = convoy;
    await post(`/convoys/${convoy}/vehicles`, { id: 'BUS-77', kind: 'bus' });
    await post(`/convoys/${convoy}/boardings`, { householdId: hh.id, vehicleId: 'BUS-77' });
    await post(`/convoys/${convoy}/boardings`, { householdId: later.id, vehicleId: 'BUS-77' });
    await post(`/convoys/${convoy}/transitions`, { event: 'depart' }, 200);
  });
  after(async () => {
    await net?.down();
    await browser?.close();
    await s?.close();
  });

  const checkIns = async (who = personId) =>
    (
      await sql<{
        n: number;
      }>`select count(*)::int as n from movement_facts where operation_id = ${s.operationId} and kind = 'checked_in' and person_id = ${who}`.execute(
        s.db.kysely,
      )
    ).rows[0]!.n;
  const arrivals = async () =>
    (
      await sql<{
        n: number;
      }>`select count(*)::int as n from movement_facts where operation_id = ${s.operationId} and kind = 'arrived' and convoy_id = ${convoyId}`.execute(
        s.db.kysely,
      )
    ).rows[0]!.n;

  test('an expected person is found by tag and checked in with no network, and reaches the server once', async () => {
    await net.up();
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB', serviceWorkers: 'block' });
    const page = await loggedIn(ctx, net.url, await s.sessionCookie('reception-off'));
    await page.goto(`${net.url}/op/${s.operationId}/reception`);
    await page.getByTestId('reception-site').selectOption('rashidin');
    // The expected list is downloaded and sealed: on the phone, but no name in clear.
    let boxes = '[]';
    for (let i = 0; i < 120 && boxes === '[]'; i++) {
      boxes = await boxesText(page);
      if (boxes === '[]') await page.waitForTimeout(250);
    }
    assert.notEqual(boxes, '[]', 'the expected list is on the phone');
    for (const name of ['Widad', 'Anas', 'Receptiontest']) assert.equal(boxes.includes(name), false, `${name} not in clear`);

    await net.down();
    await page.getByTestId('tag-input').fill(tag);
    await page.getByTestId('reception-find').click();
    await page
      .getByTestId('expected-on-phone')
      .getByText(/found in the list of expected people kept on this phone/)
      .waitFor();
    await page.getByTestId('check-in-form').waitFor();
    await page.getByText('Widad Receptiontest').first().waitFor();
    await page.getByTestId('check-in-household').click();
    await page.getByTestId('check-in-queued').first().waitFor();
    await page.getByTestId('outbox-count').getByText('To send: 2').waitFor();
    await shoot(page, 'reception-offline-en-phone');
    assert.equal(await checkIns(), 0);

    await net.up();
    for (let i = 0; i < 240 && (await checkIns()) < 1; i++) await page.waitForTimeout(250);
    await page.getByTestId('outbox').waitFor({ state: 'detached', timeout: 60_000 });
    assert.equal(await checkIns(), 1, 'checked in once');
    await ctx.close();
  });

  test('reloaded with no network, the desk opens from the phone: the arrival and, once the PIN opens the list, a check-in wait and are sent once', async () => {
    await net.up();
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    ctx.on('page', (p) =>
      p.on('pageerror', (err) => {
        throw err;
      }),
    );
    const page = await loggedIn(ctx, net.url, await s.sessionCookie('reception-off'));
    await page.goto(`${net.url}/op/${s.operationId}/reception`);
    await controlled(page);
    await page.getByTestId('reception-site').selectOption('rashidin');
    let boxes = '[]';
    for (let i = 0; i < 120 && !boxes.includes('"savedAt"'); i++) {
      boxes = await boxesText(page);
      if (!boxes.includes('"savedAt"')) await page.waitForTimeout(250);
    }
    // The desk's copy: sites, routes, the convoy on the road; no name.
    let copy = '[]';
    await until(async () => (copy = await storeText(page, 'corridor-desk-copy', 'copies')).includes(convoyId));
    assert.ok(copy.includes(convoyId), 'the convoy on its way is in the copy');
    for (const name of ['Widad', 'Rafiq', 'Reloadtest', 'Receptiontest'])
      assert.equal(copy.includes(name), false, `${name} not in the copy`);
    const pin = page.getByTestId('vault-pin');
    await pin.locator('summary').click();
    await pin.getByTestId('vault-pin-new').fill('735190');
    await pin.getByTestId('vault-pin-again').fill('735190');
    await pin.getByTestId('vault-pin-set').click();
    await pin.getByTestId('vault-pin-saved').waitFor({ timeout: 30_000 });
    const arrivedBefore = await arrivals();

    await net.down();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Reception' }).waitFor();
    await page.getByTestId('reception-offline').waitFor();
    await page.getByTestId(`arrive-${convoyId}`).click();
    await page
      .getByText(/Convoy 77/)
      .first()
      .waitFor();
    await page.getByTestId('outbox-count').getByText('To send: 1').waitFor();
    // Locked until the PIN opens it.
    await page.getByTestId('tag-input').fill(laterTag);
    await page.getByTestId('reception-find').click();
    await page.getByTestId('expected-on-phone').waitFor();
    await page.getByTestId('vault-pin-input').fill('735190');
    await page.getByTestId('vault-pin-open').click();
    await page.getByTestId('vault-unlocked').waitFor({ timeout: 30_000 });
    await page.getByTestId('reception-find').click();
    await page
      .getByTestId('expected-on-phone')
      .getByText(/found in the list of expected people kept on this phone/)
      .waitFor();
    await page.getByText('Rafiq Reloadtest').first().waitFor();
    await page.getByTestId('check-in-household').click();
    await page.getByTestId('check-in-queued').first().waitFor();
    await page.getByTestId('outbox-count').getByText('To send: 2').waitFor();
    await shoot(page, 'reception-offline-reload-en-phone');
    assert.equal(await checkIns(laterId), 0);
    assert.equal(await arrivals(), arrivedBefore);

    await net.up();
    for (let i = 0; i < 240 && ((await checkIns(laterId)) < 1 || (await arrivals()) <= arrivedBefore); i++) await page.waitForTimeout(250);
    await page.getByTestId('outbox').waitFor({ state: 'detached', timeout: 60_000 });
    assert.equal(await checkIns(laterId), 1, 'checked in once');
    assert.equal(await arrivals(), arrivedBefore + 1, 'arrived once');
    await ctx.close();
  });
});
