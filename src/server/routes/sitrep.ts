/** The situation report: other sources' figures, producing a report file, checking one (one service call each). */
import type { FastifyInstance } from 'fastify';
import * as api from '../../domain/api/sitrep.js';
import * as sitrep from '../../services/sitrep/use-cases.js';
import { defineRoute, type RouteEnv } from '../route.js';

export function sitrepRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, api.listOutsideSources, async (ctx) => sitrep.listOutsideSources(ctx));
  defineRoute(app, env, api.recordOutsideSource, async (ctx, { body }) => sitrep.recordOutsideSource(ctx, body));
  defineRoute(app, env, api.produceSitrep, async (ctx, { body }) => sitrep.produceSitrep(ctx, body));
  defineRoute(app, env, api.verifySitrep, async (ctx, { body }) => sitrep.verifySitrepFile(ctx, body.contentBase64));
}
