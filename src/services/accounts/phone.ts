/**
 * An account's phone number: the number its checkpoint SMS come from (src/services/sms). A
 * system administrator sets it; it is kept sealed with the system key and found by its keyed
 * hash, and only its last digits are ever shown again. One number belongs to one account.
 */
import { sealJson } from '../../crypto/envelope.js';
import { appendAudit } from '../../db/queries/audit.js';
import * as smsDb from '../../db/queries/sms.js';
import { AppError, invalid } from '../../domain/errors.js';
import { maskPhone, normalisePhone } from '../../domain/sms/checkpoint-sms.js';
import type { Ctx } from '../context.js';
import { phoneHash } from '../sms/checkpoint-sms.js';

export async function setAccountPhone(ctx: Ctx, userId: string, raw: string | null) {
  const phone = raw === null || raw.trim() === '' ? null : normalisePhone(raw);
  if (phone === undefined)
    throw invalid([{ path: 'phone', message: 'an international number: + (or 00), the country code, then the number' }]);
  let stored: { hash: Buffer; sealed: Buffer } | null = null;
  if (phone !== null) {
    const hash = phoneHash(ctx, phone);
    const holder = await smsDb.findUserIdByPhoneHash(ctx.db, hash);
    if (holder !== undefined && holder !== userId) throw new AppError('user.phone_taken');
    stored = { hash, sealed: sealJson(ctx.keys.system(), phone, `user:${userId}:phone`) };
  }
  if (!(await smsDb.setUserPhone(ctx.db, userId, stored))) throw new AppError('user.not_found');
  await appendAudit(ctx.db, {
    operationId: null,
    actorId: ctx.actor.id,
    actorKind: ctx.actor.kind,
    action: phone === null ? 'user.phone_removed' : 'user.phone_set',
    subjectKind: 'user',
    subjectId: userId,
    at: ctx.now,
  });
  return { id: userId, phone: phone === null ? null : maskPhone(phone) };
}
