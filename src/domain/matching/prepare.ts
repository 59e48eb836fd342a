/**
 * Turns a MatchRecord into the precomputed forms the comparisons need (normalised text and
 * skeletons of every spelling), so a record compared with hundreds of candidates is
 * normalised once.
 */
import { hasArabicScript, normaliseArabic, normaliseLatin, skeleton } from '../names/index.js';
import type { MatchRecord, NameValue } from './types.js';

export interface PreparedName {
  arabic: boolean;
  norm: string;
  /** Skeleton with word spaces removed. */
  skel: string;
  /** Skeleton keeping Arabic long vowels or the Latin vowel pattern, for telling apart two spellings in one script. */
  fine: string;
  words: string[];
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
}

function prepareName(v: string): PreparedName | null {
  const arabic = hasArabicScript(v);
  const norm = arabic ? normaliseArabic(v) : normaliseLatin(v);
  if (norm === '') return null;
  const sk = skeleton(v);
  return { arabic, norm, skel: sk.replace(/ /g, ''), fine: skeleton(v, { keepLongVowels: true }).replace(/ /g, ''), words: sk.split(' ').filter((w) => w.length > 1) };
}

function prepareNames(v: NameValue | undefined): PreparedName[] {
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  const out: PreparedName[] = [];
  for (const s of list) {
    const p = prepareName(s);
    if (p !== null && !out.some((o) => o.norm === p.norm)) out.push(p);
  }
  return out;
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

export function prepareRecord(r: MatchRecord): PreparedRecord {
  return {
    id: r.id,
    names: {
      given: prepareNames(r.given),
      father: prepareNames(r.father),
      grandfather: prepareNames(r.grandfather),
      family: prepareNames(r.family),
    },
    sex: normaliseSex(r.sex),
    birthYear: r.birthYear != null && Number.isFinite(r.birthYear) ? r.birthYear : null,
    birthYearEstimated: r.birthYearEstimated === true,
    origin: r.origin === undefined ? '' : skeleton(r.origin),
    householdId: (r.householdId ?? '').trim(),
    extra: Object.fromEntries(Object.entries(r.extra ?? {}).map(([k, v]) => [k, v.trim().toLowerCase()])),
  };
}
