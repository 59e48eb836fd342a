/**
 * Issue 20's "the map zooms and its labels do not overlap", in a real Chromium, in English and
 * Arabic: the zoom buttons narrow the map's viewBox step by step and the reset shows it whole
 * again; at every zoom the site names keep their size on screen and none overlaps another name or
 * another site's marker; the map moves with a drag and zooms with Ctrl + wheel and with the keys
 * on the focused map; the buttons sit at the map's end in the reading direction (right in English, left in Arabic) while
 * the map itself is not mirrored; on a 360 px phone they are 44 px targets and the page does not
 * scroll sideways. The three sites of the test server lie within a few kilometres of each other,
 * so at the whole map their names crowd and must be placed apart.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { MAX_ZOOM } from '../../src/web/pages/dashboard/map-view.js';
import { chromiumMissing, launch, loggedIn, shoot } from './support/browser.js';
import { startServer, type E2eServer } from './support/server.js';

const skip = chromiumMissing();

interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}
interface Label extends Box {
  text: string;
  /** The map's width on screen. */
  mapWidth: number;
  /** Its site's marker. */
  marker: Box;
}
const apart = (a: Box, b: Box) => a.x1 <= b.x0 || b.x1 <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0;

describe('the dashboard map zooms, its names keep their size and never overlap', { skip }, () => {
  let s: E2eServer;
  let browser: Browser;
  let cookie: string;

  before(async () => {
    [s, browser] = await Promise.all([startServer(), launch()]);
    await s.userWithRoles('mapper', ['coordinator']);
    cookie = await s.sessionCookie('mapper');
    const r = await s.api(
      'POST',
      `/api/operations/${s.operationId}/routes`,
      { id: 'west-road', siteIds: ['amiriyah', 'ramouseh', 'rashidin'] },
      cookie,
    );
    assert.equal(r.status, 201, JSON.stringify(r.body));
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  async function open(lang: 'en' | 'ar', viewport = { width: 1366, height: 800 }): Promise<Page> {
    const ctx = await browser.newContext({ viewport, locale: lang === 'ar' ? 'ar-SY' : 'en-GB', serviceWorkers: 'block' });
    await ctx.addInitScript((l) => {
      try {
        localStorage.setItem('corridor.lang', l);
      } catch {
        /* a frame without storage */
      }
    }, lang);
    ctx.on('page', (p) =>
      p.on('pageerror', (err) => {
        throw err;
      }),
    );
    const page = await loggedIn(ctx, s.url, cookie);
    await page.goto(`${s.url}/op/${s.operationId}/dashboard`);
    await page.getByTestId('site-map').locator('[data-testid^="site-label-"]').first().waitFor();
    return page;
  }

  const map = (page: Page) => page.getByTestId('site-map').locator(':scope > svg');
  const viewBoxOf = async (page: Page) => ((await map(page).getAttribute('viewBox')) ?? '').split(' ').map(Number);
  /** The viewBox once it is `want`'s width (a render after the click). */
  async function viewBoxWidth(page: Page, want: number) {
    await page.waitForFunction(
      (w) => Math.abs(Number(document.querySelector('[data-testid="site-map"] > svg')?.getAttribute('viewBox')?.split(' ')[2]) - w) < 0.01,
      want,
    );
    return viewBoxOf(page);
  }
  const labels = (page: Page): Promise<Label[]> =>
    page
      .getByTestId('site-map')
      .locator('[data-testid^="site-label-"]')
      .evaluateAll((els) =>
        els.map((el) => {
          // From the map's corner: a click may scroll the page.
          const m = el.closest('svg')!.getBoundingClientRect();
          const r = el.getBoundingClientRect();
          const c = el.parentElement!.querySelector('circle')!.getBoundingClientRect();
          return {
            text: el.textContent ?? '',
            mapWidth: m.width,
            x0: r.left - m.left,
            x1: r.right - m.left,
            y0: r.top - m.top,
            y1: r.bottom - m.top,
            marker: { x0: c.left - m.left, x1: c.right - m.left, y0: c.top - m.top, y1: c.bottom - m.top },
          };
        }),
      );
  function assertApart(boxes: Label[], when: string, sites = 3) {
    assert.equal(boxes.length, sites, when);
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) assert.ok(apart(a, b), `${when}: ${a.text} and ${b.text} overlap: ${JSON.stringify(boxes)}`);
      for (const b of boxes) if (b !== a) assert.ok(apart(a, b.marker), `${when}: ${a.text} covers the marker of ${b.text}`);
    }
  }
  /** With the whole map shown, every name is on it, whole (one near an edge is written on the marker's other side). */
  function assertOnMap(boxes: Label[], when: string) {
    for (const b of boxes) assert.ok(b.x0 >= -0.5 && b.x1 <= b.mapWidth + 0.5, `${when}: ${b.text} runs off the map: ${JSON.stringify(b)}`);
  }
  const markerX = (page: Page, site: string) =>
    page.evaluate((id) => {
      const r = document.querySelector(`[data-testid="site-label-${id}"]`)!.parentElement!.querySelector('circle')!.getBoundingClientRect();
      return r.left + r.width / 2;
    }, site);

  for (const lang of ['en', 'ar'] as const)
    test(`zoom in narrows the viewBox, names stay the same size and apart at every zoom, reset shows the whole map (${lang})`, async () => {
      const page = await open(lang);
      assert.deepEqual(await viewBoxOf(page), [0, 0, 720, 480], 'the whole map at first');
      const first = await labels(page);
      assertApart(first, 'the whole map');
      assertOnMap(first, 'the whole map');
      const height = first[0]!.y1 - first[0]!.y0;

      let width = 720;
      for (let zoom = 2; zoom <= MAX_ZOOM; zoom *= 2) {
        await page.getByTestId('map-zoom-in').click();
        const [x, y, w, h] = await viewBoxWidth(page, width / 2);
        assert.ok(w! < width, `zoom ${zoom}: the viewBox narrows`);
        width = w!;
        assert.equal(h, 480 / zoom);
        assert.ok(x! >= 0 && y! >= 0 && x! + w! <= 720.01 && y! + h! <= 480.01, `zoom ${zoom}: inside the drawing`);
        const boxes = await labels(page);
        assertApart(boxes, `zoom ${zoom}`);
        for (const b of boxes) assert.ok(Math.abs(b.y1 - b.y0 - height) < 1.5, `zoom ${zoom}: ${b.text} keeps its size on screen`);
        if (lang === 'ar') for (const b of boxes) assert.match(b.text, /[\u0600-\u06FF]/, 'Arabic site names');
      }
      // At the deepest zoom the button says so and does nothing more.
      assert.equal(await page.getByTestId('map-zoom-in').getAttribute('aria-disabled'), 'true');
      await page.getByTestId('map-zoom-in').click({ force: true });
      assert.equal((await viewBoxOf(page))[2], 720 / MAX_ZOOM);
      await shoot(page, `site-map-zoomed-${lang}`);

      // From the keyboard: the zoom-out button is reached with Tab from zoom in, and pressed with Enter.
      await page.getByTestId('map-zoom-in').focus();
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'map-zoom-out');
      await page.keyboard.press('Enter');
      await viewBoxWidth(page, (2 * 720) / MAX_ZOOM);
      assertApart(await labels(page), 'zoomed out from the keyboard');

      await page.getByTestId('map-zoom-reset').click();
      assert.deepEqual(await viewBoxWidth(page, 720), [0, 0, 720, 480], 'reset: the whole map again');
      assertApart(await labels(page), 'after reset');
      assertOnMap(await labels(page), 'after reset');
      assert.deepEqual(
        (await labels(page)).map((b) => [b.x0, b.y0].map(Math.round)),
        first.map((b) => [b.x0, b.y0].map(Math.round)),
        'reset: the names where they were',
      );
      await page.context().close();
    });

  for (const lang of ['en', 'ar'] as const)
    test(`the buttons sit at the map's end in the reading direction, the map is not mirrored; drag, Ctrl + wheel and keys move and zoom it (${lang})`, async () => {
      const page = await open(lang);
      // The mouse acts where the map is on screen: brought into view (it is below the cards) first.
      await map(page).scrollIntoViewIfNeeded();
      const svg = (await map(page).boundingBox())!;
      const buttons = (await page.getByTestId('map-zoom').boundingBox())!;
      if (lang === 'en') assert.ok(Math.abs(buttons.x + buttons.width - (svg.x + svg.width)) < 2, 'at the right edge in English');
      else assert.ok(Math.abs(buttons.x - svg.x) < 2, 'at the left edge in Arabic');
      // West stays west: al-Rashidin lies west of al-Amiriyah in either language.
      assert.ok((await markerX(page, 'rashidin')) < (await markerX(page, 'amiriyah')), 'the map is not mirrored');

      // Ctrl + wheel (a trackpad's pinch) zooms about the pointer; a plain wheel leaves the map as it is.
      const centre = async () => {
        await map(page).scrollIntoViewIfNeeded();
        const b = (await map(page).boundingBox())!;
        return [b.x + b.width / 2, b.y + b.height / 2] as const;
      };
      let [cx, cy] = await centre();
      await page.mouse.move(cx, cy);
      await page.mouse.wheel(0, 100);
      await page.waitForTimeout(200);
      assert.equal((await viewBoxOf(page))[2], 720, 'a plain wheel scrolls the page, not the map');
      [cx, cy] = await centre();
      await page.mouse.move(cx, cy);
      await page.keyboard.down('Control');
      await page.mouse.wheel(0, -200);
      await page.keyboard.up('Control');
      await page.waitForFunction(
        () => Number(document.querySelector('[data-testid="site-map"] > svg')?.getAttribute('viewBox')?.split(' ')[2]) < 720,
      );
      assertApart(await labels(page), 'after Ctrl + wheel');

      // A drag to the right shows what lies to the left: the viewBox moves left.
      await page.getByTestId('map-zoom-reset').click();
      await viewBoxWidth(page, 720);
      await page.getByTestId('map-zoom-in').click();
      const [x0] = await viewBoxWidth(page, 360);
      [cx, cy] = await centre();
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      await page.mouse.move(cx + 60, cy + 20, { steps: 4 });
      await page.mouse.up();
      const [x1] = await viewBoxOf(page);
      assert.ok(x1! < x0!, `dragged: the view moved (${x0} → ${x1})`);

      // The focused map: an arrow moves it, + zooms, 0 shows it whole.
      await map(page).focus();
      await page.keyboard.press('ArrowRight');
      assert.ok((await viewBoxOf(page))[0]! > x1!, 'ArrowRight moves the view right');
      await page.keyboard.press('+');
      await viewBoxWidth(page, 180);
      await page.keyboard.press('0');
      assert.deepEqual(await viewBoxWidth(page, 720), [0, 0, 720, 480]);
      await page.context().close();
    });

  for (const lang of ['en', 'ar'] as const)
    test(`on a 360 px phone the zoom buttons are 44 px targets, names stay apart, the page does not scroll sideways (${lang})`, async () => {
      const page = await open(lang, { width: 360, height: 780 });
      for (const id of ['map-zoom-in', 'map-zoom-out', 'map-zoom-reset']) {
        const b = (await page.getByTestId(id).boundingBox())!;
        assert.ok(b.width >= 44 && b.height >= 44, `${id}: ${b.width}×${b.height}`);
      }
      for (let zoom = 1; zoom <= MAX_ZOOM; zoom *= 2) {
        if (zoom > 1) {
          await page.getByTestId('map-zoom-in').click();
          await viewBoxWidth(page, 720 / zoom);
        }
        assertApart(await labels(page), `phone, zoom ${zoom}`);
      }
      await page.waitForLoadState('networkidle');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `${width} px wide`);
      await shoot(page, `site-map-phone-${lang}`);
      await page.context().close();
    });

  // Last: two sites at the ends of the operation's area, whose long names would run off the map.
  test('a long name near the edge of the map is written on the other side of its marker, whole, in English and Arabic', async () => {
    for (const site of [
      {
        id: 'east-camp',
        kind: 'camp',
        nameEn: 'Ras al-Ayn camp for the families from the east',
        nameAr: 'مخيم رأس العين للعائلات القادمة من الشرق',
        lat: 36.5,
        lon: 40.1,
      },
      {
        id: 'west-centre',
        kind: 'reception_centre',
        nameEn: 'Reception centre of the western districts',
        nameAr: 'مركز استقبال أحياء الغرب البعيدة',
        lat: 36.0,
        lon: 36.2,
      },
    ]) {
      const r = await s.api('POST', `/api/operations/${s.operationId}/sites`, site, cookie);
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    for (const lang of ['en', 'ar'] as const) {
      const page = await open(lang);
      await page.getByTestId('site-label-east-camp').waitFor();
      const boxes = await labels(page);
      assert.equal(boxes.length, 5);
      assertOnMap(boxes, `the whole map (${lang})`);
      assertApart(boxes, `the whole map (${lang})`, 5);
      // The site at the end the names run towards has its name on the other side; the one at the other end does not.
      const flipped = await page.locator('[data-flipped="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
      assert.ok(flipped.includes(lang === 'en' ? 'site-label-east-camp' : 'site-label-west-centre'), JSON.stringify(flipped));
      assert.ok(!flipped.includes(lang === 'en' ? 'site-label-west-centre' : 'site-label-east-camp'), JSON.stringify(flipped));
      await page.context().close();
    }
  });
});
