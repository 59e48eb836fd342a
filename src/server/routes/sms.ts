/**
 * The SMS gateway's webhook (SMSSync; docs/sms.md) and the admin's setting of an account's
 * phone number. The webhook has no session: the gateway sends the shared secret
 * (CORRIDOR_SMS_SECRET) with each message, compared in constant time before anything else, so
 * an unauthenticated caller learns nothing of operations. SMSSync posts an HTML form; the form
 * parser is registered for this route only (anywhere else a cross-site form could post to the API).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import * as api from '../../domain/api/sms.js';
import { AppError } from '../../domain/errors.js';
import { setAccountPhone } from '../../services/accounts/phone.js';
import { receiveCheckpointSms, type SmsAnswer } from '../../services/sms/checkpoint-sms.js';
import { defineRoute, type RouteEnv } from '../route.js';

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** SMSSync's `sent_timestamp`: milliseconds (current app) or seconds since 1970, or an ISO time. */
function sentAtOf(raw: string | undefined): Date | undefined {
  if (!raw) return undefined;
  const n = /^\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
  const t = Number.isFinite(n) ? (n > 1e11 ? n : n * 1000) : Date.parse(raw);
  return Number.isFinite(t) ? new Date(t) : undefined;
}

function smsSyncAnswer(a: SmsAnswer) {
  return {
    payload: {
      success: true,
      error: a.error,
      ...(a.reply ? { task: 'send' as const, messages: [{ to: a.reply.to, message: a.reply.text, uuid: a.reply.id }] } : {}),
    },
  };
}

export async function smsRoutes(app: FastifyInstance, env: RouteEnv, opts: { secret?: string | undefined }) {
  defineRoute(app, env, api.setUserPhone, async (ctx, { params, body }) => setAccountPhone(ctx, params.userId, body.phone));

  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    defineRoute(scope, env, api.receiveSmsSync, async (ctx, { body }) => {
      if (!opts.secret) throw new AppError('sms.not_configured');
      if (typeof body.secret !== 'string' || !sameSecret(body.secret, opts.secret)) throw new AppError('sms.bad_secret');
      const answer = await receiveCheckpointSms(ctx, {
        from: body.from ?? '',
        text: body.message ?? '',
        messageId: body.message_id,
        sentAt: sentAtOf(body.sent_timestamp),
      });
      return smsSyncAnswer(answer);
    });
  });
}
