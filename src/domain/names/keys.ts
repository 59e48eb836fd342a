/**
 * Blocking and search keys. A person gets several keys built from skeletons of different
 * parts of the name chain, so one misspelt, missing or misplaced part still leaves keys
 * in common with the other record. Pair keys are unordered: a father's name written in
 * the given-name field still shares a key with the record that has it in the right place.
 * Keys are plain strings here; the caller stores them as HMACs.
 */
import { arrangeNameParts } from './parts.js';
import { skeleton } from './skeleton.js';
import type { NameKey, NameParts, PersonNames } from './types.js';

export const KEY_KINDS = {
  /** One name part (given or family) on its own: what a one-word search looks up. */
  name: 'name',
  /** Two name parts, unordered. */
  pair: 'pair',
  /** Given name with the birth decade. */
  givenDecade: 'given+decade',
  /** Family name with the birth decade. */
  familyDecade: 'family+decade',
  /** First letters of the chain given·father·grandfather·family, with sex. */
  initials: 'initials',
} as const;

/** One skeleton per part, compound words squeezed so spacing cannot matter. */
function partSkeleton(v: string | undefined): string {
  return v === undefined ? '' : skeleton(v).replace(/ /g, '');
}

function chainSkeletons(p: NameParts | undefined): string[] {
  if (p === undefined) return ['', '', '', ''];
  return [p.given, p.father, p.grandfather, p.family].map(partSkeleton);
}

function pairValue(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function addPairs(keys: Map<string, NameKey>, parts: string[]): void {
  for (let i = 0; i < parts.length; i++) {
    for (let j = i + 1; j < parts.length; j++) {
      const a = parts[i] as string;
      const b = parts[j] as string;
      if (a === '' || b === '') continue;
      add(keys, KEY_KINDS.pair, pairValue(a, b));
    }
  }
}

function add(keys: Map<string, NameKey>, kind: string, value: string): void {
  keys.set(`${kind}\u0000${value}`, { kind, value });
}

export function blockingKeys(p: { names: PersonNames; sex?: string; birthYear?: number | null }): NameKey[] {
  const keys = new Map<string, NameKey>();
  const decade = p.birthYear != null && Number.isFinite(p.birthYear) ? String(Math.floor(p.birthYear / 10)) : '';
  const sex = (p.sex ?? '').trim().toLowerCase().slice(0, 1);
  for (const typed of [p.names.ar, p.names.lat]) {
    if (typed === undefined) continue;
    // A whole name typed into one field is keyed part by part (parts.ts).
    const parts = arrangeNameParts(typed);
    const [given, father, grandfather, family] = chainSkeletons(parts) as [string, string, string, string];
    if (given !== '') add(keys, KEY_KINDS.name, given);
    if (family !== '') add(keys, KEY_KINDS.name, family);
    addPairs(keys, [given, father, grandfather, family]);
    if (decade !== '' && given !== '') add(keys, KEY_KINDS.givenDecade, `${given}|${decade}`);
    if (decade !== '' && family !== '') add(keys, KEY_KINDS.familyDecade, `${family}|${decade}`);
    const initials = [given, father, grandfather, family].map((s) => s.slice(0, 1) || '_').join('');
    if (initials.replace(/_/g, '').length >= 3) add(keys, KEY_KINDS.initials, `${initials}|${sex}`);
  }
  return [...keys.values()];
}

/**
 * Keys for what someone types into a search box: every word is a `name` key, and every two
 * words a `pair` key, of the same kinds blockingKeys produces, so "mohamad" finds "محمد".
 */
export function searchKeys(query: string): NameKey[] {
  const keys = new Map<string, NameKey>();
  const words = skeleton(query)
    .split(' ')
    .filter((w) => w !== '');
  for (const w of words) add(keys, KEY_KINDS.name, w);
  addPairs(keys, words);
  return [...keys.values()];
}
