// Draws Corridor's app icon and writes it to public/icons/: icon.svg (rounded, any size),
// icon-192.png and icon-512.png (the same, rasterised), icon-maskable-512.png (full-bleed square
// whose drawing stays inside the central 80 % circle that launchers keep when they mask it).
// The PNGs are rendered by Debian's Chromium through playwright-core (as the browser tests use
// it) and committed, so the build needs neither; run again after changing the drawing:
//   node scripts/make-icons.mjs
// The drawing: a road narrowing towards a destination marker, in the app's colours (theme
// #0b3d5c, paper #f5f3ee, amber marker).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const out = new URL('../public/icons/', import.meta.url).pathname;
const THEME = '#0b3d5c';
const PAPER = '#f5f3ee';
const AMBER = '#f2b134';

/** Centre-line dashes of the road, narrowing with distance: [top, bottom, half width]. */
const dashes = [
  [392, 432, 8],
  [316, 352, 6.5],
  [252, 280, 5],
  [200, 220, 3.5],
  [160, 174, 2.5],
];

export function iconSvg({ rounded }) {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">
  <title>Corridor</title>
  <rect width="512" height="512"${rounded ? ' rx="104"' : ''} fill="${THEME}"/>
  <path d="M168 432 L344 432 L272 136 L240 136 Z" fill="${PAPER}"/>
  ${dashes.map(([t, b, w]) => `<rect x="${256 - w}" y="${t}" width="${2 * w}" height="${b - t}" fill="${THEME}"/>`).join('\n  ')}
  <circle cx="256" cy="100" r="30" fill="${AMBER}"/>
  <circle cx="256" cy="100" r="11" fill="${THEME}"/>
</svg>
`;
}

async function main() {
  mkdirSync(out, { recursive: true });
  const rounded = iconSvg({ rounded: true });
  writeFileSync(join(out, 'icon.svg'), rounded);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    for (const [file, svg, size] of [
      ['icon-192.png', rounded, 192],
      ['icon-512.png', rounded, 512],
      ['icon-maskable-512.png', iconSvg({ rounded: false }), 512],
    ]) {
      const page = await browser.newPage({ viewport: { width: size, height: size } });
      await page.setContent(
        `<html><body style="margin:0;background:transparent">${svg.replace('width="512" height="512"', `width="${size}" height="${size}"`)}</body></html>`,
      );
      await page.screenshot({ path: join(out, file), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
      await page.close();
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(`icons written to ${out}\n`);
}

await main();
