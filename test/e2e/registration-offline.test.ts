/**
 * The registration desk with no network, in a real Chromium: a registrar opens the desk online
 * (the phone's vault is made, the desk keeps its copy), the network drops, a household of two is
 * registered — each member "saved on this phone, will be sent", duplicate hints against what the
 * phone holds — and no name is in clear in the browser's storage. The page is reloaded with no
 * network: the desk opens from its copy and registers another household (sealed without the
 * vault's key). The network returns: everything reaches the database exactly once. Logging out
 * wipes the vault; so do 48 hours without the server and a role taken away.
 *
 * No network is a TCP proxy in front of the server that is closed and opened again (as in
 * checkpoint-offline.test.ts: Playwright's setOffline does not cut a service worker's requests).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { encodeTag, formatTag } from '../../src/domain/tags.js';
import { chromiumMissing, controlled, launch, loggedIn, shoot } from './support/browser.js';
import { networkProxy, type NetworkProxy } from './support/network.js';
import { startServer, type E2eServer } from './support/server.js';
import { storeText, until } from './support/storage.js';

const skip = chromiumMissing();

describe('registration desk offline', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;
  let net: NetworkProxy;

  before(async () => {
    browser = await launch();
    s = await startServer();
    net = await networkProxy(Number(new URL(s.url).port));
    await s.userWithRoles('registrar-off', ['registrar']);
    await s.userWithRoles('registrar-late', ['registrar']);
    await s.userWithRoles('registrar-demoted', ['registrar']);
  });
  after(async () => {
    await net?.down();
    await browser?.close();
    await s?.close();
  });

  const personsWithTag = async (tag: string) =>
    (
      await s.api(
        'GET',
        `/api/operations/${s.operationId}/persons?tag=${encodeURIComponent(tag)}`,
        undefined,
        await s.sessionCookie('registrar-off'),
      )
    ).body as {
      householdId: string;
      names: { lat?: { given?: string } };
    }[];
  const personCount = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from persons where operation_id = ${s.operationId}`.execute(s.db.kysely)).rows[0]!
      .n;

  test('a household registered offline, the page reloaded offline, is sent exactly once when the network returns', async () => {
    await net.up();
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    ctx.on('page', (p) =>
      p.on('pageerror', (err) => {
        throw err;
      }),
    );
    const page = await loggedIn(ctx, net.url, await s.sessionCookie('registrar-off'));
    await page.goto(`${net.url}/op/${s.operationId}/registration`);
    await controlled(page);
    await page.getByTestId('start-household').waitFor();
    // Online, the phone's vault is made (public key, private key wrapped) and the desk keeps its copy.
    await until(async () => (await storeText(page, 'corridor-vault', 'vaults')) !== '[]');
    await until(async () => (await storeText(page, 'corridor-desk-copy', 'copies')) !== '[]');
    const vault = JSON.parse(await storeText(page, 'corridor-vault', 'vaults')) as { wrapped: { ct: string }; publicKey: { d?: string } }[];
    assert.equal(vault.length, 1);
    assert.equal(vault[0]!.publicKey.d, undefined, 'the private key is not kept in clear');
    const before = await personCount();

    const tags = [40, 41, 42].map((n) => formatTag(encodeTag(s.rangeFirstSerial + n)));
    const form = page.getByTestId('member-form');
    const member = async (given: string, givenAr: string, sex: string, age: string, tag: string) => {
      await form.locator('input[name="lat.given"]').fill(given);
      await form.locator('input[name="lat.family"]').fill('Qasimtest');
      await form.locator('input[name="ar.given"]').fill(givenAr);
      await form.locator('input[name="ar.family"]').fill('قاسمتست');
      await form.locator('select[name="sex"]').selectOption(sex);
      await form.locator('input[name="age"]').fill(age);
      await form.getByTestId('tag-input').fill(tag);
      await form.locator('input[name="consentTracing"][value="yes"]').check();
      await form.locator('input[name="consentDisclosure"][value="no"]').check();
    };

    // The network drops; the registrar goes on.
    await net.down();
    await page.getByTestId('start-household').click();
    await member('Hadiya', 'هدية', 'female', '34', tags[0]!);
    await page.getByTestId('save-member').click();
    await page.getByTestId('member-on-phone').getByText('\u2068Hadiya Qasimtest\u2069: saved on this phone, will be sent').waitFor();
    assert.equal(await form.locator('input[name="lat.given"]').inputValue(), '', 'the form clears');
    // The same person typed again: the phone's registrations are compared, with no network.
    await member('Hadiya', 'هدية', 'female', '34', tags[1]!);
    await page.getByTestId('duplicate-on-phone').getByText('similar names, registered on this phone').waitFor();
    await member('Karim', 'كريم', 'male', '9', tags[0]!);
    await page.getByTestId('duplicate-on-phone').getByText('this wristband is already given on this phone').waitFor();
    await form.getByTestId('tag-input').fill(tags[1]!);
    await page.getByTestId('save-member').click();
    await page.getByTestId('member-on-phone').getByText('\u2068Karim Qasimtest\u2069: saved on this phone').waitFor();
    await page.getByTestId('finish-household').click();
    const summary = page.getByTestId('household-summary');
    await summary.getByRole('heading', { name: 'Household saved on this phone, will be sent. Members: 2' }).waitFor();
    await summary.getByTestId('household-on-phone').waitFor();
    await shoot(page, 'registration-offline-en-phone');

    // What the phone holds: the commands are sealed, no name is in clear anywhere in its storage.
    const outbox = await storeText(page, 'corridor', 'outbox');
    assert.equal((JSON.parse(outbox) as unknown[]).length, 2);
    const stored = outbox + (await storeText(page, 'corridor-vault', 'vaults')) + (await storeText(page, 'corridor-desk-copy', 'copies'));
    for (const name of ['Hadiya', 'Karim', 'Qasimtest', 'هدية', 'قاسمتست'])
      assert.equal(stored.includes(name), false, `${name} not in clear`);
    assert.equal(await personCount(), before);

    // Reloaded with no network: the desk opens from its copy and registers one more (sealed with the public key alone).
    await page.reload();
    await page.getByTestId('outbox-count').getByText('To send: 2').waitFor();
    await page.getByTestId('next-household').or(page.getByTestId('start-household')).first().click();
    if (await page.getByTestId('start-household').count()) await page.getByTestId('start-household').click();
    await member('Nour', 'نور', 'female', '61', tags[2]!);
    await page.getByTestId('save-member').click();
    await page.getByTestId('member-on-phone').getByText('\u2068Nour Qasimtest\u2069: saved on this phone').waitFor();
    await page.getByTestId('outbox-count').getByText('To send: 3').waitFor();
    assert.equal(await personCount(), before);

    // The network returns: the session answers, the vault's key comes back, the outbox sends everything once.
    await net.up();
    await until(async () => (await personCount()) >= before + 3, 240);
    await page.getByTestId('outbox').waitFor({ state: 'detached', timeout: 30_000 });
    assert.equal(await personCount(), before + 3, 'three people, each once');
    const [hadiya, karim, nour] = [await personsWithTag(tags[0]!), await personsWithTag(tags[1]!), await personsWithTag(tags[2]!)];
    assert.equal(hadiya.length, 1);
    assert.equal(karim.length, 1);
    assert.equal(nour.length, 1);
    assert.equal(hadiya[0]!.names.lat?.given, 'Hadiya');
    assert.equal(hadiya[0]!.householdId, karim[0]!.householdId, 'the member added offline joined the household queued before it');
    assert.notEqual(nour[0]!.householdId, hadiya[0]!.householdId);
    assert.equal(await storeText(page, 'corridor', 'outbox'), '[]', 'sent, nothing sealed left');

    // Logging out wipes the vault.
    page.on('dialog', (d) => void d.accept());
    await page.getByTestId('logout').click();
    await until(async () => (await storeText(page, 'corridor-vault', 'vaults')) === '[]');
    assert.equal(await storeText(page, 'corridor-vault', 'vaults'), '[]');
    await ctx.close();
  });

  /** A registrar's desk opened online (vault made), then one member saved with no network. */
  const queuedOffline = async (username: string, given: string) => {
    await net.up();
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    const page = await loggedIn(ctx, net.url, await s.sessionCookie(username));
    await page.goto(`${net.url}/op/${s.operationId}/registration`);
    await controlled(page);
    await until(async () => (await storeText(page, 'corridor-vault', 'vaults')) !== '[]');
    await until(async () => (await storeText(page, 'corridor-desk-copy', 'copies')) !== '[]');
    await net.down();
    await page.getByTestId('start-household').click();
    const form = page.getByTestId('member-form');
    await form.locator('input[name="lat.given"]').fill(given);
    await form.locator('input[name="lat.family"]').fill('Wipetest');
    await form.locator('select[name="sex"]').selectOption('male');
    await form.locator('input[name="age"]').fill('30');
    await form.locator('input[name="consentTracing"][value="no"]').check();
    await form.locator('input[name="consentDisclosure"][value="no"]').check();
    await page.getByTestId('save-member').click();
    await page.getByTestId('member-on-phone').waitFor();
    assert.equal((JSON.parse(await storeText(page, 'corridor', 'outbox')) as unknown[]).length, 1);
    return { ctx, page };
  };

  test('what the phone holds is wiped after too long without the server, and when the account loses the role', async () => {
    const before = await personCount();
    // Out of touch for longer than the vault may be: the next offline start wipes it.
    const late = await queuedOffline('registrar-late', 'Latif');
    await late.page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const req = indexedDB.open('corridor-vault');
          req.onsuccess = () => {
            const tx = req.result.transaction('vaults', 'readwrite');
            const store = tx.objectStore('vaults');
            const all = store.getAll();
            all.onsuccess = () => {
              for (const v of all.result as { lastContactAt: string }[])
                store.put({ ...v, lastContactAt: new Date(Date.now() - 49 * 3_600_000).toISOString() });
            };
            tx.oncomplete = () => {
              req.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
    await late.page.reload();
    await until(async () => (await storeText(late.page, 'corridor-vault', 'vaults')) === '[]');
    assert.equal(await storeText(late.page, 'corridor-vault', 'vaults'), '[]', 'the vault is wiped');
    assert.equal(await storeText(late.page, 'corridor', 'outbox'), '[]', 'and the registration sealed to it');
    await late.ctx.close();

    // The role taken away while the phone was offline: at the next contact the phone wipes, nothing is sent.
    const demoted = await queuedOffline('registrar-demoted', 'Dawud');
    const id = (await s.db.kysely.selectFrom('users').select('id').where('username', '=', 'registrar-demoted').executeTakeFirstOrThrow())
      .id;
    await s.db.kysely.deleteFrom('role_grants').where('user_id', '=', id).execute();
    await net.up();
    await until(async () => (await storeText(demoted.page, 'corridor-vault', 'vaults')) === '[]', 240);
    assert.equal(await storeText(demoted.page, 'corridor-vault', 'vaults'), '[]', 'the vault is wiped');
    await until(async () => (await storeText(demoted.page, 'corridor', 'outbox')) === '[]');
    assert.equal(await storeText(demoted.page, 'corridor', 'outbox'), '[]');
    assert.equal(await personCount(), before, 'neither registration reached the server');
    await demoted.ctx.close();
  });
});
