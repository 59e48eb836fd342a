import { test } from 'node:test';
import assert from 'node:assert/strict';
import { geoMercator } from 'd3-geo';
import { tilesFor } from './tiles.js';

// The drawing of site-map.tsx: 720 × 480 units around Aleppo, about ten degrees across.
const projection = geoMercator().fitExtent(
  [
    [20, 20],
    [700, 460],
  ],
  {
    type: 'MultiPoint',
    coordinates: [
      [34, 33],
      [44, 38],
    ],
  },
);
const T = 'https://tiles.example/{z}/{x}/{y}.png';
const zOf = (key: string) => Number(key.split('/')[0]);

test('the whole map shown 720 px wide: tiles of one zoom, about 256 px on screen, covering the drawing', () => {
  const tiles = tilesFor(projection, { x: 0, y: 0, w: 720, h: 480, pxPerUnit: 1 }, T);
  assert.ok(tiles.length > 0);
  const z = zOf(tiles[0]!.key);
  assert.ok(tiles.every((t) => zOf(t.key) === z));
  const onScreen = tiles[0]!.size;
  assert.ok(onScreen > 181 && onScreen < 363, `${onScreen} px a tile`);
  assert.ok(Math.min(...tiles.map((t) => t.x)) <= 0 && Math.max(...tiles.map((t) => t.x + t.size)) >= 720, 'across the whole width');
  assert.ok(Math.min(...tiles.map((t) => t.y)) <= 0 && Math.max(...tiles.map((t) => t.y + t.size)) >= 480, 'down the whole height');
  assert.equal(
    tiles[0]!.href,
    T.replace('{z}', String(z)).replace('{x}', tiles[0]!.key.split('/')[1]!).replace('{y}', tiles[0]!.key.split('/')[2]!),
  );
});

test('zoomed in four times: tiles two zoom levels deeper, still about 256 px on screen, only those meeting the window', () => {
  const whole = tilesFor(projection, { x: 0, y: 0, w: 720, h: 480, pxPerUnit: 1 }, T);
  const window = { x: 300, y: 200, w: 180, h: 120, pxPerUnit: 4 };
  const tiles = tilesFor(projection, window, T);
  assert.equal(zOf(tiles[0]!.key), zOf(whole[0]!.key) + 2, 'sharper tiles, not the same ones stretched');
  const onScreen = tiles[0]!.size * window.pxPerUnit;
  assert.ok(onScreen > 181 && onScreen < 363, `${onScreen} px a tile on screen`);
  for (const t of tiles)
    assert.ok(
      t.x < window.x + window.w && t.x + t.size > window.x && t.y < window.y + window.h && t.y + t.size > window.y,
      `${t.key} meets the window`,
    );
  assert.ok(tiles.length <= 12, `${tiles.length} tiles for a window of 720 × 480 px`);
});
