/**
 * Name parts regardless of the boxes they were typed into. A clerk may type the whole name into
 * one field ("زياد مازن العلي" as the given name, "Qasim Mohmmad Jamal Taha" as the family
 * name), or two parts into one box and leave the next empty. `splitNameParts` cuts a typed
 * value into name parts, keeping compounds whole — عبد الله, Abd al-Rahman, Abu Ahmad, أبو
 * بكر, the article written apart (al Ali, ال علي), Nour Eddin, Fath Allah — and dropping what
 * carries no identity: "son of" (بن, ابن, bin, ibn) between parts and a title in front (الحاج,
 * Haj, Sheikh). `arrangeNameParts` puts the parts of a chain back into given · father ·
 * grandfather · family when a box holds more than one part: the first part is the given name,
 * the last the family name, those between are father and grandfather in order (two parts: given
 * and family; three: given, father, family). A chain with one part in each box is left as typed
 * (swaps between boxes are the matcher's business: compare-names.ts).
 */
import type { NameParts } from './types.js';

/** Zero-width characters, bidi controls, the soft hyphen and the BOM: invisible, never part of a name. */
export const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;

export function stripInvisible(s: string): string {
  return s.replace(INVISIBLE, '');
}

const ARABIC_OPENERS = new Set(['عبد', 'ابو', 'أبو', 'ابي', 'أبي', 'ام', 'أم', 'ال', 'آل']);
const ARABIC_CLOSERS = new Set(['الدين', 'الله', 'اللّه']);
const ARABIC_CONNECTORS = new Set(['بن', 'ابن', 'بنت', 'إبن']);
const ARABIC_TITLES = new Set(['الحاج', 'حاج', 'الحاجة', 'حجي', 'السيد', 'الشيخ', 'شيخ', 'السيدة']);

const LATIN_OPENERS = new Set(['abd', 'abdul', 'abdel', 'abdal', 'abdol', 'abdu', 'abu', 'abou', 'abo', 'bou', 'um', 'umm', 'om', 'omm']);
const LATIN_ARTICLES = new Set([
  'al',
  'el',
  'ul',
  'il',
  'as',
  'ash',
  'at',
  'ath',
  'ad',
  'adh',
  'ar',
  'az',
  'an',
  'ed',
  'es',
  'er',
  'en',
  'et',
]);
const LATIN_CLOSERS = /^(?:[aeiu][dl]?[- ]?d[ie]{1,2}ne?|din|deen|allah|ullah)$/;
const LATIN_CONNECTORS = new Set(['bin', 'ibn', 'ben', 'bint', 'binti', 'bn']);
const LATIN_TITLES = new Set([
  'haj',
  'hajj',
  'hadj',
  'haji',
  'hajji',
  'al-haj',
  'al-hajj',
  'el-hadj',
  'el-haj',
  'sheikh',
  'shaikh',
  'sheikha',
  'sayyid',
  'mr',
  'mrs',
]);

const plain = (t: string) =>
  t
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[.'’`]/g, '');

/** The name parts of one typed value, compounds kept whole, connectors and a leading title dropped. */
export function splitNameParts(value: string): string[] {
  const tokens = stripInvisible(value)
    .split(/[\s,،;]+/)
    .filter((t) => t !== '' && /\p{L}/u.test(t));
  const out: string[] = [];
  let i = 0;
  // A title in front, when a name follows.
  while (i < tokens.length - 1 && (ARABIC_TITLES.has(tokens[i] as string) || LATIN_TITLES.has(plain(tokens[i] as string)))) i++;
  for (; i < tokens.length; i++) {
    const tok = tokens[i] as string;
    const low = plain(tok);
    if (out.length > 0 && i < tokens.length - 1 && (ARABIC_CONNECTORS.has(tok) || LATIN_CONNECTORS.has(low))) continue;
    const last = out.length - 1;
    if (last >= 0 && (ARABIC_CLOSERS.has(tok) || LATIN_CLOSERS.test(low)) && !opensCompound(out[last] as string)) {
      out[last] = `${out[last] as string} ${tok}`;
      continue;
    }
    let part = tok;
    // An opener takes the next token (and after abd/abu a free-standing article takes one more).
    while (opensCompound(part) && i + 1 < tokens.length) {
      part = `${part} ${tokens[++i] as string}`;
    }
    out.push(part);
  }
  return out;
}

/** Whether a part so far still waits for its second half: عبد, Abu, al, "Abd al". */
function opensCompound(part: string): boolean {
  const words = part.split(' ');
  const lastWord = words[words.length - 1] as string;
  const low = plain(lastWord);
  if (words.length === 1) return ARABIC_OPENERS.has(lastWord) || LATIN_OPENERS.has(low) || LATIN_ARTICLES.has(low);
  // "Abd al" / "Abu el" / "عبد ال": the article written apart after an opener.
  return words.length === 2 && (LATIN_ARTICLES.has(low) || lastWord === 'ال');
}

const FIELDS = ['given', 'father', 'grandfather', 'family'] as const;

/**
 * The chain with its parts in their boxes. Unchanged when no box holds more than one part;
 * otherwise all parts, read in box order, are laid out again (see the module comment).
 */
export function arrangeNameParts(p: NameParts): NameParts {
  const split = FIELDS.map((f) => (p[f] === undefined || p[f].trim() === '' ? [] : splitNameParts(p[f])));
  if (split.every((s) => s.length <= 1)) return p;
  const all = split.flat();
  if (all.length === 0) return p;
  const out: NameParts = {};
  const [first, ...rest] = all as [string, ...string[]];
  out.given = first;
  if (rest.length === 0) return out;
  out.family = rest[rest.length - 1] as string;
  const middle = rest.slice(0, -1);
  if (middle[0] !== undefined) out.father = middle[0];
  if (middle[1] !== undefined) out.grandfather = middle[1];
  return out;
}
