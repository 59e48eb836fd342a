/**
 * Accounts, passwords and sessions. Passwords are hashed with argon2id at OWASP's parameters;
 * a session is a 128-bit random token that only the browser holds (the database keeps its
 * SHA-256), with an idle and an absolute timeout. Failed logins make the (username, address)
 * pair and the address wait (login-throttle.ts), never the account everywhere; an unknown
 * username gets the same answers, after the same argon2 work, as a known one.
 */
import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { newId } from '../ids.js';
import type { Executor } from '../../db/queries/executor.js';
import * as usersDb from '../../db/queries/users.js';
import { appendAudit } from '../../db/queries/audit.js';
import { AppError } from '../../domain/errors.js';
import { isRole, rolesCover, type Role } from '../../domain/policy.js';
import { findDeviceByToken, findDeviceByTokenNotingContact } from '../../db/queries/operations.js';
import { countUnknownName } from '../../db/queries/login-throttle.js';
import { assertStrongPassword } from './password-strength.js';
import { checkSecondFactor } from './second-factor.js';
import type { KeyRing } from '../keys/keyring.js';
import { secondFactorRequired as requiresSecondFactor, type SecondFactorSettings } from '../../domain/second-factor.js';
import { assertNotThrottled, recordFailure, recordSuccess, throttleKeysOf } from './login-throttle.js';

export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

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
  /** Who must have a second factor; unset, nobody must (the server passes CORRIDOR_2FA_ROLES, src/config.ts). */
  secondFactor?: SecondFactorSettings;
}

/** What a session may do before its account is set up: nothing but that set-up. */
export type AccountPending = 'password_change' | 'second_factor_enrolment';

export interface LoginClient {
  /** The client's address (Fastify's `req.ip`), only ever stored as a keyed HMAC. */
  ip: string;
  /** The throttle's HMAC key (KeyRing.throttleKey). */
  throttleKey: Buffer;
  /** Opens the second factor's secret (KeyRing). */
  keys: KeyRing;
}

export async function login(
  db: Executor,
  input: { username: string; password: string; code?: string | undefined },
  now: Date,
  settings: SessionSettings,
  client: LoginClient,
) {
  const username = input.username.trim().toLowerCase();
  // Computed before anything else, so the first unknown name costs no more than a known one.
  dummyHash ??= await hashPassword(randomPassword());
  const keys = throttleKeysOf(client.throttleKey, username, client.ip);
  // The same throttle for every name typed, account or not: its answers reveal no account.
  await assertNotThrottled(db, keys, now);
  const user = await usersDb.findUserByUsername(db, username);
  const known = user && !user.disabled_at ? user : undefined;
  const ok = await argon2.verify(known ? known.password_hash : dummyHash, input.password);
  if (!known || !ok) {
    await recordFailure(db, keys, now);
    if (known) {
      await appendAudit(db, {
        operationId: null,
        actorId: known.id,
        actorKind: 'user',
        action: 'auth.login_failed',
        details: { reason: 'bad_password' },
        at: now,
      });
    } else {
      // Names that are no account are counted, not audited one by one (anyone can send them
      // without end): one audit row per address and clock hour, carrying the previous count.
      const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
      const started = await countUnknownName(db, keys.address, hour);
      if (started)
        await appendAudit(db, {
          operationId: null,
          actorId: null,
          actorKind: 'anonymous',
          action: 'auth.login_failed',
          details: {
            reason: 'unknown_user',
            hour: hour.toISOString(),
            previousHour: started.previousHour?.toISOString() ?? null,
            previousHourFailures: started.previousFailures,
          },
          at: now,
        });
    }
    throw new AppError('auth.invalid_credentials');
  }
  if (known.totp_enabled_at) {
    // The password was right: without a code nothing is counted; a wrong code counts as a failure.
    if (!input.code) throw new AppError('auth.second_factor_required', undefined, { fields: [{ path: 'code', message: 'is required' }] });
    const factor = await checkSecondFactor(db, client.keys, known, input.code, now);
    if (!factor.ok) {
      await recordFailure(db, keys, now);
      await appendAudit(db, {
        operationId: null,
        actorId: known.id,
        actorKind: 'user',
        action: 'auth.login_failed',
        details: { reason: 'bad_second_factor' },
        at: now,
      });
      throw new AppError('auth.second_factor_invalid', undefined, { fields: [{ path: 'code', message: 'is wrong or was used already' }] });
    }
    if (factor.recoveryCode)
      await appendAudit(db, { operationId: null, actorId: known.id, actorKind: 'user', action: 'auth.recovery_code_used', at: now });
  }
  await recordSuccess(db, keys);
  const token = newToken();
  const expiresAt = new Date(now.getTime() + settings.maxHours * 3_600_000);
  await usersDb.insertSession(db, { tokenHash: hashToken(token), userId: known.id, at: now, expiresAt });
  await appendAudit(db, { operationId: null, actorId: known.id, actorKind: 'user', action: 'auth.login', at: now });
  return {
    token,
    expiresAt,
    user: { id: known.id, username: known.username, displayName: known.display_name, isAdmin: known.is_admin, locale: known.locale },
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
  const grants = s.grants;
  const roles = new Map<string, Role[]>();
  for (const g of grants) {
    if (!isRole(g.role)) continue;
    roles.set(g.operation_id, [...(roles.get(g.operation_id) ?? []), g.role]);
  }
  const secondFactorRequired = requiresSecondFactor({ isAdmin: s.is_admin, roles }, settings.secondFactor ?? NOBODY);
  const pending: AccountPending | undefined = s.must_change_password
    ? 'password_change'
    : secondFactorRequired && !s.totp_enabled_at
      ? 'second_factor_enrolment'
      : undefined;
  return {
    id: s.user_id,
    username: s.username,
    displayName: s.display_name,
    isAdmin: s.is_admin,
    locale: s.locale,
    roles,
    pending,
    secondFactor: { enabled: !!s.totp_enabled_at, required: secondFactorRequired },
  };
}

/** A contact is written when the held count changes, or at most this often otherwise (a sync storm is many requests a second). */
const SEEN_EVERY_MS = 15_000;

/**
 * The device behind a bearer token and the role it acts in; `{ refusal }` when the token is
 * known but revoked (also when its maker is disabled or no longer holds the role's permissions in
 * the device's operation: a device is never more than its maker — the device wipes) or expired
 * (it keeps its queue for a new token); undefined when the token is unknown. With `contact`, the
 * device's last contact and the writes it still holds are recorded.
 */
export async function resolveDeviceToken(
  db: Executor,
  token: string,
  now: Date,
  contact?: { heldWrites: number | undefined },
): Promise<{ id: string; name: string; operationId: string; role: Role } | { refusal: 'device.revoked' | 'device.expired' } | undefined> {
  // A contact is noted in the statement that finds the device (one round trip per request).
  const device = contact
    ? await findDeviceByTokenNotingContact(db, hashToken(token), {
        at: now,
        heldWrites: contact.heldWrites,
        seenBefore: new Date(now.getTime() - SEEN_EVERY_MS),
      })
    : await findDeviceByToken(db, hashToken(token));
  if (!device) return undefined;
  // Device tokens carry their role in a prefix, cdv_<role>.<random>; the whole token is what
  // was hashed, so the prefix cannot be changed without the token failing to match.
  const role = token.slice(4, token.indexOf('.'));
  if (device.revoked_at || device.maker_disabled_at || !isRole(role) || !rolesCover((device.maker_roles ?? []).filter(isRole), role))
    return { refusal: 'device.revoked' };
  if (new Date(device.expires_at) <= now) return { refusal: 'device.expired' };
  return { id: device.id, name: device.name, operationId: device.operation_id, role };
}

const NOBODY: SecondFactorSettings = { requiredFor: [], exemptOperationIds: [] };

export async function createUser(
  db: Executor,
  input: { username: string; displayName: string; password: string; isAdmin: boolean; locale?: string },
  actor: { id: string | null; kind: 'user' | 'system' },
  now: Date,
) {
  const id = newId(now);
  const username = input.username.trim().toLowerCase();
  if (await usersDb.findUserByUsername(db, username)) throw new AppError('user.username_taken');
  await assertStrongPassword(input.password, [username, input.displayName]);
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
    mustChangePassword: u.must_change_password,
    secondFactor: !!u.totp_enabled_at,
  }));
}
