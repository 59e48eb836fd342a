/**
 * Latin-script normalisation for names written from Arabic (and names of any origin): case,
 * accents, the marks used for ayn and hamza, hyphens and the spelling of the article and of
 * compounds. The result is a comparison form, not a display form: "Abd al-Rahman",
 * "Abdul Rahman" and "abdulrahman" all become "abdulrahman"; "el Hassan", "al-Hasan" and
 * "Alhassan" become "alhasan". Vowel spelling (ou/u/o, ee/i) is left to the skeleton,
 * except for a few digraphs that never carry a difference.
 */

import { stripInvisible } from './parts.js';

// Sun letters assimilate the article's l: ash-Shami, ar-Rahman, ad-Din.
const ARTICLE = /^(?:al|el|ul|il|ol|a[stdnrz]|a(?:sh|th|dh))$/;
const CONNECTORS = new Set(['bin', 'ibn', 'ben', 'bint', 'binti', 'bn']);
const ABU = new Set(['abu', 'abou', 'abo', 'abul', 'abou', 'aboul', 'bou', 'abi']);
// Every way "abd" + article is written before the second half of the compound.
const ABD_FUSED = /^abd(?:[aeiou]?l|[aeiou](?=[stdnrz]))?(?=[a-z]{3})/;
const ABD_ALONE = new Set(['abd', 'abdul', 'abdel', 'abdal', 'abdol', 'abdu', 'abdi', 'abed', 'abdil']);

function stripMarks(s: string): string {
  return stripInvisible(s)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ʿʾʻʼ‘’'`´ʹ]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/đ/g, 'd')
    .replace(/ł/g, 'l')
    .replace(/ı/g, 'i');
}

/** "allah" and "rahman" after abd, with the article and any assimilated letter removed. */
function abdTail(rest: string): string {
  if (/^u?l?lah$/.test(rest) || rest === 'allah') return 'lah';
  return rest.replace(/^(?:al|el|ul|il)(?=[a-z]{3})/, '').replace(/^([stdnrz])\1/, '$1');
}

function joinCompounds(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] as string;
    let next = tokens[i + 1];
    if (CONNECTORS.has(tok) && i > 0 && next !== undefined) continue;
    if (ABD_ALONE.has(tok) && next !== undefined) {
      // "abd al rahman": skip a free-standing article between the halves.
      let j = i + 1;
      if (ARTICLE.test(next) && tokens[j + 1] !== undefined) {
        j++;
        next = tokens[j] as string;
      }
      out.push('abdul' + abdTail(next));
      i = j;
      continue;
    }
    if (ABD_FUSED.test(tok) && !ABD_ALONE.has(tok)) {
      const m = ABD_FUSED.exec(tok) as RegExpExecArray;
      out.push('abdul' + abdTail(tok.slice(m[0].length)));
      continue;
    }
    if (ABU.has(tok) && next !== undefined) {
      out.push('abu' + next);
      i++;
      continue;
    }
    if (ARTICLE.test(tok) && next !== undefined) {
      // Assimilated forms write the sun letter twice: "ar-rahman" → "al" + "rahman".
      out.push('al' + next.replace(/^([stdnrz])\1/, '$1'));
      i++;
      continue;
    }
    out.push(tok);
  }
  return out;
}

function collapse(s: string): string {
  return s.replace(/([a-z])\1+/g, '$1');
}

/**
 * keepVowels: leave the vowel letters as written (ou, ee, oo, doubled vowels), for the
 * transliteration model, which reads long vowels from them; consonants are normalised alike.
 */
export function normaliseLatin(s: string, opts: { keepVowels?: boolean } = {}): string {
  const t = stripMarks(s)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  if (t === '') return '';
  const squeeze = opts.keepVowels === true ? collapseConsonants : collapse;
  return joinCompounds(t.split(' '))
    .map((tok) => {
      let t2 = tok.replace(/ph/g, 'f');
      if (opts.keepVowels !== true) t2 = t2.replace(/ou/g, 'u').replace(/ee/g, 'i').replace(/oo/g, 'u');
      // The joint of a compound is not a doubled letter: abdul|lah stays abdullah.
      return t2.startsWith('abdul') ? 'abdul' + squeeze(t2.slice(5)) : squeeze(t2);
    })
    .join(' ');
}

function collapseConsonants(s: string): string {
  return s.replace(/([b-df-hj-np-tv-z])\1+/g, '$1');
}
