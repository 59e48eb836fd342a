/** The reception desk: check-in (tag or person), shelter assignment, protection alerts and acting on them. */
import type { FastifyInstance } from 'fastify';
import * as api from '../../domain/api/reception.js';
import * as svc from '../../services/reception/reception.js';
import { listExpected } from '../../services/reception/expected.js';
import { carriedAtSite } from '../../services/reception/carried.js';
import { defineRoute, type RouteEnv } from '../route.js';

export function receptionRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, api.checkIn, async (ctx, { body }) => svc.checkIn(ctx, body));
  defineRoute(app, env, api.listExpected, async (ctx, { params }) => listExpected(ctx, params.siteId));
  defineRoute(app, env, api.listProtectionAlerts, async (ctx, { query }) =>
    svc.listProtectionAlerts(ctx, {
      ...(query.status ? { status: query.status } : {}),
      ...(query.acknowledged !== undefined ? { acknowledged: query.acknowledged } : {}),
      ...(query.personId ? { personId: query.personId } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
    }),
  );
  defineRoute(app, env, api.acknowledgeAlert, async (ctx, { params }) => svc.acknowledgeAlert(ctx, params.alertId));
  defineRoute(app, env, api.carriedAtSite, async (ctx, { params }) => carriedAtSite(ctx, params.siteId));
  defineRoute(app, env, api.closeAlert, async (ctx, { params, body }) => svc.closeAlert(ctx, params.alertId, body));
}
