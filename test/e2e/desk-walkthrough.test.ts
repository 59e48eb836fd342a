/**
 * Findings of the walkthrough of every desk (issue 20), in a real Chromium: reception checks in
 * someone who arrived at a full site with the supervisor's reason, asked for before anything is
 * sent when the desk knows the site is full (the server's refusal stays the guard for a site that
 * filled meanwhile), and offers the shelters with room; a site's capacity is changed in Admin → Sites; the convoy board puts planning first, folds
 * the finished convoys away, and brings an opened convoy into view with the focus on it; the
 * registration desk asks for consent with nothing ticked, and a finished household shows its
 * summary and prints (and prints again) its wristbands; a duplicate hint explains itself in words,
 * not scores; the checkpoint desk stays current on a 360 px phone (the heading and vehicles after
 * an entry, the vehicles logged there from the server for the next shift, a convoy that arrived).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { ulid } from 'ulid';
import { encodeTag, formatTag } from '../../src/domain/tags.js';
import { chromiumMissing, launch, loggedIn, shoot } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';

const skip = chromiumMissing();

describe('desk walkthrough findings in Chromium', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;
  let opApi: string;
  let everyone: string;
  const op = () => `${s.url}/op/${s.operationId}`;

  async function as(cookie: string, viewport = { width: 1366, height: 800 }): Promise<Page> {
    const ctx = await browser.newContext({ viewport, locale: 'en-GB' });
    ctx.on('page', (p) =>
      p.on('pageerror', (err) => {
        throw err;
      }),
    );
    return loggedIn(ctx, s.url, cookie);
  }
  async function call(method: string, path: string, body: unknown, status = 201) {
    const r = await s.api(method, `${opApi}${path}`, body, everyone);
    assert.equal(r.status, status, `${path}: ${JSON.stringify(r.body)}`);
    return r.body;
  }
  /** The statuses of the check-ins the page sends from now on, in order. */
  const checkInLog = (page: Page) => {
    const statuses: number[] = [];
    page.on('response', (r) => {
      if (r.request().method() === 'POST' && new URL(r.url()).pathname === `${opApi}/check-ins`) statuses.push(r.status());
    });
    return statuses;
  };
  /** Whether the element's box lies within the window (what the user sees without scrolling). */
  const inView = (page: Page, testId: string) =>
    page.getByTestId(testId).evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= -1 && r.top < window.innerHeight ? true : `top ${r.top}, scrollY ${window.scrollY}`;
    });

  before(async () => {
    [s, browser] = await Promise.all([startServer(), launch()]);
    opApi = `/api/operations/${s.operationId}`;
    await s.userWithRoles('everyone', ['coordinator', 'convoy_officer', 'reception_officer', 'registrar']);
    await s.userWithRoles('monitor', ['checkpoint_monitor']);
    await s.userWithRoles('monitor-next', ['checkpoint_monitor']);
    everyone = await s.sessionCookie('everyone');
    await call('POST', '/routes', { id: 'north-road', name: 'North road', siteIds: ['amiriyah', 'ramouseh', 'rashidin'] });
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  test('a full site checks in someone who arrived with the supervisor’s reason, and offers the shelters with room', async () => {
    await call('POST', '/sites', { id: 'camp-small', kind: 'camp', nameEn: 'Small camp', nameAr: 'مخيم صغير', capacity: 1 });
    await call('POST', '/sites', { id: 'camp-roomy', kind: 'camp', nameEn: 'Roomy camp', nameAr: 'مخيم واسع', capacity: 40 });
    const tags = [s.rangeFirstSerial + 20, s.rangeFirstSerial + 21].map((n) => formatTag(encodeTag(n)));
    const hh = await call('POST', '/households', {
      siteId: 'amiriyah',
      members: ['Nadia', 'Salim'].map((given, i) => ({
        names: { lat: { given, family: 'Synthetic' } },
        sex: i ? 'male' : 'female',
        estimatedAge: 40,
        tag: tags[i],
      })),
    });
    await call('POST', '/check-ins', { siteId: 'camp-small', personId: hh.members[0].id });

    const page = await as(everyone);
    await page.goto(`${op()}/reception`);
    await page.getByTestId('reception-site').selectOption('camp-small');
    // The site list shows each site's name and kind whole on a desktop (it was clipped to a grid column).
    const fit = await page.getByTestId('reception-site').evaluate((el) => {
      const select = el as HTMLSelectElement;
      const style = getComputedStyle(select);
      const pen = document.createElement('canvas').getContext('2d')!;
      pen.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const widest = Math.max(...[...select.options].map((o) => pen.measureText(o.text).width));
      return { widest, room: select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) };
    });
    assert.ok(fit.room >= fit.widest, `the site list is wide enough: ${JSON.stringify(fit)}`);
    const full = page.getByTestId('site-full');
    await full.getByRole('heading', { name: 'Small camp is full: 1 of 1 place taken' }).waitFor();
    await page.getByTestId('overflow-shelters').getByText('Roomy camp: 40 places free').waitFor();
    assert.deepEqual((await page.getByTestId('overflow-shelters').innerText()).split('\n'), [
      'al-Rashidin reception: 5,000 places free',
      'Roomy camp: 40 places free',
    ]);

    const checkIns = checkInLog(page);
    await page.getByTestId('tag-input').fill(tags[1]!);
    await page.getByTestId('reception-find').click();
    // The reason field is there with the person found, before anything is sent.
    await page.getByLabel('Supervisor’s reason for checking in over capacity').waitFor();
    await page.getByTestId('check-in-one').click();
    await page.getByText('This site is full: write the supervisor’s reason to check the person in here all the same.').waitFor();
    assert.equal(await page.getByTestId('checked-in').count(), 0, 'nothing checked in without the reason');
    assert.deepEqual(checkIns, [], 'the desk knew the site was full: it asked for the reason without sending');
    const reason = page.getByLabel('Supervisor’s reason for checking in over capacity');
    assert.equal(await reason.evaluate((el) => el === document.activeElement), true, 'the reason field has the focus');
    await reason.fill('Synthetic: supervisor agreed, one night');
    await page.getByTestId('check-in-one').click();
    await page
      .getByTestId('checked-in')
      .getByText(/Salim.*checked in/)
      .waitFor();
    await page.getByTestId('checked-in-over-capacity').getByText('over capacity').waitFor();
    assert.deepEqual(checkIns, [201], 'one check-in sent, with the reason, and no 409 on the way');
    await shoot(page, 'reception-over-capacity-en');

    await page.getByTestId('overflow-camp-roomy').click();
    assert.equal(await page.getByTestId('reception-site').inputValue(), 'camp-roomy');
    await page.getByTestId('site-full').waitFor({ state: 'detached' });
    await page.context().close();
  });

  test('a site that filled after the desk read its count still asks for the reason: the server’s refusal, then the check-in with it', async () => {
    await call('POST', '/sites', { id: 'camp-last', kind: 'camp', nameEn: 'Last-place camp', nameAr: 'مخيم المكان الأخير', capacity: 1 });
    const tags = [s.rangeFirstSerial + 40, s.rangeFirstSerial + 41].map((n) => formatTag(encodeTag(n)));
    const hh = await call('POST', '/households', {
      siteId: 'amiriyah',
      members: ['Rana', 'Fadi'].map((given, i) => ({
        names: { lat: { given, family: 'Lastplace' } },
        sex: i ? 'male' : 'female',
        estimatedAge: 30,
        tag: tags[i],
      })),
    });
    const page = await as(everyone);
    await page.goto(`${op()}/reception`);
    await page.getByTestId('reception-site').selectOption('camp-last');
    await page.getByTestId('site-occupancy').getByText('0 of 1 place taken').waitFor();
    assert.equal(await page.getByTestId('site-full').count(), 0, 'room for one, as the desk read it');
    // Another desk takes the last place meanwhile.
    await call('POST', '/check-ins', { siteId: 'camp-last', personId: hh.members[0].id });
    const checkIns = checkInLog(page);
    await page.getByTestId('tag-input').fill(tags[1]!);
    await page.getByTestId('reception-find').click();
    await page.getByTestId('check-in-one').click();
    await page.getByText('This site is full: write the supervisor’s reason to check the person in here all the same.').waitFor();
    assert.deepEqual(checkIns, [409], 'the server is the guard');
    await page.getByLabel('Supervisor’s reason for checking in over capacity').fill('Synthetic: the supervisor agreed');
    await page.getByTestId('check-in-one').click();
    await page.getByTestId('checked-in-over-capacity').waitFor();
    assert.deepEqual(checkIns, [409, 201]);
    await page.context().close();
  });

  test('a coordinator changes a site’s capacity in Admin → Sites; the id stays', async () => {
    const page = await as(everyone);
    await page.goto(`${op()}/admin/sites`);
    await page.getByTestId('edit-site-rashidin').click();
    const form = page.getByTestId('site-form');
    await form.getByRole('heading', { name: 'Change site rashidin' }).waitFor();
    assert.equal(await form.getByLabel('Site id (short, lowercase)').getAttribute('readonly'), '');
    await form.getByLabel('Capacity').fill('7500');
    await form.getByTestId('site-save').click();
    await page.getByText('Site rashidin saved.').waitFor();
    await page
      .getByTestId('sites-table')
      .getByRole('row', { name: /rashidin/ })
      .getByText('7,500')
      .waitFor();
    const sites = await s.api('GET', `${opApi}/sites`);
    assert.equal(sites.body.find((x: { id: string }) => x.id === 'rashidin').capacity, 7500);
    await page.context().close();
  });

  test('the convoy board plans first, folds finished convoys away and brings an opened convoy into view with the focus', async () => {
    for (let i = 1; i <= 12; i++) {
      const c = await call('POST', '/convoys', { routeId: 'north-road', name: `Old convoy ${i}` });
      await call('POST', `/convoys/${c.id}/transitions`, { event: 'cancel' }, 200);
    }
    const live = await call('POST', '/convoys', { routeId: 'north-road', name: 'Convoy today' });
    await call('POST', `/convoys/${live.id}/vehicles`, { id: 'BUS-40', kind: 'bus', mode: 'named' });
    const page = await as(everyone);
    await page.goto(`${op()}/convoys`);
    const form = await page.getByTestId('new-convoy').boundingBox();
    const board = await page.getByTestId('convoy-board').boundingBox();
    assert.ok(form && board && form.y < board.y, 'planning a convoy comes before the board');
    const finished = page.getByTestId('finished-convoys');
    await finished.getByText('Show the finished convoys (12)').waitFor();
    assert.equal(await page.getByText('Old convoy 3').isVisible(), false, 'finished convoys are folded away');

    await page.getByTestId(`convoy-${live.id}`).click();
    await page.getByTestId('convoy-detail').getByText('Convoy today').waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'convoy-title');
    assert.equal(await inView(page, 'convoy-detail'), true, 'the opened convoy is where the user looks');
    // A vehicle id already used is said once, at its field (not again in a notice).
    const add = page.getByTestId('add-vehicle');
    await add.getByLabel(/^Vehicle id/).fill('BUS-40');
    await add.getByRole('button', { name: 'Add vehicle' }).click();
    await add.getByText('This vehicle id is already used: choose another.').waitFor();
    assert.equal(await page.getByText(/already (used|exists)/).count(), 1, 'the refusal is said once');
    assert.equal(await add.locator('.notice-error').count(), 0);

    await page.getByTestId(`convoy-${live.id}`).scrollIntoViewIfNeeded();
    await finished.locator('summary').click();
    await page.getByText('Old convoy 12').click();
    await page
      .getByTestId('convoy-detail')
      .getByRole('heading', { name: /Old convoy 12/ })
      .waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'convoy-title');
    assert.equal(await inView(page, 'convoy-detail'), true);
    assert.ok(await finished.evaluate((d) => (d as HTMLDetailsElement).open), 'the open convoy’s group stays unfolded');
    await shoot(page, 'convoy-board-en');
    await page.context().close();
  });

  test('consent is an explicit choice, and a finished household shows its summary and prints its wristbands again', async () => {
    const page = await as(everyone);
    await page.goto(`${op()}/registration`);
    await page.getByTestId('start-household').click();
    const form = page.getByTestId('member-form');
    assert.deepEqual(
      await form.locator('input[name^="consent"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).checked)),
      [false, false, false, false],
      'no consent answer is given in advance',
    );
    const tags = [s.rangeFirstSerial + 30, s.rangeFirstSerial + 31].map((n) => formatTag(encodeTag(n)));
    const member = async (given: string, sex: string, age: string, tag: string) => {
      await form.locator('input[name="lat.given"]').fill(given);
      await form.locator('input[name="lat.family"]').fill('Synthetic');
      await form.locator('select[name="sex"]').selectOption(sex);
      await form.locator('input[name="age"]').fill(age);
      await form.getByTestId('tag-input').fill(tag);
    };
    await member('Rania', 'female', '35', tags[0]!);
    await page.getByTestId('save-member').click();
    await form.getByText('Choose yes or no: ask the person.').first().waitFor();
    assert.equal(await form.getByText('Choose yes or no: ask the person.').count(), 2);
    assert.equal(await page.getByTestId('saved-members').count(), 0, 'nothing saved without an answer');
    await form.locator('input[name="consentTracing"][value="yes"]').check();
    await page.getByTestId('save-member').click();
    assert.equal(await form.getByText('Choose yes or no: ask the person.').count(), 1, 'the unanswered one still asked');
    await form.locator('input[name="consentDisclosure"][value="no"]').check();
    await page.getByTestId('save-member').click();
    await page.getByTestId('saved-members').locator('tbody tr').first().waitFor();
    // The household is named after its head while its members are typed, never by its id.
    assert.equal(await page.getByTestId('household-name').innerText(), 'Household of \u2068Rania Synthetic\u2069 · 1 person');
    await member('Yusuf', 'male', '8', tags[1]!);
    await form.locator('input[name="consentTracing"][value="yes"]').check();
    await form.locator('input[name="consentDisclosure"][value="yes"]').check();
    await page.getByTestId('save-member').click();
    await page.getByTestId('saved-members').locator('tbody tr').nth(1).waitFor();

    await page.getByTestId('finish-household').click();
    const summary = page.getByTestId('household-summary');
    await summary.getByRole('heading', { name: 'Household registered. Members: 2' }).waitFor();
    const rows = await summary.getByTestId('saved-members').locator('tbody tr').allInnerTexts();
    assert.match(rows[0]!, new RegExp(`Rania.*${tags[0]}`, 's'));
    assert.match(rows[1]!, new RegExp(`Yusuf.*${tags[1]}`, 's'));
    const person = (await s.api('GET', `${opApi}/persons?tag=${encodeURIComponent(tags[0]!)}`, undefined, everyone)).body[0];
    assert.deepEqual(person.consent, { tracing: true, disclosure: false });
    // What a registrar recognises: the head's name and the count; no internal id (a ULID) anywhere on the desk.
    assert.equal(await summary.getByTestId('household-name').innerText(), 'Household of \u2068Rania Synthetic\u2069 · 2 people');
    const shown = await page.locator('main').innerText();
    assert.doesNotMatch(shown, /[0-9A-HJKMNP-TV-Z]{26}/, 'no ULID-shaped text');
    assert.ok(!shown.includes(person.householdId));

    for (const label of ['Print the wristbands (2)', 'Print the wristbands again (2)']) {
      if (label.includes('again')) {
        // Printing again asks why first: the server records every print, a reprint with its reason.
        await summary.getByRole('button', { name: label }).click();
        await summary.getByText('Say why the wristbands are printed again').waitFor();
        await summary.getByLabel('Why are the wristbands printed again?').fill('a band torn while boarding');
      }
      const [download] = await Promise.all([page.waitForEvent('download'), summary.getByRole('button', { name: label }).click()]);
      assert.equal(download.suggestedFilename(), `wristbands-aleppo-e2e-household-${person.householdId.slice(-6).toLowerCase()}.pdf`);
      const pdf = await PDFDocument.load(readFileSync((await download.path())!));
      assert.equal(pdf.getPageCount(), 1);
      assert.equal(pdf.getTitle(), 'Wristbands of the household of Rania Synthetic');
    }
    const prints = await s.db.kysely
      .selectFrom('audit_log')
      .select('subject_id')
      .where('action', '=', 'wristband.print')
      .where('subject_id', '=', person.householdId)
      .execute();
    assert.equal(prints.length, 2, 'both prints are in the audit log');
    await shoot(page, 'registration-household-summary-en');
    await page.getByTestId('next-household').click();
    await page.getByTestId('household-form').waitFor();
    await page.context().close();
  });

  test('a duplicate hint explains itself in words, without scores', async () => {
    await call('POST', '/households', {
      siteId: 'amiriyah',
      members: [
        { names: { ar: { given: 'خالد', family: 'حداد' }, lat: { given: 'Khaled', family: 'Haddad' } }, sex: 'male', estimatedAge: 40 },
      ],
    });
    const page = await as(everyone);
    await page.goto(`${op()}/registration`);
    await page.getByTestId('start-household').click();
    const form = page.getByTestId('member-form');
    await form.locator('input[name="ar.given"]').fill('خالد');
    await form.locator('input[name="ar.family"]').fill('حداد');
    await form.locator('input[name="lat.given"]').fill('Khalid');
    await form.locator('input[name="lat.family"]').fill('Hadad');
    await form.locator('select[name="sex"]').selectOption('male');
    await form.locator('input[name="age"]').fill('40');
    const explanation = page.getByTestId('duplicate-candidate').filter({ hasText: 'Khaled Haddad' }).getByTestId('match-explanation');
    await explanation
      .getByText(/points strongly to the same person/)
      .first()
      .waitFor();
    const text = await explanation.innerText();
    assert.doesNotMatch(text, /[+−-]\d/, 'no signed scores');
    await page.context().close();
  });

  test('the checkpoint desk stays current on a 360 px phone: after an entry, for the next shift, and when a convoy arrives', async () => {
    await call('POST', '/movement-windows', {
      start: new Date(Date.now() - 3_600_000).toISOString(),
      end: new Date(Date.now() + 6 * 3_600_000).toISOString(),
      note: 'ceasefire',
    });
    const cv = await call('POST', '/convoys', { routeId: 'north-road', name: 'Convoy 51' });
    for (const id of ['BUS-51', 'BUS-52']) await call('POST', `/convoys/${cv.id}/vehicles`, { id, kind: 'bus', mode: 'head_count' });
    await call('POST', `/convoys/${cv.id}/transitions`, { event: 'board' }, 200);
    await call('POST', `/convoys/${cv.id}/transitions`, { event: 'depart' }, 200);

    const phone = async (username: string) => {
      const ctx = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'en-GB', serviceWorkers: 'block' });
      const page = await loggedIn(ctx, s.url, await s.sessionCookie(username));
      await page.goto(`${op()}/checkpoint`);
      await page.getByTestId('checkpoint-site').selectOption('ramouseh');
      return page;
    };
    const noOverflow = async (page: Page, where: string) =>
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, `no horizontal overflow at 360 px (${where})`);
    const page = await phone('monitor');
    await noOverflow(page, 'convoy list');
    await page.getByTestId(`cp-convoy-${cv.id}`).click();
    await page.getByTestId('cp-vehicle-BUS-51').click();
    await noOverflow(page, 'count form');
    await page.getByTestId('cp-count').fill('40');
    await page.getByTestId('cp-passed').click();
    await page.getByTestId('cp-log').locator('[data-status="sent"]').waitFor();
    // The heading keeps the convoy's name and the vehicles come back, marked.
    await page.getByRole('heading', { name: /Convoy 51/ }).waitFor();
    await page.getByTestId('cp-vehicle-BUS-51').getByText('✓').waitFor();
    await page.getByTestId('cp-state').getByText('Moving').waitFor();
    await noOverflow(page, 'after an entry');
    for (const panel of ['cp-incident', 'cp-halt']) {
      await page.getByTestId(panel).click();
      await noOverflow(page, panel);
      await page.getByRole('button', { name: 'Back', exact: true }).click();
    }

    // The next shift, on another phone, sees what was logged here (from the server).
    const next = await phone('monitor-next');
    await next.getByTestId(`cp-convoy-${cv.id}`).click();
    await next.getByTestId('cp-vehicle-BUS-51').getByText('✓').waitFor();
    assert.equal(await next.getByTestId('cp-vehicle-BUS-52').getByText('✓').count(), 0);

    // The convoy arrives: the desk follows when it reads again (the network coming back reads at once).
    await call(
      'POST',
      '/facts',
      {
        facts: [
          {
            id: ulid(),
            operationId: s.operationId,
            convoyId: cv.id,
            kind: 'arrived',
            siteId: 'rashidin',
            deviceTime: new Date().toISOString(),
            payload: {},
          },
        ],
      },
      200,
    );
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.getByTestId('cp-state').getByText('Arrived').waitFor();
    await page.getByRole('heading', { name: /Convoy 51/ }).waitFor();
    await shoot(page, 'checkpoint-360-en');
    await page.getByTestId('language-switch').click();
    await page.getByTestId('cp-state').getByText('وصلت').waitFor();
    await noOverflow(page, 'in Arabic');
    await page.getByRole('button', { name: 'قافلة أخرى' }).click();
    await noOverflow(page, 'convoy list in Arabic');
    await page.context().close();
    await next.context().close();
  });

  test('the checkpoint desk opens at the checkpoint remembered on the phone, else the only one in use, else asks', async () => {
    await call('POST', '/sites', { id: 'khan-tuman', kind: 'checkpoint', nameEn: 'Khan Tuman checkpoint', nameAr: 'حاجز خان طومان' });
    await call('POST', '/routes', { id: 'west-road', name: 'West road', siteIds: ['amiriyah', 'khan-tuman', 'rashidin'] });
    const onTheRoad = async (routeId: string, name: string, vehicle: string) => {
      const cv = await call('POST', '/convoys', { routeId, name });
      await call('POST', `/convoys/${cv.id}/vehicles`, { id: vehicle, kind: 'bus', mode: 'head_count' });
      await call('POST', `/convoys/${cv.id}/transitions`, { event: 'board' }, 200);
      await call('POST', `/convoys/${cv.id}/transitions`, { event: 'depart' }, 200);
      return cv as { id: string };
    };
    const open = async () => {
      const ctx = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'en-GB', serviceWorkers: 'block' });
      const page = await loggedIn(ctx, s.url, await s.sessionCookie('monitor'));
      await page.goto(`${op()}/checkpoint`);
      await page.getByTestId('checkpoint-site').waitFor();
      return page;
    };
    // Only the west road has a convoy on it: its checkpoint is chosen (and said to be), not the first of the list.
    const west = await onTheRoad('west-road', 'Convoy 61', 'BUS-61');
    let page = await open();
    await page.getByTestId(`cp-convoy-${west.id}`).waitFor();
    assert.equal(await page.getByTestId('checkpoint-site').inputValue(), 'khan-tuman');
    await page.getByText('The only checkpoint on the routes of the convoys on the road', { exact: false }).waitFor();
    await page.context().close();

    // Convoys on both roads: no silent default, the monitor is asked and no convoy is listed until then.
    const north = await onTheRoad('north-road', 'Convoy 62', 'BUS-62');
    page = await open();
    await page.getByTestId('cp-choose-site').waitFor();
    assert.equal(await page.getByTestId('checkpoint-site').inputValue(), '');
    assert.equal(await page.locator('[data-testid^="cp-convoy-"]').count(), 0);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360);
    await page.getByTestId('language-switch').click();
    await page.getByTestId('cp-choose-site').getByText('في أي نقطة تفتيش أنت؟', { exact: false }).waitFor();
    await page.getByTestId('language-switch').click();

    // Chosen once, remembered on this phone: the next time it is three taps again.
    await page.getByTestId('checkpoint-site').selectOption('ramouseh');
    await page.getByTestId(`cp-convoy-${north.id}`).waitFor();
    await page.reload();
    await page.getByTestId(`cp-convoy-${north.id}`).click();
    assert.equal(await page.getByTestId('checkpoint-site').inputValue(), 'ramouseh');
    await page.getByTestId('cp-vehicle-BUS-62').click();
    await page.getByTestId('cp-passed').click();
    await page.getByTestId('cp-log').locator('[data-status="sent"]').waitFor();
    await page.context().close();
  });
});
