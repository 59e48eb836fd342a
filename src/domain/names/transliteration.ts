/**
 * Which long vowels a Latin spelling implies in Arabic script. The skeleton keeps consonants
 * only, so Maryam meets مرام as well as مريم, Mahmoud meets محمد, Hussain meets حسن: across
 * scripts, a sister and a cousin look like a second spelling. A transliteration does say more
 * than its consonants — "ya" in Maryam is written ي, "ou" in Mahmoud و, a final "a" in Rima
 * ا — so both names are cut into the same consonant frame and the vowel written after each
 * consonant ("slot") is compared: P(Arabic slot | Latin slot), learned from the Wikidata
 * Arabic ⇄ Latin name pairs (fit-transliteration.ts → transliteration.json), against how often
 * that Arabic slot occurs at all. The sum of log2 ratios says whether this Arabic name is what
 * this Latin spelling is usually written as (≥ 0) or another name with the same consonants.
 */
import { hasArabicScript, normaliseArabic } from './arabic.js';
import { normaliseLatin } from './latin.js';
import { AR_CONSONANT, AR_WEAK, LATIN_DIGRAPHS } from './skeleton.js';
import table from './transliteration.json' with { type: 'json' };

/** A word cut into consonant classes (as in the skeleton) and the vowel letters written after each. */
export interface VowelFrame {
  consonants: string;
  /** One per consonant: the vowel letters between it and the next consonant (final slot last). */
  slots: string[];
}

const MAQSURA = 'ے';

function push(frame: { cons: string[]; slots: string[] }, c: string): void {
  // Doubled consonants collapse in the skeleton, across a dropped vowel too (مامون → mn).
  if (frame.cons[frame.cons.length - 1] === c) return;
  frame.cons.push(c);
  frame.slots.push('');
}

function addVowel(frame: { cons: string[]; slots: string[] }, v: string): void {
  if (frame.slots.length > 0) frame.slots[frame.slots.length - 1] += v;
}

function latinWordFrame(w: string): VowelFrame {
  let word = w;
  if (word.startsWith('abdul') && word.length > 6) word = word.slice(5);
  else if (word.startsWith('abu') && word.length > 4) word = word.slice(3);
  else if ((/^[aei]l[^aeiouyw]/.test(word) && word.length > 4) || (/^al[aeou]/.test(word) && word.length >= 6)) word = word.slice(2);
  for (const [re, to] of LATIN_DIGRAPHS) word = word.replace(re, to);
  const f = { cons: [] as string[], slots: [] as string[] };
  for (let i = 0; i < word.length; i++) {
    const ch = word[i] as string;
    if (/[aeiou]/.test(ch)) {
      if (i === 0) push(f, 'a');
      else addVowel(f, ch);
    } else if (ch === 'y' || ch === 'w') {
      if (i === 0) push(f, ch);
      else addVowel(f, ch);
    } else if (ch === 'h' && i === word.length - 1 && i > 0) {
      addVowel(f, 'h');
    } else {
      push(f, ch);
    }
  }
  return { consonants: f.cons.join(''), slots: f.slots };
}

function arabicWordFrame(w: string): VowelFrame {
  let word = w.replace(/تش/g, 'چ');
  if (word.startsWith('عبد') && word.length > 4) word = word.slice(3);
  else if (word.startsWith('ابو') && word.length > 4) word = word.slice(3);
  if (
    word.startsWith('ال') &&
    word.length > 3 &&
    word[2] !== 'ي' &&
    word[2] !== 'و' &&
    [...word.slice(2)].some((ch) => AR_CONSONANT[ch] !== undefined)
  )
    word = word.slice(2);
  const f = { cons: [] as string[], slots: [] as string[] };
  for (let i = 0; i < word.length; i++) {
    const ch = word[i] as string;
    const c = AR_CONSONANT[ch];
    if (c !== undefined && !(ch === 'ه' && i === word.length - 1 && i > 0)) push(f, c);
    else if (i === 0 && AR_WEAK.has(ch)) push(f, ch === 'و' ? 'w' : ch === 'ي' ? 'y' : 'a');
    else if (c !== undefined || AR_WEAK.has(ch)) addVowel(f, ch);
    else if (ch === MAQSURA) addVowel(f, 'ى');
  }
  return { consonants: f.cons.join(''), slots: f.slots };
}

/** The frame of a one-word name in either script; null for names of several words. */
export function vowelFrame(name: string): VowelFrame | null {
  const arabic = hasArabicScript(name);
  // A final alif maqsura is an "a" (لمى, Lama), which normalisation writes as ي: kept apart as ے.
  const norm = arabic ? normaliseArabic(name.replace(/ى(?=$|[^\p{L}])/gu, MAQSURA)) : normaliseLatin(name, { keepVowels: true });
  if (norm === '' || norm.includes(' ')) return null;
  return arabic ? arabicWordFrame(norm) : latinWordFrame(norm);
}

/** Key of a slot: its position (M inside the word, F after the last consonant) and its letters. */
export function slotKey(frame: VowelFrame, k: number): string {
  return `${k === frame.slots.length - 1 ? 'F' : 'M'}:${frame.slots[k] ?? ''}`;
}

export interface TransliterationTable {
  /** Pseudo-count spread by the marginal over each Latin slot's Arabic slots. */
  alpha: number;
  /** Latin slot key → Arabic slot letters → count. */
  counts: Record<string, Record<string, number>>;
  /** Position (M / F) → Arabic slot letters → share. */
  marginal: Record<string, Record<string, number>>;
  /** Normalised Latin name → its usual Arabic writing, for names whose skeleton two Arabic names share. */
  names?: Record<string, string>;
}

const TABLE = table as TransliterationTable;
const MIN_SHARE = 1e-3;

/** log2 P(Arabic slots | Latin slots) / P(Arabic slots), over two frames; null when they do not align. */
export function frameScore(l: VowelFrame | null, a: VowelFrame | null, t: TransliterationTable = TABLE): number | null {
  if (l === null || a === null || l.consonants !== a.consonants || l.slots.length !== a.slots.length) return null;
  let score = 0;
  for (let k = 0; k < l.slots.length; k++) {
    const pos = k === l.slots.length - 1 ? 'F' : 'M';
    const ar = a.slots[k] ?? '';
    const marginal = Math.max(MIN_SHARE, t.marginal[pos]?.[ar] ?? 0);
    const row = t.counts[slotKey(l, k)];
    if (row === undefined) continue;
    const total = Object.values(row).reduce((sum, x) => sum + x, 0);
    score += Math.log2(((row[ar] ?? 0) + t.alpha * marginal) / (total + t.alpha) / marginal);
  }
  return score;
}

/**
 * log2 of how much likelier this Arabic name is as the writing of this Latin one than any
 * Arabic name with the same consonants; null when the two do not share a consonant frame
 * (different skeletons, several words, or two names in the same script).
 */
export function transliterationScore(latin: string, arabic: string, t: TransliterationTable = TABLE): number | null {
  if (hasArabicScript(latin) || !hasArabicScript(arabic)) return null;
  return bestScore(transliterationForm(latin, t), transliterationForm(arabic, t), t);
}

/** log2 ratio of two prepared forms (see transliterationScore): the better over the Arabic form's readings (TransliterationForm.alternative). */
export function bestScore(latin: TransliterationForm, arabic: TransliterationForm, t: TransliterationTable = TABLE): number | null {
  const s = frameScore(latin.frame, arabic.frame, t);
  if (arabic.alternative === undefined) return s;
  const alt = frameScore(latin.frame, arabic.alternative, t);
  return s === null ? alt : alt === null ? s : Math.max(s, alt);
}

/** Below this score a Latin name is taken as another name than the Arabic one (chosen on the Wikidata dev pairs). */
export const OTHER_NAME_BELOW = -3;

/** What one spelling brings to a cross-script comparison, computed once per name. */
export interface TransliterationForm {
  frame: VowelFrame | null;
  /**
   * Arabic only: the frame with a final ي read as an alif maqsura, or a final ى as ي. Clerks
   * write one for the other (مصطفي for مصطفى, على for علي) — normalisation merges them for that
   * reason — so either reading may be the one the Latin spelling transliterates.
   */
  alternative?: VowelFrame | null;
  /** Latin only: the usual Arabic writing when the table lists this name. */
  usual?: string;
}

export function transliterationForm(name: string, t: TransliterationTable = TABLE): TransliterationForm {
  const frame = vowelFrame(name);
  if (hasArabicScript(name)) {
    const raw = name.normalize('NFKC').trim();
    if (!/[يى]$/.test(raw)) return { frame };
    return { frame, alternative: vowelFrame(raw.slice(0, -1) + (raw.endsWith('ي') ? 'ى' : 'ي')) };
  }
  const usual = t.names?.[normaliseLatin(name)];
  return usual === undefined ? { frame } : { frame, usual };
}

/**
 * Whether a Latin and an Arabic name with the same skeleton are the same name: 'same',
 * 'other' (another Arabic name with the same consonants: Maryam / مرام, Hussain / حسن), or
 * null when nothing tells (several words, different frames). A Latin name listed in the
 * table's names decides by its usual Arabic writing; any other by its vowel slots.
 * arabicNorm: the Arabic name normalised (normaliseArabic).
 */
export function crossScriptVerdict(
  latin: TransliterationForm,
  arabic: TransliterationForm,
  arabicNorm: string,
  t: TransliterationTable = TABLE,
): 'same' | 'other' | null {
  const s = bestScore(latin, arabic, t);
  if (latin.usual !== undefined && withoutArticle(latin.usual) === withoutArticle(arabicNorm)) return 'same';
  // A listed name written otherwise: another name unless the vowels clearly fit (Wikidata
  // gives one writing per Latin name, and some have two: Rashid is راشد or رشيد).
  if (latin.usual !== undefined && (s === null || s < 0)) return 'other';
  return s === null ? null : s < OTHER_NAME_BELOW ? 'other' : 'same';
}

function withoutArticle(ar: string): string {
  return ar.startsWith('ال') && ar.length > 3 ? ar.slice(2) : ar;
}

export function sameNameAcrossScripts(latin: string, arabic: string, t: TransliterationTable = TABLE): 'same' | 'other' | null {
  if (hasArabicScript(latin) || !hasArabicScript(arabic)) return null;
  return crossScriptVerdict(transliterationForm(latin, t), transliterationForm(arabic, t), normaliseArabic(arabic), t);
}
