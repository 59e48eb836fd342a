/**
 * The report as one self-contained HTML file (no script, no outside resource): the blocks laid
 * out left to right or right to left, the chart and the QR code as inline SVG, and the report's
 * machine-readable payload (figures, proof, digest) in a JSON data block that `sitrep verify`
 * reads back. Rendering is deterministic, so verify can render the payload again and compare.
 */
import QRCode from 'qrcode';
import { reportBlocks, type Block } from '../../domain/sitrep/document.js';
import type { SitrepPayload } from './payload.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JSON safe inside a script element: no `<` (so no `</script>`), no line separators. */
export const jsonForScript = (v: unknown) =>
  JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

export const PAYLOAD_ELEMENT_ID = 'corridor-sitrep';

function chartSvg(points: { hour: string; left: number; arrived: number }[], rtl: boolean): string {
  const w = 640;
  const h = 200;
  if (points.length === 0) return `<svg width="${w}" height="${h}" role="img"></svg>`;
  const t0 = Date.parse(points[0]!.hour.replace(/Z$/, ':00Z'));
  const t1 = Math.max(t0 + 3_600_000, Date.parse(points.at(-1)!.hour.replace(/Z$/, ':00Z')));
  const max = Math.max(1, ...points.map((p) => p.left));
  const x = (hour: string) => {
    const v = ((Date.parse(hour.replace(/Z$/, ':00Z')) - t0) / (t1 - t0)) * (w - 20) + 10;
    return (rtl ? w - v : v).toFixed(1);
  };
  const y = (n: number) => (h - 10 - (n / max) * (h - 20)).toFixed(1);
  const line = (key: 'left' | 'arrived') => points.map((p) => `${x(p.hour)},${y(p[key])}`).join(' ');
  return (
    `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img">` +
    `<rect x="0.5" y="0.5" width="${w - 1}" height="${h - 1}" fill="none" stroke="#999"/>` +
    `<polyline fill="none" stroke="#1f4e79" stroke-width="2" points="${line('left')}"/>` +
    `<polyline fill="none" stroke="#2e7d32" stroke-width="2" stroke-dasharray="4 3" points="${line('arrived')}"/>` +
    `<text x="${rtl ? w - 14 : 14}" y="20" font-size="12" text-anchor="${rtl ? 'end' : 'start'}">${max.toLocaleString('en')}</text>` +
    `</svg>`
  );
}

async function blockHtml(b: Block, rtl: boolean): Promise<string> {
  switch (b.kind) {
    case 'title':
      return `<h1>${esc(b.text)}</h1>`;
    case 'heading':
      return `<h2>${esc(b.text)}</h2>`;
    case 'para':
      return `<p>${esc(b.text)}</p>`;
    case 'table': {
      const cell = (tag: string, s: string, i: number) => `<${tag}${b.numeric[i] ? ' class="n"' : ''}>${esc(s)}</${tag}>`;
      return (
        `<table><thead><tr>${b.head.map((s, i) => cell('th', s, i)).join('')}</tr></thead><tbody>` +
        b.rows.map((r) => `<tr>${r.map((s, i) => cell('td', s, i)).join('')}</tr>`).join('') +
        `</tbody></table>`
      );
    }
    case 'chart':
      return `<figure>${chartSvg(b.points, rtl)}<figcaption>${esc(b.note)}</figcaption></figure>`;
    case 'proof': {
      const qr = await QRCode.toString(b.qr, { type: 'svg', errorCorrectionLevel: 'M', margin: 1, width: 200 });
      return `<div class="proof"><div class="qr">${qr}</div><ul>${b.lines.map((l) => `<li dir="auto">${esc(l)}</li>`).join('')}</ul></div>`;
    }
  }
}

const STYLE = `body{font-family:"Noto Naskh Arabic","Noto Sans",Arial,sans-serif;margin:2em;color:#111}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.4em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.2em .5em;text-align:start}
td.n,th.n{text-align:end;font-variant-numeric:tabular-nums}.proof{display:flex;gap:1em;align-items:flex-start}
.proof ul{list-style:none;padding:0;font-size:.9em;word-break:break-all}`;

export async function renderSitrepHtml(payload: SitrepPayload): Promise<string> {
  const rtl = payload.lang === 'ar';
  const blocks = reportBlocks(payload.figures, payload.proof, payload.digest, payload.lang, payload.sites);
  const body: string[] = [];
  for (const b of blocks) body.push(await blockHtml(b, rtl));
  return (
    `<!doctype html>\n<html lang="${payload.lang}" dir="${rtl ? 'rtl' : 'ltr'}"><head><meta charset="utf-8">` +
    `<title>${esc(blocks[0]?.kind === 'title' ? blocks[0].text : 'Situation report')}</title><style>${STYLE}</style>` +
    `<script type="application/json" id="${PAYLOAD_ELEMENT_ID}">${jsonForScript(payload)}</script></head>\n` +
    `<body>\n${body.join('\n')}\n</body></html>\n`
  );
}
