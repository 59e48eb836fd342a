/** Counters of failed logins per (username, address) and per address, keyed by an HMAC. */
import { sql } from 'kysely';
import type { Executor } from './executor.js';

export async function findThrottles(db: Executor, keys: Buffer[]) {
  return db.selectFrom('login_throttle').select(['key', 'scope', 'failures', 'blocked_until']).where('key', 'in', keys).execute();
}

/**
 * Counts one failure on a counter (starting it again when its last failure is older than
 * `forgetBefore`) and returns the new count; the caller then sets the wait it earns.
 */
export async function countFailure(db: Executor, key: Buffer, scope: 'pair' | 'address', at: Date, forgetBefore: Date): Promise<number> {
  const r = await sql<{ failures: number }>`
    insert into login_throttle (key, scope, failures, last_failure_at)
    values (${key}, ${scope}, 1, ${at})
    on conflict (key) do update set
      failures = case when login_throttle.last_failure_at < ${forgetBefore} then 1 else login_throttle.failures + 1 end,
      last_failure_at = excluded.last_failure_at
    returning failures`.execute(db);
  return Number(r.rows[0]!.failures);
}

export async function setBlockedUntil(db: Executor, key: Buffer, until: Date | null) {
  await db.updateTable('login_throttle').set({ blocked_until: until }).where('key', '=', key).execute();
}

/**
 * Counts a failed login for a name that is no account on the address's counter, by clock
 * hour. Returns the previous hour's count when this failure starts a new hour (the caller
 * writes one audit row then), else undefined.
 */
export async function countUnknownName(db: Executor, addressKey: Buffer, hour: Date) {
  const before = await db
    .selectFrom('login_throttle')
    .select(['unknown_failures', 'unknown_hour'])
    .where('key', '=', addressKey)
    .forUpdate()
    .executeTakeFirst();
  const sameHour = before?.unknown_hour != null && new Date(before.unknown_hour).getTime() === hour.getTime();
  await db
    .updateTable('login_throttle')
    .set((eb) => (sameHour ? { unknown_failures: eb('unknown_failures', '+', 1) } : { unknown_failures: 1, unknown_hour: hour }))
    .where('key', '=', addressKey)
    .execute();
  if (sameHour) return undefined;
  return { previousHour: before?.unknown_hour ? new Date(before.unknown_hour) : null, previousFailures: before?.unknown_failures ?? 0 };
}

/** The successful login of a pair forgets its failures (the address keeps its own). */
export async function forgetThrottle(db: Executor, key: Buffer) {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

/** Counters nobody failed on for a long time, and that hold no wait, are deleted. */
export async function deleteStaleThrottles(db: Executor, before: Date, now: Date) {
  await db
    .deleteFrom('login_throttle')
    .where('last_failure_at', '<', before)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', now)]))
    .execute();
}
