/** Routes, movement windows, convoys, vehicles, manifests and convoy commands; reconciliation. */
import type { FastifyInstance } from 'fastify';
import * as api from '../../domain/api/convoys.js';
import * as convoys from '../../services/convoys/convoys.js';
import { addVehicle, boardHousehold, boardHouseholds, recordVehicleHeadCount } from '../../services/convoys/convoys-batch.js';
import * as evac from '../../services/operations/evacuation.js';
import { listBoardable } from '../../services/convoys/boardable.js';
import { removeFromVehicle, removeHeadCount } from '../../services/convoys/manifest-removal.js';
import { reconcileOperation } from '../../services/reconciliation/reconciliation.js';
import { defineRoute, type RouteEnv } from '../route.js';

export function convoyRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, api.listRoutes, async (ctx) => evac.listRoutes(ctx));
  defineRoute(app, env, api.createRoute, async (ctx, { body }) => evac.createRoute(ctx, body));
  defineRoute(app, env, api.listMovementWindows, async (ctx) => evac.listWindows(ctx));
  defineRoute(app, env, api.createMovementWindow, async (ctx, { body }) => evac.createWindow(ctx, body));

  defineRoute(app, env, api.listConvoys, async (ctx) => convoys.listConvoys(ctx));
  defineRoute(app, env, api.createConvoy, async (ctx, { body }) => convoys.createConvoy(ctx, body));
  defineRoute(app, env, api.getConvoy, async (ctx, { params }) => convoys.presentConvoy(ctx, params.convoyId));
  defineRoute(app, env, api.addVehicle, async (ctx, { params, body }) => addVehicle(ctx, params.convoyId, body));
  defineRoute(app, env, api.getManifest, async (ctx, { params }) => convoys.getManifest(ctx, params.convoyId));
  defineRoute(app, env, api.board, async (ctx, { params, body }) => boardHousehold(ctx, params.convoyId, body));
  defineRoute(app, env, api.boardBatch, async (ctx, { params, body }) => boardHouseholds(ctx, params.convoyId, body.boardings));
  defineRoute(app, env, api.removeFromVehicle, async (ctx, { params, body }) => removeFromVehicle(ctx, params.convoyId, body));
  defineRoute(app, env, api.removeHeadCount, async (ctx, { params, body }) => removeHeadCount(ctx, params.convoyId, body));
  defineRoute(app, env, api.recordHeadCount, async (ctx, { params, body }) => recordVehicleHeadCount(ctx, params.convoyId, body));
  defineRoute(app, env, api.listBoardable, async (ctx, { query }) => listBoardable(ctx, query));
  defineRoute(app, env, api.moveConvoy, async (ctx, { params, body }) => convoys.moveConvoy(ctx, params.convoyId, body));

  defineRoute(app, env, api.getReconciliation, async (ctx, { query: { kind, offset, limit, ...scope } }) =>
    reconcileOperation(ctx, scope, { kind, offset, limit }),
  );
}
