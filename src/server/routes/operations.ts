/** Operations and their set-up: sites, staff, devices, wristband ranges. */
import type { FastifyInstance } from 'fastify';
import * as ops from '../../db/queries/operations.js';
import * as api from '../../domain/api/operations.js';
import { AppError } from '../../domain/errors.js';
import { permissionsOf } from '../../domain/policy.js';
import { requireOperation, audit } from '../../services/context.js';
import * as svc from '../../services/operations.js';
import { defineRoute, type RouteEnv } from '../route.js';

export function operationRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, api.listOperations, async (ctx, _i, req) => {
    const rows = await ops.listOperations(ctx.db, ctx.actor.isAdmin ? undefined : ctx.actor.id);
    return rows.map((o) => ({ ...svc.presentOperation(o), roles: req.caller?.roles.get(o.id) ?? [] }));
  });

  defineRoute(app, env, api.createOperation, async (ctx, { body }) => svc.createOperation(ctx, body));

  defineRoute(app, env, api.getOperation, async (ctx) => {
    const o = await ops.findOperation(ctx.db, requireOperation(ctx));
    if (!o) throw new AppError('operation.not_found');
    return { ...svc.presentOperation(o), roles: ctx.roles, permissions: [...permissionsOf(ctx.roles)] };
  });

  defineRoute(app, env, api.listSites, async (ctx) => (await ops.listSites(ctx.db, requireOperation(ctx))).map(svc.presentSite));

  defineRoute(app, env, api.createSite, async (ctx, { body }) => svc.createSite(ctx, body));

  defineRoute(app, env, api.listStaff, async (ctx) => svc.listStaff(ctx));

  defineRoute(app, env, api.setStaffRoles, async (ctx, { params, body }) => svc.setStaffRoles(ctx, params.userId, body.roles));

  defineRoute(app, env, api.listDevices, async (ctx) =>
    (await ops.listDevices(ctx.db, requireOperation(ctx))).map((d) => ({
      id: d.id,
      name: d.name,
      siteId: d.site_id,
      createdAt: new Date(d.created_at).toISOString(),
      revoked: !!d.revoked_at,
    })),
  );

  defineRoute(app, env, api.createDevice, async (ctx, { body }) => svc.createDevice(ctx, body));

  defineRoute(app, env, api.revokeDevice, async (ctx, { params }) => {
    const n = await ops.revokeDevice(ctx.db, requireOperation(ctx), params.deviceId, ctx.now);
    if (!n) throw new AppError('device.not_found');
    await audit(ctx, { action: 'device.revoke', subjectKind: 'device', subjectId: params.deviceId });
    return { id: params.deviceId, revoked: true };
  });

  defineRoute(app, env, api.listTagRanges, async (ctx) => (await ops.listTagRanges(ctx.db, requireOperation(ctx))).map(svc.presentRange));

  defineRoute(app, env, api.allocateTagRange, async (ctx, { body }) => svc.allocateTagRange(ctx, body));
}
