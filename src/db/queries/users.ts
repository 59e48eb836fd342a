/** Accounts and their server-side sessions. */
import { sql } from 'kysely';
import type { Executor } from './executor.js';

export async function findUserByUsername(db: Executor, username: string) {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findUserById(db: Executor, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(
  db: Executor,
  u: { id: string; username: string; displayName: string; passwordHash: string; isAdmin: boolean; locale: string; at: Date },
) {
  await db
    .insertInto('users')
    .values({
      id: u.id,
      username: u.username,
      display_name: u.displayName,
      password_hash: u.passwordHash,
      is_admin: u.isAdmin,
      locale: u.locale,
      created_at: u.at,
    })
    .execute();
}

export async function listUsers(db: Executor) {
  return db
    .selectFrom('users')
    .select([
      'id',
      'username',
      'display_name',
      'is_admin',
      'locale',
      'disabled_at',
      'created_at',
      'must_change_password',
      'totp_enabled_at',
    ])
    .orderBy('username')
    .execute();
}

export async function countUsers(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('c'))
    .executeTakeFirstOrThrow();
  return Number(r.c);
}

export async function setPassword(db: Executor, userId: string, passwordHash: string) {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

export async function insertSession(db: Executor, s: { tokenHash: Buffer; userId: string; at: Date; expiresAt: Date }) {
  await db
    .insertInto('sessions')
    .values({
      token_hash: s.tokenHash,
      user_id: s.userId,
      created_at: s.at,
      last_seen_at: s.at,
      expires_at: s.expiresAt,
    })
    .execute();
}

/** A session with its account and the account's role grants (`grants`, as `rolesOfUser` lists them): one round trip a request. */
export async function findSession(db: Executor, tokenHash: Buffer) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(
      sql<
        { operation_id: string; role: string }[]
      >`coalesce((select json_agg(json_build_object('operation_id', g.operation_id, 'role', g.role))
        from role_grants g where g.user_id = sessions.user_id), '[]'::json)`.as('grants'),
    )
    .select([
      'sessions.user_id',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.ended_at',
      'users.username',
      'users.display_name',
      'users.is_admin',
      'users.locale',
      'users.disabled_at',
      'users.must_change_password',
      'users.totp_enabled_at',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchSession(db: Executor, tokenHash: Buffer, at: Date) {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('token_hash', '=', tokenHash).execute();
}

export async function endSession(db: Executor, tokenHash: Buffer, at: Date) {
  await db.updateTable('sessions').set({ ended_at: at }).where('token_hash', '=', tokenHash).where('ended_at', 'is', null).execute();
}

export async function rolesOfUser(db: Executor, userId: string) {
  return db.selectFrom('role_grants').select(['operation_id', 'role']).where('user_id', '=', userId).execute();
}

/** The first admin account created that is still enabled. */
export async function findFirstActiveAdmin(db: Executor) {
  return db
    .selectFrom('users')
    .select('id')
    .where('is_admin', '=', true)
    .where('disabled_at', 'is', null)
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
}

export async function setTotpSecret(db: Executor, userId: string, sealed: Uint8Array) {
  await db
    .updateTable('users')
    .set({ totp_secret: sealed, totp_enabled_at: null, totp_last_step: null })
    .where('id', '=', userId)
    .execute();
}

export async function enableTotp(db: Executor, userId: string, at: Date, step: number) {
  await db.updateTable('users').set({ totp_enabled_at: at, totp_last_step: step }).where('id', '=', userId).execute();
}

export async function setTotpLastStep(db: Executor, userId: string, step: number) {
  await db.updateTable('users').set({ totp_last_step: step }).where('id', '=', userId).execute();
}

/** Turns the second factor off (an admin's reset after a lost phone): secret and recovery codes gone. */
export async function clearSecondFactor(db: Executor, userId: string) {
  await db.updateTable('users').set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null }).where('id', '=', userId).execute();
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
}

export async function replaceRecoveryCodes(db: Executor, userId: string, hashes: Uint8Array[], at: Date) {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  if (hashes.length === 0) return;
  await db
    .insertInto('recovery_codes')
    .values(hashes.map((h) => ({ user_id: userId, code_hash: h, created_at: at })))
    .execute();
}

/** Marks an unused recovery code used; false when there is none with this hash. */
export async function spendRecoveryCode(db: Executor, userId: string, hash: Uint8Array, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('recovery_codes')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function countUnusedRecoveryCodes(db: Executor, userId: string): Promise<number> {
  const r = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('c'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.c);
}

export async function setDisabled(db: Executor, userId: string, at: Date | null) {
  await db.updateTable('users').set({ disabled_at: at }).where('id', '=', userId).execute();
}

export async function setPasswordMustChange(db: Executor, userId: string, passwordHash: string, mustChange: boolean) {
  await db.updateTable('users').set({ password_hash: passwordHash, must_change_password: mustChange }).where('id', '=', userId).execute();
}

/** Ends every open session of the account but `keep` (the caller's own, on a password change); how many. */
export async function endSessionsOf(db: Executor, userId: string, at: Date, keep?: Uint8Array): Promise<number> {
  let q = db.updateTable('sessions').set({ ended_at: at }).where('user_id', '=', userId).where('ended_at', 'is', null);
  if (keep) q = q.where('token_hash', '<>', keep);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}
