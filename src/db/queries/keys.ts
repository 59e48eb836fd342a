/**
 * The wrapped data keys of operations, as master-key rotation, shredding and the boot check
 * see them: the whole table at once, locked against concurrent change, or one key locked while
 * it is destroyed. Creating and destroying a key stay with the operation (operations.ts).
 */
import { sql } from 'kysely';
import type { Executor } from './executor.js';

/** Keeps every other writer of operation_keys (create, shred, rotate) waiting until the transaction ends. */
export async function lockOperationKeys(db: Executor) {
  await sql`lock table operation_keys in share row exclusive mode`.execute(db);
}

/** Every operation's wrapped key (null once shredded), by operation id. */
export async function listOperationKeys(db: Executor) {
  return db.selectFrom('operation_keys').select(['operation_id', 'wrapped_key']).orderBy('operation_id').execute();
}

/** The keys not shredded. */
export async function listLiveOperationKeys(db: Executor) {
  return db.selectFrom('operation_keys').select(['operation_id', 'wrapped_key']).where('wrapped_key', 'is not', null).execute();
}

/** Any operation whose key is not shredded, if there is one. */
export async function findAnyLiveOperationKey(db: Executor) {
  return db.selectFrom('operation_keys').select('operation_id').where('wrapped_key', 'is not', null).limit(1).executeTakeFirst();
}

export async function updateWrappedKey(db: Executor, operationId: string, wrappedKey: Buffer) {
  await db.updateTable('operation_keys').set({ wrapped_key: wrappedKey }).where('operation_id', '=', operationId).execute();
}

/** One operation's key, its row locked: a concurrent rotation or shred of it waits. */
export async function findOperationKeyForUpdate(db: Executor, operationId: string) {
  return db
    .selectFrom('operation_keys')
    .select(['wrapped_key', 'destroyed_at'])
    .where('operation_id', '=', operationId)
    .forUpdate()
    .executeTakeFirst();
}
