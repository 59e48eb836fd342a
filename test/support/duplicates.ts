/**
 * What a desk's registration proposed for review: its people are checked just after it commits
 * (services/matching/duplicate-checks.ts), so a test runs the checks and reads the pairs naming
 * them, each once (`seen` keeps what an earlier call returned).
 */
import type { Harness } from './harness.js';

export interface Proposal {
  reviewId: string;
  personId: string;
  candidateId: string;
  decision: string;
  explanation: { field: string; weight: number }[];
}

export async function proposalsFor(
  h: Harness,
  operationId: string,
  personIds: readonly string[],
  seen = new Set<string>(),
): Promise<Proposal[]> {
  await h.settleDuplicates();
  const ids = [...personIds];
  if (ids.length === 0) return [];
  const rows = await h.db.kysely
    .selectFrom('duplicate_reviews')
    .select(['id', 'person_a', 'person_b', 'decision', 'explanation'])
    .where('operation_id', '=', operationId)
    .where((eb) => eb.or([eb('person_a', 'in', ids), eb('person_b', 'in', ids)]))
    .orderBy('id')
    .execute();
  return rows
    .filter((r) => !seen.has(r.id))
    .map((r) => {
      seen.add(r.id);
      const personId = ids.includes(r.person_a) ? r.person_a : r.person_b;
      const explanation = typeof r.explanation === 'string' ? JSON.parse(r.explanation) : r.explanation;
      return {
        reviewId: r.id,
        personId,
        candidateId: personId === r.person_a ? r.person_b : r.person_a,
        decision: r.decision,
        explanation: explanation as Proposal['explanation'],
      };
    });
}
