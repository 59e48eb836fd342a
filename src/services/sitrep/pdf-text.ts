/**
 * Lines of mixed Arabic and Latin text in a PDF, laid out by hand: the Unicode bidirectional
 * algorithm (bidi-js) orders each line for the eye, the line is cut into runs of one direction
 * and one font, and each Arabic run is given to pdfkit in logical order — fontkit shapes it
 * (initial, medial, final forms, lam-alef) and lays its glyphs right to left. Latin runs (digits,
 * ids, hashes) use Helvetica; Arabic runs the embedded Noto Naskh Arabic (from npm, never a
 * system font). Lines are wrapped by words before ordering, as the algorithm requires.
 */
import * as bidiModule from 'bidi-js';
import type { Bidi } from 'bidi-js';
import type PDFDocument from 'pdfkit';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { woffToSfnt } from './woff.js';

// The package is CommonJS with a factory as its default export: depending on the loader, its
// functions come as named exports, as the default export, or from calling the factory.
function bidiOf(m: unknown, depth = 0): Bidi {
  if (typeof m === 'function') return (m as () => Bidi)();
  if (m && typeof (m as Bidi).getEmbeddingLevels === 'function') return m as Bidi;
  if (m && typeof m === 'object' && 'default' in m && depth < 3) return bidiOf((m as { default: unknown }).default, depth + 1);
  throw new Error('bidi-js did not load');
}
const bidi = bidiOf(bidiModule);
const require = createRequire(import.meta.url);

export const ARABIC_FONT_FILE = require.resolve('@fontsource/noto-naskh-arabic/files/noto-naskh-arabic-arabic-400-normal.woff');
export const ARABIC_BOLD_FONT_FILE = require.resolve('@fontsource/noto-naskh-arabic/files/noto-naskh-arabic-arabic-700-normal.woff');

type Doc = InstanceType<typeof PDFDocument>;

const isArabic = (c: number) =>
  (c >= 0x0600 && c <= 0x06ff) ||
  (c >= 0x0750 && c <= 0x077f) ||
  (c >= 0x08a0 && c <= 0x08ff) ||
  (c >= 0xfb50 && c <= 0xfdff) ||
  (c >= 0xfe70 && c <= 0xfeff) ||
  c === 0x200c ||
  c === 0x200d;

const isFormatMark = (c: number) => (c >= 0x2066 && c <= 0x2069) || c === 0x200e || c === 0x200f;

// Unpacked once per process (see woff.ts): every document embeds from the same buffers.
let fonts: { regular: Buffer; bold: Buffer } | undefined;

export function registerFonts(doc: Doc): void {
  fonts ??= { regular: woffToSfnt(readFileSync(ARABIC_FONT_FILE)), bold: woffToSfnt(readFileSync(ARABIC_BOLD_FONT_FILE)) };
  doc.registerFont('ar', fonts.regular);
  doc.registerFont('ar-bold', fonts.bold);
}

const fontOf = (arabic: boolean, bold: boolean) => (arabic ? (bold ? 'ar-bold' : 'ar') : bold ? 'Helvetica-Bold' : 'Helvetica');

/** Characters Helvetica's WinAnsi encoding cannot show, replaced by what it can. */
const latinSafe = (s: string) => s.replace(/−/g, '-').replace(/[‘’]/g, "'").replace(/[“”]/g, '"');

interface Run {
  text: string;
  arabic: boolean;
}

/** The runs of one line in visual order, left to right. */
export function visualRuns(line: string, rtl: boolean): Run[] {
  if (line.length === 0) return [];
  const embedding = bidi.getEmbeddingLevels(line, rtl ? 'rtl' : 'ltr');
  const { levels } = embedding;
  const order = Array.from({ length: line.length }, (_, i) => i);
  // Code units, not code points: the Arabic and Latin text here is all in the BMP.
  for (const [start = 0, end = 0] of bidi.getReorderSegments(line, embedding)) {
    const seg = order.slice(start, end + 1).reverse();
    order.splice(start, seg.length, ...seg);
  }
  const mirrored = bidi.getMirroredCharactersMap(line, levels);
  const runs: (Run & { rtl: boolean; idx: number[] })[] = [];
  for (const i of order) {
    const ch = line.charCodeAt(i);
    if (isFormatMark(ch)) continue; // isolates and marks order the text; they have no glyph
    const arabic = isArabic(ch);
    const runRtl = (levels[i] as number) % 2 === 1;
    const last = runs.at(-1);
    // A run continues while font and direction stay and the logical index follows on.
    const follows =
      last &&
      last.arabic === arabic &&
      last.rtl === runRtl &&
      (runRtl ? (last.idx.at(-1) as number) - 1 === i : (last.idx.at(-1) as number) + 1 === i);
    if (follows) last.idx.push(i);
    else runs.push({ text: '', arabic, rtl: runRtl, idx: [i] });
  }
  return runs.map((r) => {
    if (r.arabic) {
      // Arabic: logical order; fontkit lays it out right to left.
      const logical = [...r.idx].sort((a, b) => a - b);
      return { arabic: true, text: logical.map((i) => line[i]).join('') };
    }
    // Latin, digits and neutrals: already in visual order; mirrored brackets in right-to-left runs.
    return { arabic: false, text: latinSafe(r.idx.map((i) => mirrored.get(i) ?? line[i]).join('')) };
  });
}

export interface LineStyle {
  size: number;
  bold?: boolean;
  rtl: boolean;
}

function widthOf(doc: Doc, runs: Run[], style: LineStyle): number {
  let w = 0;
  for (const r of runs) {
    doc.font(fontOf(r.arabic, style.bold ?? false)).fontSize(style.size);
    w += doc.widthOfString(r.text);
  }
  return w;
}

const widths = new WeakMap<Doc, Map<string, number>>();

/** Width of a piece of text as it will be drawn (for wrapping and column fitting), remembered per document. */
export function textWidth(doc: Doc, text: string, style: LineStyle): number {
  let memo = widths.get(doc);
  if (!memo) widths.set(doc, (memo = new Map()));
  const key = `${style.size}|${style.bold ? 1 : 0}|${style.rtl ? 1 : 0}|${text}`;
  let w = memo.get(key);
  if (w === undefined) memo.set(key, (w = widthOf(doc, visualRuns(text, style.rtl), style)));
  return w;
}

/**
 * Draws one line inside [x, x + width]: at the start edge (left, or right when right-to-left),
 * or at the end edge when `alignEnd` (numbers in a column).
 */
export function drawLine(doc: Doc, text: string, x: number, y: number, width: number, style: LineStyle & { alignEnd?: boolean }): void {
  const runs = visualRuns(text, style.rtl);
  const w = widthOf(doc, runs, style);
  const toRight = style.rtl !== (style.alignEnd ?? false);
  let cx = toRight ? x + width - w : x;
  for (const r of runs) {
    doc.font(fontOf(r.arabic, style.bold ?? false)).fontSize(style.size);
    doc.text(r.text, cx, y, { lineBreak: false });
    cx += doc.widthOfString(r.text);
  }
}

/** Splits a paragraph into lines that fit `width`, by words, in logical order. */
export function wrap(doc: Doc, text: string, width: number, style: LineStyle): string[] {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const lines: string[] = [];
  const space = textWidth(doc, ' ', { ...style, rtl: false });
  let line = '';
  let lineWidth = 0;
  for (let word of words) {
    // A word wider than the line (a hash) is cut where it must be.
    while (textWidth(doc, word, style) > width && word.length > 1) {
      let cut = word.length - 1;
      while (cut > 1 && textWidth(doc, word.slice(0, cut), style) > width) cut--;
      if (line) lines.push(line);
      lines.push(word.slice(0, cut));
      line = '';
      lineWidth = 0;
      word = word.slice(cut);
    }
    // The line's width as the sum of its words' (shaping does not cross a space).
    const w = textWidth(doc, word, style);
    if (line && lineWidth + space + w > width) {
      lines.push(line);
      line = word;
      lineWidth = w;
    } else {
      lineWidth += (line ? space : 0) + w;
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
