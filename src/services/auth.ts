/**
 * Accounts, passwords and sessions. Passwords are hashed with argon2id at OWASP's parameters;
 * a session is a 128-bit random token that only the browser holds (the database keeps its
 * SHA-256), with an idle and an absolute timeout. Failed logins lock an account for a while,
 * and an unknown username costs as much time as a known one.
 */
import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { newId } from './ids.js';
import type { Executor } from '../db/queries/executor.js';
import * as usersDb from '../db/queries/users.js';
import { appendAudit } from '../db/queries/audit.js';
import { AppError } from '../domain/errors.js';
import { isRole, type Role } from '../domain/policy.js';

export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MINUTES = 15;

let dummyHash: string | undefined;

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export function newToken(prefix = ''): string {
  return prefix + randomBytes(16).toString('base64url');
}

export function randomPassword(): string {
  // 15 bytes → 20 characters of base64url: about 120 bits, easy to copy once from a terminal.
  return randomBytes(15).toString('base64url');
}

export interface SessionSettings {
  idleMinutes: number;
  maxHours: number;
}

export async function login(db: Executor, input: { username: string; password: string }, now: Date, settings: SessionSettings) {
  const username = input.username.trim().toLowerCase();
  const user = await usersDb.findUserByUsername(db, username);
  if (!user || user.disabled_at) {
    dummyHash ??= await hashPassword(randomPassword());
    await argon2.verify(dummyHash, input.password);
    await appendAudit(db, {
      operationId: null,
      actorId: null,
      actorKind: 'anonymous',
      action: 'auth.login_failed',
      details: { reason: 'unknown_user' },
      at: now,
    });
    throw new AppError('auth.invalid_credentials');
  }
  if (user.locked_until && new Date(user.locked_until) > now) {
    await appendAudit(db, { operationId: null, actorId: user.id, actorKind: 'user', action: 'auth.login_refused_locked', at: now });
    throw new AppError('auth.locked', undefined, { lockedUntil: new Date(user.locked_until).toISOString() });
  }
  const ok = await argon2.verify(user.password_hash, input.password);
  if (!ok) {
    const lockUntil = new Date(now.getTime() + LOCK_MINUTES * 60_000);
    const { locked } = await usersDb.recordLoginFailure(db, user.id, LOCK_AFTER_FAILURES, lockUntil);
    await appendAudit(db, {
      operationId: null,
      actorId: user.id,
      actorKind: 'user',
      action: 'auth.login_failed',
      details: { reason: 'bad_password', locked },
      at: now,
    });
    throw new AppError('auth.invalid_credentials');
  }
  await usersDb.recordLoginSuccess(db, user.id);
  const token = newToken();
  const expiresAt = new Date(now.getTime() + settings.maxHours * 3_600_000);
  await usersDb.insertSession(db, { tokenHash: hashToken(token), userId: user.id, at: now, expiresAt });
  await appendAudit(db, { operationId: null, actorId: user.id, actorKind: 'user', action: 'auth.login', at: now });
  return {
    token,
    expiresAt,
    user: { id: user.id, username: user.username, displayName: user.display_name, isAdmin: user.is_admin, locale: user.locale },
  };
}

export async function logout(db: Executor, token: string, userId: string, now: Date) {
  await usersDb.endSession(db, hashToken(token), now);
  await appendAudit(db, { operationId: null, actorId: userId, actorKind: 'user', action: 'auth.logout', at: now });
}

/**
 * The user behind a session token, or undefined when it is unknown, ended or timed out.
 * `touch: false` only looks (a live stream re-checking its session): being watched is not use,
 * so an open dashboard does not keep an unattended session from its idle timeout.
 */
export async function resolveSession(db: Executor, token: string, now: Date, settings: SessionSettings, opts: { touch?: boolean } = {}) {
  const tokenHash = hashToken(token);
  const s = await usersDb.findSession(db, tokenHash);
  if (!s || s.ended_at || s.disabled_at) return undefined;
  const lastSeen = new Date(s.last_seen_at).getTime();
  if (new Date(s.expires_at) <= now || lastSeen + settings.idleMinutes * 60_000 <= now.getTime()) return undefined;
  // Touch at most once a minute: enough for the idle timeout, without a write per request.
  if (opts.touch !== false && now.getTime() - lastSeen > 60_000) await usersDb.touchSession(db, tokenHash, now);
  const grants = await usersDb.rolesOfUser(db, s.user_id);
  const roles = new Map<string, Role[]>();
  for (const g of grants) {
    if (!isRole(g.role)) continue;
    roles.set(g.operation_id, [...(roles.get(g.operation_id) ?? []), g.role]);
  }
  return { id: s.user_id, username: s.username, displayName: s.display_name, isAdmin: s.is_admin, locale: s.locale, roles };
}

export async function createUser(
  db: Executor,
  input: { username: string; displayName: string; password: string; isAdmin: boolean; locale?: string },
  actor: { id: string | null; kind: 'user' | 'system' },
  now: Date,
) {
  const id = newId(now);
  const username = input.username.trim().toLowerCase();
  if (await usersDb.findUserByUsername(db, username)) throw new AppError('user.username_taken');
  await usersDb.insertUser(db, {
    id,
    username,
    displayName: input.displayName,
    passwordHash: await hashPassword(input.password),
    isAdmin: input.isAdmin,
    locale: input.locale ?? 'en',
    at: now,
  });
  await appendAudit(db, {
    operationId: null,
    actorId: actor.id,
    actorKind: actor.kind,
    action: 'user.create',
    subjectKind: 'user',
    subjectId: id,
    details: { username, isAdmin: input.isAdmin },
    at: now,
  });
  return { id, username, displayName: input.displayName, isAdmin: input.isAdmin, locale: input.locale ?? 'en' };
}

/** First start on an empty database: an admin with a random password, printed once by the caller. */
export async function ensureFirstAdmin(db: Executor, now: Date): Promise<{ username: string; password: string } | undefined> {
  if ((await usersDb.countUsers(db)) > 0) return undefined;
  const password = randomPassword();
  await createUser(db, { username: 'admin', displayName: 'Administrator', password, isAdmin: true }, { id: null, kind: 'system' }, now);
  return { username: 'admin', password };
}

/** Every account, as the admin screen lists it (no password hashes). */
export async function listAccounts(db: Executor) {
  return (await usersDb.listUsers(db)).map((u) => ({
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    isAdmin: u.is_admin,
    locale: u.locale,
    disabled: !!u.disabled_at,
  }));
}
