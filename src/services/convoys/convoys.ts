/**
 * The convoy board: convoys planned on a route, their vehicles, boarding households under the
 * manifest rules (capacity, families kept together unless split with a reason, children
 * without their family flagged), head counts for vehicles whose occupants were not registered,
 * and the commands that move a convoy through its state machine — dispatch checked against the
 * movement windows, with a coordinator's override. Each command records its movement fact.
 * Vehicles, boardings and head counts (batches, and the single commands as batches of one) are in
 * convoys-batch.ts; the stored manifest in manifest-store.ts.
 */
import { sealJson } from '../../crypto/envelope.js';
import * as convoysDb from '../../db/queries/convoys.js';
import * as correctionsDb from '../../db/queries/corrections.js';
import * as factsDb from '../../db/queries/facts.js';
import * as personsDb from '../../db/queries/persons.js';
import * as routesDb from '../../db/queries/routes.js';
import { carriedTotals } from '../../domain/carried.js';
import { nothingCarried } from '../../domain/schemas/persons.js';
import { carriedOf, openProtected } from '../persons/protected-fields.js';
import {
  allowedTransitions,
  checkDispatch,
  destinationOf,
  headCountTotal,
  occupancy,
  originOf,
  transition,
  vehicleOccupancy,
  type ConvoyEvent,
  type ConvoyState,
} from '../../domain/convoys/index.js';
import { AppError, invalid } from '../../domain/errors.js';
import { effectiveFacts, movementFactSchema, type haltReasons, type MovementFact } from '../../domain/movements/index.js';
import { appendFacts } from '../facts/facts.js';
import type { HeadCountInForce } from './head-counts.js';
import { audit, can, requireOperation, type Ctx } from '../context.js';
import { newId } from '../ids.js';
import { loadConvoy, loadRoute, manifestState, refusal, storedHeadCount } from './manifest-store.js';

const iso = (v: Date | string | null) => (v === null ? null : (v instanceof Date ? v : new Date(v)).toISOString());

export async function presentConvoy(ctx: Ctx, convoyId: string) {
  const operationId = requireOperation(ctx);
  const c = await loadConvoy(ctx, convoyId);
  // Occupancy only: the named people counted per vehicle by the database, not the manifest read
  // and its split reasons opened (a convoy is presented after every boarding queue and vehicle).
  const named = await convoysDb.countManifestByVehicle(ctx.db, operationId, c.id);
  const vehicles = await convoysDb.listVehicles(ctx.db, operationId, c.id);
  const passes = (await factsDb.factsOfConvoys(ctx.db, operationId, [c.id], { movementOnly: true })).filter(
    (f) => f.kind === 'passed_checkpoint',
  );
  const corrections = await correctionsDb.correctionChainsOf(
    ctx.db,
    operationId,
    passes.map((p) => p.id),
  );
  const standing = effectiveFacts([...passes, ...corrections].map(factsDb.rowToFact)).filter((f) => f.kind === 'passed_checkpoint');
  return {
    id: c.id,
    routeId: c.route_id,
    name: c.name,
    state: c.state,
    allowed: allowedTransitions(c.state as ConvoyState),
    dispatchedAt: iso(c.dispatched_at),
    overridden: c.override_by !== null,
    overrideBy: c.override_by,
    vehicles: vehicles.map((v) => ({
      id: v.id,
      kind: v.kind,
      capacity: v.capacity,
      mode: v.mode,
      plate: v.plate,
      occupancy: vehicleOccupancy(named.get(v.id) ?? 0, v.head_count ? storedHeadCount(v.head_count) : null),
    })),
    createdAt: iso(c.created_at),
    checkpointPasses: standing.map((f) => ({ siteId: f.siteId as string, vehicleId: f.vehicleId ?? null, at: f.deviceTime })),
  };
}

export async function listConvoys(ctx: Ctx) {
  return (await convoysDb.listConvoys(ctx.db, requireOperation(ctx))).map((c) => ({
    id: c.id,
    routeId: c.route_id,
    name: c.name,
    state: c.state,
    dispatchedAt: iso(c.dispatched_at),
    createdAt: iso(c.created_at),
  }));
}

export async function createConvoy(ctx: Ctx, input: { id?: string; routeId: string; name?: string }) {
  const operationId = requireOperation(ctx);
  await loadRoute(ctx, input.routeId);
  const id = input.id ?? newId(ctx.now);
  if (await convoysDb.findConvoy(ctx.db, operationId, id))
    throw new AppError('conflict', 'A convoy with this id already exists.', {
      fields: [{ path: 'id', message: 'This id is already used: choose another.', key: 'id_taken' }],
    });
  await convoysDb.insertConvoy(ctx.db, {
    operationId,
    id,
    routeId: input.routeId,
    name: input.name ?? null,
    at: ctx.now,
    by: ctx.actor.id,
  });
  await audit(ctx, { action: 'convoy.create', subjectKind: 'convoy', subjectId: id, details: { routeId: input.routeId } });
  return presentConvoy(ctx, id);
}

/** A head count recorded with a device time before the one in force is kept as a fact but does not replace it. */
export function supersededWarning(inForce: HeadCountInForce | undefined, fact: MovementFact) {
  if (!inForce?.fact || inForce.fact.id === fact.id) return [];
  return [
    {
      code: 'head_count_superseded' as const,
      vehicleId: inForce.vehicleId,
      inForce: { factId: inForce.fact.id, at: inForce.fact.deviceTime, total: headCountTotal(inForce.rows ?? []) },
    },
  ];
}

export async function getManifest(ctx: Ctx, convoyId: string) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const state = await manifestState(ctx, keys, await loadConvoy(ctx, convoyId));
  // What each person carries, opened from their sealed fields: for loading the vehicles, and the totals per vehicle.
  const carried = new Map(
    (
      await personsDb.findPersonsByIds(
        ctx.db,
        operationId,
        state.entries.map((e) => e.personId),
      )
    ).map((p) => [p.id, carriedOf(openProtected(keys, p))]),
  );
  const carriedBy = (e: { personId: string }) => carried.get(e.personId) ?? nothingCarried;
  return {
    convoyId,
    state: state.convoyState,
    vehicles: state.vehicles.map((v) => ({
      ...v,
      occupancy: occupancy(state, v.id),
      headCount: state.headCounts[v.id] ?? null,
      carried: carriedTotals(state.entries.filter((e) => e.vehicleId === v.id).map(carriedBy)),
    })),
    entries: state.entries.map((e) => ({ ...e, splitReason: e.splitReason ?? null, seats: e.seats ?? 1, carried: carriedBy(e) })),
  };
}

export interface TransitionInput {
  event: ConvoyEvent;
  at?: string;
  siteId?: string;
  vehicleId?: string;
  reason?: (typeof haltReasons)[number];
  note?: string;
  observedHeadCount?: number;
  override?: { reason: string };
}

/** A command on the convoy board: refused (409, naming the allowed moves) unless the state machine allows it. */
export async function moveConvoy(ctx: Ctx, convoyId: string, input: TransitionInput) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const convoy = await loadConvoy(ctx, convoyId, true);
  const route = await loadRoute(ctx, convoy.route_id);
  const from = convoy.state as ConvoyState;
  const t = transition(from, input.event);
  if (!t.ok) throw refusal(t);
  const at = input.at ?? ctx.now.toISOString();
  let dispatch: { at: Date; overrideBy: string | null; overrideReason: Buffer | null } | undefined;
  let overridden = false;
  if (input.event === 'depart') {
    const windows = (await routesDb.listWindows(ctx.db, operationId)).map((w) => ({
      start: iso(w.starts_at) as string,
      end: iso(w.ends_at) as string,
    }));
    const decision = checkDispatch(windows, at, input.override ? { reason: input.override.reason, by: ctx.actor.id } : undefined);
    if (!decision.ok) throw refusal(decision);
    if (decision.decision === 'allowed_by_override') {
      if (!can(ctx, 'operation.manage'))
        throw new AppError('auth.forbidden', 'Only a coordinator may dispatch a convoy outside a movement window.');
      overridden = true;
      dispatch = {
        at: new Date(at),
        overrideBy: ctx.actor.id,
        overrideReason: sealJson(keys, decision.reason, `convoy:${convoyId}:override`),
      };
    } else {
      dispatch = { at: new Date(at), overrideBy: null, overrideReason: null };
    }
  }
  if ((input.event === 'halt' || input.event === 'turn_back') && !input.reason)
    throw invalid([{ path: 'reason', message: `Give a reason to ${input.event.replace('_', ' ')}.`, key: 'reason_required' }]);
  if (input.event === 'pass_checkpoint' && !input.siteId)
    throw invalid([{ path: 'siteId', message: 'name the checkpoint passed', key: 'checkpoint_required' }]);
  const fact = factFor(input, {
    id: newId(ctx.now),
    operationId,
    convoyId,
    at,
    origin: originOf(route),
    destination: destinationOf(route),
    by: ctx.actor.id,
  });
  await convoysDb.setConvoyState(ctx.db, operationId, convoyId, t.state, ctx.now, dispatch);
  if (fact) await appendFacts(ctx, [fact], { deriveConvoyState: false });
  await audit(ctx, {
    action: `convoy.${input.event}`,
    subjectKind: 'convoy',
    subjectId: convoyId,
    details: {
      from,
      to: t.state,
      factId: fact?.id ?? null,
      ...(input.event === 'depart' ? { override: overridden } : {}),
      ...(input.reason ? { reason: input.reason } : {}),
    },
  });
  return { ...(await presentConvoy(ctx, convoyId)), factId: fact?.id ?? null };
}

function factFor(
  input: TransitionInput,
  c: { id: string; operationId: string; convoyId: string; at: string; origin: string; destination: string; by: string },
): MovementFact | null {
  const base = {
    id: c.id,
    operationId: c.operationId,
    convoyId: c.convoyId,
    deviceTime: c.at,
    ...(input.vehicleId ? { vehicleId: input.vehicleId } : {}),
  };
  const note = input.note ? { note: input.note } : {};
  const make = (f: Record<string, unknown>) => {
    const r = movementFactSchema.safeParse(f.kind === 'cancelled' ? f : { ...base, ...f });
    if (!r.success)
      throw invalid(r.error.issues.map((i) => ({ path: i.path.filter((p) => p !== 'payload').join('.'), message: i.message })));
    return r.data as MovementFact;
  };
  switch (input.event) {
    case 'board':
      return null;
    case 'depart':
      return make({
        kind: 'departed',
        siteId: input.siteId ?? c.origin,
        payload: input.override ? { override: { reason: input.override.reason, by: c.by } } : {},
      });
    case 'pass_checkpoint':
      return make({
        kind: 'passed_checkpoint',
        siteId: input.siteId,
        payload: input.observedHeadCount !== undefined ? { observedHeadCount: input.observedHeadCount } : {},
      });
    case 'halt':
      return make({ kind: 'halted', ...(input.siteId ? { siteId: input.siteId } : {}), payload: { reason: input.reason, ...note } });
    case 'resume':
      return make({ kind: 'resumed', ...(input.siteId ? { siteId: input.siteId } : {}), payload: note });
    case 'arrive':
      return make({
        kind: 'arrived',
        siteId: input.siteId ?? c.destination,
        payload: input.observedHeadCount !== undefined ? { observedHeadCount: input.observedHeadCount } : {},
      });
    case 'turn_back':
      return make({ kind: 'turned_back', ...(input.siteId ? { siteId: input.siteId } : {}), payload: { reason: input.reason, ...note } });
    case 'cancel': {
      const { vehicleId: _vehicle, ...convoyOnly } = base;
      return make({ ...convoyOnly, kind: 'cancelled', payload: note });
    }
  }
}
