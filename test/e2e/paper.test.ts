/**
 * The paper in a real Chromium: the count-only sheet of a vehicle, reached from the convoy's
 * page, shows the counts and needs by number and no name, tag or category, in English and in
 * Arabic (right-to-left); the blank registration form, reached from the registration desk,
 * prints in Arabic right-to-left with the desk's fields and boxes for each wristband tag; and a
 * filled form is typed in at the desk at the time written on it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { encodeTag, formatTag } from '../../src/domain/tags.js';
import { PAPER_MEMBER_ROWS } from '../../src/domain/paper/registration-form.js';
import { chromiumMissing, launch, loggedIn, shoot } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';

const skip = chromiumMissing();

describe('paper sheets in Chromium', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;
  let lead: string;
  const tags: string[] = [];
  const op = () => `${s.url}/op/${s.operationId}`;

  async function page(): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    ctx.on('page', (p) =>
      p.on('pageerror', (err) => {
        throw err;
      }),
    );
    return loggedIn(ctx, s.url, lead);
  }
  async function post(path: string, body: unknown) {
    const r = await s.api('POST', `/api/operations/${s.operationId}${path}`, body, lead);
    assert.equal(r.status, 201, `${path}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  before(async () => {
    [s, browser] = await Promise.all([startServer(), launch()]);
    await s.userWithRoles('lead', ['coordinator', 'registrar', 'convoy_officer']);
    lead = await s.sessionCookie('lead');
    tags.push(formatTag(encodeTag(s.rangeFirstSerial)), formatTag(encodeTag(s.rangeFirstSerial + 1)));
    const hh = await post('/households', {
      siteId: 'amiriyah',
      members: [
        {
          names: { ar: { given: 'سلافة', family: 'الحلبية' }, lat: { given: 'Sulafa', family: 'Halabiya' } },
          sex: 'female',
          estimatedAge: 31,
          vulnerabilities: ['wounded'],
          category: 'civilian',
          tag: tags[0],
        },
        {
          names: { ar: { given: 'مازن', family: 'الحلبي' }, lat: { given: 'Mazen', family: 'Halabi' } },
          sex: 'male',
          estimatedAge: 33,
          relationship: 'spouse',
          category: 'combatant',
          tag: tags[1],
        },
      ],
    });
    await post('/routes', { id: 'west-road', siteIds: ['amiriyah', 'ramouseh', 'rashidin'] });
    await post('/convoys', { id: 'dusk', routeId: 'west-road', name: 'Dusk convoy' });
    await post('/convoys/dusk/vehicles', { id: 'bus-3', kind: 'bus', capacity: 40, plate: 'ALP-303' });
    await post('/convoys/dusk/boardings', { householdId: hh.id, vehicleId: 'bus-3' });
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  test('the count-only sheet, opened from the convoy page, counts without a name, tag or category, in English and Arabic', async () => {
    const p = await page();
    await p.goto(`${op()}/convoys?convoy=dusk`);
    await p.getByTestId('print-count-bus-3').click();
    const sheet = p.getByTestId('count-manifest');
    await sheet.waitFor();
    const text = await sheet.innerText();
    assert.match(text, /Vehicle count sheet/);
    assert.match(text, /People on board: 2/);
    assert.match(text, /Wounded\s+1/);
    assert.match(text, /ALP-303/);
    for (const secret of ['Sulafa', 'Mazen', 'Halab', 'سلافة', 'مازن', 'الحلبي', 'Combatant', 'Civilian', 'Category', ...tags])
      assert.ok(!text.includes(secret), `${secret} is not on the count-only sheet`);
    assert.ok(!(await p.content()).includes('Sulafa'), 'no name anywhere in the page');

    await p.goto(`${op()}/print/convoys/dusk/vehicles/bus-3/count?lang=ar`);
    const ar = p.getByTestId('count-manifest');
    await ar.waitFor();
    assert.equal(await ar.getAttribute('dir'), 'rtl');
    const arText = await ar.innerText();
    assert.match(arText, /ورقة أعداد المركبة/);
    assert.match(arText, /عدد الركّاب: ٢/);
    assert.match(arText, /جريح\s+١/);
    for (const secret of ['سلافة', 'مازن', 'الحلبي', 'مقاتل', 'مدني', 'Sulafa', ...tags]) assert.ok(!arText.includes(secret), secret);
    await shoot(p, 'paper-count-sheet-ar');

    // Its named counterpart, for the escort: confidential, with the names in both scripts.
    await p.goto(`${op()}/convoys?convoy=dusk`);
    await p.getByTestId('print-manifest-bus-3').click();
    const named = p.getByTestId('vehicle-manifest');
    await named.waitFor();
    const namedText = await named.innerText();
    assert.match(namedText, /CONFIDENTIAL/);
    for (const shown of ['Sulafa', 'سلافة', 'Mazen', tags[0]!]) assert.ok(namedText.includes(shown), `${shown} on the escort's manifest`);
    assert.ok(!namedText.includes('Combatant') && !namedText.includes('Civilian'), 'no category on the escort’s manifest');
    await p.context().close();
  });

  test('the blank Arabic registration form, opened from the desk, is right-to-left with the desk’s fields and tag boxes', async () => {
    const p = await page();
    await p.goto(`${op()}/registration`);
    await p.getByTestId('blank-form-ar').click();
    const form = p.getByTestId('registration-form');
    await form.waitFor();
    assert.equal(await form.getAttribute('dir'), 'rtl');
    assert.equal(await form.getAttribute('lang'), 'ar');
    const text = await form.innerText();
    for (const label of ['استمارة التسجيل', 'الاسم بالحروف العربية', 'اسم الأب', 'صلة القرابة', 'تاريخ الميلاد', 'سوار', 'موافقة'])
      assert.ok(text.includes(label), `the form shows ${label}`);
    assert.ok(!text.includes('مقاتل') && !text.includes('combatant'), 'no category on paper');
    for (const english of ['Given name', 'Relationship', 'Wristband', 'Consent', 'Female', 'Wounded'])
      assert.ok(!text.includes(english), `no English label (${english}) on the Arabic form`);
    assert.equal(await p.getByTestId('paper-member').count(), PAPER_MEMBER_ROWS);
    assert.equal(await p.locator('[data-testid="tag-boxes"] .paper-box').count(), PAPER_MEMBER_ROWS * 7);
    await shoot(p, 'paper-blank-form-ar');
    await p.context().close();
  });

  test('a filled paper form is entered at the desk, registered at the time written on it in the operation’s time zone', async () => {
    const p = await page();
    await p.goto(`${op()}/registration`);
    await p.getByTestId('paper-mode').check();
    // Yesterday at 09:30 on the form, in Damascus (UTC+3): 06:30 UTC.
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await p.getByTestId('paper-time').fill(`${day}T09:30`);
    await p.getByTestId('start-household').click();
    const form = p.getByTestId('member-form');
    await form.locator('input[name="lat.given"]').fill('Paperwoman');
    await form.locator('input[name="lat.family"]').fill('Synthetic');
    await form.locator('select[name="sex"]').selectOption('female');
    await form.locator('input[name="age"]').fill('44');
    await form.locator('input[name="consentTracing"][value="yes"]').check();
    await form.locator('input[name="consentDisclosure"][value="no"]').check();
    await p.getByTestId('save-member').click();
    await p.getByTestId('paper-members').getByText('Paperwoman Synthetic').waitFor();
    await p.getByTestId('save-paper-form').click();
    await p.getByTestId('household-summary').getByText('Form saved').waitFor();
    const found = await s.api('GET', `/api/operations/${s.operationId}/persons?q=Paperwoman`, undefined, lead);
    assert.equal(found.body[0]?.registeredAt, `${day}T06:30:00.000Z`);
    await p.context().close();
  });
});
