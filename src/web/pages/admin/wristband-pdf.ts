/**
 * The printable wristband sheet: an A4 PDF with one label per tag — of a range, or of a
 * household just registered (printed or printed again at the desk) — a QR code of the tag (what a scanner types into the tag field) and the code written out large, with the
 * operation's code. QR modules are drawn as vector squares (qrcode's matrix, pdf-lib's
 * rectangles), so 500 labels stay small and sharp. Built in the browser; works offline.
 */
import QRCode from 'qrcode';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { encodeTag, formatTag } from '../../../domain/tags.js';

const MM = 72 / 25.4;
const PAGE = { w: 210 * MM, h: 297 * MM };
const COLS = 3;
const ROWS = 10;
const MARGIN = 10 * MM;

export interface WristbandLabel {
  /** The tag as written on the band (formatted, with its dash). */
  tag: string;
  /** Small lines under the tag: the operation's code, a serial, a member's place in the household. */
  lines: string[];
}

/** The sheet of a range of pre-printed tags: one label per serial. */
export async function wristbandSheet(opts: { firstSerial: number; lastSerial: number; operationCode: string }): Promise<Uint8Array> {
  const labels: WristbandLabel[] = [];
  for (let serial = opts.firstSerial; serial <= opts.lastSerial; serial++)
    labels.push({ tag: formatTag(encodeTag(serial)), lines: [opts.operationCode, `#${serial}`] });
  return labelSheet(labels, `Wristbands ${formatTag(encodeTag(opts.firstSerial))} – ${formatTag(encodeTag(opts.lastSerial))}`);
}

/** Any list of wristband labels on A4 (a household's bands printed or printed again at registration). */
export async function labelSheet(labels: readonly WristbandLabel[], title: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setCreator('Corridor');
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const cellW = (PAGE.w - 2 * MARGIN) / COLS;
  const cellH = (PAGE.h - 2 * MARGIN) / ROWS;
  const perPage = COLS * ROWS;
  let page = doc.addPage([PAGE.w, PAGE.h]);
  for (const [i, label] of labels.entries()) {
    if (i > 0 && i % perPage === 0) page = doc.addPage([PAGE.w, PAGE.h]);
    const slot = i % perPage;
    const x = MARGIN + (slot % COLS) * cellW;
    const y = PAGE.h - MARGIN - (Math.floor(slot / COLS) + 1) * cellH;
    const tag = label.tag;
    page.drawRectangle({
      x: x + 1,
      y: y + 1,
      width: cellW - 2,
      height: cellH - 2,
      borderColor: rgb(0.6, 0.6, 0.6),
      borderWidth: 0.5,
      borderDashArray: [3, 3],
    });
    const qr = QRCode.create(tag, { errorCorrectionLevel: 'M' });
    const size = qr.modules.size;
    const qrSide = cellH - 6 * MM;
    const cell = qrSide / size;
    const qx = x + 3 * MM;
    const qy = y + 3 * MM;
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        if (qr.modules.get(r, c))
          page.drawRectangle({ x: qx + c * cell, y: qy + (size - 1 - r) * cell, width: cell, height: cell, color: rgb(0, 0, 0) });
      }
    }
    const tx = qx + qrSide + 3 * MM;
    page.drawText(tag, { x: tx, y: y + cellH / 2, size: 15, font: bold });
    for (const [n, line] of label.lines.entries()) {
      const grey = n === 0 ? 0 : 0.35;
      page.drawText(line, { x: tx, y: y + cellH / 2 - 14 - n * 10, size: n === 0 ? 8 : 7, font, color: rgb(grey, grey, grey) });
    }
  }
  return doc.save();
}

export { download } from '../../lib/download.js';
