/**
 * Checkpoint SMS: the SMS gateway's webhook (SMSSync, an Android app that forwards the SMS its
 * phone receives; see docs/sms.md) and an account's phone number, which names the sender.
 */
import { z } from 'zod';
import { endpoint } from './endpoint.js';
import { operationParams } from './views.js';

const field = (max: number) => z.string().max(max).optional();

/**
 * What SMSSync posts (form-encoded or JSON): the sender, the text, the message's id, the secret
 * set in the app. Every field is optional here so that nothing a gateway can send is a 500:
 * a missing secret is a 401, a missing sender or text is answered as a malformed SMS.
 */
export const smsSyncBody = z
  .object({
    from: field(64),
    message: field(2000),
    message_id: field(200),
    sent_to: field(64),
    secret: field(500),
    device_id: field(200),
    sent_timestamp: field(40),
  })
  .loose();

/** SMSSync's answer: `success` true marks the SMS as delivered; `messages` are sent back as SMS by the phone. */
export const smsSyncAnswer = z.object({
  payload: z.object({
    success: z.boolean(),
    error: z.string().nullable(),
    task: z.literal('send').optional(),
    messages: z.array(z.object({ to: z.string(), message: z.string(), uuid: z.string() })).optional(),
  }),
});

export const receiveSmsSync = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/sms/smssync',
  // The gateway has no session: it proves itself with the shared secret, checked by the route.
  access: 'public',
  tag: 'sms',
  summary: "SMSSync's webhook: a checkpoint monitor's SMS becomes checkpoint passes; answered with a short SMS",
  params: operationParams,
  body: smsSyncBody,
  // Replays are answered by the gateway's message id, not by an Idempotency-Key header the gateway cannot send.
  idempotent: false,
  status: 200,
  response: smsSyncAnswer,
});

export const setUserPhone = endpoint({
  method: 'PUT',
  path: '/api/users/:userId/phone',
  access: 'system_admin',
  tag: 'admin',
  summary: "Set (or, with null, remove) the phone number an account's checkpoint SMS come from; stored sealed",
  params: z.object({ userId: z.string().max(64) }),
  body: z.object({ phone: z.string().max(40).nullable() }).strict(),
  response: z.object({ id: z.string(), phone: z.string().nullable().describe('the last digits only') }),
});
