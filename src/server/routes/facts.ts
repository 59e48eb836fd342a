/** The movement-fact batch: what an offline phone sends when it reconnects. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { recordFactBatch } from '../../services/facts.js';
import { defineRoute, type RouteEnv } from '../route.js';

const op = z.object({ operationId: z.string().max(64) });

export function factRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/facts',
    tag: 'facts',
    summary: 'Record movement facts (each accepted once by its id; the permission is checked per fact kind)',
    params: op,
    status: 200,
    // Each fact is validated against the movement-fact schema in the service, with paths facts.N.…
    body: z
      .object({
        facts: z.array(z.record(z.string(), z.unknown())).min(1, 'send at least one fact').max(500, 'at most 500 facts per batch'),
      })
      .strict(),
    handler: async (ctx, { body }) => recordFactBatch(ctx, body),
  });
}
