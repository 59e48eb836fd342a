/**
 * The second factor: TOTP (RFC 6238, 6 digits, 30 s, as authenticator apps use; otplib) and ten
 * single-use recovery codes. Enrolment is two steps — `setUpSecondFactor` makes a secret (sealed
 * with the system key) and its otpauth:// URI for the QR code; `enableSecondFactor` takes a first
 * code from the app, turns the factor on and answers the recovery codes once (only their SHA-256
 * is kept). At login `checkSecondFactor` accepts a current code (one step of clock drift either
 * way, each time step once) or an unused recovery code.
 */
import { createHash, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import { openJson, sealJson } from '../../crypto/envelope.js';
import * as usersDb from '../../db/queries/users.js';
import type { Executor } from '../../db/queries/executor.js';
import { appendAudit } from '../../db/queries/audit.js';
import { AppError } from '../../domain/errors.js';
import { isTotpCode, normaliseRecoveryCode } from '../../domain/second-factor.js';
import type { KeyRing } from '../keys/keyring.js';

export const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Corridor';
/** Seconds per code (otplib's default, as authenticator apps use). */
const PERIOD = 30;

const aad = (userId: string) => `totp:${userId}`;
const hashCode = (code: string) => createHash('sha256').update(normaliseRecoveryCode(code)).digest();

/** 50 random bits as ten base32 letters, shown as `xxxxx-xxxxx`. */
function newRecoveryCode(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => alphabet[b % 32]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

function secretOf(keys: KeyRing, userId: string, sealed: Uint8Array): string {
  return openJson<string>(keys.system(), sealed, aad(userId));
}

/** Step 1 of enrolment: a new secret, not yet in force (a factor already on stays on until reset). */
export async function setUpSecondFactor(db: Executor, keys: KeyRing, user: { id: string; username: string }) {
  const row = await usersDb.findUserById(db, user.id);
  if (!row) throw new AppError('user.not_found');
  if (row.totp_enabled_at) throw new AppError('auth.second_factor_enabled');
  const secret = generateSecret();
  await usersDb.setTotpSecret(db, user.id, sealJson(keys.system(), secret, aad(user.id)));
  return { secret, uri: generateURI({ issuer: ISSUER, label: user.username, secret }) };
}

/** Step 2: the first code from the app turns the factor on; the recovery codes are answered once. */
export async function enableSecondFactor(db: Executor, keys: KeyRing, userId: string, code: string, now: Date) {
  const row = await usersDb.findUserById(db, userId);
  if (!row) throw new AppError('user.not_found');
  if (row.totp_enabled_at) throw new AppError('auth.second_factor_enabled');
  if (!row.totp_secret) throw new AppError('auth.second_factor_not_set_up');
  const step = await totpStep(secretOf(keys, userId, row.totp_secret), code, now, null);
  if (step === undefined)
    throw new AppError('request.invalid', 'code: is not the current code of your authenticator app', {
      fields: [{ path: 'code', message: 'is not the current code of your authenticator app', key: 'code_not_current' }],
    });
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await usersDb.enableTotp(db, userId, now, step);
  await usersDb.replaceRecoveryCodes(db, userId, codes.map(hashCode), now);
  await appendAudit(db, { operationId: null, actorId: userId, actorKind: 'user', action: 'auth.second_factor_enabled', at: now });
  return { recoveryCodes: codes };
}

/** The time step a TOTP code belongs to, if it is valid now and newer than the last one used. */
async function totpStep(secret: string, code: string, now: Date, lastStep: number | null): Promise<number | undefined> {
  const token = code.replace(/\s/g, '');
  if (!isTotpCode(token)) return undefined;
  const epoch = Math.floor(now.getTime() / 1000);
  const r = await verify({ secret, token, epoch, epochTolerance: PERIOD, ...(lastStep !== null ? { afterTimeStep: lastStep } : {}) });
  return r.valid ? Math.floor(epoch / PERIOD) + r.delta : undefined;
}

/**
 * At login, for an account with the factor on: true when the code is a current TOTP code not used
 * before, or an unused recovery code (then spent).
 */
export async function checkSecondFactor(
  db: Executor,
  keys: KeyRing,
  user: { id: string; totp_secret: Uint8Array | null; totp_last_step: number | null },
  code: string,
  now: Date,
): Promise<{ ok: boolean; recoveryCode?: boolean }> {
  if (!user.totp_secret) return { ok: false };
  if (isTotpCode(code)) {
    const step = await totpStep(secretOf(keys, user.id, user.totp_secret), code, now, user.totp_last_step);
    if (step === undefined) return { ok: false };
    await usersDb.setTotpLastStep(db, user.id, step);
    return { ok: true };
  }
  const spent = await usersDb.spendRecoveryCode(db, user.id, hashCode(code), now);
  return spent ? { ok: true, recoveryCode: true } : { ok: false };
}
