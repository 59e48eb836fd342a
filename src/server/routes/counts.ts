/** The one true count: the live numbers, and a server-sent-events stream of them. */
import type { FastifyInstance } from 'fastify';
import * as api from '../../domain/api/counts.js';
import { permissionsOf } from '../../domain/policy.js';
import { can, requireOperation } from '../../services/context.js';
import { getCounts } from '../../services/counts/counts.js';
import { AppError } from '../../domain/errors.js';
import { streamCounts, wantsEventStream, type StreamAccess } from '../sse.js';
import { defineRoute, type RouteEnv } from '../route.js';

export function countRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, api.getCounts, async (ctx) => getCounts(ctx));
  defineRoute(app, env, api.streamCounts, async (ctx, input, req, reply) => {
    // A client that does not ask for a stream (a plain fetch, a health check) gets the counts once, as JSON.
    if (!wantsEventStream(req)) return getCounts(ctx);
    const operationId = requireOperation(ctx);
    // Asked on every poll: the stream ends with the session (logout, timeouts, user disabled), a revoked device or a withdrawn role.
    // The tracing news goes to tracing officers only (it names requests, never a person).
    const only = input.query.only;
    if (only === 'tracing' && !can(ctx, 'tracing.manage')) throw new AppError('auth.forbidden');
    const stillAllowed = async (): Promise<StreamAccess> => {
      const caller = await req.recheckCaller?.();
      if (caller === undefined || caller.id !== ctx.actor.id) return false;
      const permissions = permissionsOf(caller.roles.get(operationId) ?? []);
      return permissions.has('counts.read') && { tracing: permissions.has('tracing.manage') };
    };
    streamCounts(req, reply, {
      db: env.db,
      operationId,
      withCategory: can(ctx, 'person.category'),
      clock: env.clock,
      stillAllowed,
      ...(only ? { only } : {}),
    });
    return undefined;
  });
}
