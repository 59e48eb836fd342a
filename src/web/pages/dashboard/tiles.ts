/** Which slippy-map tiles ({z}/{x}/{y}, Web Mercator) cover the SVG viewport of a d3 Mercator projection. */
import type { GeoProjection } from 'd3-geo';

export interface Tile {
  key: string;
  href: string;
  x: number;
  y: number;
  size: number;
}

export function tilesFor(projection: GeoProjection, width: number, height: number, template: string): Tile[] {
  const k = projection.scale() * 2 * Math.PI; // world width in px
  const z = Math.max(0, Math.min(18, Math.round(Math.log2(k / 256))));
  const n = 2 ** z;
  const size = k / n;
  const [tx, ty] = projection.translate();
  const ox = tx - k / 2; // px of the world's top-left corner
  const oy = ty - k / 2;
  const out: Tile[] = [];
  for (let x = Math.floor(-ox / size); x * size + ox < width; x++) {
    for (let y = Math.floor(-oy / size); y * size + oy < height; y++) {
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
