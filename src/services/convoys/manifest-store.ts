/**
 * A convoy's manifest as stored: the convoy and its route read for a use case, the manifest's
 * state (vehicles, entries with their split reasons opened, head counts) and the one writer of a
 * change of plan. Below every use case that changes a manifest — the convoy board, the facts a
 * phone sends, removals — so none of them needs another's module.
 */
import { openJson, sealJson, type OperationKeys } from '../../crypto/envelope.js';
import * as convoysDb from '../../db/queries/convoys.js';
import { deleteManifestEntries, updateManifestEntries } from '../../db/queries/manifest-edits.js';
import * as personsDb from '../../db/queries/persons.js';
import * as routesDb from '../../db/queries/routes.js';
import {
  makeVehicle,
  manifestChanges,
  transition,
  type ConvoyState,
  type HeadCountRow,
  type ManifestPerson,
  type ManifestState,
  type Refusal,
  type Route,
} from '../../domain/convoys/index.js';
import { AppError } from '../../domain/errors.js';
import { requireOperation, type Ctx } from '../context.js';
import { carriedOf, openProtected } from '../persons/protected-fields.js';

export const splitAad = (convoyId: string, personId: string) => `manifest:${convoyId}:${personId}:split`;

export function refusal(r: Refusal): AppError {
  return new AppError(r.code, r.message, r.details);
}

export async function loadConvoy(ctx: Ctx, convoyId: string, forUpdate = false) {
  const operationId = requireOperation(ctx);
  const convoy = await convoysDb.findConvoy(ctx.db, operationId, convoyId, { forUpdate });
  if (!convoy) throw new AppError('convoy.not_found');
  return convoy;
}

export async function loadRoute(ctx: Ctx, routeId: string): Promise<Route> {
  const r = await routesDb.findRoute(ctx.db, requireOperation(ctx), routeId);
  if (!r) throw new AppError('route.not_found');
  return { id: r.id, siteIds: r.site_ids, ...(r.name ? { name: r.name } : {}) };
}

/** A vehicle's head count as stored (jsonb: text from some drivers). */
export function storedHeadCount(stored: unknown): HeadCountRow[] {
  return (typeof stored === 'string' ? JSON.parse(stored) : stored) as HeadCountRow[];
}

export async function manifestState(ctx: Ctx, keys: OperationKeys, convoy: { id: string; state: string }): Promise<ManifestState> {
  const operationId = requireOperation(ctx);
  const vehicles = await convoysDb.listVehicles(ctx.db, operationId, convoy.id);
  const entries = await convoysDb.listManifest(ctx.db, operationId, convoy.id);
  const headCounts: Record<string, HeadCountRow[]> = {};
  for (const v of vehicles) if (v.head_count) headCounts[v.id] = storedHeadCount(v.head_count);
  return {
    convoyId: convoy.id,
    convoyState: convoy.state as ConvoyState,
    headCounts,
    vehicles: vehicles.map((v) => makeVehicle(convoy.id, { id: v.id, kind: v.kind as never, capacity: v.capacity, mode: v.mode as never })),
    entries: entries.map((e) => ({
      personId: e.person_id,
      householdId: e.household_id,
      vehicleId: e.vehicle_id,
      flags: e.flags as never,
      ...(e.split_reason ? { splitReason: openJson<string>(keys, e.split_reason, splitAad(convoy.id, e.person_id)) } : {}),
      ...(e.seats > 1 ? { seats: e.seats } : {}),
    })),
  };
}

/**
 * Writes a change of plan to the stored manifest: new entries, the flags and split reasons of
 * those already on board that the plan changed (a child's flag cleared when an adult of the family
 * joins, a household whole again no longer split), entries taken off. Every path that changes a
 * manifest — one boarding, a batch, a removal — writes through here, from the states before and
 * after its plan, so none of them can leave a flag stale.
 */
export async function writeManifest(ctx: Ctx, keys: OperationKeys, before: ManifestState, after: ManifestState) {
  const operationId = requireOperation(ctx);
  const convoyId = after.convoyId;
  const changes = manifestChanges(before, after);
  const sealed = (personId: string, reason: string | undefined) => (reason ? sealJson(keys, reason, splitAad(convoyId, personId)) : null);
  await deleteManifestEntries(
    ctx.db,
    operationId,
    convoyId,
    changes.removed.map((e) => e.personId),
  );
  await convoysDb.insertManifestEntries(
    ctx.db,
    changes.added.map((e) => ({
      operation_id: operationId,
      convoy_id: convoyId,
      person_id: e.personId,
      household_id: e.householdId,
      vehicle_id: e.vehicleId,
      flags: e.flags,
      split_reason: sealed(e.personId, e.splitReason),
      seats: e.seats ?? 1,
      added_at: ctx.now,
      added_by: ctx.actor.id,
    })),
  );
  await updateManifestEntries(
    ctx.db,
    operationId,
    convoyId,
    changes.updated.map((e) => ({ personId: e.personId, flags: e.flags, splitReason: sealed(e.personId, e.splitReason) })),
  );
  return changes;
}

export function toManifestPerson(
  keys: OperationKeys,
  p: Pick<personsDb.PersonRow, 'id' | 'household_id' | 'sex' | 'age_band' | 'category' | 'vulnerabilities' | 'protected'>,
): ManifestPerson {
  const fields = openProtected(keys, p);
  const equipment = carriedOf(fields).equipment;
  return {
    personId: p.id,
    householdId: p.household_id,
    sex: p.sex as ManifestPerson['sex'],
    ageBand: p.age_band as ManifestPerson['ageBand'],
    category: fields.category,
    vulnerabilities: fields.vulnerabilities,
    ...(equipment.length > 0 ? { equipment } : {}),
  };
}

/** The members of these households who travel (merged duplicates do not), as the manifest knows them, by household. */
export async function travellingMembers(ctx: Ctx, householdIds: readonly string[]): Promise<Map<string, ManifestPerson[]>> {
  const out = new Map<string, ManifestPerson[]>();
  const keys = await ctx.keys.forOperation(ctx.db, requireOperation(ctx));
  for (const m of await personsDb.listMembersOfHouseholds(ctx.db, requireOperation(ctx), [...new Set(householdIds)])) {
    if (m.merged_into === null) out.set(m.household_id, [...(out.get(m.household_id) ?? []), toManifestPerson(keys, m)]);
  }
  return out;
}

export async function startBoarding(ctx: Ctx, convoy: { id: string; state: string }) {
  if (convoy.state !== 'planned') return;
  const t = transition('planned', 'board');
  if (!t.ok) throw refusal(t);
  await convoysDb.setConvoyState(ctx.db, requireOperation(ctx), convoy.id, t.state, ctx.now);
}
