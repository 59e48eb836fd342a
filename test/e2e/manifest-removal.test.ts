/**
 * Taking people off a vehicle in the manifest builder, in a real Chromium, by keyboard: a
 * household put on the wrong bus is taken off (confirmed, nothing asked) and boarded on the
 * other; taking off one parent asks for a reason first and Escape leaves everything as it was;
 * the child left without an adult is flagged; the actions read in Arabic; the counts follow. A
 * head count is removed from a car that did not come after all.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launch, loggedIn, shoot } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';

const skip = chromiumMissing();

describe('taking people off a vehicle in Chromium', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;
  let opApi: string;
  let officer: string;

  async function post(path: string, body: unknown, status = 201) {
    const r = await s.api('POST', `${opApi}${path}`, body, officer);
    assert.equal(r.status, status, `${path}: ${JSON.stringify(r.body)}`);
    return r.body;
  }
  async function as(cookie: string): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-GB' });
    ctx.on('page', (p) =>
      p.on('pageerror', (err) => {
        throw err;
      }),
    );
    return loggedIn(ctx, s.url, cookie);
  }
  const press = async (page: Page, testIdOrLocator: ReturnType<Page['getByTestId']>) => {
    await testIdOrLocator.focus();
    await page.keyboard.press('Enter');
  };
  const totals = async () =>
    (await s.api('GET', `${opApi}/counts`, undefined, officer)).body.totals as { boarded: number; registered: number };

  before(async () => {
    [s, browser] = await Promise.all([startServer(), launch()]);
    opApi = `/api/operations/${s.operationId}`;
    await s.userWithRoles('officer', ['coordinator', 'convoy_officer', 'registrar']);
    officer = await s.sessionCookie('officer');
    await post('/routes', { id: 'west-road', name: 'West road', siteIds: ['amiriyah', 'rashidin'] });
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  test('a household on the wrong bus is taken off and boarded on the other; taking off a parent needs a reason', async () => {
    const cv = await post('/convoys', { routeId: 'west-road', name: 'Convoy 7' });
    for (const id of ['BUS-7', 'BUS-8']) await post(`/convoys/${cv.id}/vehicles`, { id, kind: 'bus' });
    const member = (given: string, givenAr: string, sex: string, age: number) => ({
      names: { ar: { given: givenAr, family: 'نجار' }, lat: { given, family: 'Najjar' } },
      sex,
      estimatedAge: age,
      vulnerabilities: [],
    });
    const hh = await post('/households', {
      siteId: 'amiriyah',
      members: [member('Omar', 'عمر', 'male', 41), member('Lina', 'لينا', 'female', 37), member('Yara', 'يارا', 'female', 6)],
    });
    await post(`/convoys/${cv.id}/boardings`, { householdId: hh.id, vehicleId: 'BUS-7' });
    const before = await totals();

    const page = await as(officer);
    await page.goto(`${s.url}/op/${s.operationId}/convoys?convoy=${cv.id}`);
    const bus7 = page.getByTestId('manifest-BUS-7');
    await bus7.getByText('Yara Najjar').waitFor();
    await press(page, bus7.getByRole('button', { name: 'Take the household of Omar Najjar off BUS-7' }));
    const form = bus7.getByTestId('removal-form');
    await form.getByRole('heading', { name: 'Take off BUS-7: Omar Najjar, Lina Najjar, Yara Najjar' }).waitFor();
    assert.equal(
      await form.getByTestId('removal-reason').evaluate((el) => el === document.activeElement),
      true,
      'focus moves into the confirmation',
    );
    assert.equal(await form.getByTestId('removal-reason').getAttribute('required'), null, 'the whole household: no reason needed');
    await form.getByTestId('removal-reason').fill('Put on the wrong bus');
    await shoot(page, 'convoys-remove-household-en');
    await press(page, form.getByTestId('removal-confirm'));
    await bus7.getByText('Taken off BUS-7: Omar Najjar, Lina Najjar, Yara Najjar. They are waiting again.').waitFor();
    await bus7.getByText('Nobody on board yet.').waitFor();
    const waiting = await totals();
    assert.equal(waiting.boarded, before.boarded - 3);
    assert.equal(waiting.registered, before.registered + 3);

    // Boarded again, on the right bus, through the manifest builder.
    await page.getByTestId('household-query').fill('Najjar');
    await page.getByTestId('household-query').press('Enter');
    await page.getByTestId('household-results').getByRole('button').first().click();
    await page.getByTestId('boarding-form').getByLabel('Vehicle', { exact: true }).selectOption('BUS-8');
    await page.getByTestId('board').getByText('Board 3').waitFor();
    await page.getByTestId('board').click();
    const bus8 = page.getByTestId('manifest-BUS-8');
    await bus8.getByText('Omar Najjar').waitFor();
    assert.equal((await totals()).boarded, before.boarded);

    // One parent off: a reason is asked for before anything is sent; Escape closes it and changes nothing.
    await press(page, bus8.getByRole('button', { name: 'Take Omar Najjar off BUS-8' }));
    const one = bus8.getByTestId('removal-form');
    await one.getByText('Part of the household stays on the convoy: give a reason to split it on purpose.').waitFor();
    assert.equal(await one.getByTestId('removal-confirm').isDisabled(), true, 'no split without a reason');
    await page.keyboard.press('Escape');
    await one.waitFor({ state: 'detached' });
    assert.equal(
      await bus8.getByRole('button', { name: 'Take Omar Najjar off BUS-8' }).evaluate((el) => el === document.activeElement),
      true,
      'focus back on the button',
    );
    await bus8.getByText('Omar Najjar').waitFor();

    // Both parents off: Yara stays without an adult of her family and is flagged.
    await press(page, bus8.getByRole('button', { name: 'Take Omar Najjar off BUS-8' }));
    await bus8.getByTestId('removal-reason').fill('Father wounded: to the ambulance');
    await press(page, bus8.getByTestId('removal-confirm'));
    await bus8.getByText(/^Taken off BUS-8: Omar Najjar\./).waitFor();
    await bus8.getByText('split on purpose: Father wounded: to the ambulance').first().waitFor();
    await press(page, bus8.getByRole('button', { name: 'Take Lina Najjar off BUS-8' }));
    await bus8
      .getByTestId('removal-form')
      .getByText('Yara Najjar stays on this vehicle without an adult of the family and will be flagged.')
      .waitFor();
    await press(page, bus8.getByTestId('removal-confirm'));
    await bus8.getByText(/^Taken off BUS-8: Lina Najjar\./).waitFor();
    await bus8.locator('[data-flag="child_without_adult_on_vehicle"]').waitFor();
    assert.equal((await totals()).boarded, before.boarded - 2);

    await page.getByTestId('language-switch').click();
    await bus8.getByRole('button', { name: 'إنزال يارا نجار من BUS-8' }).waitFor();
    await shoot(page, 'convoys-remove-ar');
    await page.context().close();
  });

  test('the head count of a car that did not come is removed after a confirmation', async () => {
    const cv = await post('/convoys', { routeId: 'west-road', name: 'Convoy 9' });
    await post(`/convoys/${cv.id}/vehicles`, { id: 'CAR-9', kind: 'private_car', mode: 'head_count' });
    await post(`/convoys/${cv.id}/head-counts`, {
      vehicleId: 'CAR-9',
      rows: [{ sex: 'female', ageBand: '18-59', category: 'civilian', count: 4 }],
    });
    const before = await totals();
    const page = await as(officer);
    await page.goto(`${s.url}/op/${s.operationId}/convoys?convoy=${cv.id}`);
    const car = page.getByTestId('manifest-CAR-9');
    await car.getByText('4 of 5 seats').waitFor();
    await press(page, car.getByTestId('remove-head-count'));
    await car.getByText('Remove the head count of CAR-9 (4 people)?').waitFor();
    await press(page, car.getByTestId('remove-head-count-confirm'));
    await car.getByText('Head count removed.').waitFor();
    await car.getByText('0 of 5 seats').waitFor();
    assert.equal((await totals()).boarded, before.boarded - 4);
    assert.equal(await car.getByTestId('remove-head-count').count(), 0, 'nothing left to remove');
    await page.context().close();
  });
});
