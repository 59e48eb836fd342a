/**
 * The convoy board's writes to a convoy's fleet and manifest: vehicles, boardings and head counts,
 * each as a batch (a desk's queue, the demo, an import) with one read of the manifest, multi-row
 * writes, one fact batch and one audit append — each item under the same rules as if recorded one
 * after another. All or nothing; a refusal names its item (`index`). The single commands are the
 * batch of one.
 */
import type { z } from 'zod';
import * as convoysDb from '../../db/queries/convoys.js';
import * as personsDb from '../../db/queries/persons.js';
import {
  makeVehicle,
  originOf,
  planBoarding,
  recordHeadCount,
  terminalStates,
  type ConvoyState,
  type HeadCountRow,
  type ManifestEntry,
  type vehicleInput,
} from '../../domain/convoys/index.js';
import { AppError, invalid } from '../../domain/errors.js';
import { buildFact, type MovementFact } from '../../domain/movements/index.js';
import { appendFacts } from '../facts/facts.js';
import { refreshHeadCounts } from './head-counts.js';
import { auditMany, requireOperation, type Ctx } from '../context.js';
import { presentConvoy, supersededWarning } from './convoys.js';
import { loadConvoy, loadRoute, manifestState, refusal, startBoarding, travellingMembers, writeManifest } from './manifest-store.js';
import { batchOfOne } from '../batch-of-one.js';
import { newId } from '../ids.js';

/**
 * Several vehicles at once (a convoy's fleet), under the rules of `addVehicle`: the convoy locked
 * once, ids checked at once, one insert, one audit append (an entry per vehicle).
 */
export async function addVehicles(ctx: Ctx, convoyId: string, inputs: readonly z.output<typeof vehicleInput>[]) {
  const operationId = requireOperation(ctx);
  const convoy = await loadConvoy(ctx, convoyId, true);
  if (!['planned', 'boarding'].includes(convoy.state))
    throw new AppError('manifest.closed', `The convoy is ${convoy.state}: vehicles are added before it leaves.`, {
      convoyState: convoy.state,
    });
  const taken = new Set(
    (
      await convoysDb.findVehiclesByIds(
        ctx.db,
        operationId,
        inputs.map((i) => i.id),
      )
    ).map((v) => v.id),
  );
  const vehicles = inputs.map((input, index) => {
    if (taken.has(input.id))
      throw new AppError('conflict', 'A vehicle with this id already exists.', {
        fields: [{ path: `vehicles.${index}.id`, message: 'This vehicle id is already used: choose another.', key: 'id_taken' }],
        index,
      });
    taken.add(input.id);
    return { v: makeVehicle(convoyId, input), plate: input.plate ?? null };
  });
  await convoysDb.insertVehicles(
    ctx.db,
    vehicles.map(({ v, plate }) => ({
      operationId,
      convoyId,
      id: v.id,
      kind: v.kind,
      capacity: v.capacity,
      mode: v.mode,
      plate,
      at: ctx.now,
    })),
  );
  await auditMany(
    ctx,
    vehicles.map(({ v }) => ({
      action: 'vehicle.add',
      subjectKind: 'convoy',
      subjectId: convoyId,
      details: { vehicleId: v.id, kind: v.kind, capacity: v.capacity, mode: v.mode },
    })),
  );
  return presentConvoy(ctx, convoyId);
}

type EntryView = { personId: string; householdId: string; vehicleId: string; flags: string[]; splitReason: string | null };
const entryView = (e: ManifestEntry): EntryView => ({
  personId: e.personId,
  householdId: e.householdId,
  vehicleId: e.vehicleId,
  flags: e.flags,
  splitReason: e.splitReason ?? null,
});

export interface BoardingResult {
  householdId: string;
  vehicleId: string;
  entries: EntryView[];
  /** Those already on board whose flags or split reason this boarding changed, as in `boardHousehold`. */
  updated: EntryView[];
  warnings: unknown[];
  factIds: string[];
}

/**
 * Many boardings on one convoy in one go, under exactly the rules of `boardHousehold`, each as
 * if recorded alone after the ones before it: the convoy locked and its manifest read once, the
 * households and their members read at once, capacity and family unity checked in memory as
 * the manifest grows, then one write of the manifest (`writeManifest`: the new entries with the
 * flags they end with, and the flags of those already on board that the boardings changed — a
 * child boarded alone earlier loses its flag when its mother boards here), one batch of boarding
 * facts and one audit append (an entry per boarding). All or nothing; a refusal names its item
 * (`index`).
 */
export async function boardHouseholds(ctx: Ctx, convoyId: string, items: readonly BoardingInput[]) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const householdIds = [...new Set(items.map((i) => i.householdId))];
  const known = new Set((await personsDb.findHouseholdsByIds(ctx.db, operationId, householdIds)).map((h) => h.id));
  const membersOf = await travellingMembers(ctx, householdIds);
  const everyone = [...new Set([...[...membersOf.values()].flat().map((m) => m.personId), ...items.flatMap((i) => i.memberIds ?? [])])];
  // The people before the convoy (the order the facts path locks in): a boarding of the same
  // person on another convoy at the same moment waits, then finds them seated there.
  await personsDb.lockPersons(ctx.db, operationId, everyone);
  const convoy = await loadConvoy(ctx, convoyId, true);
  const route = await loadRoute(ctx, convoy.route_id);
  const elsewhereOf = new Map<string, { person_id: string; convoy_id: string; vehicle_id: string; name: string | null }[]>();
  for (const e of await convoysDb.findOtherManifests(ctx.db, operationId, everyone, convoyId)) {
    if (!terminalStates.includes(e.state as ConvoyState)) elsewhereOf.set(e.person_id, [...(elsewhereOf.get(e.person_id) ?? []), e]);
  }
  const stored = await manifestState(ctx, keys, convoy);
  let state = stored;
  const results: BoardingResult[] = [];
  const facts: MovementFact[] = [];
  const origin = originOf(route);
  for (const [index, input] of items.entries()) {
    const fail = (e: AppError) => new AppError(e.code, e.message, { ...(e.details ?? {}), index });
    if (!known.has(input.householdId))
      throw fail(
        new AppError('household.not_found', undefined, {
          fields: [{ path: `boardings.${index}.householdId`, message: 'This household is not in this operation.' }],
        }),
      );
    const members = membersOf.get(input.householdId) ?? [];
    const onThis = new Set(state.entries.map((e) => e.personId));
    const asked = input.memberIds ?? members.filter((m) => !onThis.has(m.personId)).map((m) => m.personId);
    const elsewhere = asked.flatMap((id) => elsewhereOf.get(id) ?? []);
    if (elsewhere.length > 0) {
      throw fail(
        new AppError('manifest.person_already_manifested', 'Some people are on the manifest of another convoy that has not finished.', {
          people: elsewhere.map((e) => ({ personId: e.person_id, convoyId: e.convoy_id, convoyName: e.name, vehicleId: e.vehicle_id })),
        }),
      );
    }
    const plan = planBoarding(state, { id: input.householdId, members }, input.vehicleId, {
      ...(input.memberIds ? { memberIds: input.memberIds } : {}),
      ...(input.splitReason ? { splitReason: input.splitReason } : {}),
    });
    if (!plan.ok) throw fail(refusal(plan));
    state = plan.state;
    const at = input.at ?? ctx.now.toISOString();
    const mine = plan.added.map((e) =>
      buildFact({
        id: newId(ctx.now),
        kind: 'boarded',
        operationId,
        convoyId,
        vehicleId: e.vehicleId,
        personId: e.personId,
        siteId: origin,
        deviceTime: at,
        payload: {},
      }),
    );
    facts.push(...mine);
    results.push({
      householdId: input.householdId,
      vehicleId: input.vehicleId,
      warnings: plan.warnings,
      factIds: mine.map((f) => f.id),
      entries: plan.added.map(entryView),
      updated: plan.updated.map(entryView),
    });
  }
  if (results.length === 0) return { convoyId, state: convoy.state, results };
  await startBoarding(ctx, convoy);
  await writeManifest(ctx, keys, stored, state);
  await appendFacts(ctx, facts, { deriveConvoyState: false });
  await auditMany(
    ctx,
    results.map((r) => ({
      action: 'manifest.board',
      subjectKind: 'convoy',
      subjectId: convoyId,
      details: {
        vehicleId: r.vehicleId,
        householdId: r.householdId,
        persons: r.entries.map((e) => e.personId),
        split: r.entries.some((e) => e.splitReason !== null),
        flags: [...new Set(r.entries.flatMap((e) => e.flags))],
      },
    })),
  );
  return { convoyId, state: (await loadConvoy(ctx, convoyId)).state, results };
}

export interface HeadCountInput {
  vehicleId: string;
  rows: HeadCountRow[];
  at?: string;
}

/**
 * The head counts of many vehicles of one convoy (a night of private cars), under the rules of
 * `recordVehicleHeadCount`, each as if recorded alone after the ones before it: the convoy locked
 * and its manifest read once, then one batch of boarding facts, one update of the vehicles to the
 * counts in force (the latest by device time) and one audit append. All or nothing; a refusal names its item (`index`).
 */
export async function recordVehicleHeadCounts(ctx: Ctx, convoyId: string, items: readonly HeadCountInput[]) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const convoy = await loadConvoy(ctx, convoyId, true);
  const route = await loadRoute(ctx, convoy.route_id);
  let state = await manifestState(ctx, keys, convoy);
  const results = items.map((input, index) => {
    const plan = recordHeadCount(state, input.vehicleId, input.rows);
    if (!plan.ok) throw new AppError(plan.code, plan.message, { ...plan.details, index });
    const rows = plan.state.headCounts[input.vehicleId] ?? [];
    if (rows.length === 0)
      throw invalid([{ path: `headCounts.${index}.rows`, message: 'a head count counts at least one person', key: 'head_count_empty' }]);
    state = plan.state;
    const fact = buildFact({
      id: newId(ctx.now),
      kind: 'boarded',
      operationId,
      convoyId,
      vehicleId: input.vehicleId,
      siteId: originOf(route),
      deviceTime: input.at ?? ctx.now.toISOString(),
      payload: { headCount: [...rows] },
    });
    return {
      convoyId,
      vehicleId: input.vehicleId,
      rows,
      total: rows.reduce((n, r) => n + r.count, 0),
      warnings: plan.warnings,
      factId: fact.id,
      fact,
    };
  });
  if (results.length === 0) return [];
  await startBoarding(ctx, convoy);
  await appendFacts(
    ctx,
    results.map((r) => r.fact),
    { deriveConvoyState: false },
  );
  const inForce = new Map(
    (
      await refreshHeadCounts(
        ctx,
        results.map((r) => ({ convoyId, vehicleId: r.vehicleId })),
      )
    ).map((c) => [c.vehicleId, c]),
  );
  await auditMany(
    ctx,
    results.map((r) => ({
      action: 'manifest.head_count',
      subjectKind: 'convoy',
      subjectId: convoyId,
      details: { vehicleId: r.vehicleId, total: r.total },
    })),
  );
  return results.map(({ fact, ...r }) => ({ ...r, warnings: [...r.warnings, ...supersededWarning(inForce.get(r.vehicleId), fact)] }));
}

/** One vehicle: the batch of one (`addVehicles`). */
export async function addVehicle(ctx: Ctx, convoyId: string, input: z.output<typeof vehicleInput>) {
  return batchOfOne('vehicles.0.', () => addVehicles(ctx, convoyId, [input]));
}

export interface BoardingInput {
  householdId: string;
  vehicleId: string;
  memberIds?: string[];
  splitReason?: string;
  at?: string;
}

/** One boarding: the batch of one (`boardHouseholds`), answered with its one result. */
export async function boardHousehold(ctx: Ctx, convoyId: string, input: BoardingInput) {
  const { state, results } = await batchOfOne('boardings.0.', () => boardHouseholds(ctx, convoyId, [input]));
  const { entries, updated, warnings, factIds } = results[0]!;
  return { convoyId, state, entries, updated, warnings, factIds };
}

/** One head count: the batch of one (`recordVehicleHeadCounts`), answered with its one result. */
export async function recordVehicleHeadCount(ctx: Ctx, convoyId: string, input: { vehicleId: string; rows: HeadCountRow[]; at?: string }) {
  const [result] = await batchOfOne('headCounts.0.', () => recordVehicleHeadCounts(ctx, convoyId, [input]));
  return result!;
}
