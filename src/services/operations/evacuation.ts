/**
 * Setting up the evacuation's ways: routes (ordered sites, origin first) and movement
 * (ceasefire) windows. Coordinators do this; convoys are then planned on a route and
 * dispatched inside a window.
 */
import type { z } from 'zod';
import * as operationsDb from '../../db/queries/operations.js';
import * as routesDb from '../../db/queries/routes.js';
import { AppError, invalid } from '../../domain/errors.js';
import type { movementWindowInput, routeInput, routeNamesInput, routeTimingInput } from '../../domain/convoys/index.js';
import { audit, requireOperation, type Ctx } from '../context.js';
import { newId } from '../ids.js';

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

export function presentRoute(r: Awaited<ReturnType<typeof routesDb.listRoutes>>[number]) {
  return {
    id: r.id,
    name: r.name,
    nameAr: r.name_ar,
    siteIds: r.site_ids,
    legMinutes: r.leg_minutes,
    escalateMinutes: r.escalate_minutes,
    createdAt: iso(r.created_at),
  };
}

export function presentWindow(w: Awaited<ReturnType<typeof routesDb.listWindows>>[number]) {
  return { id: w.id, start: iso(w.starts_at), end: iso(w.ends_at), note: w.note, noteAr: w.note_ar };
}

export async function createRoute(ctx: Ctx, input: z.output<typeof routeInput>) {
  const operationId = requireOperation(ctx);
  if (await routesDb.findRoute(ctx.db, operationId, input.id))
    throw new AppError('conflict', `A route with id ${input.id} already exists.`, {
      fields: [{ path: 'id', message: 'This id is already used: choose another.', key: 'id_taken' }],
    });
  const sites = new Set((await operationsDb.listSites(ctx.db, operationId)).map((s) => s.id));
  const unknown = input.siteIds.map((id, i) => ({ id, i })).filter((s) => !sites.has(s.id));
  if (unknown.length > 0) {
    throw new AppError('route.invalid', 'A route passes only sites of this operation.', {
      fields: unknown.map((u) => ({ path: `siteIds.${u.i}`, message: 'This site is not in this operation.' })),
    });
  }
  await routesDb.insertRoute(ctx.db, {
    operationId,
    id: input.id,
    name: input.name ?? null,
    nameAr: input.nameAr ?? null,
    siteIds: input.siteIds,
    legMinutes: input.legMinutes ?? null,
    escalateMinutes: input.escalateMinutes ?? 60,
    at: ctx.now,
    by: ctx.actor.id,
  });
  await audit(ctx, {
    action: 'route.create',
    subjectKind: 'route',
    subjectId: input.id,
    details: { siteIds: input.siteIds, legMinutes: input.legMinutes ?? null },
  });
  return presentRoute((await routesDb.findRoute(ctx.db, operationId, input.id))!);
}

/** Renames a route: its English and Arabic names (null clears one). */
export async function renameRoute(ctx: Ctx, routeId: string, input: z.output<typeof routeNamesInput>) {
  const operationId = requireOperation(ctx);
  if (!(await routesDb.setRouteNames(ctx.db, operationId, routeId, input))) throw new AppError('route.not_found');
  await audit(ctx, { action: 'route.rename', subjectKind: 'route', subjectId: routeId, details: { ...input } });
  return presentRoute((await routesDb.findRoute(ctx.db, operationId, routeId))!);
}

/** Sets the expected time of each leg of a route (what overdue alerts are measured against). */
export async function setRouteTiming(ctx: Ctx, routeId: string, input: z.output<typeof routeTimingInput>) {
  const operationId = requireOperation(ctx);
  const route = await routesDb.findRoute(ctx.db, operationId, routeId);
  if (!route) throw new AppError('route.not_found');
  if (input.legMinutes !== null && input.legMinutes.length !== route.site_ids.length - 1)
    throw invalid([{ path: 'legMinutes', message: `This route has ${route.site_ids.length - 1} legs: give one time for each.` }]);
  const escalateMinutes = input.escalateMinutes ?? route.escalate_minutes;
  await routesDb.setRouteTiming(ctx.db, operationId, routeId, { legMinutes: input.legMinutes, escalateMinutes });
  await audit(ctx, {
    action: 'route.timing',
    subjectKind: 'route',
    subjectId: routeId,
    details: { legMinutes: input.legMinutes, escalateMinutes },
  });
  return presentRoute((await routesDb.findRoute(ctx.db, operationId, routeId))!);
}

export async function listRoutes(ctx: Ctx) {
  return (await routesDb.listRoutes(ctx.db, requireOperation(ctx))).map(presentRoute);
}

export async function createWindow(ctx: Ctx, input: z.output<typeof movementWindowInput>) {
  const operationId = requireOperation(ctx);
  const id = newId(ctx.now);
  await routesDb.insertWindow(ctx.db, {
    operationId,
    id,
    start: input.start,
    end: input.end,
    note: input.note ?? null,
    noteAr: input.noteAr ?? null,
    at: ctx.now,
    by: ctx.actor.id,
  });
  await audit(ctx, {
    action: 'movement_window.create',
    subjectKind: 'movement_window',
    subjectId: id,
    details: { start: input.start, end: input.end },
  });
  return presentWindow((await routesDb.listWindows(ctx.db, operationId)).find((w) => w.id === id)!);
}

export async function listWindows(ctx: Ctx) {
  return (await routesDb.listWindows(ctx.db, requireOperation(ctx))).map(presentWindow);
}
