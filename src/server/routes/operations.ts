/** Operations and their set-up: sites, staff, devices, wristband ranges. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { deviceInput, operationInput, siteInput, staffInput, tagRangeInput } from '../../domain/schemas/operations.js';
import * as svc from '../../services/operations.js';
import { defineRoute, type RouteEnv } from '../route.js';

const op = z.object({ operationId: z.string().max(64) });

export function operationRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations',
    tag: 'operations',
    summary: 'Operations you hold a role in (all of them for a system admin)',
    handler: async (ctx, _i, req) => svc.listOperationsOf(ctx, req.caller?.roles),
  });

  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations',
    tag: 'operations',
    summary: 'Create an operation (with its own data key)',
    body: operationInput,
    handler: async (ctx, { body }) => svc.createOperation(ctx, body),
  });

  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId',
    tag: 'operations',
    summary: 'One operation, with your roles and permissions in it',
    params: op,
    handler: async (ctx) => svc.getOperation(ctx),
  });

  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/sites',
    tag: 'operations',
    summary: 'Sites of the operation',
    params: op,
    handler: async (ctx) => svc.listSites(ctx),
  });

  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/sites',
    tag: 'operations',
    summary: 'Add a site',
    params: op,
    body: siteInput,
    handler: async (ctx, { body }) => svc.createSite(ctx, body),
  });

  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/staff',
    tag: 'operations',
    summary: 'Accounts holding roles in the operation',
    params: op,
    handler: async (ctx) => svc.listStaff(ctx),
  });

  defineRoute(app, env, {
    method: 'PUT',
    url: '/api/operations/:operationId/staff/:userId',
    tag: 'operations',
    summary: 'Set the roles an account holds in the operation',
    params: op.extend({ userId: z.string().max(64) }),
    body: staffInput,
    handler: async (ctx, { params, body }) => svc.setStaffRoles(ctx, params.userId, body.roles),
  });

  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/devices',
    tag: 'operations',
    summary: 'Field devices of the operation',
    params: op,
    handler: async (ctx) => svc.listDevices(ctx),
  });

  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/devices',
    tag: 'operations',
    summary: 'Register a field device; its token is shown once',
    params: op,
    body: deviceInput,
    handler: async (ctx, { body }) => svc.createDevice(ctx, body),
  });

  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/devices/:deviceId/revoke',
    tag: 'operations',
    summary: 'Revoke a device token',
    params: op.extend({ deviceId: z.string().max(64) }),
    status: 200,
    handler: async (ctx, { params }) => svc.revokeDevice(ctx, params.deviceId),
  });

  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/tag-ranges',
    tag: 'operations',
    summary: 'Wristband ranges handed out',
    params: op,
    handler: async (ctx) => svc.listTagRanges(ctx),
  });

  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/tag-ranges',
    tag: 'operations',
    summary: 'Allocate the next block of wristband tags to a site or device',
    params: op,
    body: tagRangeInput,
    handler: async (ctx, { body }) => svc.allocateTagRange(ctx, body),
  });
}
