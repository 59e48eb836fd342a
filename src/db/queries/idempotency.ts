/** Stored answers to writes, by the client id that made them. */
import type { Executor } from './executor.js';

export async function findIdempotent(db: Executor, clientId: string) {
  return db.selectFrom('idempotency_keys').selectAll().where('client_id', '=', clientId).executeTakeFirst();
}

export async function insertIdempotent(
  db: Executor,
  r: { clientId: string; actorId: string; route: string; requestHash: string; status: number; response: unknown; at: Date },
) {
  await db
    .insertInto('idempotency_keys')
    .values({
      client_id: r.clientId,
      actor_id: r.actorId,
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
  return db.selectFrom('idempotency_keys').select(['client_id', 'response']).where('route', 'not like', '%:operationId%').execute();
}

export async function updateStoredAnswer(db: Executor, clientId: string, response: string) {
  await db.updateTable('idempotency_keys').set({ response }).where('client_id', '=', clientId).execute();
}
