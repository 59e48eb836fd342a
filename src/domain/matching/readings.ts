/**
 * Which common Arabic name a Latin spelling writes. The skeleton keeps consonants only, and
 * the transliteration model (names/transliteration.ts) says whether one Latin spelling fits
 * one Arabic name; neither says, for a pair of spellings with *different* skeletons, whether
 * they are one name. The population does: a Latin spelling whose own skeleton and vowels fit a
 * common Arabic name is that name's writing. So Rasha (رشا) beside Rola (رولا), Amir (أمير)
 * beside ثامر, Imran (عمران) beside عمر are two names one edit apart — sisters, cousins'
 * fathers — not a typo, which leaves a spelling that writes no common name (Osnan for عثمان);
 * and Fatima and Fatme, whose vowel patterns differ, both write فاطمة.
 *
 * A spelling's readings are the known Arabic names (the model's list and, in a batch, names
 * seen at least three times in the batch: prepare.ts) that share its skeleton — or a
 * transliteration habit's second skeleton of the Arabic name (ذ as z, ث as s) — and whose
 * vowels fit it. The reading is the table's usual writing when it is one of them (Wikidata
 * lists Mahmud as محمود, which the vowels alone cannot tell from محمد), else the best fit.
 */
import { crossScriptVerdict, transliterationFormScore } from '../names/index.js';
import type { PreparedName } from './prepare.js';

/** A known Arabic-script name as the index holds it: article-less form, skeletons, transliteration form. */
export interface KnownArabic {
  bare: string;
  norm: string;
  skels: string[];
  translit: PreparedName['translit'];
}

export type ReadingIndex = ReadonlyMap<string, readonly KnownArabic[]>;

export const bareArabic = (norm: string) => (norm.startsWith('ال') && norm.length > 3 ? norm.slice(2) : norm);

/** Index of known Arabic names by skeleton (each of its skeletons). */
export function buildReadingIndex(names: Iterable<KnownArabic>): ReadingIndex {
  const index = new Map<string, KnownArabic[]>();
  const seen = new Set<string>();
  for (const k of names) {
    if (seen.has(k.norm)) continue;
    seen.add(k.norm);
    for (const s of new Set(k.skels)) {
      if (s === '') continue;
      const list = index.get(s) ?? [];
      list.push(k);
      index.set(s, list);
    }
  }
  return index;
}

/** The known Arabic names (article-less) a Latin spelling reads as, best first; empty when none. */
export function readingsOf(latin: PreparedName, index: ReadingIndex): string[] {
  if (latin.arabic || latin.norm.includes(' ')) return [];
  const candidates = index.get(latin.skel);
  if (candidates === undefined) return [];
  const scored: Array<{ bare: string; score: number }> = [];
  for (const c of candidates) {
    // A transliteration habit's skeleton (Ahmet read as ahmd) has no vowels to check: any name with it.
    const verdict = crossScriptVerdict(latin.translit, c.translit, c.norm);
    if (latin.transliterationVariant === true ? verdict === 'other' : verdict !== 'same') continue;
    const usual = latin.translit.usual !== undefined && bareArabic(latin.translit.usual) === c.bare;
    const score = usual ? Number.POSITIVE_INFINITY : (transliterationFormScore(latin.translit, c.translit) ?? 0);
    const prev = scored.find((s) => s.bare === c.bare);
    if (prev === undefined) scored.push({ bare: c.bare, score });
    else prev.score = Math.max(prev.score, score);
  }
  return scored.sort((a, b) => b.score - a.score).map((s) => s.bare);
}
