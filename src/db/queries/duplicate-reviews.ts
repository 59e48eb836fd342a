/**
 * Pairs proposed as duplicates, the registrar's decision on each, and the merge history
 * (person_merges) that lets a merge be undone. Proposals are written in bulk by matching.ts;
 * this module reads and decides them one at a time.
 */
import type { Insertable } from 'kysely';
import type { PersonMergesTable } from '../schema.js';
import type { Executor } from './executor.js';

/** The reviews of one status, strongest first. */
export async function listDuplicateReviews(db: Executor, operationId: string, status: string, limit: number) {
  return db
    .selectFrom('duplicate_reviews')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('status', '=', status)
    .orderBy('weight', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** How many reviews of an operation have this status. */
export async function countDuplicateReviews(db: Executor, operationId: string, status: string): Promise<number> {
  const r = await db
    .selectFrom('duplicate_reviews')
    .select((eb) => eb.fn.countAll<number>().as('c'))
    .where('operation_id', '=', operationId)
    .where('status', '=', status)
    .executeTakeFirstOrThrow();
  return Number(r.c);
}

/** One review, its row locked until the transaction ends (two registrars may decide the same pair). */
export async function findDuplicateReviewForUpdate(db: Executor, operationId: string, id: string) {
  return db
    .selectFrom('duplicate_reviews')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function decideDuplicateReview(
  db: Executor,
  operationId: string,
  id: string,
  d: { status: string; at: Date; actorId: string },
) {
  await db
    .updateTable('duplicate_reviews')
    .set({ status: d.status, decided_at: d.at, decided_by: d.actorId })
    .where('operation_id', '=', operationId)
    .where('id', '=', id)
    .execute();
}

export async function insertPersonMerge(db: Executor, row: Insertable<PersonMergesTable>) {
  await db.insertInto('person_merges').values(row).execute();
}

/** The latest merge a review made (the one an undo reverses). */
export async function findLatestMergeOfReview(db: Executor, operationId: string, reviewId: string) {
  return db
    .selectFrom('person_merges')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('review_id', '=', reviewId)
    .where('kind', '=', 'merge')
    .orderBy('at', 'desc')
    .executeTakeFirstOrThrow();
}
