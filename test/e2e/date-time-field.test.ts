/**
 * Issue 20's dates, in a real Chromium: a coordinator working in Arabic types dates and times key by
 * key in Arabic-Indic and Persian digits into the situation report's "as of", an outside source's
 * time and a movement window; each is read as the wall clock of the operation's zone (Damascus,
 * +2 in December 2016), whatever zone the browser is in (here Europe/London), and the saved
 * instants are right. A date that is not one says so at its field, in Arabic.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { ar } from '../../src/web/i18n/ar.js';
import { chromiumMissing, launch, loggedIn, shoot } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';

const skip = chromiumMissing();
const INDIC = /[٠-٩]/;
const WESTERN = /[0-9]/;

describe('dates and times typed in any digits on the coordinators’ desks', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;
  let coordinator: string;
  const op = () => `${s.url}/op/${s.operationId}`;
  const opApi = () => `/api/operations/${s.operationId}`;

  async function arabic(): Promise<Page> {
    // A device set to another zone than the operation's: the field must not read the device's.
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'ar-SY', timezoneId: 'Europe/London' });
    await ctx.addInitScript(() => {
      try {
        localStorage.setItem('corridor.lang', 'ar');
      } catch {
        /* a frame without storage */
      }
    });
    ctx.on('page', (p) =>
      p.on('pageerror', (err) => {
        throw err;
      }),
    );
    return loggedIn(ctx, s.url, coordinator);
  }
  async function settle(page: Page, path: string) {
    await page.goto(`${op()}/${path}`);
    await page.locator('main h1').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('.loading'), undefined, { timeout: 15_000 });
  }
  /** The text input inside a field's wrapper, its messages beside it. */
  const field = (page: Page, testId: string) => {
    const input = page.getByTestId(testId);
    const box = page.locator('.field', { has: input });
    return { input, error: box.locator('.field-error'), ok: box.locator('.field-ok'), hint: box.locator('.hint') };
  };

  before(async () => {
    [s, browser] = await Promise.all([startServer(), launch()]);
    await s.userWithRoles('coordinator', ['coordinator']);
    coordinator = await s.sessionCookie('coordinator');
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  test('the report’s "as of" and a source’s time typed in Arabic-Indic and Persian digits are the operation’s wall clock', async () => {
    const page = await arabic();
    await settle(page, 'sitrep');
    const asOf = field(page, 'sitrep-as-of');
    const placeholder = (await asOf.input.getAttribute('placeholder')) ?? '';
    assert.match(placeholder, /^[٠-٩]{4}-[٠-٩]{2}-[٠-٩]{2} [٠-٩]{2}:[٠-٩]{2}$/, `now, in the user’s digits: ${placeholder}`);
    assert.equal(
      await asOf.input.evaluate((el) => (el as HTMLInputElement).type),
      'text',
      'not the browser’s picker, which takes no Arabic-Indic digit',
    );
    assert.match(await asOf.hint.innerText(), /السنة-الشهر-اليوم/);

    // A slip: month 13. Said at the field, in Arabic, as soon as the text is complete.
    await asOf.input.pressSequentially('٢٠١٦-١٣-١٥ ٠٨:٣٠');
    await asOf.error.waitFor();
    assert.match(await asOf.error.innerText(), /^أدخل التاريخ والوقت بالترتيب/);
    await page.getByRole('button', { name: ar.sitrep.produce }).click();
    assert.equal(await page.getByTestId('sitrep-made').count(), 0, 'nothing produced from a date that is not one');

    // Typed key by key, Western and Persian digits among them: shown in the user's (Arabic-Indic).
    await asOf.input.fill('');
    await asOf.input.pressSequentially('٢٠١٦-١٢-15 ۰۸:٣٠');
    assert.equal(await asOf.input.inputValue(), '٢٠١٦-١٢-١٥ ٠٨:٣٠');
    await asOf.ok.waitFor();
    const readBack = await asOf.ok.innerText();
    assert.match(readBack, /١٥/, readBack);
    assert.doesNotMatch(readBack, WESTERN, readBack);
    assert.equal(await asOf.error.count(), 0);
    await page.getByLabel(ar.sitrep.format).selectOption('html');
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/sitrep') && r.request().method() === 'POST'),
      page.getByRole('button', { name: ar.sitrep.produce }).click(),
    ]);
    assert.equal(answer.status(), 200);
    assert.equal(JSON.parse(answer.request().postData() ?? '{}').asOf, '2016-12-15T06:30:00.000Z', '08:30 in Damascus, +2 in winter 2016');
    assert.equal((await answer.json()).asOf, '2016-12-15T06:30:00.000Z');
    const made = await page.getByTestId('sitrep-made').innerText();
    assert.match(made, /١٥/, made);
    assert.match(made, /٨:٣٠|٠٨:٣٠/, `the report's time read back on Damascus's clock: ${made}`);

    // An outside source's time, all in Persian digits; the figure in Arabic-Indic ones.
    await page.getByLabel(ar.sitrep.source, { exact: true }).fill('اللجنة الدولية');
    const at = field(page, 'source-at');
    await at.input.pressSequentially('۲۰۱۶-۱۲-۱۴ ۱۸:۰۰');
    assert.equal(await at.input.inputValue(), '٢٠١٦-١٢-١٤ ١٨:٠٠');
    await page.getByLabel(ar.sitrep.figure, { exact: true }).pressSequentially('٤٠٠٠');
    await page.getByRole('button', { name: ar.sitrep.record }).click();
    await page.getByText('اللجنة الدولية').waitFor();
    const sources = (await s.api('GET', `${opApi()}/sources`)).body as { at: string; figure: number }[];
    assert.deepEqual(
      sources.map((x) => [x.at, x.figure]),
      [['2016-12-14T16:00:00.000Z', 4000]],
    );
    const listed = await page.locator('li', { hasText: 'اللجنة الدولية' }).innerText();
    assert.match(listed, /١٤/, listed);
    assert.doesNotMatch(listed.replace(/اللجنة الدولية/, ''), WESTERN, listed);
    assert.equal(await at.input.inputValue(), '٢٠١٦-١٢-١٤ ١٨:٠٠', 'the time stays for the next source');

    // Left empty, a required time and the figure say so when the form is sent.
    await at.input.fill('');
    await page.getByLabel(ar.sitrep.source, { exact: true }).fill('مصدر ثانٍ');
    await page.getByRole('button', { name: ar.sitrep.record }).click();
    await at.error.waitFor();
    assert.equal(await at.error.innerText(), ar.dateTimeField.required);
    const figure = page.locator('.field', { has: page.getByLabel(ar.sitrep.figure, { exact: true }) }).locator('.field-error');
    // (The shared wholeNumber's own sentence hides that the figure is missing: "give a number".)
    assert.ok(
      [ar.fieldMessages.required, ar.fieldMessages.not_a_number].includes(await figure.innerText()),
      'an empty figure is asked for, not recorded as 0',
    );
    assert.equal((await s.api('GET', `${opApi()}/sources`)).body.length, 1);
    await shoot(page, 'sitrep-dates-ar');
    await page.context().close();
  });

  test('a movement window typed in Arabic-Indic digits is saved as Damascus time, and one ending before it starts is refused', async () => {
    const page = await arabic();
    await settle(page, 'admin/routes');
    const start = field(page, 'window-start');
    const end = field(page, 'window-end');
    assert.match((await start.input.getAttribute('placeholder')) ?? '', INDIC);
    await start.input.pressSequentially('٢٠١٦-١٢-١٥ ٠٦:٠٠');
    await end.input.pressSequentially('٢٠١٦-١٢-١٥ 18:00');
    assert.equal(await end.input.inputValue(), '٢٠١٦-١٢-١٥ ١٨:٠٠');
    // A note in each language: the Arabic one typed right to left.
    await page.getByLabel(ar.admin.windowNote, { exact: true }).fill('Ceasefire');
    const noteAr = page.getByLabel(ar.admin.windowNoteAr, { exact: true });
    assert.equal(await noteAr.getAttribute('dir'), 'rtl');
    await noteAr.fill('وقف إطلاق النار');
    await page.getByRole('button', { name: ar.admin.saveWindow }).click();
    const row = page.getByTestId('windows-table').locator('tbody tr');
    await row.first().waitFor();
    const windows = (await s.api('GET', `${opApi()}/movement-windows`)).body as {
      start: string;
      end: string;
      note: string;
      noteAr: string;
    }[];
    assert.deepEqual(
      windows.map((w) => [w.start, w.end, w.note, w.noteAr]),
      [['2016-12-15T04:00:00.000Z', '2016-12-15T16:00:00.000Z', 'Ceasefire', 'وقف إطلاق النار']],
    );
    assert.equal(await row.first().getByTestId('window-note').innerText(), 'وقف إطلاق النار', 'the Arabic note in Arabic');
    const shown = await row.first().innerText();
    assert.match(shown, /٦:٠٠|٠٦:٠٠/, `shown back on Damascus's clock, in Arabic-Indic digits: ${shown}`);
    assert.doesNotMatch(shown, WESTERN, shown);
    assert.equal(await start.input.inputValue(), '', 'the form is cleared for the next window');

    // Ends before it starts: the shared schema's answer, at the end field, in Arabic.
    await start.input.pressSequentially('٢٠١٦-١٢-١٦ ١٨:٠٠');
    await end.input.pressSequentially('٢٠١٦-١٢-١٦ ٠٦:٠٠');
    await page.getByRole('button', { name: ar.admin.saveWindow }).click();
    await end.error.waitFor();
    assert.equal(await end.error.innerText(), ar.fieldMessages.ends_before_start);
    assert.equal((await s.api('GET', `${opApi()}/movement-windows`)).body.length, 1, 'not saved');

    // A time the clocks skipped (Damascus went from +2 to +3 at midnight on 25 March 2016).
    await start.input.fill('');
    await start.input.pressSequentially('٢٠١٦-٠٣-٢٥ ٠٠:٣٠');
    await start.error.waitFor();
    assert.match(await start.error.innerText(), /قُدِّمت الساعة/);
    await shoot(page, 'routes-window-dates-ar');

    // A window with an English note only shows it in Arabic too; in English each window shows its English note.
    await s.api('POST', `${opApi()}/movement-windows`, {
      start: '2016-12-17T04:00:00Z',
      end: '2016-12-17T16:00:00Z',
      note: 'Second window',
    });
    await settle(page, 'admin/routes');
    const notes = page.getByTestId('windows-table').getByTestId('window-note');
    await notes.nth(1).waitFor();
    assert.deepEqual(await notes.allInnerTexts(), ['وقف إطلاق النار', 'Second window']);
    await page.getByTestId('language-switch').click();
    await page.getByRole('heading', { name: 'Movement windows', exact: true }).waitFor();
    assert.deepEqual(await notes.allInnerTexts(), ['Ceasefire', 'Second window']);
    await page.context().close();
  });
});
