/** Routes, movement windows, convoys, vehicles, manifests and convoy commands; reconciliation. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { convoyEvents, headCountRows, movementWindowInput, routeInput, vehicleInput } from '../../domain/convoys/index.js';
import { haltReasons } from '../../domain/movements/index.js';
import { entityId, isoDateTime, text } from '../../domain/schemas/common.js';
import * as convoys from '../../services/convoys.js';
import { boardHouseholds } from '../../services/convoys-batch.js';
import * as evac from '../../services/evacuation.js';
import { removeFromVehicle, removeHeadCount } from '../../services/manifest-removal.js';
import { reconcileOperation } from '../../services/reconciliation.js';
import { defineRoute, type RouteEnv } from '../route.js';

const op = z.object({ operationId: z.string().max(64) });
const convoyParams = op.extend({ convoyId: z.string().max(64) });

/** One boarding: a household, or some of its members with a split reason, onto a vehicle. */
const boardingBody = z
  .object({
    householdId: entityId,
    vehicleId: entityId,
    memberIds: z.array(entityId).min(1).max(30).optional(),
    splitReason: text(500).optional(),
    at: isoDateTime.optional(),
  })
  .strict();

export function convoyRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/routes',
    tag: 'evacuation',
    summary: 'Routes of the operation (ordered sites)',
    params: op,
    handler: async (ctx) => evac.listRoutes(ctx),
  });
  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/routes',
    tag: 'evacuation',
    summary: 'Add a route: its sites in order, origin first',
    params: op,
    body: routeInput,
    handler: async (ctx, { body }) => evac.createRoute(ctx, body),
  });
  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/movement-windows',
    tag: 'evacuation',
    summary: 'Movement (ceasefire) windows',
    params: op,
    handler: async (ctx) => evac.listWindows(ctx),
  });
  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/movement-windows',
    tag: 'evacuation',
    summary: 'Add a movement window [start, end)',
    params: op,
    body: movementWindowInput,
    handler: async (ctx, { body }) => evac.createWindow(ctx, body),
  });

  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/convoys',
    tag: 'convoys',
    summary: 'Convoys and their states',
    params: op,
    handler: async (ctx) => convoys.listConvoys(ctx),
  });
  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/convoys',
    tag: 'convoys',
    summary: 'Plan a convoy on a route',
    params: op,
    body: z.object({ id: entityId.optional(), routeId: entityId, name: text(120).optional() }).strict(),
    handler: async (ctx, { body }) => convoys.createConvoy(ctx, body),
  });
  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/convoys/:convoyId',
    tag: 'convoys',
    summary: 'A convoy: state, allowed moves, vehicles and occupancy',
    params: convoyParams,
    handler: async (ctx, { params }) => convoys.presentConvoy(ctx, params.convoyId),
  });
  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/convoys/:convoyId/vehicles',
    tag: 'convoys',
    summary: 'Add a vehicle (named manifest or head count)',
    params: convoyParams,
    body: vehicleInput,
    handler: async (ctx, { params, body }) => convoys.addVehicle(ctx, params.convoyId, body),
  });
  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/convoys/:convoyId/manifest',
    tag: 'convoys',
    summary: 'Who rides in which vehicle, with flags and head counts',
    params: convoyParams,
    handler: async (ctx, { params }) => convoys.getManifest(ctx, params.convoyId),
  });
  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/convoys/:convoyId/boardings',
    tag: 'convoys',
    summary: 'Board a household (or some members, with a split reason) onto a vehicle',
    params: convoyParams,
    body: boardingBody,
    handler: async (ctx, { params, body }) => convoys.boardHousehold(ctx, params.convoyId, body),
  });
  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/convoys/:convoyId/boardings/batch',
    tag: 'convoys',
    summary:
      "A convoy officer's queue of boardings on one convoy, each as if recorded alone after the ones before it (all or none; a refusal names its item)",
    params: convoyParams,
    body: z.object({ boardings: z.array(boardingBody).min(1).max(200) }).strict(),
    handler: async (ctx, { params, body }) => boardHouseholds(ctx, params.convoyId, body.boardings),
  });
  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/convoys/:convoyId/removals',
    tag: 'convoys',
    summary:
      'Take a household (or some members, with a reason when the rest stays) off its vehicle before departure; the boarding facts are voided by corrections',
    params: convoyParams,
    status: 200,
    body: z
      .object({
        householdId: entityId,
        memberIds: z.array(entityId).min(1).max(30).optional(),
        reason: text(500).optional(),
        at: isoDateTime.optional(),
      })
      .strict(),
    handler: async (ctx, { params, body }) => removeFromVehicle(ctx, params.convoyId, body),
  });
  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/convoys/:convoyId/head-count-removals',
    tag: 'convoys',
    summary: 'Remove the head count of a head-count vehicle before departure (to correct it, record it again)',
    params: convoyParams,
    status: 200,
    body: z.object({ vehicleId: entityId, reason: text(500).optional(), at: isoDateTime.optional() }).strict(),
    handler: async (ctx, { params, body }) => removeHeadCount(ctx, params.convoyId, body),
  });
  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/convoys/:convoyId/head-counts',
    tag: 'convoys',
    summary: 'Record (replace) the head count of a head-count vehicle',
    params: convoyParams,
    body: z.object({ vehicleId: entityId, rows: headCountRows, at: isoDateTime.optional() }).strict(),
    handler: async (ctx, { params, body }) => convoys.recordVehicleHeadCount(ctx, params.convoyId, body),
  });
  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/convoys/:convoyId/transitions',
    tag: 'convoys',
    summary: 'Move the convoy (board, depart, halt, resume, pass a checkpoint, arrive, turn back, cancel)',
    params: convoyParams,
    status: 200,
    body: z
      .object({
        event: z.enum(convoyEvents),
        at: isoDateTime.optional(),
        siteId: entityId.optional(),
        vehicleId: entityId.optional(),
        reason: z.enum(haltReasons).optional(),
        note: text(1000).optional(),
        observedHeadCount: z.number().int().min(0).max(10_000).optional(),
        override: z
          .object({ reason: text(500) })
          .strict()
          .optional()
          .describe('dispatch outside a movement window (coordinators)'),
      })
      .strict(),
    handler: async (ctx, { params, body }) => convoys.moveConvoy(ctx, params.convoyId, body),
  });

  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/reconciliation',
    tag: 'convoys',
    summary: 'What does not add up: missing in transit, arrived not manifested, head-count mismatches, split households',
    params: op,
    query: z.object({ convoyId: entityId.optional(), vehicleId: entityId.optional(), siteId: entityId.optional() }).strict(),
    handler: async (ctx, { query }) => reconcileOperation(ctx, query),
  });
}
