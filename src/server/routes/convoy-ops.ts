/** Convoy operations: incidents, timelines, positions, overdue alerts, route leg times, the replay. */
import type { FastifyInstance } from 'fastify';
import * as api from '../../domain/api/convoy-ops.js';
import * as evac from '../../services/operations/evacuation.js';
import * as overdue from '../../services/convoy-ops/overdue.js';
import * as road from '../../services/convoy-ops/road.js';
import { defineRoute, type RouteEnv } from '../route.js';

export function convoyOpsRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, api.setRouteTiming, async (ctx, { params, body }) => evac.setRouteTiming(ctx, params.routeId, body));
  defineRoute(app, env, api.renameRoute, async (ctx, { params, body }) => evac.renameRoute(ctx, params.routeId, body));
  defineRoute(app, env, api.listIncidents, async (ctx, { query }) => road.listIncidents(ctx, query.convoyId));
  defineRoute(app, env, api.getConvoyTimeline, async (ctx, { params }) => road.getConvoyTimeline(ctx, params.convoyId));
  defineRoute(app, env, api.listConvoyPositions, async (ctx) => road.listConvoyPositions(ctx));
  defineRoute(app, env, api.listConvoyAlerts, async (ctx, { query }) => overdue.listConvoyAlerts(ctx, query.status));
  defineRoute(app, env, api.acknowledgeConvoyAlert, async (ctx, { params }) => overdue.acknowledgeConvoyAlert(ctx, params.alertId));
  defineRoute(app, env, api.getReplay, async (ctx, { query }) => road.getReplay(ctx, query.asOf));
}
