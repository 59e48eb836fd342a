/**
 * Putting facts in their place. Phones sync late and out of order, so every derivation works on
 * the facts sorted by device time (ties broken by id, so every machine sorts alike), after
 * duplicates (same client id) are dropped and voided facts are taken out. Because the result
 * depends only on the set of facts, any arrival order gives the same answer.
 */
import type { MovementFact } from './facts.js';

export function timeOf(iso: string): number {
  return Date.parse(iso);
}

/** `YYYY-MM-DDTHH:MM:SS.sssZ`, as toISOString writes it: such strings sort as their instants do. */
const isCanonicalIso = (s: string) => s.length === 24 && s.charCodeAt(23) === 90 && s.charCodeAt(10) === 84;

/** Device time first, then id: a total order every device and the server agree on. */
export function compareFacts(a: Pick<MovementFact, 'deviceTime' | 'id'>, b: Pick<MovementFact, 'deviceTime' | 'id'>): number {
  const x = a.deviceTime;
  const y = b.deviceTime;
  if (x !== y) {
    // Counting sorts many facts: two stored times compare as strings, without parsing.
    if (isCanonicalIso(x) && isCanonicalIso(y)) return x < y ? -1 : 1;
    const d = timeOf(x) - timeOf(y);
    if (d !== 0) return d;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function sortFacts<F extends Pick<MovementFact, 'deviceTime' | 'id'>>(facts: readonly F[]): F[] {
  return [...facts].sort(compareFacts);
}

/** One fact per client id; the first one received stands (a replay is the same fact again). */
export function dedupeFacts<F extends { id: string }>(facts: readonly F[]): F[] {
  const seen = new Set<string>();
  const out: F[] = [];
  for (const f of facts) {
    if (seen.has(f.id)) continue;
    seen.add(f.id);
    out.push(f);
  }
  return out;
}

/**
 * Ids of the facts that are void. A fact is void when a correction that is not itself void
 * voids it; voiding a correction therefore restores what it voided. A cycle of corrections
 * voiding each other is read as voiding nothing (it cannot be resolved, and dropping facts on a
 * guess would lose people).
 */
export function voidedIds(facts: readonly MovementFact[]): Set<string> {
  const votersFor = new Map<string, string[]>();
  for (const f of facts) {
    if (f.kind !== 'correction') continue;
    const list = votersFor.get(f.payload.voids) ?? [];
    list.push(f.id);
    votersFor.set(f.payload.voids, list);
  }
  const memo = new Map<string, boolean>();
  const visiting = new Set<string>();
  const isVoid = (id: string): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return false;
    visiting.add(id);
    const result = (votersFor.get(id) ?? []).some((c) => !isVoid(c));
    visiting.delete(id);
    memo.set(id, result);
    return result;
  };
  const out = new Set<string>();
  for (const f of facts) if (isVoid(f.id)) out.add(f.id);
  return out;
}

/** The facts that stand: deduplicated, voided ones and corrections removed, sorted by device time. */
export function effectiveFacts(facts: readonly MovementFact[]): MovementFact[] {
  const unique = dedupeFacts(facts);
  const voided = voidedIds(unique);
  return sortFacts(unique.filter((f) => f.kind !== 'correction' && !voided.has(f.id)));
}
