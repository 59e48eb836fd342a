/**
 * The shared phonetic skeleton: one key that Arabic script and its common Latin
 * transliterations both reduce to, so محمد, Mohammed, Muhammad and Mohamad meet. Arabic
 * writes consonants and long vowels; transliterations add short vowels and spell the same
 * consonant several ways. So both sides keep consonants only, each mapped to a class of
 * sounds that transliteration confuses (ث/th/t, ذ ظ ز/dh/z, ق ك/q/k/c, ش/sh/ch …), drop
 * vowels and the weak letters ا و ي ع ء inside a word, mark a word that starts with a vowel
 * by "a", drop the article and a final h (taa marbuta), and collapse doubled letters.
 * Compounds keep their first half as a fixed prefix (abd, ab) so the second half is
 * reduced as a word of its own. The mapping was checked against Wikidata name pairs (see
 * test/domain/names-skeleton-data.test.ts for the measured agreement).
 */
import { hasArabicScript, normaliseArabic } from './arabic.js';
import { normaliseLatin } from './latin.js';

export const AR_CONSONANT: Record<string, string> = {
  ب: 'b',
  پ: 'b',
  ت: 't',
  ط: 't',
  ث: 't',
  ج: 'j',
  چ: 'x',
  ح: 'h',
  ه: 'h',
  خ: 'k',
  د: 'd',
  ض: 'd',
  ذ: 'd',
  ظ: 'z',
  ز: 'z',
  ژ: 'z',
  ر: 'r',
  س: 's',
  ص: 's',
  ش: 'x',
  غ: 'j',
  ف: 'f',
  ڤ: 'f',
  ق: 'k',
  ك: 'k',
  گ: 'j',
  ل: 'l',
  م: 'm',
  ن: 'n',
};
export const AR_WEAK = new Set(['ا', 'و', 'ي', 'ع', 'ء']);

function collapse(s: string): string {
  return s.replace(/(.)\1+/g, '$1');
}

function skeletonArabicWord(w: string, keepLong = false): string {
  let word = w.replace(/تش/g, 'چ');
  // The article is not dropped before و or ي: الياس (Ilyas) keeps its ال.
  // nor when no consonant would be left: آلاء (Alaa) is a name, not an article.
  if (
    word.startsWith('ال') &&
    word.length > 3 &&
    word[2] !== 'ي' &&
    word[2] !== 'و' &&
    [...word.slice(2)].some((ch) => AR_CONSONANT[ch] !== undefined)
  )
    word = word.slice(2);
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const ch = word[i] as string;
    const c = AR_CONSONANT[ch];
    if (c !== undefined) {
      // A final ه is almost always taa marbuta or a vowel ending.
      if (ch === 'ه' && i === word.length - 1 && i > 0) continue;
      out += c;
    } else if (i === 0 && AR_WEAK.has(ch)) {
      // With long vowels kept (two Arabic spellings), an initial ع is told from ا: علاء is not آلاء.
      out += ch === 'و' ? 'w' : ch === 'ي' ? 'y' : keepLong && ch === 'ع' ? 'e' : 'a';
    } else if (keepLong && (ch === 'و' || ch === 'ي')) {
      out += ch === 'و' ? 'w' : 'y';
    } else if (/[0-9a-z]/.test(ch)) {
      out += ch;
    }
  }
  return collapse(out);
}

function arabicCompound(w: string, keepLong: boolean): string {
  if (w.startsWith('عبد') && w.length > 4) return 'abd' + skeletonArabicWord(w.slice(3), keepLong);
  if (w.startsWith('ابو') && w.length > 4) return 'ab' + skeletonArabicWord(w.slice(3), keepLong);
  return skeletonArabicWord(w, keepLong);
}

export const LATIN_DIGRAPHS: Array<[RegExp, string]> = [
  [/x/g, 'ks'],
  [/tch|tsch|sch|sh|ch|zh|ş|š|č/g, 'x'],
  [/kh/g, 'k'],
  [/gh|g/g, 'j'],
  [/th/g, 't'],
  [/dh/g, 'd'],
  [/ph/g, 'f'],
  [/dj|dsch/g, 'j'],
  [/ck/g, 'k'],
  [/c(?=[eiy])/g, 's'],
  [/c/g, 'k'],
  [/q/g, 'k'],
  [/v/g, 'f'],
  [/p/g, 'b'],
  [/w/g, 'w'],
];

function skeletonLatinWord(w: string): string {
  let word = w;
  for (const [re, to] of LATIN_DIGRAPHS) word = word.replace(re, to);
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const ch = word[i] as string;
    if (/[aeiou]/.test(ch)) {
      if (i === 0) out += 'a';
    } else if (ch === 'y' || ch === 'w') {
      if (i === 0) out += ch;
    } else if (ch === 'h') {
      // Final h after a vowel is the taa marbuta or a spelling habit (Aisha/Aishah).
      if (i < word.length - 1 || i === 0) out += 'h';
    } else {
      out += ch;
    }
  }
  return collapse(out);
}

/**
 * Where a Latin word writes a vowel between two consonants, marked ".": Mohammed and
 * Muhammad give m.h.m.d, Mahmoud and Mahmud m.hm.d — the two names share a skeleton but
 * not this pattern. Only meaningful between two Latin spellings.
 */
function vowelPatternLatinWord(w: string): string {
  let word = w;
  for (const [re, to] of LATIN_DIGRAPHS) word = word.replace(re, to);
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const ch = word[i] as string;
    const vowel = /[aeiouyw]/.test(ch) || (ch === 'h' && i === word.length - 1 && i > 0);
    if (vowel) {
      if (i === 0) out += ch === 'y' || ch === 'w' ? ch : 'a';
      else if (!out.endsWith('.')) out += '.';
    } else if (!out.endsWith(ch)) {
      out += ch;
    }
  }
  return out.replace(/\.$/, '');
}

function latinCompound(w: string, pattern = false): string {
  const word = pattern ? vowelPatternLatinWord : skeletonLatinWord;
  if (w.startsWith('abdul') && w.length > 6) return 'abd' + word(w.slice(5));
  if (w.startsWith('abu') && w.length > 4) return 'ab' + word(w.slice(3));
  if ((/^[aei]l[^aeiouyw]/.test(w) && w.length > 4) || (/^al[aeou]/.test(w) && w.length >= 6)) return word(w.slice(2));
  return word(w);
}

/**
 * Skeleton of every word of a name in any script, words joined by a space. With
 * keepLongVowels, Arabic script keeps و and ي inside words, and Latin marks where a vowel
 * is written between consonants (see vowelPatternLatinWord): two spellings in the same
 * script are then told apart where the skeleton merges them (محمد/محمود, Mohammed/Mahmoud).
 */
export function skeleton(s: string, opts: { keepLongVowels?: boolean } = {}): string {
  const keepLong = opts.keepLongVowels === true;
  const arabic = hasArabicScript(s);
  const norm = arabic ? normaliseArabic(s) : normaliseLatin(s);
  if (norm === '') return '';
  return norm
    .split(' ')
    .map((w) => (hasArabicScript(w) ? arabicCompound(w, keepLong) : latinCompound(w, keepLong)))
    .filter((w) => w !== '')
    .join(' ');
}
