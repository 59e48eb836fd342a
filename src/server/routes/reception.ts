/** The reception desk: check-in (tag or person), shelter assignment, protection alerts. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { entityId, isoDateTime, text } from '../../domain/schemas/common.js';
import * as svc from '../../services/reception.js';
import { defineRoute, type RouteEnv } from '../route.js';

const op = z.object({ operationId: z.string().max(64) });

export function receptionRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, {
    method: 'POST', url: '/api/operations/:operationId/check-ins', tag: 'reception',
    summary: 'Check a person in at a site by tag (scanned or typed) or by record; at a shelter site this is the shelter assignment', params: op,
    body: z.object({
      siteId: entityId, tag: z.string().max(20).optional(), personId: entityId.optional(), convoyId: entityId.optional(), vehicleId: entityId.optional(),
      shelter: text(120).optional(), at: isoDateTime.optional(),
    }).strict().refine((b) => (b.tag === undefined) !== (b.personId === undefined), { message: 'give the tag or the person id, not both', path: ['tag'] }),
    handler: async (ctx, { body }) => svc.checkIn(ctx, body),
  });
  defineRoute(app, env, {
    method: 'GET', url: '/api/operations/:operationId/protection-alerts', tag: 'reception', summary: 'Unaccompanied and separated children who arrived', params: op,
    query: z.object({ status: z.enum(['open', 'closed']).optional() }).strict(),
    handler: async (ctx, { query }) => svc.listProtectionAlerts(ctx, query),
  });
}
