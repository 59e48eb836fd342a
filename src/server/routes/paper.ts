/** The paper that travels with convoys: manifests, arrival lists, wristband prints. */
import type { FastifyInstance } from 'fastify';
import * as api from '../../domain/api/paper.js';
import { arrivalList, vehicleCountManifest, vehicleManifest } from '../../services/paper/paper.js';
import { printWristbands } from '../../services/paper/wristbands.js';
import { defineRoute, type RouteEnv } from '../route.js';

export function paperRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, api.getVehicleManifest, async (ctx, { params }) => vehicleManifest(ctx, params.convoyId, params.vehicleId));
  defineRoute(app, env, api.getVehicleCountManifest, async (ctx, { params }) =>
    vehicleCountManifest(ctx, params.convoyId, params.vehicleId),
  );
  defineRoute(app, env, api.getArrivalList, async (ctx, { params }) => arrivalList(ctx, params.siteId, params.convoyId));
  defineRoute(app, env, api.printWristbands, async (ctx, { params, body }) => printWristbands(ctx, params.householdId, body));
}
