/**
 * Blocking keys for a MatchRecord: the name keys of names/keys.ts for every spelling, plus
 * one key per extra field value (an ID number or a date of birth in common is a strong
 * enough reason to compare two records even when the names are badly spelt), plus
 * skeleton prefixes of given and family names, which survive a typo at the end of a name.
 */
import { blockingKeys, skeleton } from '../names/index.js';
import type { NameParts } from '../names/index.js';
import type { MatchRecord, NameValue } from './types.js';

function variants(v: NameValue | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function recordKeys(r: MatchRecord): string[] {
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
  for (const [field, value] of Object.entries(r.extra ?? {})) {
    const v = value.trim().toLowerCase();
    if (v !== '') out.add(`x.${field}:${v}`);
  }
  return [...out];
}
