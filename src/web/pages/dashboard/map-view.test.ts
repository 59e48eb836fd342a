import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ZOOM, panBy, pointAt, viewBox, wholeView, zoomAt, zoomCentre, zoomOf } from './map-view.js';
import { markerBox, overlap, placeLabels } from './map-labels.js';

const frame = { w: 720, h: 480 };

test('zooming in about a point keeps that point where it was on screen and halves the window', () => {
  const v = zoomAt(wholeView(frame), 2, [180, 120], frame);
  assert.deepEqual(v, { x: 90, y: 60, w: 360, h: 240 });
  // The point was a quarter across and a quarter down, and still is.
  assert.equal((180 - v.x) / v.w, 0.25);
  assert.equal((120 - v.y) / v.h, 0.25);
  assert.equal(zoomOf(v, frame), 2);
});

test('zoom stops at the whole map going out and at MAX_ZOOM going in', () => {
  assert.deepEqual(zoomCentre(wholeView(frame), 0.5, frame), wholeView(frame));
  let v = wholeView(frame);
  for (let i = 0; i < 10; i++) v = zoomCentre(v, 2, frame);
  assert.equal(zoomOf(v, frame), MAX_ZOOM);
  assert.equal(v.w, frame.w / MAX_ZOOM);
});

test('a zoom near the edge and a pan never show anything outside the drawing', () => {
  // Zoomed out about a point near its top left, a window in the bottom right corner would reach past the drawing: it is held at its edge.
  const corner = zoomAt({ x: 540, y: 360, w: 180, h: 120 }, 0.5, [541, 361], frame);
  assert.deepEqual(corner, { x: 360, y: 240, w: 360, h: 240 });
  const moved = panBy(corner, 500, -1000, frame);
  assert.equal(moved.x, 720 - corner.w, 'not past the right edge');
  assert.equal(moved.y, 0, 'not past the top');
  assert.deepEqual(panBy(wholeView(frame), 50, 50, frame), wholeView(frame), 'the whole map does not move');
});

test('a point on screen is found in the drawing at any zoom', () => {
  const v = { x: 100, y: 50, w: 180, h: 120 };
  // Shown 360 px wide: two screen pixels to a drawing unit.
  assert.deepEqual(pointAt(v, 90, 60, 360), [145, 80]);
  assert.equal(viewBox(v), '100 50 180 120');
  assert.equal(viewBox({ x: 1 / 3, y: 0, w: 2 / 3, h: 1 }), '0.33 0 0.67 1');
});

const sites: { text: string; latLon: [number, number] }[] = [
  { text: 'al-Amiriyah assembly point', latLon: [36.176, 37.14] },
  { text: 'Ramouseh checkpoint', latLon: [36.163, 37.125] },
  { text: 'al-Rashidin reception', latLon: [36.182, 37.071] },
  { text: 'Bab al-Hawa camp', latLon: [36.19, 37.13] },
];
/** The sites on screen at a zoom: ten degrees' worth of km to the map's width, so they crowd at zoom 1. */
const onScreen = (k: number) =>
  sites.map((s) => ({ text: s.text, at: [s.latLon[1] * 400 * k, -s.latLon[0] * 400 * k] as [number, number] }));

for (const rtl of [false, true])
  test(`labels of crowded sites do not overlap at any zoom, and stand beside their markers once apart (${rtl ? 'right to left' : 'left to right'})`, () => {
    for (let k = 1; k <= MAX_ZOOM; k *= 2) {
      const placed = placeLabels(onScreen(k), rtl);
      assert.equal(placed.length, sites.length);
      for (const [i, a] of placed.entries())
        for (const b of placed.slice(i + 1)) assert.ok(!overlap(a.box, b.box), `zoom ${k}: ${a.text} and ${b.text} overlap`);
      for (const a of placed)
        for (const b of placed)
          if (a !== b) assert.ok(!overlap(a.box, markerBox(b.at)), `zoom ${k}: ${a.text} covers the marker of ${b.text}`);
      for (const p of placed) {
        if (rtl) assert.ok(p.box.x1 <= p.at[0], `${p.text} left of its marker`);
        else assert.ok(p.box.x0 >= p.at[0], `${p.text} right of its marker`);
      }
    }
    assert.ok(
      placeLabels(onScreen(1), rtl).some((p) => p.label > 4),
      'crowded at the whole map: some label moved below its marker',
    );
    assert.ok(
      placeLabels(onScreen(MAX_ZOOM), rtl).every((p) => p.label === 4),
      'zoomed in: every label beside its marker',
    );
  });

for (const rtl of [false, true])
  test(`a name that would run off the map is written on the other side of its marker, whole (${rtl ? 'right to left' : 'left to right'})`, () => {
    const edges = { left: 0, right: 720 };
    const text = 'al-Rashidin reception centre';
    // A site 40 px from the edge its name runs towards, and one in the middle.
    const nearEdge = { text, at: [rtl ? 40 : 680, 200] as [number, number] };
    const middle = { text, at: [360, 300] as [number, number] };
    const [edge, mid] = placeLabels([nearEdge, middle], rtl, edges);
    assert.equal(edge!.flipped, true);
    assert.ok(edge!.box.x0 >= edges.left && edge!.box.x1 <= edges.right, `the name stays on the map: ${JSON.stringify(edge!.box)}`);
    if (rtl) assert.ok(edge!.box.x0 >= nearEdge.at[0], 'right of its marker');
    else assert.ok(edge!.box.x1 <= nearEdge.at[0], 'left of its marker');
    assert.equal(mid!.flipped, false, 'a name with room stays on the reading side');
    // Without edges (or with room on neither side) nothing moves.
    assert.equal(placeLabels([nearEdge], rtl)[0]!.flipped, false);
    assert.equal(placeLabels([nearEdge], rtl, { left: 0, right: 60 })[0]!.flipped, false);
  });
