/** The one true count: the live numbers, and a server-sent-events stream of them. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { permissionsOf } from '../../domain/policy.js';
import { can, requireOperation } from '../../services/context.js';
import { getCounts } from '../../services/counts.js';
import { streamCounts, wantsEventStream } from '../sse.js';
import { defineRoute, type RouteEnv } from '../route.js';

const op = z.object({ operationId: z.string().max(64) });

export function countRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/counts',
    tag: 'counts',
    summary: 'Registered, boarded, in transit, arrived, missing, turned back — by sex and age, vulnerability, category, site, hour',
    params: op,
    handler: async (ctx) => getCounts(ctx),
  });
  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/counts/stream',
    tag: 'counts',
    summary: 'Live counts as server-sent events (Accept: text/event-stream); other clients get the counts once as JSON',
    params: op,
    handler: async (ctx, _input, req, reply) => {
      // A client that does not ask for a stream (a plain fetch, a health check) gets the counts once, as JSON.
      if (!wantsEventStream(req)) return getCounts(ctx);
      const operationId = requireOperation(ctx);
      // Asked on every poll: the stream ends with the session (logout, timeouts, user disabled), a revoked device or a withdrawn role.
      const stillAllowed = async () => {
        const caller = await req.recheckCaller?.();
        return caller !== undefined && caller.id === ctx.actor.id && permissionsOf(caller.roles.get(operationId) ?? []).has('counts.read');
      };
      streamCounts(req, reply, { db: env.db, operationId, withCategory: can(ctx, 'person.category'), clock: env.clock, stillAllowed });
      return undefined;
    },
  });
}
