/**
 * Which slippy-map tiles ({z}/{x}/{y}, Web Mercator) cover what the map shows of the SVG drawing
 * of a d3 Mercator projection. The tiles' zoom level follows the map's zoom: chosen so that a
 * tile is about 256 pixels on screen, so a zoomed-in map gets sharper tiles rather than the whole
 * map's tiles stretched (issue 20), and only the tiles meeting the window shown are asked for.
 */
import type { GeoProjection } from 'd3-geo';

export interface Tile {
  key: string;
  href: string;
  x: number;
  y: number;
  size: number;
}

/** The part of the drawing on screen (drawing units) and how many screen pixels a drawing unit takes. */
export interface TileWindow {
  x: number;
  y: number;
  w: number;
  h: number;
  pxPerUnit: number;
}

export function tilesFor(projection: GeoProjection, window: TileWindow, template: string): Tile[] {
  const k = projection.scale() * 2 * Math.PI; // world width in drawing units
  const z = Math.max(0, Math.min(18, Math.round(Math.log2((k * window.pxPerUnit) / 256))));
  const n = 2 ** z;
  const size = k / n;
  const [tx, ty] = projection.translate();
  const ox = tx - k / 2; // the world's top-left corner, in drawing units
  const oy = ty - k / 2;
  const out: Tile[] = [];
  for (let x = Math.floor((window.x - ox) / size); x * size + ox < window.x + window.w; x++) {
    for (let y = Math.floor((window.y - oy) / size); y * size + oy < window.y + window.h; y++) {
      if (x < 0 || y < 0 || x >= n || y >= n) continue;
      out.push({
        key: `${z}/${x}/${y}`,
        href: template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y)),
        x: ox + x * size,
        y: oy + y * size,
        size,
      });
    }
  }
  return out;
}
