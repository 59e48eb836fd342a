/**
 * Keeping the one true count: incrementally as each fact arrives, and from scratch.
 *
 * A person's status is derived from all their facts by device time, so a fact's effect depends
 * on what is already known: a late "departed" moves every person on that convoy from boarded to
 * in transit (or changes nothing, if they already checked in). `countDeltas` therefore takes the
 * facts already applied that concern the subjects the new fact touches, and returns the
 * difference between those subjects' contributions before and after — as `{ metric, dims, delta }`
 * rows. Sum over arrival order of these differences = contribution of the final set of facts =
 * `recompute`, whatever the order; a fact whose id was seen before yields no deltas. The
 * property tests hold `countDeltas` fact by fact against `recompute`; the server counts the same
 * way in batches, after the facts commit (the count projection, src/services/counts/counts-maintain.ts,
 * with `subjectDeltas`), not in the fact's own transaction.
 *
 * The server's context query: facts whose person (canonical) is one of the fact's people, or
 * whose convoy is one of the convoys those people boarded or the fact's convoy, plus the
 * corrections that void any of them.
 */
import type { MovementFact } from '../movements/facts.js';
import { dedupeFacts, effectiveFacts } from '../movements/order.js';
import { addInto, applyDeltas, emptyCounts, parseCellKey, type CountDelta, type Counts } from './model.js';
import { canonicalId, type Registry } from './registry.js';
import { incidentSubject, indexFacts, personSubject, subjectContribution, subjectsOf, type SubjectKey } from './contributions.js';

export interface DeltaContext {
  registry: Registry;
  /** Facts already applied (at least those concerning the subjects this fact touches). */
  facts: readonly MovementFact[];
}

function toDeltas(cells: Map<string, number>): CountDelta[] {
  return [...cells.entries()].map(([key, delta]) => ({ ...parseCellKey(key), delta }));
}

/** Difference between the counts of the given subjects under two sets of facts / registries. */
export function subjectDeltas(
  subjects: Iterable<SubjectKey>,
  before: { facts: readonly MovementFact[]; registry: Registry },
  after: { facts: readonly MovementFact[]; registry: Registry },
): CountDelta[] {
  const idxBefore = indexFacts(effectiveFacts(before.facts), before.registry);
  const idxAfter = indexFacts(effectiveFacts(after.facts), after.registry);
  const diff = new Map<string, number>();
  for (const s of subjects) {
    for (const [k, n] of subjectContribution(s, idxAfter, after.registry)) addInto(diff, k, n);
    for (const [k, n] of subjectContribution(s, idxBefore, before.registry)) addInto(diff, k, -n);
  }
  return toDeltas(diff);
}

export function countDeltas(fact: MovementFact, context: DeltaContext): CountDelta[] {
  if (context.facts.some((f) => f.id === fact.id)) return [];
  const all = [...context.facts, fact];
  const subjects = subjectsOf(fact, all, context.registry);
  return subjectDeltas(subjects, context, { facts: all, registry: context.registry });
}

export function applyFact(counts: Counts, fact: MovementFact, context: DeltaContext): { counts: Counts; deltas: CountDelta[] } {
  const deltas = countDeltas(fact, context);
  return { counts: applyDeltas(counts, deltas), deltas };
}

/** The counts from scratch: every registered person, every person in the facts, every head-count vehicle. */
export function recompute(allFacts: readonly MovementFact[], registry: Registry): Counts {
  const unique = dedupeFacts(allFacts);
  const index = indexFacts(effectiveFacts(unique), registry);
  const subjects = new Set<SubjectKey>();
  for (const id of registry.persons.keys()) subjects.add(personSubject(canonicalId(registry, id)));
  for (const id of index.byPerson.keys()) subjects.add(personSubject(id));
  for (const key of index.headCounts.keys()) subjects.add(key);
  for (const id of index.incidents.keys()) subjects.add(incidentSubject(id));
  const cells = new Map<string, number>();
  for (const s of subjects) for (const [k, n] of subjectContribution(s, index, registry)) addInto(cells, k, n);
  return applyDeltas(emptyCounts(), toDeltas(cells));
}
