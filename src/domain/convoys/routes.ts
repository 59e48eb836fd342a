/**
 * Routes and movement (ceasefire) windows. A route is the ordered list of sites a convoy passes,
 * origin first, destination last. Convoys may only be dispatched inside a window [start, end);
 * outside one a coordinator may still dispatch, giving a reason that the decision carries so the
 * audit log and the sitrep can show why.
 */
import { z } from 'zod';
import { entityId, isoDateTime, text } from '../schemas/common.js';
import { refuse, type Refusal } from './refusal.js';

/** Minutes expected from one site of a route to the next (a leg); at most three days. */
const legMinutes = z.array(z.number().int().min(1).max(4320)).max(49);
/** How long an overdue convoy waits before its alert escalates (minutes, default 60). */
const escalateMinutes = z.number().int().min(1).max(1440);

export const routeInput = z
  .object({
    id: entityId,
    name: text(120).optional(),
    nameAr: text(120).optional(),
    siteIds: z.array(entityId).min(2, 'a route has an origin and a destination').max(50),
    legMinutes: legMinutes.optional(),
    escalateMinutes: escalateMinutes.optional(),
  })
  .strict()
  .refine((r) => new Set(r.siteIds).size === r.siteIds.length, {
    message: 'a route passes each site once',
    path: ['siteIds'],
    params: { key: 'sites_once' },
  })
  .refine((r) => r.legMinutes === undefined || r.legMinutes.length === r.siteIds.length - 1, {
    message: 'one expected time per leg: one fewer than the sites',
    path: ['legMinutes'],
    params: { key: 'legs_count' },
  });

/** New names of an existing route, English and Arabic (null clears a name; left out: unchanged). */
export const routeNamesInput = z.object({ name: text(120).nullable().optional(), nameAr: text(120).nullable().optional() }).strict();

/** The expected times of an existing route's legs (null: none, no overdue alerts on it). */
export const routeTimingInput = z.object({ legMinutes: legMinutes.nullable(), escalateMinutes: escalateMinutes.optional() }).strict();
export type Route = z.output<typeof routeInput>;

export const movementWindowInput = z
  .object({ start: isoDateTime, end: isoDateTime, note: text(200).optional(), noteAr: text(200).optional() })
  .strict()
  .refine((w) => Date.parse(w.start) < Date.parse(w.end), {
    message: 'a window ends after it starts',
    path: ['end'],
    params: { key: 'ends_before_start' },
  });
export type MovementWindow = z.output<typeof movementWindowInput>;

export function originOf(route: Route): string {
  return route.siteIds[0] as string;
}

export function destinationOf(route: Route): string {
  return route.siteIds[route.siteIds.length - 1] as string;
}

/** Where a site falls on the route, or -1; used to check that checkpoint facts come in route order. */
export function positionOnRoute(route: Route, siteId: string): number {
  return route.siteIds.indexOf(siteId);
}

export interface DispatchOverride {
  reason: string;
  /** Who decided (user id); the server fills it from the session. */
  by?: string;
}

export type DispatchDecision =
  | { ok: true; decision: 'allowed'; window: MovementWindow }
  | { ok: true; decision: 'allowed_by_override'; reason: string; by?: string; nextWindow?: MovementWindow }
  | Refusal<'convoy.outside_movement_window' | 'convoy.override_reason_required'>;

/** May a convoy leave at `at`? Windows are half-open: a window ending at 18:00 refuses 18:00. */
export function checkDispatch(windows: readonly MovementWindow[], at: string, override?: DispatchOverride): DispatchDecision {
  const t = Date.parse(at);
  const open = windows.find((w) => Date.parse(w.start) <= t && t < Date.parse(w.end));
  if (open) return { ok: true, decision: 'allowed', window: open };
  const nextWindow = [...windows].filter((w) => Date.parse(w.start) > t).sort((a, b) => Date.parse(a.start) - Date.parse(b.start))[0];
  if (override) {
    const reason = override.reason.trim();
    if (reason.length === 0)
      return refuse('convoy.override_reason_required', 'Dispatching outside a movement window needs a reason.', { at });
    return {
      ok: true,
      decision: 'allowed_by_override',
      reason,
      ...(override.by ? { by: override.by } : {}),
      ...(nextWindow ? { nextWindow } : {}),
    };
  }
  return refuse('convoy.outside_movement_window', 'Movement is not allowed at this time: no ceasefire window is open.', {
    at,
    ...(nextWindow ? { nextWindow } : {}),
  });
}
