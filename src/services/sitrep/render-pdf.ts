/**
 * The report as a PDF (pdfkit): A4, the blocks laid out left to right or right to left (Arabic
 * shaped, see pdf-text.ts), the chart drawn as lines, the QR code drawn module by module, and the
 * payload in the document information so `sitrep verify` can read it back. The creation date is
 * the report's production time, so the same payload always gives the same bytes.
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { reportBlocks, type Block } from '../../domain/sitrep/document.js';
import { drawLine, registerFonts, textWidth, wrap, type LineStyle } from './pdf-text.js';
import { PDF_PAYLOAD_KEY, type SitrepPayload } from './payload.js';

type Doc = InstanceType<typeof PDFDocument>;

const MARGIN = 40;
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const WIDTH = PAGE_W - 2 * MARGIN;

class Cursor {
  y = MARGIN;
  constructor(private readonly doc: Doc) {}
  need(h: number) {
    if (this.y + h > PAGE_H - MARGIN) {
      this.doc.addPage();
      this.y = MARGIN;
    }
  }
}

function paragraph(doc: Doc, c: Cursor, text: string, style: LineStyle) {
  const lh = style.size * 1.6;
  for (const line of wrap(doc, text, WIDTH, style)) {
    c.need(lh);
    drawLine(doc, line, MARGIN, c.y, WIDTH, style);
    c.y += lh;
  }
}

function table(doc: Doc, c: Cursor, b: Extract<Block, { kind: 'table' }>, rtl: boolean) {
  const cols = b.head.length;
  const size = cols > 8 ? 6.5 : 9;
  const style: LineStyle = { size, rtl };
  const lh = size * 1.7;
  // Column widths: numbers get what their widest cell needs, the first text column the rest.
  const widths = b.head.map((h, i) => {
    const cells = [h, ...b.rows.map((r) => r[i] ?? '')];
    return Math.max(...cells.map((s) => textWidth(doc, s, { ...style, bold: true }))) + 8;
  });
  const total = widths.reduce((a, w) => a + w, 0);
  if (total > WIDTH) {
    const scale = WIDTH / total;
    for (let i = 0; i < widths.length; i++) widths[i] = (widths[i] as number) * scale;
  }
  const row = (cells: string[], bold: boolean) => {
    c.need(lh);
    let x = rtl ? MARGIN + WIDTH : MARGIN;
    for (let i = 0; i < cols; i++) {
      const w = widths[i] as number;
      const left = rtl ? x - w : x;
      drawLine(doc, cells[i] ?? '', left + 3, c.y + 2, w - 6, { ...style, bold, alignEnd: b.numeric[i] ?? false });
      doc.lineWidth(0.3).strokeColor('#999999').rect(left, c.y, w, lh).stroke();
      x = rtl ? x - w : x + w;
    }
    c.y += lh;
  };
  row(b.head, true);
  for (const r of b.rows) row(r, false);
  c.y += 6;
}

function chart(doc: Doc, c: Cursor, b: Extract<Block, { kind: 'chart' }>, rtl: boolean) {
  const h = 160;
  c.need(h + 30);
  const top = c.y;
  doc.lineWidth(0.5).strokeColor('#999999').rect(MARGIN, top, WIDTH, h).stroke();
  const pts = b.points;
  if (pts.length > 0) {
    const at = (p: { hour: string }) => Date.parse(p.hour.replace(/Z$/, ':00Z'));
    const t0 = at(pts[0]!);
    const t1 = Math.max(t0 + 3_600_000, at(pts.at(-1)!));
    const max = Math.max(1, ...pts.map((p) => p.left));
    const x = (p: { hour: string }) => {
      const v = ((at(p) - t0) / (t1 - t0)) * (WIDTH - 20) + 10;
      return MARGIN + (rtl ? WIDTH - v : v);
    };
    const y = (n: number) => top + h - 8 - (n / max) * (h - 16);
    for (const [key, colour, dash] of [
      ['left', '#1f4e79', false],
      ['arrived', '#2e7d32', true],
    ] as const) {
      doc.lineWidth(1.5).strokeColor(colour);
      if (dash) doc.dash(3, { space: 2 });
      else doc.undash();
      pts.forEach((p, i) => (i === 0 ? doc.moveTo(x(p), y(p[key])) : doc.lineTo(x(p), y(p[key]))));
      doc.stroke();
    }
    doc.undash();
    drawLine(doc, max.toLocaleString('en'), MARGIN + 6, top + 6, WIDTH - 12, { size: 8, rtl });
  }
  c.y = top + h + 4;
  paragraph(doc, c, b.note, { size: 8, rtl });
}

function qr(doc: Doc, text: string, left: number, top: number, size: number) {
  const code = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = code.modules.size;
  const cell = size / n;
  doc.fillColor('#000000');
  for (let r = 0; r < n; r++)
    for (let col = 0; col < n; col++) if (code.modules.get(r, col)) doc.rect(left + col * cell, top + r * cell, cell, cell);
  doc.fill();
}

export async function renderSitrepPdf(payload: SitrepPayload): Promise<Buffer> {
  const rtl = payload.lang === 'ar';
  const blocks = reportBlocks(payload.figures, payload.proof, payload.digest, payload.lang, payload.sites);
  const title = blocks[0]?.kind === 'title' ? blocks[0].text : 'Situation report';
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    lang: payload.lang,
    info: {
      Title: title,
      CreationDate: new Date(payload.proof.producedAt),
      [PDF_PAYLOAD_KEY]: Buffer.from(JSON.stringify(payload)).toString('base64'),
    } as PDFKit.DocumentInfo,
  });
  registerFonts(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  const c = new Cursor(doc);
  for (const b of blocks) {
    if (b.kind === 'title') {
      paragraph(doc, c, b.text, { size: 18, bold: true, rtl });
      c.y += 4;
    } else if (b.kind === 'heading') {
      c.need(40);
      c.y += 8;
      paragraph(doc, c, b.text, { size: 13, bold: true, rtl });
    } else if (b.kind === 'para') paragraph(doc, c, b.text, { size: 10, rtl });
    else if (b.kind === 'table') table(doc, c, b, rtl);
    else if (b.kind === 'chart') chart(doc, c, b, rtl);
    else {
      c.need(150);
      const size = 130;
      qr(doc, b.qr, rtl ? MARGIN : MARGIN + WIDTH - size, c.y, size);
      const top = c.y;
      const save = { y: c.y };
      for (const line of b.lines)
        for (const l of wrap(doc, line, WIDTH - size - 16, { size: 8, rtl })) {
          drawLine(doc, l, rtl ? MARGIN + size + 16 : MARGIN, save.y, WIDTH - size - 16, { size: 8, rtl });
          save.y += 12.8;
        }
      c.y = Math.max(save.y, top + size) + 8;
    }
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
