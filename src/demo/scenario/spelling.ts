/**
 * How the same name comes to be written differently: `spellingVariant` gives another accepted
 * spelling (Mohammed → Muhammad, al-Hasan → Alhassan, أحمد → احمد, عبد الرحمن → عبدالرحمن) and
 * `typo` a keying mistake (a neighbouring key, a dropped, doubled or swapped letter), in Latin
 * letters on a QWERTY keyboard and in Arabic on the Arabic PC layout. The generators use them to
 * make true duplicates that a matcher has to recognise.
 */
import { familyNames, femaleGivenNames, latinFamily, maleGivenNames, pickArticleStyle, plainArabic, type NameEntry } from './names.js';
import type { Rng } from './rng.js';

interface Known {
  entry: NameEntry;
  family: boolean;
}

const latinIndex = new Map<string, Known>();
for (const [list, family] of [
  [maleGivenNames, false],
  [femaleGivenNames, false],
  [familyNames, true],
] as const) {
  for (const entry of list.entries) {
    for (const lat of entry.lat) {
      const key = lat.toLowerCase();
      if (!latinIndex.has(key)) latinIndex.set(key, { entry, family });
    }
  }
}

const ARTICLE = /^(al-|al |el-|el |a(?:sh|th|dh|t|d|r|z|s|n)-)/i;

/** Splits a Latin name into its written article (if any) and what follows. */
function splitArticle(name: string): { article: string; base: string } {
  const m = ARTICLE.exec(name);
  if (m) return { article: m[1] as string, base: name.slice((m[1] as string).length) };
  const lower = name.toLowerCase();
  if (lower.startsWith('al') && !latinIndex.has(lower)) {
    const rest = lower.slice(2);
    const known = latinIndex.get(rest);
    if (known?.family) return { article: 'Al', base: known.entry.lat.find((l) => l.toLowerCase() === rest) ?? rest };
  }
  return { article: '', base: name };
}

// Generic transliteration swaps for names not in the lists.
const LATIN_SWAPS: ReadonlyArray<[RegExp, string]> = [
  [/ou/, 'u'],
  [/u/, 'ou'],
  [/ee/, 'i'],
  [/i(?=[^aeiou])/, 'ee'],
  [/e/, 'a'],
  [/a(?=[^aeiou]+$)/, 'e'],
  [/([bdfklmnrst])\1/, '$1'],
  [/([aeiou])([mnrs])([aeiou])/, '$1$2$2$3'],
  [/q/, 'k'],
  [/k/, 'q'],
  [/dh/, 'z'],
  [/th/, 's'],
  [/y$/, 'i'],
];

function latinVariant(rng: Rng, name: string): string {
  const { article, base } = splitArticle(name);
  const known = latinIndex.get(base.toLowerCase());
  if (known) {
    const others = known.entry.lat.filter((l) => l.toLowerCase() !== base.toLowerCase());
    const changeArticle = known.entry.article && (others.length === 0 || rng.chance(0.4));
    const newBase = others.length > 0 && (!changeArticle || rng.chance(0.5)) ? rng.pick(others) : base;
    if (!known.family || !known.entry.article) return newBase === base && others.length === 0 ? genericLatin(rng, name) : newBase;
    if (!changeArticle) return article === 'Al' ? `Al${newBase.toLowerCase()}` : `${article}${newBase}`;
    for (let i = 0; i < 6; i++) {
      const out = latinFamily(known.entry, newBase, pickArticleStyle(rng));
      if (out !== name) return out;
    }
    return `al-${newBase}`;
  }
  return genericLatin(rng, name);
}

function genericLatin(rng: Rng, name: string): string {
  const start = rng.int(0, LATIN_SWAPS.length - 1);
  for (let i = 0; i < LATIN_SWAPS.length; i++) {
    const [re, to] = LATIN_SWAPS[(start + i) % LATIN_SWAPS.length] as [RegExp, string];
    const out = name.replace(re, to);
    if (out !== name && out.length > 0) return out;
  }
  return name;
}

const ARABIC_OPS: ReadonlyArray<(s: string) => string> = [
  (s) => plainArabic(s),
  (s) => s.replace(/^ا(?=[^ل])/, 'أ'),
  (s) => s.replace(/ة$/, 'ه'),
  (s) => s.replace(/ه$/, 'ة'),
  (s) => s.replace(/ى$/, 'ي'),
  (s) => s.replace(/ي$/, 'ى'),
  (s) => s.replace(/^عبد /, 'عبد'),
  (s) => s.replace(/^عبد(?=ال)/, 'عبد '),
  (s) => (s.startsWith('ال') && s.length > 4 ? s.slice(2) : s),
  (s) => s.replace(/^ال(?=\S+$)/, 'آل '),
  (s) => s.replace(/و/, 'وو'),
];

function arabicVariant(rng: Rng, name: string): string {
  const start = rng.int(0, ARABIC_OPS.length - 1);
  for (let i = 0; i < ARABIC_OPS.length; i++) {
    const out = (ARABIC_OPS[(start + i) % ARABIC_OPS.length] as (s: string) => string)(name);
    if (out !== name && out.length > 0) return out;
  }
  return name;
}

const ARABIC_LETTER = /[\u0600-\u06ff]/;

export function isArabic(s: string): boolean {
  return ARABIC_LETTER.test(s);
}

/** Another accepted spelling of the same name, in the same script; unchanged if none is known. */
export function spellingVariant(rng: Rng, name: string): string {
  if (name.trim() === '') return name;
  return isArabic(name) ? arabicVariant(rng, name) : latinVariant(rng, name);
}

function neighbourMap(rows: readonly string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const grid = rows.map((r) => [...r]);
  grid.forEach((row, y) =>
    row.forEach((ch, x) => {
      const near = [row[x - 1], row[x + 1], grid[y - 1]?.[x], grid[y - 1]?.[x + 1], grid[y + 1]?.[x], grid[y + 1]?.[x - 1]];
      map.set(
        ch,
        near.filter((c): c is string => !!c),
      );
    }),
  );
  return map;
}

const LATIN_KEYS = neighbourMap(['qwertyuiop', 'asdfghjkl', 'zxcvbnm']);
const ARABIC_KEYS = neighbourMap(['ضصثقفغعهخحجد', 'شسيبلاتنمكط', 'ئءؤرىةوزظ']);
// Letters people confuse by sound or by shape, added to the keyboard neighbours.
for (const [a, b] of [
  ['س', 'ص'],
  ['ت', 'ط'],
  ['د', 'ض'],
  ['ذ', 'ز'],
  ['ه', 'ة'],
  ['ي', 'ى'],
  ['ا', 'أ'],
  ['ا', 'إ'],
  ['ح', 'ه'],
  ['ك', 'ق'],
  ['ث', 'س'],
] as const) {
  ARABIC_KEYS.set(a, [...(ARABIC_KEYS.get(a) ?? []), b]);
  ARABIC_KEYS.set(b, [...(ARABIC_KEYS.get(b) ?? []), a]);
}

function neighbourOf(rng: Rng, ch: string): string | null {
  const lower = ch.toLowerCase();
  const near = LATIN_KEYS.get(lower) ?? ARABIC_KEYS.get(ch);
  if (!near || near.length === 0) return null;
  const out = rng.pick(near);
  return ch !== lower ? out.toUpperCase() : out;
}

type TypoKind = 'substitute' | 'drop' | 'double' | 'swap';

/** One keying mistake in `s`: neighbouring key, dropped, doubled or swapped letter. */
export function typo(rng: Rng, s: string): string {
  const letters: number[] = [];
  const chars = [...s];
  chars.forEach((c, i) => {
    if (/[\p{L}]/u.test(c)) letters.push(i);
  });
  if (letters.length === 0) return s;
  for (let attempt = 0; attempt < 8; attempt++) {
    const kind = rng.choose<TypoKind>({ substitute: 4, drop: 2, double: 2, swap: 2 });
    const i = rng.pick(letters);
    const c = chars[i] as string;
    const out = [...chars];
    if (kind === 'substitute') {
      const n = neighbourOf(rng, c);
      if (!n) continue;
      out[i] = n;
    } else if (kind === 'drop') {
      if (letters.length < 3) continue;
      out.splice(i, 1);
    } else if (kind === 'double') {
      out.splice(i, 0, c.toLowerCase() === c ? c : c.toLowerCase());
    } else {
      const next = chars[i + 1];
      if (!next || !/[\p{L}]/u.test(next) || next.toLowerCase() === c.toLowerCase()) continue;
      out[i] = i === 0 && c !== c.toLowerCase() ? next.toUpperCase() : next;
      out[i + 1] = i === 0 ? c.toLowerCase() : c;
    }
    const result = out.join('');
    if (result !== s) return result;
  }
  return s;
}
