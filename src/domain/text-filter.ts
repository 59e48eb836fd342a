/**
 * A desk's search box over a short list of decrypted records (the tracing desk's requests):
 * every word typed must appear in one of the record's texts, compared after the same
 * normalisation the names use (Arabic letter forms and diacritics, Latin case and accents), so
 * "احمد" finds "أحمد" and "ahmad" finds "Ahmad". Not name matching: a plain filter a person reads.
 */
import { hasArabicScript, normaliseArabic, normaliseLatin } from './names/index.js';

function fold(s: string): string {
  return hasArabicScript(s) ? normaliseArabic(s) : normaliseLatin(s, { keepVowels: true });
}

/** True when every word of `query` is found (as a part of a word) in the texts; an empty query finds everything. */
export function textFilterMatches(query: string, texts: readonly (string | undefined | null)[]): boolean {
  const words = query
    .split(/\s+/)
    .map((w) => fold(w).trim())
    .filter(Boolean);
  if (words.length === 0) return true;
  const hay = texts
    .filter((t): t is string => !!t)
    .map(fold)
    .join(' ');
  return words.every((w) => hay.includes(w));
}
