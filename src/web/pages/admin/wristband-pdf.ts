/**
 * The printable wristband sheet: an A4 PDF with one label per tag of a range — a QR code of
 * the tag (what a scanner types into the tag field) and the code written out large, with the
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

export async function wristbandSheet(opts: { firstSerial: number; lastSerial: number; operationCode: string }): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Wristbands ${formatTag(encodeTag(opts.firstSerial))} – ${formatTag(encodeTag(opts.lastSerial))}`);
  doc.setCreator('Corridor');
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const cellW = (PAGE.w - 2 * MARGIN) / COLS;
  const cellH = (PAGE.h - 2 * MARGIN) / ROWS;
  const perPage = COLS * ROWS;
  let page = doc.addPage([PAGE.w, PAGE.h]);
  for (let serial = opts.firstSerial, i = 0; serial <= opts.lastSerial; serial++, i++) {
    if (i > 0 && i % perPage === 0) page = doc.addPage([PAGE.w, PAGE.h]);
    const slot = i % perPage;
    const x = MARGIN + (slot % COLS) * cellW;
    const y = PAGE.h - MARGIN - (Math.floor(slot / COLS) + 1) * cellH;
    const tag = formatTag(encodeTag(serial));
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
    page.drawText(opts.operationCode, { x: tx, y: y + cellH / 2 - 14, size: 8, font });
    page.drawText(`#${serial}`, { x: tx, y: y + cellH / 2 - 24, size: 7, font, color: rgb(0.35, 0.35, 0.35) });
  }
  return doc.save();
}

export { download } from '../../lib/download.js';
