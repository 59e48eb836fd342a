/** The one true count: the live numbers, and a server-sent-events stream of them. */
import type { FastifyInstance } from 'fastify';
import * as api from '../../domain/api/counts.js';
import { permissionsOf } from '../../domain/policy.js';
import { can, requireOperation } from '../../services/context.js';
import { getCounts } from '../../services/counts/counts.js';
import { streamCounts, wantsEventStream } from '../sse.js';
import { defineRoute, type RouteEnv } from '../route.js';

export function countRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, api.getCounts, async (ctx) => getCounts(ctx));
  defineRoute(app, env, api.streamCounts, async (ctx, _input, req, reply) => {
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
  });
}
