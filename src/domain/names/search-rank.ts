/**
 * How well a person's names answer what was typed into a search box, for ranking the people
 * the search keys found (which only count shared keys, so a namesake sharing three keys of a
 * common chain could rank above the very name typed). Tiers, best first: the same name parts
 * in the same order in the same script (`exact`), the same parts in another order, the same
 * skeletons in order (the name in the other script, or another transliteration), every word
 * typed found among the person's skeletons, and otherwise nothing to add. The person's name is
 * read part by part whatever boxes it was typed into (parts.ts), and invisible characters
 * (zero-width, bidi controls) count for nothing on either side.
 */
import { hasArabicScript, normaliseArabic } from './arabic.js';
import { normaliseLatin } from './latin.js';
import { splitNameParts } from './parts.js';
import { skeleton } from './skeleton.js';
import type { PersonNames } from './types.js';

export const SEARCH_TIERS = ['exact', 'same parts', 'same sound', 'all words', 'some words'] as const;
export type SearchTier = (typeof SEARCH_TIERS)[number];

const FIELDS = ['given', 'father', 'grandfather', 'family'] as const;

const norm = (s: string) => (hasArabicScript(s) ? normaliseArabic(s) : normaliseLatin(s)).replace(/ /g, '');
const skel = (s: string) => skeleton(s).replace(/ /g, '');

/** The parts of a typed name as normalised text and skeletons, empty parts left out. */
function partsOf(typed: string): { norms: string[]; skels: string[] } {
  const parts = splitNameParts(typed);
  return { norms: parts.map(norm).filter((x) => x !== ''), skels: parts.map(skel).filter((x) => x !== '') };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameBag = (a: readonly string[], b: readonly string[]) => sameList([...a].sort(), [...b].sort());

/** The best tier of the person's names (in either script) for the query. */
export function searchTier(query: string, names: PersonNames): SearchTier {
  const q = partsOf(query);
  if (q.norms.length === 0) return 'some words';
  let best = SEARCH_TIERS.length - 1;
  for (const chain of [names.ar, names.lat]) {
    if (chain === undefined) continue;
    const p = partsOf(FIELDS.map((f) => chain[f] ?? '').join(' '));
    if (p.norms.length === 0) continue;
    let tier = 4;
    if (sameList(q.norms, p.norms)) tier = 0;
    else if (sameBag(q.norms, p.norms)) tier = 1;
    else if (sameList(q.skels, p.skels)) tier = 2;
    else if (q.skels.every((s) => p.skels.includes(s))) tier = 3;
    best = Math.min(best, tier);
  }
  return SEARCH_TIERS[best] as SearchTier;
}
