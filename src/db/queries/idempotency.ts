/**
 * Stored answers to writes, by the key that made them: the client id, scoped by the actor and the
 * operation ('' outside one). Two copies of one write in flight take turns on the key's lock.
 */
import { sql } from 'kysely';
import type { Executor } from './executor.js';

export interface IdempotencyScope {
  actorId: string;
  /** '' for a write outside an operation. */
  operationId: string;
  clientId: string;
}

/** A class id of our own for the two-key advisory locks (the other half is a hash of the scoped key). */
const CLIENT_ID_LOCK_CLASS = 4_419_442;

/**
 * Takes the scoped key's lock for the rest of the transaction, waiting at most `waitMs` for a copy
 * of the same write that holds it (polling: the common case, nobody holding it, is one statement
 * and changes no setting); false when it did not come free in time.
 */
export async function lockClientId(db: Executor, k: IdempotencyScope, waitMs: number): Promise<boolean> {
  const name = `${k.actorId}\n${k.operationId}\n${k.clientId}`;
  const until = Date.now() + waitMs;
  for (;;) {
    const r = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${CLIENT_ID_LOCK_CLASS}::int, hashtext(${name})) as ok`.execute(
      db,
    );
    if (r.rows[0]?.ok) return true;
    if (Date.now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A stored answer's row as `findIdempotent` reads it (what replaying needs). */
export interface StoredAnswerRow {
  request_hash: string;
  status: number;
  response: unknown;
}

/**
 * `lockClientId` and then the stored answer's read, in one statement a try (migration 0032): the answer
 * is read only once the lock is held, so a copy that held it and committed is seen. `taken`
 * false when the key did not come free within `waitMs`.
 */
export async function lockClientIdAndFind(
  db: Executor,
  k: IdempotencyScope,
  waitMs: number,
): Promise<{ taken: false } | { taken: true; prior: StoredAnswerRow | undefined }> {
  const name = `${k.actorId}\n${k.operationId}\n${k.clientId}`;
  const operationIds = k.operationId === '' ? [''] : [k.operationId, '*'];
  const until = Date.now() + waitMs;
  for (;;) {
    const r = await sql<{
      ok: boolean;
      prior: StoredAnswerRow | null;
    }>`select ok, prior from take_client_id(${CLIENT_ID_LOCK_CLASS}::int, ${name}, ${k.clientId}, ${k.actorId}, ${operationIds}::text[])`.execute(
      db,
    );
    const row = r.rows[0];
    if (row?.ok) return { taken: true, prior: row.prior ?? undefined };
    if (Date.now() >= until) return { taken: false };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function insertIdempotent(
  db: Executor,
  r: IdempotencyScope & { route: string; requestHash: string; status: number; response: unknown; at: Date },
) {
  await db
    .insertInto('idempotency_keys')
    .values({
      client_id: r.clientId,
      actor_id: r.actorId,
      operation_id: r.operationId,
      route: r.route,
      request_hash: r.requestHash,
      status: r.status,
      response: JSON.stringify(r.response ?? null),
      created_at: r.at,
    })
    .execute();
}

/**
 * Deletes up to `limit` stored answers made before `before`, oldest first; returns how many.
 * In batches so a first prune of a large table does not hold one long transaction.
 */
export async function deleteIdempotentBefore(db: Executor, before: Date, limit: number): Promise<number> {
  const r = await db
    .deleteFrom('idempotency_keys')
    .where('client_id', 'in', (eb) =>
      eb.selectFrom('idempotency_keys').select('client_id').where('created_at', '<', before).orderBy('created_at').limit(limit),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Stored answers of writes outside an operation (sealed with keys derived from the master key). */
export async function listSystemStoredAnswers(db: Executor) {
  return db
    .selectFrom('idempotency_keys')
    .select(['client_id', 'actor_id', 'operation_id', 'response'])
    .where('route', 'not like', '%:operationId%')
    .execute();
}

export async function updateStoredAnswer(db: Executor, k: IdempotencyScope, response: string) {
  await db
    .updateTable('idempotency_keys')
    .set({ response })
    .where('client_id', '=', k.clientId)
    .where('actor_id', '=', k.actorId)
    .where('operation_id', '=', k.operationId)
    .execute();
}
