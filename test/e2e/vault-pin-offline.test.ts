/**
 * The phone vault's PIN, in a real Chromium (docs/decisions/021-phone-vault.md): a registrar sets
 * a PIN while online, registers a household with no network (a tag outside the operation's
 * wristband ranges is refused on the phone, in English and Arabic; the household's wristbands are
 * printed and the print waits in the outbox behind it), reloads with no network, opens the vault
 * with the PIN — the registration queued before the reload is compared again — and when the
 * network returns the household and its print reach the server once each. Another registrar
 * types a wrong PIN until none is left: everything the phone held for the account is wiped.
 *
 * No network is a TCP proxy in front of the server that is closed and opened again (as in
 * checkpoint-offline.test.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { encodeTag, formatTag } from '../../src/domain/tags.js';
import { chromiumMissing, controlled, launch, loggedIn, shoot } from './support/browser.js';
import { networkProxy, type NetworkProxy } from './support/network.js';
import { startServer, type E2eServer } from './support/server.js';
import { storeText, until } from './support/storage.js';

const skip = chromiumMissing();

const PIN = '482915';

describe('the phone vault opened with a PIN after an offline reload', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;
  let net: NetworkProxy;

  before(async () => {
    browser = await launch();
    s = await startServer();
    net = await networkProxy(Number(new URL(s.url).port));
    await s.userWithRoles('registrar-pin', ['registrar']);
    await s.userWithRoles('registrar-guess', ['registrar']);
  });
  after(async () => {
    await net?.down();
    await browser?.close();
    await s?.close();
  });

  const personCount = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from persons where operation_id = ${s.operationId}`.execute(s.db.kysely)).rows[0]!
      .n;
  const prints = async () =>
    (
      await sql<{
        n: number;
      }>`select count(*)::int as n from audit_log where action = 'wristband.print'`.execute(s.db.kysely)
    ).rows[0]!.n;

  /** The desk opened online (vault and copy made), the PIN set. */
  const openWithPin = async (username: string) => {
    await net.up();
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB', acceptDownloads: true });
    ctx.on('page', (p) =>
      p.on('pageerror', (err) => {
        throw err;
      }),
    );
    const page = await loggedIn(ctx, net.url, await s.sessionCookie(username));
    await page.goto(`${net.url}/op/${s.operationId}/registration`);
    await controlled(page);
    await page.getByTestId('start-household').waitFor();
    await until(async () => (await storeText(page, 'corridor-vault', 'vaults')) !== '[]');
    await until(async () => (await storeText(page, 'corridor-desk-copy', 'copies')).includes('tagRanges'));
    const pin = page.getByTestId('vault-pin');
    await pin.getByText('PIN of this phone: not set').click();
    await pin.getByTestId('vault-pin-new').fill('1234');
    await pin.getByTestId('vault-pin-set').click();
    await pin.getByText('At least 6 digits.').waitFor();
    await pin.getByTestId('vault-pin-new').fill(PIN);
    await pin.getByTestId('vault-pin-again').fill('482916');
    await pin.getByTestId('vault-pin-set').click();
    await pin.getByText('The two PINs are not the same.').waitFor();
    await pin.getByTestId('vault-pin-again').fill(PIN);
    await pin.getByTestId('vault-pin-set').click();
    await pin.getByTestId('vault-pin-saved').waitFor({ timeout: 30_000 });
    const vault = await storeText(page, 'corridor-vault', 'vaults');
    assert.ok(vault.includes('"pin"'), 'the private key is wrapped under the PIN too');
    assert.equal(vault.includes(PIN), false, 'the PIN itself is not kept');
    return { ctx, page };
  };

  const member = async (page: Page, given: string, tag: string) => {
    const form = page.getByTestId('member-form');
    await form.locator('input[name="lat.given"]').fill(given);
    await form.locator('input[name="lat.family"]').fill('Pintest');
    await form.locator('select[name="sex"]').selectOption('female');
    await form.locator('input[name="age"]').fill('40');
    await form.getByTestId('tag-input').fill(tag);
    await form.locator('input[name="consentTracing"][value="yes"]').check();
    await form.locator('input[name="consentDisclosure"][value="no"]').check();
  };

  test('set online, the PIN opens what the phone holds after an offline reload; the household and its print are sent once', async () => {
    const { ctx, page } = await openWithPin('registrar-pin');
    const before = await personCount();
    const printsBefore = await prints();
    const inRange = formatTag(encodeTag(s.rangeFirstSerial + 30));
    const outside = formatTag(encodeTag(s.rangeFirstSerial + 5000));

    await net.down();
    await page.getByTestId('start-household').click();
    // A band of no range of this operation: refused on the phone, with the server's rule, no network needed.
    await member(page, 'Yusra', outside);
    await page.getByText('This tag is not in any wristband range of this operation').waitFor();
    await page.getByTestId('save-member').click();
    await page.waitForTimeout(500);
    assert.equal(await page.getByTestId('member-on-phone').count(), 0, 'not saved');
    await page.getByTestId('tag-input').fill(inRange);
    await page.getByTestId('save-member').click();
    await page.getByTestId('member-on-phone').getByText('\u2068Yusra Pintest\u2069: saved on this phone').waitFor();
    await page.getByTestId('finish-household').click();
    // Printed with no network: the sheet is made from the tags the phone holds, the print waits behind the household.
    const download = page.waitForEvent('download');
    await page.getByTestId('print-wristbands').click();
    await download;
    await page.getByTestId('print-on-phone').waitFor();
    await page.getByTestId('print-wristbands').click();
    await page.getByText('Say why the wristbands are printed again').waitFor();
    await page.getByTestId('reprint-reason').fill('The band tore');
    const again = page.waitForEvent('download');
    await page.getByTestId('print-wristbands').click();
    await again;
    await page.getByTestId('outbox-count').getByText('To send: 3').waitFor();
    const outbox = await storeText(page, 'corridor', 'outbox');
    for (const secret of ['Yusra', 'Pintest', 'band tore']) assert.equal(outbox.includes(secret), false, `${secret} sealed`);

    // Reloaded with no network: the vault is locked; the PIN opens it.
    await page.reload();
    await page.getByTestId('outbox-count').getByText('To send: 3').waitFor();
    await page.getByTestId('next-household').or(page.getByTestId('start-household')).first().click();
    if (await page.getByTestId('start-household').count()) await page.getByTestId('start-household').click();
    await member(page, 'Yusra', '');
    await page.getByText('1 registration on this phone cannot be compared until the network returns.').waitFor();
    const unlock = page.getByTestId('vault-unlock');
    await unlock.getByTestId('vault-pin-input').fill('111111');
    await unlock.getByTestId('vault-pin-open').click();
    await unlock.getByText('Wrong PIN: 4 tries left').waitFor({ timeout: 30_000 });
    await unlock.getByTestId('vault-pin-input').fill(PIN);
    await unlock.getByTestId('vault-pin-open').click();
    await page.getByTestId('vault-unlocked').waitFor({ timeout: 30_000 });
    // What the phone held is there again: the registration queued before the reload is compared.
    await page.getByTestId('duplicate-on-phone').getByText('similar names, registered on this phone').waitFor();
    await shoot(page, 'vault-pin-unlocked-en-phone');
    // In Arabic, the range message too.
    await page.getByTestId('tag-input').fill(outside);
    await page.getByTestId('language-switch').click();
    await page.getByText('هذا الرمز ليس في أي نطاق أساور لهذه العملية').waitFor();
    assert.equal(await personCount(), before);

    await net.up();
    await until(async () => (await personCount()) >= before + 1 && (await prints()) >= printsBefore + 2, 240);
    await page.getByTestId('outbox').waitFor({ state: 'detached', timeout: 60_000 });
    assert.equal(await personCount(), before + 1, 'registered once');
    assert.equal(await prints(), printsBefore + 2, 'the print and the reprint recorded once each');
    const reprint = (
      await sql<{
        details: { printNumber: number; reason?: unknown };
      }>`select details from audit_log where action = 'wristband.print' order by seq desc limit 1`.execute(s.db.kysely)
    ).rows[0]!;
    assert.equal(reprint.details.printNumber, 2);
    assert.ok(reprint.details.reason, 'the reprint carries its reason (sealed by the server)');
    await ctx.close();
  });

  test('a wrong PIN five times wipes the vault and what is sealed to it', async () => {
    const { ctx, page } = await openWithPin('registrar-guess');
    await net.down();
    await page.getByTestId('start-household').click();
    await member(page, 'Ghada', formatTag(encodeTag(s.rangeFirstSerial + 31)));
    await page.getByTestId('save-member').click();
    await page.getByTestId('member-on-phone').waitFor();
    await page.reload();
    const unlock = page.getByTestId('vault-unlock');
    for (let left = 4; left >= 1; left--) {
      await unlock.getByTestId('vault-pin-input').fill('000000');
      await unlock.getByTestId('vault-pin-open').click();
      await unlock.getByText(`Wrong PIN: ${left} tries left`).waitFor({ timeout: 30_000 });
    }
    await unlock.getByTestId('vault-pin-input').fill('000000');
    await unlock.getByTestId('vault-pin-open').click();
    await page.getByTestId('vault-wiped').getByText('Too many wrong PINs').waitFor({ timeout: 30_000 });
    assert.equal(await storeText(page, 'corridor-vault', 'vaults'), '[]', 'the vault is wiped');
    assert.equal(await storeText(page, 'corridor', 'outbox'), '[]', 'and the registration sealed to it');
    await ctx.close();
  });
});
