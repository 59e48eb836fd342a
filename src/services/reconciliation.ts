/**
 * Reconciliation over the stored manifests and facts: missing in transit, arrived but not
 * manifested, head counts that disagree with the manifest, households split — each a list a
 * person can act on, for a vehicle, a convoy, a site or the whole operation — and vehicles seen
 * out of order along their route or past a checkpoint that never logged them.
 */
import * as cvq from '../db/queries/convoys.js';
import * as ops from '../db/queries/operations.js';
import * as rq from '../db/queries/routes.js';
import { itemsFor, reconcile, summarise, type ConvoyRoute } from '../domain/reconciliation/index.js';
import type { ConvoyState, HeadCountRow, ManifestState } from '../domain/convoys/index.js';
import { loadOperation } from './counts.js';
import { requireOperation, type Ctx } from './context.js';

export async function reconcileOperation(ctx: Ctx, scope: { convoyId?: string; vehicleId?: string; siteId?: string }) {
  const operationId = requireOperation(ctx);
  const { registry, facts } = await loadOperation(ctx.db, operationId);
  const convoys = await cvq.listConvoys(ctx.db, operationId);
  const entries = await cvq.listManifestsOf(ctx.db, operationId);
  const manifests: ManifestState[] = [];
  for (const c of convoys) {
    const vehicles = await cvq.listVehicles(ctx.db, operationId, c.id);
    const headCounts: Record<string, HeadCountRow[]> = {};
    for (const v of vehicles) if (v.head_count) headCounts[v.id] = (typeof v.head_count === 'string' ? JSON.parse(v.head_count) : v.head_count) as HeadCountRow[];
    manifests.push({
      convoyId: c.id, convoyState: c.state as ConvoyState, headCounts,
      vehicles: vehicles.map((v) => ({ id: v.id, convoyId: c.id, kind: v.kind as never, capacity: v.capacity, mode: v.mode as never })),
      // The split reason stays sealed here: the item says the split was on purpose, the manifest says why.
      entries: entries.filter((e) => e.convoy_id === c.id).map((e) => ({
        personId: e.person_id, householdId: e.household_id, vehicleId: e.vehicle_id, flags: e.flags as never, ...(e.split_reason ? { splitReason: 'recorded' } : {}),
      })),
    });
  }
  const all = reconcile({ manifests, facts, registry, routes: await convoyRoutes(ctx, convoys) });
  const items = itemsFor(all, scope);
  return { scope, summary: summarise(items), items };
}

/**
 * Each convoy's route for the checkpoint order. Only the route's sites of kind `checkpoint` must
 * see every vehicle: a route may pass a hospital or an assembly point nobody logs passes at.
 */
async function convoyRoutes(ctx: Ctx, convoys: readonly { id: string; route_id: string }[]): Promise<ConvoyRoute[]> {
  const operationId = requireOperation(ctx);
  const routes = new Map((await rq.listRoutes(ctx.db, operationId)).map((r) => [r.id, r.site_ids]));
  const checkpoints = new Set((await ops.listSites(ctx.db, operationId)).filter((s) => s.kind === 'checkpoint').map((s) => s.id));
  return convoys.flatMap((c) => {
    const siteIds = routes.get(c.route_id);
    if (!siteIds) return [];
    return [{ convoyId: c.id, siteIds, checkpointIds: siteIds.slice(1, -1).filter((id) => checkpoints.has(id)) }];
  });
}
