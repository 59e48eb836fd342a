/**
 * Turns a MatchRecord into the precomputed forms the comparisons need (normalised text and
 * skeletons of every spelling), so a record compared with hundreds of candidates is
 * normalised once. A name written with the article before و or ي (اليوسف, al-Yousef), which
 * the skeleton keeps so that الياس stays Ilyas, also gets its article-less form as a second
 * spelling: family names are registered with and without the article.
 *
 * Each spelling is marked `known` when it is a common name — its normalised form is in the shipped model's
 * list (names seen at least three times in the training registrations) or, in a batch, seen
 * at least three times in the batch itself (markKnownNames). Two different known names one
 * edit apart are more often two people (Rasha/Rola, عبيدة/عماد) than a typo, which leaves a
 * rare form behind.
 */
import { hasArabicScript, normaliseArabic, normaliseLatin, skeleton, transliterationForm } from '../names/index.js';
import type { TransliterationForm } from '../names/index.js';
import { arrangeRecordNames } from './arrange.js';
import { DEFAULT_MODEL } from './default-model.js';
import { bareArabic, buildReadingIndex, readingsOf, type KnownArabic, type ReadingIndex } from './readings.js';
import type { MatchRecord, NameValue } from './types.js';

export interface PreparedName {
  arabic: boolean;
  norm: string;
  /** Skeleton with word spaces removed. */
  skel: string;
  /** Skeleton keeping Arabic long vowels or the Latin vowel pattern, for telling apart two spellings in one script. */
  fine: string;
  words: string[];
  /** A common name (see markKnownNames), as opposed to a rare form such as a typo. */
  known: boolean;
  /** Share of the population's given names with this skeleton (name-frequency.ts); 0 when unknown. */
  share: number;
  /** For telling across scripts which Arabic name a Latin spelling writes (names/transliteration.ts). */
  translit: TransliterationForm;
  /**
   * A second skeleton of the same spelling for a transliteration habit (see crossScriptSkeletons):
   * compared with the other script and with Latin spellings, never between two Arabic ones.
   */
  transliterationVariant?: boolean;
  /** Latin only: the known Arabic names (article-less) this spelling reads as, best first (readings.ts). */
  reads?: string[];
  /**
   * Arabic only, in a batch: the batch's Latin spellings (normalised) that read as this name, so a
   * Latin typo of one of them is recognised beside it (compare-names.ts).
   */
  latinSpellings?: string[];
  /** Latin only, in a batch: the batch's Latin spellings of the name this one reads as (its first reading). */
  spellingsOfReading?: string[];
}

export const NAME_FIELDS = ['given', 'father', 'grandfather', 'family'] as const;
export type NameField = (typeof NAME_FIELDS)[number];

export interface PreparedRecord {
  id: string;
  names: Record<NameField, PreparedName[]>;
  sex: string;
  birthYear: number | null;
  birthYearEstimated: boolean;
  origin: string;
  householdId: string;
  extra: Record<string, string>;
  /**
   * This record's name chains (given·father·family skeletons, and with the grandfather;
   * name-frequency.ts) as ids interned over the batch, with their number of parts and how many
   * of the batch's records carry each, ordered by parts then count, both descending. Absent
   * outside a batch large enough to count.
   */
  chains?: ChainList;
  /** This record's chains read realigned (name-frequency.ts), where they differ from its own; absent when none or not counted. */
  realignedChains?: { ids: number[]; parts: number[] };
}

/** A record's chains: `ids[i]` has `parts[i]` parts and is carried by `counts[i]` records. */
export interface ChainList {
  ids: number[];
  parts: number[];
  counts: number[];
}

const shippedKnown: ReadonlySet<string> = new Set(DEFAULT_MODEL.knownNames ?? []);
let shippedIndex: ReadingIndex | null = null;

/** A known Arabic name for the reading index: its skeletons, with the transliteration habits' ones. */
function knownArabicOf(norm: string): KnownArabic | null {
  const p = prepareName(norm, new Set());
  if (p === null || !p.arabic) return null;
  return { bare: bareArabic(p.norm), norm: p.norm, skels: [p.skel, ...crossScriptSkeletons(norm, p)], translit: p.translit };
}

function readingIndexOf(norms: Iterable<string>): ReadingIndex {
  const list: KnownArabic[] = [];
  for (const n of norms) {
    const k = knownArabicOf(n);
    if (k !== null) list.push(k);
  }
  return buildReadingIndex(list);
}

/** The shipped model's known names as a reading index, built on first use. */
function shippedReadingIndex(): ReadingIndex {
  if (shippedIndex === null) shippedIndex = readingIndexOf(shippedKnown);
  return shippedIndex;
}
const shippedShares: ReadonlyMap<string, number> = new Map(Object.entries(DEFAULT_MODEL.givenNameShares ?? {}));

function prepareName(v: string, known: ReadonlySet<string>): PreparedName | null {
  const arabic = hasArabicScript(v);
  const norm = arabic ? normaliseArabic(v) : normaliseLatin(v);
  if (norm === '') return null;
  const sk = skeleton(v);
  const skel = sk.replace(/ /g, '');
  return {
    arabic,
    norm,
    skel,
    fine: skeleton(v, { keepLongVowels: true }).replace(/ /g, ''),
    words: sk.split(' ').filter((w) => w.length > 1),
    known: known.has(norm),
    share: shippedShares.get(skel) ?? 0,
    translit: transliterationForm(v),
  };
}

/** اليوسف → يوسف, al-Yousef → Yousef: the article before و/ي that the skeleton keeps. */
function withoutArticle(norm: string, arabic: boolean): string | null {
  if (norm.includes(' ')) return null;
  if (arabic) return /^ال[وي]/.test(norm) && norm.length >= 6 ? norm.slice(2) : null;
  return /^al[yw][aeiou]/.test(norm) && norm.length >= 7 ? norm.slice(2) : null;
}

/**
 * Skeletons a spelling also has when compared with a transliteration (the other script, or
 * another Latin spelling: Ahmet/Ahmed), for transliteration
 * habits the shared skeleton cannot take without merging names within one script: a Latin
 * final h that is a consonant (Farah/فرح, Salah/صلاح — the skeleton drops it as a taa
 * marbuta), a Turkish final t for د (Ahmet/أحمد), the t of a final اة (حياة/Hayat), ذ heard
 * as z (معاذ/Moaz, شذى/Shaza), ث as s (عثمان/Osman), and an initial أل / إل written with a
 * hamza read as a name's first letters, not the article (ألفا/Alva).
 */
function crossScriptSkeletons(v: string, p: PreparedName): string[] {
  const out: string[] = [];
  if (p.norm.includes(' ')) return out;
  if (!p.arabic) {
    if (/[aeiou]h$/.test(p.norm) && !p.skel.endsWith('h')) out.push(p.skel + 'h');
    if (/[aeiou][a-z]*[aeiou]t$/.test(p.norm) && p.skel.endsWith('t')) out.push(p.skel.slice(0, -1) + 'd');
    return out;
  }
  const raw = v.normalize('NFKC').trim();
  if (/اة$/.test(raw)) out.push(p.skel + 't');
  // عبد الوهاب: after عبد the ال is the article even before و or ي, which Latin drops (Abdul Wahab).
  if (/^عبدال[وي]/.test(p.norm) && p.norm.length > 6) out.push('abd' + skeleton(p.norm.slice(5)).replace(/ /g, ''));
  // أل / إل with a hamza is a name's first letters (ألفا Alva, إلسا Elsa, ألكسندر Oleksandr): the article is
  // written with a bare alif, but the normaliser drops the hamza and the skeleton the article.
  if (/^[أإ]ل/.test(raw)) out.push('a' + skeleton(raw.slice(1)).replace(/ /g, ''));
  for (const [from, to] of [
    [/ذ/g, 'ز'],
    [/ث/g, 'س'],
  ] as const) {
    if (from.test(raw)) out.push(skeleton(raw.replace(from, to)).replace(/ /g, ''));
  }
  return out.filter((s) => s !== p.skel);
}

/**
 * Latin compounds the normaliser splits or misreads, written as the compound it reads (the
 * stored keys keep the normaliser's reading): "Abdulla", Abdullah without its final h (the
 * normaliser's abd rule needs the h to see ullah), a detached "Eddin"/"Uddin" — the
 * article and Din written as a word of their own (Nour Eddin for Noureddine, نور الدين) — and
 * a fused one read as its two halves (Alaeddine, which the article rule reads as al-Eddine).
 */
function latinCompoundSpellings(v: string, p: PreparedName): string[] {
  const out: string[] = [];
  const t = v.trim();
  if (p.norm.startsWith('abdul') && !p.norm.includes(' ') && /a$/i.test(t)) out.push(`${t}h`);
  const joined = /\S\s+[aeiu]d{1,2}[iy]ne?$/i.test(t) ? t.replace(/\s+([aeiu]d{1,2}[iy]ne?)$/i, '$1') : t;
  if (joined !== t) out.push(joined);
  // Fused, the first half read apart from the Din: Alaeddine is Alaa + al-Din, not al- + Eddine
  // (the assimilated article doubles the d, which keeps Claudine out).
  const fused = /^([a-z]{2,}?)[aeiu]dd[iy]ne?$/i.exec(joined);
  if (fused !== null) out.push(`${fused[1]} din`);
  return out;
}

/** One field's spellings, prepared (the field as given: a record's names are arranged by prepareRecord). */
export function prepareNameValue(v: NameValue | undefined, known: ReadonlySet<string> = shippedKnown): PreparedName[] {
  return prepareNames(v, known);
}

function prepareNames(v: NameValue | undefined, known: ReadonlySet<string>): PreparedName[] {
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  const out: PreparedName[] = [];
  const push = (p: PreparedName | null) => {
    if (p !== null && !out.some((o) => o.norm === p.norm && o.arabic === p.arabic)) out.push(p);
  };
  for (const s of list) {
    const p = prepareName(s, known);
    if (p !== null && !p.arabic) p.reads = readingsOf(p, shippedReadingIndex());
    push(p);
    if (p !== null) {
      for (const sk of crossScriptSkeletons(s, p)) {
        if (out.some((o) => o.skel === sk && o.arabic === p.arabic)) continue;
        const variant: PreparedName = { ...p, skel: sk, fine: sk, words: [sk], translit: { frame: null }, transliterationVariant: true };
        if (!p.arabic) variant.reads = readingsOf(variant, shippedReadingIndex());
        out.push(variant);
      }
    }
    const bare = p === null ? null : withoutArticle(p.norm, p.arabic);
    if (bare !== null) push(prepareName(bare, known));
    for (const w of p === null || p.arabic ? [] : latinCompoundSpellings(s, p)) {
      const q = prepareName(w, known);
      if (q === null || out.some((o) => o.skel === q.skel && !o.arabic)) continue;
      q.reads = readingsOf(q, shippedReadingIndex());
      push(q);
    }
  }
  return out;
}

/**
 * Marks as known the normalised names seen at least minCount times among the records' name
 * parts (each part of each record counted once), besides those already known. No labels are
 * used: a batch learns which names are common from itself, as term-frequency methods do. The
 * normalised form, not the skeleton: a typo in Arabic script often lands on the skeleton of
 * another name (اممد and عماد are both "amd"), but rarely on another name's spelling.
 */
export const KNOWN_NAME_MIN_COUNT = 3;

export function markKnownNames(
  records: readonly PreparedRecord[],
  minCount = KNOWN_NAME_MIN_COUNT,
  base: ReadonlySet<string> = shippedKnown,
): void {
  const counts = countNames(records);
  const knownArabic = new Set([...base].filter(hasArabicScript));
  for (const r of records) {
    for (const f of NAME_FIELDS) {
      for (const n of r.names[f]) {
        n.known = base.has(n.norm) || (counts.get(n.norm) ?? 0) >= minCount;
        if (n.known && n.arabic && n.transliterationVariant !== true) knownArabic.add(n.norm);
      }
    }
  }
  // Which known Arabic name each Latin spelling reads as, from this batch's known names.
  const index = readingIndexOf(knownArabic);
  const cache = new Map<string, string[]>();
  for (const r of records) {
    for (const f of NAME_FIELDS) {
      for (const n of r.names[f]) {
        if (n.arabic) continue;
        const key = `${n.skel}|${n.translit.frame?.consonants ?? ''}|${n.translit.frame?.slots.join(',') ?? ''}|${n.translit.usual ?? ''}`;
        let reads = cache.get(key);
        if (reads === undefined) cache.set(key, (reads = readingsOf(n, index)));
        n.reads = reads;
      }
    }
  }
  // And the other way: the Latin spellings each known Arabic name is read from.
  const spellings = new Map<string, Set<string>>();
  for (const r of records) {
    for (const f of NAME_FIELDS) {
      for (const n of r.names[f]) {
        if (n.arabic || n.transliterationVariant === true || n.norm.length < 3) continue;
        for (const bare of n.reads ?? []) {
          const set = spellings.get(bare) ?? new Set<string>();
          set.add(n.norm);
          spellings.set(bare, set);
        }
      }
    }
  }
  const lists = new Map<string, string[]>();
  const listOf = (bare: string) => {
    let l = lists.get(bare);
    if (l === undefined) lists.set(bare, (l = [...(spellings.get(bare) ?? [])]));
    return l;
  };
  for (const r of records) {
    for (const f of NAME_FIELDS) {
      for (const n of r.names[f]) {
        if (n.transliterationVariant === true) continue;
        if (n.arabic && n.known) n.latinSpellings = listOf(bareArabic(n.norm));
        else if (!n.arabic && n.reads !== undefined && n.reads.length > 0) n.spellingsOfReading = listOf(n.reads[0] as string);
      }
    }
  }
}

/** How many name parts of the records have each normalised name (a part's spellings counted once each). */
export function countNames(records: readonly PreparedRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) {
    for (const f of NAME_FIELDS) {
      const seen = new Set(r.names[f].map((n) => n.norm));
      for (const s of seen) counts.set(s, (counts.get(s) ?? 0) + 1);
    }
  }
  return counts;
}

/** m / f from English, French, Arabic words or their first letter; '' for anything else (unknown). */
export function normaliseSex(s: string | undefined): string {
  const t = (s ?? '').trim().toLowerCase();
  if (t === '') return '';
  if (/^(m|male|man|boy|h|homme|ذكر|ذ|رجل)$/.test(t)) return 'm';
  if (/^(f|female|woman|girl|femme|انثى|أنثى|انثي|ا|امراه|امرأة)$/.test(t)) return 'f';
  // "unknown", "?", "other": nothing to compare with.
  return '';
}

/** known: skeletons of common names; the shipped model's list by default. */
export function prepareRecord(record: MatchRecord, known: ReadonlySet<string> = shippedKnown): PreparedRecord {
  const r = arrangeRecordNames(record);
  return {
    id: r.id,
    names: {
      given: prepareNames(r.given, known),
      father: prepareNames(r.father, known),
      grandfather: prepareNames(r.grandfather, known),
      family: prepareNames(r.family, known),
    },
    sex: normaliseSex(r.sex),
    birthYear: r.birthYear != null && Number.isFinite(r.birthYear) ? r.birthYear : null,
    birthYearEstimated: r.birthYearEstimated === true,
    origin: r.origin === undefined ? '' : skeleton(r.origin),
    householdId: (r.householdId ?? '').trim(),
    extra: Object.fromEntries(Object.entries(r.extra ?? {}).map(([k, v]) => [k, v.trim().toLowerCase()])),
  };
}
