/** Operations and their set-up: sites, staff, devices, wristband ranges. */
import type { FastifyInstance } from 'fastify';
import * as api from '../../domain/api/operations.js';
import * as svc from '../../services/operations/operations.js';
import * as staff from '../../services/operations/staff.js';
import { defineRoute, type RouteEnv } from '../route.js';

export function operationRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, api.listOperations, async (ctx, _i, req) => svc.listOperationsOf(ctx, req.caller?.roles));

  defineRoute(app, env, api.createOperation, async (ctx, { body }) => svc.createOperation(ctx, body));

  defineRoute(app, env, api.getOperation, async (ctx) => svc.getOperation(ctx));

  defineRoute(app, env, api.listSites, async (ctx) => svc.listSites(ctx));

  defineRoute(app, env, api.createSite, async (ctx, { body }) => svc.createSite(ctx, body));

  defineRoute(app, env, api.updateSite, async (ctx, { params, body }) => svc.updateSite(ctx, params.siteId, body));

  defineRoute(app, env, api.listStaff, async (ctx) => staff.listStaff(ctx));

  defineRoute(app, env, api.setStaffRoles, async (ctx, { params, body }) => staff.setStaffRoles(ctx, params.userId, body.roles));

  defineRoute(app, env, api.listRoleRequests, async (ctx) => staff.listRoleRequests(ctx));

  defineRoute(app, env, api.approveRoleRequest, async (ctx, { params }) => staff.decideRoleRequest(ctx, params.requestId, 'approved'));

  defineRoute(app, env, api.rejectRoleRequest, async (ctx, { params }) => staff.decideRoleRequest(ctx, params.requestId, 'rejected'));

  defineRoute(app, env, api.listDevices, async (ctx) => svc.listDevices(ctx));

  defineRoute(app, env, api.createDevice, async (ctx, { body }) => svc.createDevice(ctx, body));

  defineRoute(app, env, api.revokeDevice, async (ctx, { params }) => svc.revokeDevice(ctx, params.deviceId));

  defineRoute(app, env, api.listTagRanges, async (ctx) => svc.listTagRanges(ctx));

  defineRoute(app, env, api.allocateTagRange, async (ctx, { body }) => svc.allocateTagRange(ctx, body));
}
