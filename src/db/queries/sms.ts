/** Checkpoint SMS: the messages the gateway forwarded, and the phone numbers of accounts. */
import { sql } from 'kysely';
import type { Executor } from './executor.js';

/**
 * Claims a gateway message id for this operation. False when it was claimed before (a retry of
 * the gateway): on PostgreSQL a copy racing the first waits here until the first commits.
 */
export async function claimSmsMessage(
  db: Executor,
  m: { operationId: string; messageKey: string; at: Date; senderHash: Uint8Array; textSealed: Uint8Array },
): Promise<boolean> {
  const r = await db
    .insertInto('sms_messages')
    .values({
      operation_id: m.operationId,
      message_key: m.messageKey,
      received_at: m.at,
      sender_hash: m.senderHash,
      text_sealed: m.textSealed,
    })
    .onConflict((oc) => oc.columns(['operation_id', 'message_key']).doNothing())
    .returning('message_key')
    .executeTakeFirst();
  return r !== undefined;
}

export async function findSmsMessage(db: Executor, operationId: string, messageKey: string) {
  return db
    .selectFrom('sms_messages')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('message_key', '=', messageKey)
    .executeTakeFirst();
}

export async function finishSmsMessage(
  db: Executor,
  m: { operationId: string; messageKey: string; userId: string | null; outcome: string; factIds: string[]; replySealed: Uint8Array },
) {
  await db
    .updateTable('sms_messages')
    .set({ user_id: m.userId, outcome: m.outcome, fact_ids: JSON.stringify(m.factIds), reply_sealed: m.replySealed })
    .where('operation_id', '=', m.operationId)
    .where('message_key', '=', m.messageKey)
    .execute();
}

/** The account a phone number (its keyed hash) belongs to, with the roles it holds in the operation. */
export async function findUserByPhoneHash(db: Executor, phoneHash: Uint8Array, operationId: string) {
  return db
    .selectFrom('users')
    .select((eb) => [
      'users.id',
      'users.username',
      'users.is_admin',
      'users.locale',
      'users.disabled_at',
      eb
        .selectFrom('role_grants')
        .select((g) => g.fn.coalesce(g.fn.agg<string[]>('array_agg', ['role_grants.role']), eb.val<string[]>([])).as('roles'))
        .whereRef('role_grants.user_id', '=', 'users.id')
        .where('role_grants.operation_id', '=', operationId)
        .as('roles'),
    ])
    .where('users.phone_hash', '=', phoneHash)
    .executeTakeFirst();
}

export async function setUserPhone(db: Executor, userId: string, phone: { hash: Uint8Array; sealed: Uint8Array } | null) {
  const r = await db
    .updateTable('users')
    .set({ phone_hash: phone?.hash ?? null, phone_sealed: phone?.sealed ?? null })
    .where('id', '=', userId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Runs `fn` so that a failure inside it undoes only its own writes (a savepoint), leaving the
 * request's transaction usable: an SMS that cannot be recorded is still answered and kept.
 */
export async function withSavepoint<T>(db: Executor, name: string, fn: () => Promise<T>): Promise<T> {
  await sql`savepoint ${sql.id(name)}`.execute(db);
  try {
    const out = await fn();
    await sql`release savepoint ${sql.id(name)}`.execute(db);
    return out;
  } catch (err) {
    await sql`rollback to savepoint ${sql.id(name)}`.execute(db);
    throw err;
  }
}

export async function findUserIdByPhoneHash(db: Executor, phoneHash: Uint8Array): Promise<string | undefined> {
  const r = await db.selectFrom('users').select('id').where('phone_hash', '=', phoneHash).executeTakeFirst();
  return r?.id;
}
