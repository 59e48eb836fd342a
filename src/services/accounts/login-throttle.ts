/**
 * The login throttle: before a password is checked, the (username typed, client address) pair
 * and the address must not be waiting; every failure counts on both and earns the waits of
 * src/domain/login-throttle.ts. A username that is no account is counted exactly like one that
 * is, so the answers tell nobody which names exist. Keys are HMACs, never addresses or names.
 */
import { createHmac } from 'node:crypto';
import { AppError } from '../../domain/errors.js';
import { THROTTLE_FORGET_SECONDS, throttleAddressOf, waitAfterFailures, type ThrottleScope } from '../../domain/login-throttle.js';
import type { Executor } from '../../db/queries/executor.js';
import * as throttles from '../../db/queries/login-throttle.js';

export interface ThrottleKeys {
  pair: Buffer;
  address: Buffer;
}

export function throttleKeysOf(secret: Buffer, username: string, ip: string): ThrottleKeys {
  const address = throttleAddressOf(ip);
  const mac = (...parts: string[]) => createHmac('sha256', secret).update(parts.join('\u0000')).digest();
  return { pair: mac('pair', username, address), address: mac('address', address) };
}

/** Refuses with 429 `auth.locked` (and the seconds to wait) while the pair or the address waits. */
export async function assertNotThrottled(db: Executor, keys: ThrottleKeys, now: Date) {
  const rows = await throttles.findThrottles(db, [keys.pair, keys.address]);
  const until = Math.max(0, ...rows.map((r) => (r.blocked_until ? new Date(r.blocked_until).getTime() : 0)));
  if (until > now.getTime()) {
    const retryAfterSeconds = Math.ceil((until - now.getTime()) / 1000);
    throw new AppError('auth.locked', undefined, { lockedUntil: new Date(until).toISOString(), retryAfterSeconds });
  }
}

/** Counts a failure on the pair and the address, and sets the wait each has earned. */
export async function recordFailure(db: Executor, keys: ThrottleKeys, now: Date) {
  const forgetBefore = new Date(now.getTime() - THROTTLE_FORGET_SECONDS * 1000);
  await throttles.deleteStaleThrottles(db, forgetBefore, now);
  for (const scope of ['pair', 'address'] as ThrottleScope[]) {
    const failures = await throttles.countFailure(db, keys[scope], scope, now, forgetBefore);
    const wait = waitAfterFailures(scope, failures);
    await throttles.setBlockedUntil(db, keys[scope], wait > 0 ? new Date(now.getTime() + wait * 1000) : null);
  }
}

export async function recordSuccess(db: Executor, keys: ThrottleKeys) {
  await throttles.forgetThrottle(db, keys.pair);
}
