/** The movement-fact batch: what an offline phone sends when it reconnects. */
import type { FastifyInstance } from 'fastify';
import { recordFacts } from '../../domain/api/reception.js';
import { recordFactBatch } from '../../services/facts/facts.js';
import { defineRoute, type RouteEnv } from '../route.js';

export function factRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, recordFacts, async (ctx, { body }) => recordFactBatch(ctx, body));
}
