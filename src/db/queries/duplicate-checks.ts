/**
 * The notes of registrations waiting for their duplicate check (migration 0034): written in the
 * registration's transaction, read by the checker, deleted in the checker's transaction with the
 * proposals they led to.
 */
import { sql } from 'kysely';
import { anyOf } from './any-of.js';
import type { Executor } from './executor.js';

export async function queueDuplicateChecks(
  db: Executor,
  operationId: string,
  personIds: readonly string[],
  at: Date,
  by: string | null,
): Promise<void> {
  if (personIds.length === 0) return;
  await sql`insert into duplicate_checks_pending (operation_id, person_id, queued_at, queued_by)
    select ${operationId}, x.id, ${at}, ${by} from unnest(${[...personIds]}::text[]) as x (id)
    on conflict do nothing`.execute(db);
}

/** The oldest notes of an operation (a page of them), oldest first. */
export async function pendingDuplicateChecks(db: Executor, operationId: string, limit: number) {
  return db
    .selectFrom('duplicate_checks_pending')
    .select(['person_id', 'queued_at', 'queued_by'])
    .where('operation_id', '=', operationId)
    .orderBy('queued_at')
    .orderBy('person_id')
    .limit(limit)
    .execute();
}

/**
 * Deletes these notes and says which were still there: a checker whose notes another took
 * (a second server process on the same PostgreSQL) writes nothing for them.
 */
export async function takeDuplicateChecks(db: Executor, operationId: string, personIds: readonly string[]): Promise<string[]> {
  if (personIds.length === 0) return [];
  const r = await db
    .deleteFrom('duplicate_checks_pending')
    .where('operation_id', '=', operationId)
    .where('person_id', '=', anyOf([...personIds]))
    .returning('person_id')
    .execute();
  return r.map((x) => x.person_id);
}

/** Operations with notes waiting (the checker's sweep). */
export async function operationsWithPendingChecks(db: Executor): Promise<string[]> {
  const r = await sql<{ operation_id: string }>`select distinct operation_id from duplicate_checks_pending`.execute(db);
  return r.rows.map((x) => x.operation_id);
}

export async function countPendingDuplicateChecks(db: Executor, operationId: string): Promise<number> {
  const r = await db
    .selectFrom('duplicate_checks_pending')
    .select((eb) => eb.fn.countAll<number>().as('c'))
    .where('operation_id', '=', operationId)
    .executeTakeFirstOrThrow();
  return Number(r.c);
}

/** An operation shredded: its names are gone, and nothing is left to check. */
export async function deleteOperationDuplicateChecks(db: Executor, operationId: string): Promise<void> {
  await db.deleteFrom('duplicate_checks_pending').where('operation_id', '=', operationId).execute();
}
