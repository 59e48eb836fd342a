/**
 * Arabic-script normalisation: the spelling differences that do not change which name is
 * meant (diacritics, tatweel, the alef/hamza forms, taa marbuta, alef maqsura, Persian and
 * Urdu letter shapes, Arabic-Indic digits) are removed, and compound names are written one
 * way (عبد الرحمن → عبدالرحمن, ابو بكر → ابوبكر) so that spacing typed at a desk does not
 * split or join a name. The article ال is kept here; the phonetic skeleton drops it.
 */

import { stripInvisible } from './parts.js';

// Harakat, shadda, sukun, superscript alef, Quranic marks; tatweel is a drawing stroke.
const MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED\u0640]/g;

const LETTER_MAP: Record<string, string> = {
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ٱ: 'ا',
  ٲ: 'ا',
  ٳ: 'ا',
  ٵ: 'ا',
  ؤ: 'و',
  ٶ: 'و',
  ئ: 'ي',
  ى: 'ي',
  ی: 'ي',
  ې: 'ي',
  ۍ: 'ي',
  ێ: 'ي',
  ٸ: 'ي',
  ة: 'ه',
  ۀ: 'ه',
  ە: 'ه',
  ہ: 'ه',
  ھ: 'ه',
  ۃ: 'ه',
  ک: 'ك',
  ڪ: 'ك',
};

/** Arabic-Indic and Persian digits as ASCII digits (a birth year typed ١٩٨٥ is 1985). */
export function mapDigits(s: string): string {
  return s
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
}

// Tokens that only say "son of"/"daughter of" inside a chain; they carry no identity.
const CONNECTORS = new Set(['بن', 'ابن', 'بنت']);
// Tokens that open a compound name with the next token.
const COMPOUND_OPENERS = new Set(['عبد', 'ابو', 'ام']);

/** Normalises Arabic script; Latin letters and digits in the input are kept (lower-cased). */
export function normaliseArabic(s: string): string {
  // Zero-width and bidi controls first: as punctuation below they would split a word in two.
  let t = mapDigits(stripInvisible(s).normalize('NFKC')).replace(MARKS, '');
  t = t.replace(/[^\s]/g, (ch) => LETTER_MAP[ch] ?? ch).toLowerCase();
  // Punctuation (including Arabic comma and hyphens) separates tokens.
  t = t.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  if (t === '') return '';
  const tokens = t.split(' ');
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] as string;
    if (CONNECTORS.has(tok) && tokens.length > 1 && i > 0) continue;
    const next = tokens[i + 1];
    if (COMPOUND_OPENERS.has(tok) && next !== undefined) {
      out.push(tok + next);
      i++;
      continue;
    }
    out.push(tok);
  }
  return out.join(' ');
}

export function hasArabicScript(s: string): boolean {
  return /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/.test(s);
}
