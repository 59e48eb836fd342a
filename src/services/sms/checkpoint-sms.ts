/**
 * A checkpoint SMS, as the gateway forwards it: the sender's number names the account (a keyed
 * hash, never the number in clear), the text is parsed by the forgiving grammar of
 * src/domain/sms, its codes are resolved against the operation, and the passes are recorded
 * through the same facts service as the checkpoint desk's queue — with the account's own roles
 * in the operation, so the same permission checks apply. The gateway's message id makes it
 * replay-safe: a retry is answered with the stored reply, and the facts' ids are derived from
 * it, so even two copies racing record one pass. Whatever the text, the answer is a short
 * SMS back (in Arabic when the sender wrote Arabic or their account is in Arabic); only an
 * unknown or disabled number gets no SMS at all, so a forged sender costs nothing and learns nothing.
 */
import { createHash } from 'node:crypto';
import { keyedHash, openJson, sealJson } from '../../crypto/envelope.js';
import * as convoysDb from '../../db/queries/convoys.js';
import * as operationsDb from '../../db/queries/operations.js';
import * as smsDb from '../../db/queries/sms.js';
import { AppError } from '../../domain/errors.js';
import type { MovementFact } from '../../domain/movements/index.js';
import { permissionsOf, type Role } from '../../domain/policy.js';
import {
  normalisePhone,
  parseCheckpointSms,
  recordedReply,
  refusalReply,
  type CheckpointReport,
  type SmsLang,
  type SmsRefusal,
} from '../../domain/sms/checkpoint-sms.js';
import { audit, requireOperation, type Ctx } from '../context.js';
import { recordFactBatch } from '../facts/facts.js';

export interface IncomingSms {
  from: string;
  text: string;
  /** The gateway's id of the message; absent from old gateways (then one is derived from the message). */
  messageId?: string | undefined;
  /** When the phone got it, if the gateway says (taken as the facts' device time when plausible). */
  sentAt?: Date | undefined;
}

export interface SmsAnswer {
  /** Recorded, refused or ignored: the gateway has it and must not send it again. */
  outcome: 'recorded' | 'refused' | 'unknown_sender';
  /** A catalogue-like code of why it was not recorded; null when recorded. */
  error: string | null;
  /** The SMS to send back (none for an unknown number). */
  reply: { to: string; text: string; id: string } | null;
  /** The passes recorded (fact ids). */
  factIds: string[];
}

/** The keyed hash a phone number is found by (the system key: accounts belong to no operation). */
export function phoneHash(ctx: Pick<Ctx, 'keys'>, phone: string): Buffer {
  return keyedHash(ctx.keys.system(), 'phone', phone);
}

/** A UUID made from the message and the pass's place in it: the same SMS always makes the same facts. */
function derivedId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * What a message is known by: a digest of the gateway's id for it (stored as a digest, since the
 * id is the gateway's to choose), or of its sender, time and text when the gateway sends no id.
 */
function messageKeyOf(sms: IncomingSms): string {
  const id = sms.messageId?.trim();
  const parts = id ? ['id', id] : ['message', sms.from, sms.sentAt?.toISOString() ?? '', sms.text];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/** A device time the facts can carry: the phone's, unless it is missing or more than a day off the server's. */
function deviceTimeOf(sms: IncomingSms, now: Date): string {
  const t = sms.sentAt?.getTime();
  return t !== undefined && Number.isFinite(t) && Math.abs(t - now.getTime()) < 86_400_000 ? new Date(t).toISOString() : now.toISOString();
}

const fold = (s: string) => s.normalize('NFKC').toLowerCase();

/** The one item whose id (or one of whose names) is the code, exact before case-insensitive. */
function pick<T extends { id: string }>(items: readonly T[], code: string, names: (t: T) => (string | null)[] = () => []): T | undefined {
  const exact = items.find((i) => i.id === code);
  if (exact) return exact;
  const matches = items.filter((i) => [i.id, ...names(i)].some((n) => n !== null && fold(n) === fold(code)));
  return matches.length === 1 ? matches[0] : undefined;
}

export async function receiveCheckpointSms(ctx: Ctx, sms: IncomingSms): Promise<SmsAnswer> {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const phone = normalisePhone(sms.from) ?? sms.from.trim();
  const senderHash = phoneHash(ctx, phone);
  const messageKey = messageKeyOf(sms);
  const aad = (field: string) => `sms:${messageKey}:${field}`;
  const claimed = await smsDb.claimSmsMessage(ctx.db, {
    operationId,
    messageKey,
    at: ctx.now,
    senderHash,
    textSealed: sealJson(keys, sms.text, aad('text')),
  });
  if (!claimed) {
    const prior = await smsDb.findSmsMessage(ctx.db, operationId, messageKey);
    if (prior?.reply_sealed) return openJson<SmsAnswer>(keys, prior.reply_sealed, aad('answer'));
    throw new AppError('request.in_progress', undefined, { retryAfterSeconds: 1 });
  }

  const user = await smsDb.findUserByPhoneHash(ctx.db, senderHash, operationId);
  let answer: SmsAnswer;
  if (!user || user.disabled_at !== null) {
    answer = { outcome: 'unknown_sender', error: 'sms.unknown_sender', reply: null, factIds: [] };
  } else {
    const roles = (user.roles ?? []) as Role[];
    const monitor: Ctx = {
      ...ctx,
      actor: { kind: 'user', id: user.id, name: user.username, isAdmin: user.is_admin },
      roles,
      permissions: permissionsOf(roles),
    };
    answer = await recordSms(monitor, sms, phone, messageKey, user.locale === 'ar' ? 'ar' : 'en');
    if (answer.outcome === 'refused')
      await audit(monitor, {
        action: 'sms.refused',
        subjectKind: 'operation',
        subjectId: operationId,
        details: { error: answer.error },
      });
  }
  await smsDb.finishSmsMessage(ctx.db, {
    operationId,
    messageKey,
    userId: user?.id ?? null,
    outcome: answer.outcome,
    factIds: answer.factIds,
    replySealed: sealJson(keys, answer, aad('answer')),
  });
  return answer;
}

async function recordSms(monitor: Ctx, sms: IncomingSms, phone: string, messageKey: string, accountLang: SmsLang): Promise<SmsAnswer> {
  const operationId = requireOperation(monitor);
  const parsed = parseCheckpointSms(sms.text, accountLang);
  const refuse = (lang: SmsLang, why: SmsRefusal, code?: string): SmsAnswer => ({
    outcome: 'refused',
    error: `sms.${why}`,
    reply: { to: phone, text: refusalReply(lang, why, code), id: derivedId(operationId, messageKey, 'reply') },
    factIds: [],
  });
  if (!parsed.ok) return refuse(parsed.lang, parsed.problem);
  const { report, lang } = parsed;
  if (!monitor.permissions.has('checkpoint.log')) return refuse(lang, 'not_allowed');

  const site = pick(await operationsDb.listSites(monitor.db, operationId), report.checkpoint, (s) => [s.name_en, s.name_ar]);
  if (!site) return refuse(lang, 'unknown_checkpoint', report.checkpoint);
  const convoy = pick(await convoysDb.listConvoys(monitor.db, operationId), report.convoy, (c) => [c.name]);
  if (!convoy) return refuse(lang, 'unknown_convoy', report.convoy);
  const vehicles = await convoysDb.listVehicles(monitor.db, operationId, convoy.id);
  const seen: { vehicleId: string; headCount?: number }[] = [];
  for (const v of report.vehicles) {
    const vehicle = pick(vehicles, v.vehicle, (x) => [x.plate]);
    if (!vehicle) return refuse(lang, 'unknown_vehicle', v.vehicle);
    seen.push({ vehicleId: vehicle.id, ...(v.headCount !== undefined ? { headCount: v.headCount } : {}) });
  }

  // What the checkpoint desk sends for the same sighting: the convoy's pass and each vehicle's.
  const deviceTime = deviceTimeOf(sms, monitor.now);
  const base = { operationId, convoyId: convoy.id, siteId: site.id, deviceTime };
  const facts: MovementFact[] = [
    { ...base, id: derivedId(operationId, messageKey, 'convoy'), kind: 'passed_checkpoint', payload: {} },
    ...seen.map((v, i): MovementFact => ({
      ...base,
      id: derivedId(operationId, messageKey, String(i)),
      kind: 'passed_checkpoint',
      vehicleId: v.vehicleId,
      payload: v.headCount !== undefined ? { observedHeadCount: v.headCount } : {},
    })),
  ];
  try {
    await smsDb.withSavepoint(monitor.db, 'sms_facts', () =>
      recordFactBatch(monitor, { facts: facts as unknown as Record<string, unknown>[] }),
    );
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return refuse(lang, err.code === 'auth.forbidden' ? 'not_allowed' : 'not_recorded');
  }
  const resolved: CheckpointReport = {
    checkpoint: site.id,
    convoy: convoy.id,
    vehicles: seen.map((v) => ({ vehicle: v.vehicleId, ...(v.headCount !== undefined ? { headCount: v.headCount } : {}) })),
  };
  const where = (lang === 'ar' ? site.name_ar : null) ?? site.name_en;
  return {
    outcome: 'recorded',
    error: null,
    reply: { to: phone, text: recordedReply(lang, where, resolved), id: derivedId(operationId, messageKey, 'reply') },
    factIds: facts.map((f) => f.id),
  };
}
