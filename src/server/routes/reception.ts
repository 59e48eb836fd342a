/** The reception desk: check-in (tag or person), shelter assignment, protection alerts and acting on them. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { entityId, isoDateTime, requiredText, text } from '../../domain/schemas/common.js';
import * as svc from '../../services/reception.js';
import { defineRoute, type RouteEnv } from '../route.js';

const op = z.object({ operationId: z.string().max(64) });
const alert = op.extend({ alertId: entityId });

export function receptionRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/check-ins',
    tag: 'reception',
    summary: 'Check a person in at a site by tag (scanned or typed) or by record; at a shelter site this is the shelter assignment',
    params: op,
    body: z
      .object({
        siteId: entityId,
        tag: z.string().max(20).optional(),
        personId: entityId.optional(),
        convoyId: entityId.optional(),
        vehicleId: entityId.optional(),
        shelter: text(120).optional(),
        at: isoDateTime.optional(),
      })
      .strict()
      .refine((b) => (b.tag === undefined) !== (b.personId === undefined), {
        message: 'give the tag or the person id, not both',
        path: ['tag'],
      }),
    handler: async (ctx, { body }) => svc.checkIn(ctx, body),
  });
  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/protection-alerts',
    tag: 'reception',
    summary: 'Unaccompanied and separated children who arrived: open (needing an outcome) or closed, acknowledged or not',
    params: op,
    query: z
      .object({
        status: z.enum(['open', 'closed']).optional(),
        acknowledged: z
          .enum(['true', 'false'], { message: "must be 'true' or 'false'" })
          .transform((v) => v === 'true')
          .optional(),
        personId: entityId.optional(),
      })
      .strict(),
    handler: async (ctx, { query }) =>
      svc.listProtectionAlerts(ctx, {
        ...(query.status ? { status: query.status } : {}),
        ...(query.acknowledged !== undefined ? { acknowledged: query.acknowledged } : {}),
        ...(query.personId ? { personId: query.personId } : {}),
      }),
  });
  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/protection-alerts/:alertId/acknowledge',
    tag: 'reception',
    status: 200,
    summary: 'Acknowledge an open protection alert: someone is with the child (it stays open until closed with an outcome)',
    params: alert,
    handler: async (ctx, { params }) => svc.acknowledgeAlert(ctx, params.alertId),
  });
  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/protection-alerts/:alertId/close',
    tag: 'reception',
    status: 200,
    summary: 'Close a protection alert with its outcome and a note (sealed); a closed alert cannot be closed again',
    params: alert,
    body: z.object({ outcome: z.enum(svc.alertOutcomes), note: requiredText(2000) }).strict(),
    handler: async (ctx, { params, body }) => svc.closeAlert(ctx, params.alertId, body),
  });
}
