/**
 * Synthetic Syrian names: weighted draws from the lists in `name-data.ts`, and the rendering
 * of a person's four name parts (given, father's, grandfather's, family) in Arabic script or in
 * Latin letters the way a registration clerk would write them: one of several transliterations,
 * the family article as al-, Al , Al, El-, an- (before sun letters) or left out, hamzas
 * sometimes dropped in Arabic. Spelling variants and typos live in `spelling.ts`.
 */
import { FAMILY, FEMALE_GIVEN, MALE_GIVEN } from './name-data.js';
import { cumulativeOf, type Rng } from './rng.js';

export interface NameEntry {
  /** Position in its list: a stable id for the name. */
  readonly index: number;
  readonly ar: string;
  /** Latin transliterations, the most usual first; family names without the article. */
  readonly lat: readonly string[];
  readonly weight: number;
  /** Family names written with ال in Arabic. */
  readonly article: boolean;
}

export interface NameList {
  readonly entries: readonly NameEntry[];
  readonly cumulative: readonly number[];
}

function parseList(data: string): NameList {
  const entries: NameEntry[] = [];
  for (const line of data.split('\n')) {
    const [w, ar, lat] = line.trim().split('|');
    if (!w || !ar || !lat) continue;
    const article = ar.startsWith('ال');
    entries.push({ index: entries.length, ar, lat: [...new Set(lat.split('/'))], weight: Number(w), article });
  }
  return { entries, cumulative: cumulativeOf(entries.map((e) => e.weight)) };
}

export const maleGivenNames: NameList = parseList(MALE_GIVEN);
export const femaleGivenNames: NameList = parseList(FEMALE_GIVEN);
export const familyNames: NameList = parseList(FAMILY);

export function pickName(rng: Rng, list: NameList): NameEntry {
  return list.entries[rng.weightedIndex(list.cumulative)] as NameEntry;
}

export const pickMaleGiven = (rng: Rng): NameEntry => pickName(rng, maleGivenNames);
export const pickFemaleGiven = (rng: Rng): NameEntry => pickName(rng, femaleGivenNames);
export const pickFamily = (rng: Rng): NameEntry => pickName(rng, familyNames);

/** A male given name other than the ones listed (brothers get different names). */
export function pickMaleGivenExcept(rng: Rng, taken: readonly NameEntry[]): NameEntry {
  for (let i = 0; i < 20; i++) {
    const e = pickMaleGiven(rng);
    if (!taken.includes(e)) return e;
  }
  return maleGivenNames.entries.find((e) => !taken.includes(e)) as NameEntry;
}

export function pickFemaleGivenExcept(rng: Rng, taken: readonly NameEntry[]): NameEntry {
  for (let i = 0; i < 20; i++) {
    const e = pickFemaleGiven(rng);
    if (!taken.includes(e)) return e;
  }
  return femaleGivenNames.entries.find((e) => !taken.includes(e)) as NameEntry;
}

/** The four name parts as Arabic naming uses them. */
export interface NameIdentity {
  given: NameEntry;
  father: NameEntry;
  grandfather: NameEntry;
  family: NameEntry;
}

export interface NamePartsText {
  given?: string;
  father?: string;
  grandfather?: string;
  family?: string;
}

/** One transliteration: the first (most usual) about half the time, the others share the rest. */
export function latinOf(rng: Rng, entry: NameEntry): string {
  if (entry.lat.length === 1 || rng.chance(0.5)) return entry.lat[0] as string;
  return entry.lat[rng.int(1, entry.lat.length - 1)] as string;
}

const SUN_LETTER_PREFIXES = ['sh', 'th', 'dh', 't', 'd', 'r', 'z', 's', 'n'];

export type ArticleStyle = 'al-' | 'Al-' | 'Al ' | 'Al' | 'El-' | 'El ' | 'sun' | 'none';
const ARTICLE_WEIGHTS: Record<ArticleStyle, number> = { 'al-': 40, 'Al-': 12, 'Al ': 12, Al: 8, 'El-': 5, 'El ': 4, sun: 4, none: 15 };

export function pickArticleStyle(rng: Rng): ArticleStyle {
  return rng.choose(ARTICLE_WEIGHTS);
}

/** A family name in Latin letters with the article written in the given style. */
export function latinFamily(entry: NameEntry, base: string, style: ArticleStyle): string {
  if (!entry.article || style === 'none') return base;
  if (style === 'Al') return `Al${base.toLowerCase()}`;
  if (style === 'sun') {
    const lower = base.toLowerCase();
    const sun = SUN_LETTER_PREFIXES.find((p) => lower.startsWith(p));
    return sun ? `a${sun}-${base}` : `al-${base}`;
  }
  return `${style}${base}`;
}

/** Arabic hamza seats dropped the way many keyboards and clerks write them. */
export function plainArabic(s: string): string {
  return s.replace(/[أإآ]/g, 'ا').replace(/ؤ/g, 'و').replace(/ئ/g, 'ي');
}

/** A registration clerk's habits, kept for all four parts of one record. */
export interface ClerkStyle {
  article: ArticleStyle;
  /** Writes Arabic without hamza seats. */
  plainHamza: boolean;
  /** Writes عبد الرحمن joined: عبدالرحمن. */
  joinAbd: boolean;
}

export function pickClerkStyle(rng: Rng): ClerkStyle {
  return { article: pickArticleStyle(rng), plainHamza: rng.chance(0.3), joinAbd: rng.chance(0.25) };
}

export function arabicOf(entry: NameEntry, style: ClerkStyle): string {
  let s = entry.ar;
  if (style.plainHamza) s = plainArabic(s);
  if (style.joinAbd) s = s.replace(/^عبد /, 'عبد');
  return s;
}

export function renderArabic(id: NameIdentity, style: ClerkStyle): Required<NamePartsText> {
  return {
    given: arabicOf(id.given, style),
    father: arabicOf(id.father, style),
    grandfather: arabicOf(id.grandfather, style),
    family: arabicOf(id.family, style),
  };
}

export function renderLatin(rng: Rng, id: NameIdentity, style: ClerkStyle): Required<NamePartsText> {
  return {
    given: latinOf(rng, id.given),
    father: latinOf(rng, id.father),
    grandfather: latinOf(rng, id.grandfather),
    family: latinFamily(id.family, latinOf(rng, id.family), style.article),
  };
}

/** Canonical forms, for truth files and test messages: Arabic as listed, Latin first form with al-. */
export function canonicalLatin(id: NameIdentity): string {
  return [id.given.lat[0], id.father.lat[0], id.grandfather.lat[0], latinFamily(id.family, id.family.lat[0] as string, 'al-')].join(' ');
}
