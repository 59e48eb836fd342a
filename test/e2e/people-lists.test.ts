/**
 * The desks that list people, in a real Chromium, in English and Arabic: search results with
 * sex, age, household and where the person stands, a page at a time, opening a record with its
 * timeline (plates, checkpoint, check-in, who recorded each); the operation-wide "what does not
 * add up" page opened from the dashboard's card, with names and plates read with the list (and
 * a viewer's card that opens nothing); the tracing desk with its alerts first, requests searched,
 * filtered and paged, a registered enquirer picked, and a "found" confirmed before disclosure.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { ulid } from 'ulid';
import { chromiumMissing, launch, loggedIn, shoot } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';

const skip = chromiumMissing();

describe('people lists in Chromium', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;
  let opApi: string;
  let everyone: string;
  const household: { id: string; members: string[] } = { id: '', members: [] };
  const op = () => `${s.url}/op/${s.operationId}`;
  const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();

  async function as(username: string): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'en-GB' });
    ctx.on('page', (p) =>
      p.on('pageerror', (err) => {
        throw err;
      }),
    );
    return loggedIn(ctx, s.url, await s.sessionCookie(username));
  }
  async function post(path: string, body: unknown, status = 201) {
    const r = await s.api('POST', `${opApi}${path}`, body, everyone);
    assert.equal(r.status, status, `${path}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  before(async () => {
    [s, browser] = await Promise.all([startServer(), launch()]);
    opApi = `/api/operations/${s.operationId}`;
    await s.userWithRoles('everyone', ['coordinator', 'convoy_officer', 'checkpoint_monitor', 'reception_officer', 'registrar']);
    await s.userWithRoles('tracer', ['tracing_officer']);
    await s.userWithRoles('tracer2', ['tracing_officer']);
    await s.userWithRoles('viewer', ['viewer']);
    everyone = await s.sessionCookie('everyone');
    // A household of two rides the Dawn convoy; the mother is checked in, the son never arrives.
    const hh = await post('/households', {
      siteId: 'amiriyah',
      members: [
        {
          names: { ar: { given: 'هالة', family: 'القدسي' }, lat: { given: 'Hala', family: 'Qudsi' } },
          sex: 'female',
          estimatedAge: 34,
          relationship: 'head',
          consent: { tracing: true, disclosure: true },
        },
        {
          names: { ar: { given: 'عمر', family: 'القدسي' }, lat: { given: 'Omar', family: 'Qudsi' } },
          sex: 'male',
          estimatedAge: 6,
          relationship: 'child',
          consent: { tracing: true, disclosure: true },
        },
      ],
    });
    household.id = hh.id;
    household.members = hh.members.map((m: { id: string }) => m.id);
    for (let i = 0; i < 23; i++)
      await post('/households', {
        siteId: 'amiriyah',
        members: [{ names: { lat: { given: `Given${i}`, family: 'Pagingname' } }, sex: i % 2 ? 'male' : 'female', estimatedAge: 20 + i }],
      });
    await post('/routes', { id: 'north-road', name: 'North road', siteIds: ['amiriyah', 'ramouseh', 'rashidin'] });
    const cv = await post('/convoys', { id: 'dawn', routeId: 'north-road', name: 'Dawn convoy' });
    await post(`/convoys/${cv.id}/vehicles`, { id: 'bus-7', kind: 'bus', capacity: 40, plate: 'ALP-707' });
    await post(`/convoys/${cv.id}/boardings`, { householdId: household.id, vehicleId: 'bus-7', at: ago(120) });
    await post(`/convoys/${cv.id}/transitions`, { event: 'depart', at: ago(110), override: { reason: 'synthetic test' } }, 200);
    await post(
      '/facts',
      {
        facts: [
          {
            id: ulid(),
            operationId: s.operationId,
            kind: 'passed_checkpoint',
            convoyId: cv.id,
            vehicleId: 'bus-7',
            siteId: 'ramouseh',
            deviceTime: ago(90),
            payload: { observedHeadCount: 2 },
          },
        ],
      },
      200,
    );
    await post(`/convoys/${cv.id}/transitions`, { event: 'arrive', at: ago(60) }, 200);
    await post('/check-ins', { siteId: 'rashidin', personId: household.members[0] });
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  test('search results show sex, age, household and where each stands, a page at a time; a record tells its timeline', async () => {
    const page = await as('everyone');
    await page.goto(`${op()}/persons`);
    await page.getByLabel('Name or tag').fill('Qudsi');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const omar = page.getByTestId('person-result').filter({ hasText: 'Omar' });
    await omar.waitFor();
    assert.match(await omar.innerText(), /Male\s+about 6\s+2 in the household\s+Missing in transit/);
    assert.match(await page.getByTestId('person-result').filter({ hasText: 'Hala' }).innerText(), /Female.*Arrived/s);

    await page.getByLabel('Name or tag').fill('Pagingname');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByTestId('person-pager-showing').getByText('Results 1–20').waitFor();
    assert.equal(await page.getByTestId('person-result').count(), 20);
    await page.getByTestId('person-result').first().getByText('Registered, waiting').waitFor();
    await page.getByRole('button', { name: 'Next results' }).click();
    await page.getByTestId('person-pager-showing').getByText('Results 21–23').waitFor();
    assert.equal(await page.getByTestId('person-result').count(), 3);
    assert.equal(await page.getByRole('button', { name: 'Next results' }).isDisabled(), true);

    await page.goto(`${op()}/persons/${household.members[1]}`);
    const timeline = page.getByTestId('person-timeline');
    await timeline
      .getByText(/Passed a checkpoint · at Ramouseh checkpoint · vehicle .ALP-707. · convoy .Dawn convoy. · 2 counted · by .everyone./)
      .waitFor();
    await timeline.getByText(/^this person boarded/).waitFor();
    await timeline.getByText(/Hala Qudsi. checked in · at al-Rashidin reception/).waitFor();
    const kinds = await timeline.getByTestId('timeline-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    // In device-time order (the boardings here are dated before the registration the test made now).
    assert.ok(kinds.indexOf('boarded') < kinds.indexOf('departed'), kinds.join());
    assert.ok(kinds.indexOf('passed_checkpoint') < kinds.indexOf('arrived'), kinds.join());
    assert.ok(kinds.indexOf('arrived') < kinds.indexOf('checked_in'), kinds.join());
    await shoot(page, 'person-timeline-en');
    await page.getByTestId('language-switch').click();
    await timeline.getByText(/عبرت نقطة تفتيش · في حاجز الراموسة · المركبة .ALP-707./).waitFor();
    await timeline.getByRole('heading', { name: 'سجل أحداث الشخص وأسرته' }).waitFor();
    await shoot(page, 'person-timeline-ar');
    await page.context().close();
  });

  test('the dashboard’s missing card opens the operation-wide list, names and plates read with it; a viewer’s card opens nothing', async () => {
    const page = await as('everyone');
    const names: string[] = [];
    page.on('request', (r) => names.push(new URL(r.url()).pathname));
    await page.goto(`${op()}/dashboard`);
    await page.getByTestId('kpi-missing').click();
    await page.waitForURL(/\/reconciliation\?kind=missing_in_transit$/);
    const rec = page.getByTestId('reconciliation');
    const missing = rec.locator('[data-kind="missing_in_transit"]');
    await missing.getByText('Omar Qudsi').waitFor();
    assert.match(await missing.innerText(), /On Bus \u2068ALP-707\u2069 of \u2068Dawn convoy\u2069:/);
    assert.doesNotMatch(await rec.innerText(), /Person record|bus-7/, 'no placeholder, no raw vehicle id');
    assert.ok(!names.some((p) => /\/persons\/[^/]+$/.test(p)), 'no record read one by one');
    assert.equal(await page.getByTestId('reconciliation-kind').inputValue(), 'missing_in_transit');
    await shoot(page, 'reconciliation-operation-en');
    await page.getByTestId('language-switch').click();
    await missing.getByText('عمر القدسي').waitFor();
    await shoot(page, 'reconciliation-operation-ar');
    await page.context().close();

    const viewer = await as('viewer');
    await viewer.goto(`${op()}/dashboard`);
    await viewer.getByTestId('kpi-missing').waitFor();
    assert.equal(await viewer.getByTestId('kpi-missing').evaluate((e) => e.tagName), 'DIV', 'a viewer sees the number only');
    assert.equal(await viewer.getByRole('link', { name: /What does not add up/ }).count(), 0);
    await viewer.goto(`${op()}/reconciliation`);
    assert.equal(await viewer.getByTestId('reconciliation').count(), 0);
    await viewer.context().close();
  });

  test('the tracing desk: alerts first, requests searched and paged, a registered enquirer, and a found confirmed before disclosure', async () => {
    for (let i = 0; i < 27; i++)
      await s.api(
        'POST',
        `${opApi}/tracing`,
        { enquirer: { name: `Asker ${i}` }, relation: 'sibling', sought: { names: { lat: { given: `Sought${i}`, family: 'Tracename' } } } },
        await s.sessionCookie('tracer'),
      );
    const page = await as('tracer');
    await page.goto(`${op()}/tracing`);
    const alertsBox = await page.getByTestId('alerts').boundingBox();
    const listBox = await page.getByTestId('tracing-requests').boundingBox();
    const formBox = await page.getByTestId('new-tracing').boundingBox();
    assert.ok(alertsBox && listBox && formBox && alertsBox.y < listBox.y && listBox.y < formBox.y, 'alerts, then requests, then the form');
    await page.getByTestId('tracing-pager-showing').getByText('1–25 of 27').waitFor();
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.getByTestId('tracing-pager-showing').getByText('26–27 of 27').waitFor();
    await page.getByLabel('Search the names, places and notes').fill('sought13');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByTestId('tracing-pager-showing').getByText('1–1 of 1').waitFor();
    assert.equal(await page.getByTestId('tracing-row').count(), 1);

    // The father asking is registered: picked by name, not typed.
    await s.api(
      'POST',
      `${opApi}/households`,
      {
        siteId: 'amiriyah',
        members: [{ names: { lat: { given: 'Walid', family: 'Qudsi' } }, sex: 'male', estimatedAge: 40, relationship: 'head' }],
      },
      everyone,
    );
    const form = page.getByTestId('new-tracing');
    await form.getByTestId('enquirer-registered').check();
    await form.getByLabel('Tag or name of the person asking').fill('Walid Qudsi');
    await form.getByTestId('enquirer-search').click();
    await form.getByRole('button', { name: /This is the person asking: .Walid Qudsi./ }).click();
    await form.getByTestId('enquirer-picked').waitFor();
    await form.locator('fieldset[lang="en"]').getByLabel('Given name').fill('Omar');
    await form.locator('fieldset[lang="en"]').getByLabel('Family name').fill('Qudsi');
    // The relation is chosen, never assumed: sent without it, the form asks for it at its field.
    await page.getByTestId('open-tracing').click();
    await form.getByText('Choose one of the options offered.').waitFor();
    await form.getByLabel('Relation to the person sought').selectOption('sibling');
    await page.getByTestId('open-tracing').click();
    const req = page.getByTestId('tracing-request');
    await req.getByText(/Asked by \u2068Walid Qudsi\u2069/).waitFor();
    await req.getByTestId('enquirer-record').waitFor();
    const candidate = req.getByTestId('tracing-candidate').filter({ hasText: 'Omar Qudsi' });
    // Two people of one name tell apart by where and when each was registered (or checked in) and their birth year.
    assert.match(await candidate.first().innerText(), /(registered|checked in) at .+, .*\d/);
    assert.match(await candidate.first().innerText(), /born \d{4}/);
    await candidate.getByTestId('found-this').click();
    await req.getByTestId('tracing-status').getByText('Found — waiting for confirmation').waitFor();
    await req
      .getByTestId('tracing-confirm-step')
      .getByText(/Is .Omar Qudsi. the person sought\?/)
      .waitFor();
    assert.equal(await req.getByText(/may be told they are at/).count(), 0, 'nothing disclosed before the confirmation');
    await shoot(page, 'tracing-confirm-en');
    await page.getByTestId('language-switch').click();
    await req
      .getByTestId('tracing-confirm-step')
      .getByText(/هل .عمر القدسي. هو الشخص المطلوب؟/)
      .waitFor();
    await shoot(page, 'tracing-confirm-ar');
    await page.getByTestId('language-switch').click();
    // The officer who proposed cannot confirm: a second officer checks and confirms.
    await req.getByTestId('tracing-second-officer').waitFor();
    assert.equal(await req.getByTestId('tracing-confirm').count(), 0);
    const requestUrl = page.url();
    await page.context().close();
    const second = await as('tracer2');
    await second.goto(requestUrl);
    const view = second.getByTestId('tracing-request');
    await view.getByTestId('tracing-confirm').click();
    await view.getByTestId('tracing-status').getByText('Found', { exact: true }).waitFor();
    await view.getByText(/The person consented to disclosure: the family may be told they are at/).waitFor();
    await second.context().close();
  });

  test('the tracing desk is told when a later registration may be the person sought, live while it is open', async () => {
    const req = (
      await s.api(
        'POST',
        `${opApi}/tracing`,
        {
          enquirer: { name: 'Synthetic Cousin' },
          relation: 'other_relative',
          sought: { names: { lat: { given: 'Yara', family: 'Kanaan' } }, sex: 'female' },
        },
        await s.sessionCookie('tracer'),
      )
    ).body as { id: string };
    await post('/households', {
      siteId: 'amiriyah',
      members: [
        {
          names: { lat: { given: 'Yara', family: 'Kanaan' } },
          sex: 'female',
          estimatedAge: 19,
          relationship: 'head',
          consent: { tracing: true, disclosure: false },
        },
      ],
    });
    const page = await as('tracer');
    await page.goto(`${op()}/tracing`);
    await page
      .getByTestId('tracing-news')
      .getByText(/1 request has news/)
      .waitFor();
    await page.getByTestId('tracing-news-filter').click();
    await page.getByTestId('tracing-pager-showing').getByText('1–1 of 1').waitFor();
    const row = page.getByTestId('tracing-row');
    await row.getByTestId('tracing-new').waitFor();
    await row.getByRole('button', { name: /Yara Kanaan/ }).click();
    const view = page.getByTestId('tracing-request');
    await view.getByTestId('tracing-candidate').filter({ hasText: 'Yara Kanaan' }).waitFor();
    await view.getByText('A new registration may be the person sought').waitFor();
    await page.getByTestId('language-switch').click();
    await view.getByText('تسجيل جديد قد يكون الشخص المبحوث عنه').waitFor();
    await page.getByTestId('language-switch').click();
    // Opened: the news is read, and the list no longer marks it.
    await page.getByTestId('tracing-news-filter').click();
    await page.getByTestId('tracing-requests').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="tracing-new"]') === null);
    assert.equal(await page.getByTestId('tracing-news').count(), 0, 'no news left');
    assert.ok(req.id);

    // The desk stays open: news of a registration made elsewhere arrives by itself, without a reload.
    await page.evaluate(() => ((window as unknown as { stillThisPage: boolean }).stillThisPage = true));
    const later = (
      await s.api(
        'POST',
        `${opApi}/tracing`,
        {
          enquirer: { name: 'Synthetic Godmother' },
          relation: 'other',
          sought: { names: { lat: { given: 'Maysa', father: 'Ziad', family: 'Atassi' } }, sex: 'female' },
        },
        await s.sessionCookie('tracer'),
      )
    ).body as { id: string };
    await post('/households', {
      siteId: 'amiriyah',
      members: [
        {
          names: { lat: { given: 'Maisa', father: 'Ziyad', family: 'Attasi' } },
          sex: 'female',
          estimatedAge: 27,
          relationship: 'head',
          consent: { tracing: true, disclosure: false },
        },
      ],
    });
    await page
      .getByTestId('tracing-news')
      .getByText(/1 request has news/)
      .waitFor();
    const pushed = page.getByTestId('tracing-row').filter({ hasText: 'Maysa' });
    await pushed.getByTestId('tracing-new').waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { stillThisPage?: boolean }).stillThisPage), true, 'not reloaded');
    assert.ok(later.id);
    await page.context().close();
  });
});
