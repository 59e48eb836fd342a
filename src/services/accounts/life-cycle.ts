/**
 * An account's life cycle: a user changes their own password (the current one checked, the new
 * one strong, their other sessions ended); a system administrator disables and enables an
 * account, resets its password (a random one shown once, to be changed at the next login),
 * resets its second factor (a lost phone), and ends all its sessions. Each step is audited;
 * disabling and resetting end the account's sessions (a disabled account's device tokens stop
 * too: src/server/plugins/auth.ts).
 */
import argon2 from 'argon2';
import * as usersDb from '../../db/queries/users.js';
import type { Executor } from '../../db/queries/executor.js';
import { appendAudit } from '../../db/queries/audit.js';
import { AppError } from '../../domain/errors.js';
import { hashPassword, hashToken, randomPassword } from './auth.js';
import { assertStrongPassword } from './password-strength.js';

type Actor = { id: string; kind: 'user' | 'system' };

async function accountOf(db: Executor, userId: string) {
  const u = await usersDb.findUserById(db, userId);
  if (!u) throw new AppError('user.not_found');
  return u;
}

async function auditAccount(db: Executor, actor: Actor, action: string, userId: string, now: Date, details?: Record<string, unknown>) {
  await appendAudit(db, {
    operationId: null,
    actorId: actor.id,
    actorKind: actor.kind,
    action,
    subjectKind: 'user',
    subjectId: userId,
    ...(details ? { details } : {}),
    at: now,
  });
}

export async function changePassword(
  db: Executor,
  user: { id: string; sessionToken: string },
  input: { currentPassword: string; newPassword: string },
  now: Date,
) {
  const u = await accountOf(db, user.id);
  if (!(await argon2.verify(u.password_hash, input.currentPassword)))
    throw new AppError('request.invalid', 'currentPassword: is not your current password', {
      fields: [{ path: 'currentPassword', message: 'is not your current password', key: 'wrong_password' }],
    });
  if (input.newPassword === input.currentPassword)
    throw new AppError('user.password_weak', 'newPassword: is the same as the current one', {
      fields: [{ path: 'newPassword', message: 'is the same as the current one' }],
    });
  await assertStrongPassword(input.newPassword, [u.username, u.display_name], 'newPassword');
  await usersDb.setPasswordMustChange(db, u.id, await hashPassword(input.newPassword), false);
  const ended = await usersDb.endSessionsOf(db, u.id, now, hashToken(user.sessionToken));
  await auditAccount(db, { id: u.id, kind: 'user' }, 'user.password_changed', u.id, now, { otherSessionsEnded: ended });
}

export async function setAccountDisabled(db: Executor, actor: Actor, userId: string, disabled: boolean, now: Date) {
  await accountOf(db, userId);
  if (disabled && userId === actor.id) throw new AppError('conflict', 'You cannot disable your own account.');
  await usersDb.setDisabled(db, userId, disabled ? now : null);
  const ended = disabled ? await usersDb.endSessionsOf(db, userId, now) : 0;
  await auditAccount(db, actor, disabled ? 'user.disabled' : 'user.enabled', userId, now, disabled ? { sessionsEnded: ended } : undefined);
  return { id: userId, disabled };
}

/** A random password (shown once to the administrator); the user must change it at the next login. */
export async function resetPassword(db: Executor, actor: Actor, userId: string, now: Date) {
  await accountOf(db, userId);
  const temporaryPassword = randomPassword();
  await usersDb.setPasswordMustChange(db, userId, await hashPassword(temporaryPassword), true);
  const ended = await usersDb.endSessionsOf(db, userId, now);
  await auditAccount(db, actor, 'user.password_reset', userId, now, { sessionsEnded: ended });
  return { id: userId, temporaryPassword };
}

export async function endAllSessions(db: Executor, actor: Actor, userId: string, now: Date) {
  await accountOf(db, userId);
  const ended = await usersDb.endSessionsOf(db, userId, now);
  await auditAccount(db, actor, 'user.sessions_ended', userId, now, { sessionsEnded: ended });
  return { id: userId, sessionsEnded: ended };
}

/** After a lost phone: the factor and its recovery codes are gone; the account sets one up again at its next login. */
export async function resetSecondFactor(db: Executor, actor: Actor, userId: string, now: Date) {
  await accountOf(db, userId);
  await usersDb.clearSecondFactor(db, userId);
  const ended = await usersDb.endSessionsOf(db, userId, now);
  await auditAccount(db, actor, 'user.second_factor_reset', userId, now, { sessionsEnded: ended });
  return { id: userId, secondFactor: false };
}
