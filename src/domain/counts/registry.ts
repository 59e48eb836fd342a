/**
 * What counting needs to know about registered people: the fields kept in clear for counting
 * (sex, age band, category, vulnerabilities, registration site and time), and which records
 * were merged into which, so that a person registered twice is counted once.
 */
import type { AgeBand } from '../schemas/persons.js';
import type { categories, sexes, vulnerabilities } from '../schemas/persons.js';

export interface RegistryPerson {
  id: string;
  sex: (typeof sexes)[number];
  ageBand: AgeBand;
  category: (typeof categories)[number];
  vulnerabilities: readonly (typeof vulnerabilities)[number][];
  /** Where they were registered; null if unknown. */
  siteId: string | null;
  registeredAt: string;
}

export interface Registry {
  persons: ReadonlyMap<string, RegistryPerson>;
  /** Merged record id → the record it was merged into. */
  mergedInto: ReadonlyMap<string, string>;
}

export function makeRegistry(persons: readonly RegistryPerson[], mergedInto: Record<string, string> = {}): Registry {
  return { persons: new Map(persons.map((p) => [p.id, p])), mergedInto: new Map(Object.entries(mergedInto)) };
}

/** The record that stands for a person after merges (following chains; a cycle stops where it loops). */
export function canonicalId(registry: Registry, id: string): string {
  let current = id;
  const seen = new Set<string>([id]);
  for (;;) {
    const next = registry.mergedInto.get(current);
    if (next === undefined || seen.has(next)) return current;
    seen.add(next);
    current = next;
  }
}

/** Merge links as the storage reads them (a record and the one it was merged into, if any) → merged id → into. */
export function mergedIntoOf(links: readonly { id: string; merged_into: string | null }[]): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const l of links) if (l.merged_into) merged[l.id] = l.merged_into;
  return merged;
}

/** The one resolver from a record to the record that stands for it, built from the merge links read. */
export function mergeResolver(links: readonly { id: string; merged_into: string | null }[]): (id: string) => string {
  const registry = makeRegistry([], mergedIntoOf(links));
  return (id) => canonicalId(registry, id);
}

export const unknownPerson = (id: string): RegistryPerson => ({
  id,
  sex: 'unknown',
  ageBand: 'unknown',
  category: 'unknown',
  vulnerabilities: [],
  siteId: null,
  registeredAt: '',
});
