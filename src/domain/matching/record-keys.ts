/**
 * Blocking keys for a MatchRecord: the name keys of names/keys.ts for every spelling, plus
 * one key per extra field value (an ID number or a date of birth in common is a strong
 * enough reason to compare two records even when the names are badly spelt), plus
 * skeleton prefixes of given and family names, which survive a typo at the end of a name.
 * When the kinds of the extra fields are known, a date also gives its year+month,
 * year+day and month+day (one wrong part leaves two keys), and a text each of its words of
 * three letters or more (an e-mail address with a typo in the domain keeps its local part,
 * "Newcastle-upon--Tyne" keeps "newcastle"), and an e-mail address its local part. Words
 * shared by hundreds of records (a city, "com") make blocks above the size cap, which blocking
 * skips. Given and family names also give the sorted letters of their spelling (a typist's
 * swap keeps it) and, with a date field (a date of birth), their first letter with its year,
 * so a name misspelt beyond its skeleton or typed into the other field still meets the year.
 * These keys live only in batch runs; the keys stored in the database are names/keys.ts's.
 */
import { blockingKeys, hasArabicScript, normaliseArabic, normaliseLatin, skeleton } from '../names/index.js';
import type { NameParts } from '../names/index.js';
import { arrangeRecordNames } from './arrange.js';
import type { ExtraKind, MatchRecord, NameValue } from './types.js';

function variants(v: NameValue | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/**
 * The letters sorted (a typist's swap keeps the key) and, with `typos`, for five letters or
 * more, the sorted letters less one of them: two spellings one insertion, deletion or
 * substitution apart, letters swapped or not (Jackson/JkJcason, Harper/Harppe,
 * Michael/Maciel), share one. `head` (the first letter of the skeleton) keeps a deletion from
 * joining names that only share their letters.
 */
function anagramKeys(out: Set<string>, letters: string, head: string, typos: boolean): void {
  if (letters.length < 4) return;
  const sorted = [...letters].sort();
  out.add(`anagram:${sorted.join('')}`);
  out.add(`anagram-1:${head}|${sorted.join('')}`);
  if (!typos || sorted.length < 5) return;
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) continue;
    out.add(`anagram-1:${head}|${sorted.slice(0, i).join('')}${sorted.slice(i + 1).join('')}`);
  }
}

/** Days since 1970 of a date written yyyy-mm-dd (any separators), or null. */
function dayNumber(digits: string): number | null {
  const t = Date.UTC(Number(digits.slice(0, 4)), Number(digits.slice(4, 6)) - 1, Number(digits.slice(6)));
  return Number.isFinite(t) ? Math.floor(t / 86_400_000) : null;
}

/** Width in days of the date windows; two dates less than half of it apart share a window. */
const DATE_WINDOW_DAYS = 64;

function extraKeys(out: Set<string>, field: string, value: string, kind: ExtraKind | undefined): void {
  if (kind === 'date') {
    const d = value.replace(/\D/g, '');
    if (d.length === 8) {
      out.add(`x.${field}.ym:${d.slice(0, 6)}`);
      out.add(`x.${field}.yd:${d.slice(0, 4)}${d.slice(6)}`);
      out.add(`x.${field}.md:${d.slice(4)}`);
      // Overlapping windows: a date off by a few weeks (1978-08-19 / 1978-09-18) changes
      // both month and day, which the keys above cannot see.
      const day = dayNumber(d);
      if (day !== null) {
        out.add(`x.${field}.near:${Math.floor(day / DATE_WINDOW_DAYS)}`);
        out.add(`x.${field}.near+:${Math.floor((day + DATE_WINDOW_DAYS / 2) / DATE_WINDOW_DAYS)}`);
      }
    }
  } else if (kind === 'text') {
    for (const w of value.split(/[^\p{L}\p{N}]+/u)) if (w.length >= 3 && w !== value) out.add(`x.${field}.w:${w}`);
    // An e-mail's local part whole: "e.e@day.com" beside "e.e@ay.cod" has no word of three letters in common.
    const at = value.indexOf('@');
    if (at >= 2) {
      const local = value.slice(0, at);
      out.add(`x.${field}.local:${local}`);
      anagramKeys(out, local.replace(/[^\p{L}\p{N}]/gu, ''), '@', true);
      // Addresses are made of the names (oliver.atkinson, j.fisher4, muhammadp5): each word
      // of the local part meets the same name in the name fields, whichever field it is in.
      for (const w of local.split(/[^\p{L}]+/u)) {
        if (w.length < 3) continue;
        const sk = skeleton(w).replace(/ /g, '');
        if (sk !== '') out.add(`name:${sk}`);
        anagramKeys(out, normaliseLatin(w).replace(/[^\p{L}]/gu, ''), sk.slice(0, 1), true);
      }
    }
  }
}

/** The year of the first date-kind extra field (FEBRL, Splink: the date of birth), if any. */
function yearOfDates(r: MatchRecord, kinds: Record<string, ExtraKind>): string {
  for (const [field, kind] of Object.entries(kinds)) {
    if (kind !== 'date') continue;
    const d = (r.extra?.[field] ?? '').replace(/\D/g, '');
    if (d.length === 8) return d.slice(0, 4);
  }
  return '';
}

/** kinds: how each extra field is compared; without it extra fields give their exact value only. */
export function recordKeys(record: MatchRecord, kinds?: Record<string, ExtraKind>): string[] {
  const r = arrangeRecordNames(record);
  const out = new Set<string>();
  const given = variants(r.given);
  const family = variants(r.family);
  const father = variants(r.father);
  const grandfather = variants(r.grandfather);
  const count = Math.max(1, given.length, family.length, father.length, grandfather.length);
  for (let i = 0; i < count; i++) {
    const parts: NameParts = {};
    const g = given[i] ?? given[0];
    const fa = father[i] ?? father[0];
    const gf = grandfather[i] ?? grandfather[0];
    const fam = family[i] ?? family[0];
    if (g !== undefined) parts.given = g;
    if (fa !== undefined) parts.father = fa;
    if (gf !== undefined) parts.grandfather = gf;
    if (fam !== undefined) parts.family = fam;
    const keyInput: Parameters<typeof blockingKeys>[0] = { names: { lat: parts }, birthYear: r.birthYear ?? null };
    if (r.sex !== undefined) keyInput.sex = r.sex;
    for (const k of blockingKeys(keyInput)) out.add(`${k.kind}:${k.value}`);
  }
  const sk = (v: string) => skeleton(v).replace(/ /g, '');
  const gs = given.map(sk).filter((s) => s !== '');
  const fs = family.map(sk).filter((s) => s !== '');
  for (const g of gs) for (const f of fs) out.add(`prefix:${g.slice(0, 2)}|${f.slice(0, 2)}|${r.birthYear ?? ''}`);
  // The letters of a name sorted: letters swapped by a typist (Williams/Williasm, Eleanor/nleaEor)
  // keep the key. With two name parts or fewer, a typo in one leaves no pair of parts to carry
  // the match (a chain of three or four keeps pair keys without it): those spellings also give
  // their typo keys.
  const shortChain = [given, father, grandfather, family].filter((v) => v.some((x) => x.trim() !== '')).length <= 2;
  for (const v of [...given, ...family]) {
    if (hasArabicScript(v)) {
      // Only the letters sorted: in Arabic script one letter more is mostly a long vowel that
      // makes another name (محمد/محمود, الحسن/الحسين), and the skeleton keys carry its typos.
      const letters = normaliseArabic(v).replace(/[^\p{L}]/gu, '');
      if (letters.length >= 4) out.add(`anagram:${[...letters].sort().join('')}`);
    } else {
      anagramKeys(out, normaliseLatin(v).replace(/[^\p{L}]/gu, ''), sk(v).slice(0, 1), shortChain);
    }
  }
  // With a date of birth, the first letter of any name part with its year: a name part typed
  // in the wrong field or misspelt beyond its skeleton (Lucas/Luas) still meets the same year.
  // (A registration's birth year is often estimated: its name keys carry the decade instead.)
  const year = kinds !== undefined ? yearOfDates(r, kinds) : '';
  if (year !== '') for (const s of [...gs, ...fs]) out.add(`initial:${s.slice(0, 1)}|${year}`);
  for (const [field, value] of Object.entries(r.extra ?? {})) {
    const v = value.trim().toLowerCase();
    if (v === '') continue;
    out.add(`x.${field}:${v}`);
    if (kinds !== undefined) extraKeys(out, field, v, kinds[field]);
  }
  return [...out];
}
