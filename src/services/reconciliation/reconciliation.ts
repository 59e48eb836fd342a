/**
 * Reconciliation over the stored manifests and facts: missing in transit, arrived but not
 * manifested, head counts that disagree with the manifest, households split — each a list a
 * person can act on, for a vehicle, a convoy, a site or the whole operation — and vehicles seen
 * out of order along their route or past a checkpoint that never logged them.
 *
 * The whole operation reads every fact. A convoy, a vehicle or a site reads only the slice its
 * items can come from (`loadSlice`): the convoys concerned (a vehicle's convoy; for a site, the
 * convoys seen there or whose route passes it), their facts, the people manifested on them, boarded
 * or checked in with them (and at the site), with those people's own facts anywhere, the records
 * merged with them, their manifest entries on any convoy, every entry of the households on these
 * convoys, the turn-back or cancellation of any other convoy they boarded, and the corrections of
 * all those facts. `reconcile` on the slice, narrowed to the scope,
 * gives the items the whole operation would give for it (test/api/reconciliation-scope.test.ts).
 */
import * as convoysDb from '../../db/queries/convoys.js';
import * as correctionsDb from '../../db/queries/corrections.js';
import * as factsDb from '../../db/queries/facts.js';
import * as mergesDb from '../../db/queries/merges.js';
import * as reconciliationDb from '../../db/queries/reconciliation.js';
import * as routesDb from '../../db/queries/routes.js';
import * as operationsDb from '../../db/queries/operations.js';
import type { ConvoyState, HeadCountRow, ManifestState } from '../../domain/convoys/index.js';
import { makeRegistry, mergedIntoOf, type Registry } from '../../domain/counts/registry.js';
import type { MovementFact } from '../../domain/movements/index.js';
import {
  itemsFor,
  reconcile,
  summarise,
  type ConvoyRoute,
  type ReconciliationInput,
  type ReconciliationKind,
} from '../../domain/reconciliation/index.js';
import { requireOperation, type Ctx } from '../context.js';
import { labelItems } from './labels.js';

export interface ReconciliationScope {
  convoyId?: string;
  vehicleId?: string;
  siteId?: string;
}

/** Which items of a scope to answer: of one kind, a page of them. The summary always counts the whole scope. */
export interface ReconciliationPage {
  kind?: ReconciliationKind;
  offset?: number;
  limit?: number;
}

export async function reconcileOperation(ctx: Ctx, scope: ReconciliationScope, page: ReconciliationPage = {}) {
  const scoped = scope.convoyId !== undefined || scope.vehicleId !== undefined || scope.siteId !== undefined;
  const input = scoped ? await loadSlice(ctx, scope) : await loadWhole(ctx);
  const items = itemsFor(reconcile(input), scope);
  const ofKind = page.kind ? items.filter((i) => i.kind === page.kind) : items;
  const offset = page.offset ?? 0;
  const shown = ofKind.slice(offset, page.limit === undefined ? undefined : offset + page.limit);
  return { scope, summary: summarise(items), total: ofKind.length, offset, items: shown, labels: await labelItems(ctx, shown) };
}

type ConvoyRow = Awaited<ReturnType<typeof reconciliationDb.convoysInOrder>>[number];
type VehicleRow = Awaited<ReturnType<typeof reconciliationDb.vehiclesOf>>[number];
type EntryRow = Awaited<ReturnType<typeof reconciliationDb.manifestEntries>>[number];

/** Manifests in the convoys' order, from their vehicles and the entries read (all of a convoy's, or only some). */
function manifestsOf(convoys: readonly ConvoyRow[], vehicles: readonly VehicleRow[], entries: readonly EntryRow[]): ManifestState[] {
  return convoys.map((c) => {
    const mine = vehicles.filter((v) => v.convoy_id === c.id);
    const headCounts: Record<string, HeadCountRow[]> = {};
    for (const v of mine)
      if (v.head_count) headCounts[v.id] = (typeof v.head_count === 'string' ? JSON.parse(v.head_count) : v.head_count) as HeadCountRow[];
    return {
      convoyId: c.id,
      convoyState: c.state as ConvoyState,
      headCounts,
      vehicles: mine.map((v) => ({ id: v.id, convoyId: c.id, kind: v.kind as never, capacity: v.capacity, mode: v.mode as never })),
      // The split reason stays sealed here: the item says the split was on purpose, the manifest says why.
      entries: entries
        .filter((e) => e.convoy_id === c.id)
        .map((e) => ({
          personId: e.person_id,
          householdId: e.household_id,
          vehicleId: e.vehicle_id,
          flags: e.flags as never,
          ...(e.split_reason ? { splitReason: 'recorded' } : {}),
        })),
    };
  });
}

function registryOf(links: readonly { id: string; merged_into: string | null }[]): Registry {
  return makeRegistry([], mergedIntoOf(links));
}

async function loadWhole(ctx: Ctx): Promise<ReconciliationInput> {
  const operationId = requireOperation(ctx);
  const convoys = await reconciliationDb.convoysInOrder(ctx.db, operationId);
  const facts: MovementFact[] = [];
  for await (const page of factsDb.allFacts(ctx.db, operationId)) for (const r of page) facts.push(factsDb.rowToFact(r));
  return {
    manifests: manifestsOf(
      convoys,
      await reconciliationDb.vehiclesOf(ctx.db, operationId),
      await reconciliationDb.manifestEntries(ctx.db, operationId),
    ),
    facts,
    registry: registryOf(await reconciliationDb.allMergeLinks(ctx.db, operationId)),
    routes: await convoyRoutes(ctx, convoys),
  };
}

/** The convoys a scope's items can name, and people it can name without their convoy (checked in at the site). */
async function scopeOf(ctx: Ctx, scope: ReconciliationScope): Promise<{ convoyIds: string[]; personIds: string[] }> {
  const operationId = requireOperation(ctx);
  if (scope.convoyId !== undefined) return { convoyIds: [scope.convoyId], personIds: [] };
  if (scope.vehicleId !== undefined) {
    const v = (await convoysDb.findVehiclesByIds(ctx.db, operationId, [scope.vehicleId]))[0];
    return { convoyIds: v ? [v.convoy_id] : [], personIds: [] };
  }
  const siteId = scope.siteId as string;
  const routes = (await routesDb.listRoutes(ctx.db, operationId)).filter((r) => r.site_ids.includes(siteId)).map((r) => r.id);
  const onRoute = (await reconciliationDb.convoysInOrder(ctx.db, operationId)).filter((c) => routes.includes(c.route_id)).map((c) => c.id);
  return {
    convoyIds: [...new Set([...onRoute, ...(await reconciliationDb.convoysSeenAt(ctx.db, operationId, siteId))])],
    personIds: await reconciliationDb.personsCheckedInAt(ctx.db, operationId, siteId),
  };
}

/** The facts and every correction of them, corrections of corrections followed to the end. */
async function withCorrections(ctx: Ctx, rows: readonly factsDb.FactRow[]): Promise<factsDb.FactRow[]> {
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const r of await correctionsDb.correctionChainsOf(ctx.db, requireOperation(ctx), [...byId.keys()]))
    if (!byId.has(r.id)) byId.set(r.id, r);
  return [...byId.values()];
}

export async function loadSlice(ctx: Ctx, scope: ReconciliationScope): Promise<ReconciliationInput> {
  const operationId = requireOperation(ctx);
  const { convoyIds, personIds } = await scopeOf(ctx, scope);
  const convoyFacts = await factsDb.factsOfConvoys(ctx.db, operationId, convoyIds);
  const onConvoys = await reconciliationDb.manifestEntries(ctx.db, operationId, { convoyIds });
  // The people these convoys' items can name, with every record merged with them.
  const people = await mergesDb.mergeGroupOf(ctx.db, operationId, [
    ...personIds,
    ...onConvoys.map((e) => e.person_id),
    ...convoyFacts.flatMap((f) => (f.person_id ? [f.person_id] : [])),
  ]);
  // Their entries anywhere (a seat elsewhere), and every entry of the households riding here (a split).
  const entries = await reconciliationDb.manifestEntries(ctx.db, operationId, {
    personIds: [...people.ids],
    householdIds: [...new Set(onConvoys.map((e) => e.household_id))],
  });
  const relatives = await mergesDb.mergeGroupOf(
    ctx.db,
    operationId,
    entries.map((e) => e.person_id).filter((id) => !people.ids.has(id)),
  );
  const byId = new Map(
    [...convoyFacts, ...(await factsDb.factsOfPersons(ctx.db, operationId, [...people.ids], { exceptConvoys: convoyIds }))].map((r) => [
      r.id,
      r,
    ]),
  );
  // How the other convoys these people boarded ended, when they turned back or were cancelled: a
  // boarding after that is a new departure, not a boarding conflict (conflicts.ts).
  const elsewhere = [
    ...new Set(
      [...byId.values()].flatMap((r) => (r.kind === 'boarded' && r.convoy_id && !convoyIds.includes(r.convoy_id) ? [r.convoy_id] : [])),
    ),
  ];
  for (const r of await factsDb.factsOfConvoys(ctx.db, operationId, elsewhere, { movementOnly: true }))
    if (r.kind === 'turned_back' || r.kind === 'cancelled') byId.set(r.id, r);
  const facts = (await withCorrections(ctx, [...byId.values()])).map(factsDb.rowToFact);
  const convoys = await reconciliationDb.convoysInOrder(ctx.db, operationId, [
    ...new Set([...convoyIds, ...entries.map((e) => e.convoy_id)]),
  ]);
  const inScope = convoys.filter((c) => convoyIds.includes(c.id));
  return {
    manifests: manifestsOf(
      convoys,
      await reconciliationDb.vehiclesOf(
        ctx.db,
        operationId,
        inScope.map((c) => c.id),
      ),
      entries,
    ),
    facts,
    registry: registryOf([...people.links, ...relatives.links]),
    routes: await convoyRoutes(ctx, inScope),
  };
}

/**
 * Each convoy's route for the checkpoint order. Only the route's sites of kind `checkpoint` must
 * see every vehicle: a route may pass a hospital or an assembly point nobody logs passes at.
 */
async function convoyRoutes(ctx: Ctx, convoys: readonly { id: string; route_id: string }[]): Promise<ConvoyRoute[]> {
  const operationId = requireOperation(ctx);
  const routes = new Map((await routesDb.listRoutes(ctx.db, operationId)).map((r) => [r.id, r.site_ids]));
  const checkpoints = new Set((await operationsDb.listSites(ctx.db, operationId)).filter((s) => s.kind === 'checkpoint').map((s) => s.id));
  return convoys.flatMap((c) => {
    const siteIds = routes.get(c.route_id);
    if (!siteIds) return [];
    return [{ convoyId: c.id, siteIds, checkpointIds: siteIds.slice(1, -1).filter((id) => checkpoints.has(id)) }];
  });
}
