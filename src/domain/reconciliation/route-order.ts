/**
 * Checkpoint order along the route. A convoy follows its route, origin first; a vehicle seen at
 * a later site of the route before an earlier one (by device time), or seen further on without
 * ever being seen at a checkpoint of its route, is something a person should look at: a device
 * with a wrong clock, a fact logged at the wrong site, a checkpoint that waved a bus through
 * unlogged, or a vehicle that left the route. Each becomes a reconciliation item naming the
 * facts involved, so the fact can be corrected or the monitor asked.
 *
 * - checkpoint_out_of_order — a sighting at a site earlier on the route than a site the vehicle
 *   was already seen at; one item per late sighting.
 * - checkpoint_skipped — a checkpoint of the route never seen while the vehicle was seen
 *   further on; one item per checkpoint.
 *
 * A vehicle is seen at a site by a departed, passed_checkpoint, halted, resumed or arrived fact
 * naming it; a fact without a vehicle applies to every vehicle of the convoy. After a vehicle
 * turns back, going back along the route is expected and no longer checked. When every vehicle
 * of a convoy has the same problem, it is reported once for the convoy (no vehicle id).
 */
import { groupBy } from '../collections.js';
import type { ManifestState } from '../convoys/manifest.js';
import type { MovementFact } from '../movements/facts.js';
import type { ReconciliationItem } from './reconcile.js';

export interface ConvoyRoute {
  convoyId: string;
  /** The route's sites in order, origin first. */
  siteIds: readonly string[];
  /**
   * Which of the route's sites are checkpoints that must see every vehicle (a skip is only
   * reported for these). Default: every site between the origin and the destination.
   */
  checkpointIds?: readonly string[];
}

const sightingKinds = new Set<string>(['departed', 'passed_checkpoint', 'halted', 'resumed', 'arrived']);

interface Sighting {
  factId: string;
  siteId: string;
  position: number;
  at: string;
}

/** Problems of one vehicle (or of the convoy when it has none), before merging. */
function trackProblems(route: ConvoyRoute, sightings: readonly Sighting[]): Omit<ReconciliationItem, 'key' | 'convoyId' | 'vehicleId'>[] {
  const out: Omit<ReconciliationItem, 'key' | 'convoyId' | 'vehicleId'>[] = [];
  let furthest: Sighting | undefined;
  for (const s of sightings) {
    if (furthest && s.position < furthest.position) {
      out.push({
        kind: 'checkpoint_out_of_order',
        message: `Seen at ${s.siteId} after ${furthest.siteId}, which comes later on the route: check the device's clock or the site logged.`,
        siteId: s.siteId,
        details: {
          factId: s.factId,
          at: s.at,
          seenAfter: { factId: furthest.factId, siteId: furthest.siteId, at: furthest.at },
          routePosition: s.position,
          seenAfterPosition: furthest.position,
        },
      });
    }
    if (!furthest || s.position > furthest.position) furthest = s;
  }
  if (!furthest) return out;
  const seen = new Set(sightings.map((s) => s.siteId));
  const last = route.siteIds.length - 1;
  const checkpoints = new Set(route.checkpointIds ?? route.siteIds.slice(1, last));
  route.siteIds.forEach((siteId, position) => {
    if (position >= furthest.position || !checkpoints.has(siteId) || seen.has(siteId)) return;
    out.push({
      kind: 'checkpoint_skipped',
      message: `Never seen at ${siteId}, though seen further on at ${furthest.siteId}: the checkpoint may have let it through unlogged, or it left the route.`,
      siteId,
      details: { routePosition: position, seenFurtherOn: { factId: furthest.factId, siteId: furthest.siteId, at: furthest.at } },
    });
  });
  return out;
}

/** Items for vehicles seen out of route order or past a checkpoint never seen. `facts` are effective and in device-time order. */
export function checkpointOrderItems(
  routes: readonly ConvoyRoute[],
  manifests: readonly ManifestState[],
  facts: readonly MovementFact[],
  byConvoy?: ReadonlyMap<string, readonly MovementFact[]>,
): ReconciliationItem[] {
  const items: ReconciliationItem[] = [];
  // Each convoy's facts (in the order of `facts`) and manifests, found once rather than scanned per route.
  const factsOf = byConvoy ?? groupBy(facts, (f) => f.convoyId);
  const manifestsOf = groupBy(manifests, (m) => m.convoyId);
  for (const route of routes) {
    const position = new Map(route.siteIds.map((id, i) => [id, i]));
    const own = factsOf.get(route.convoyId) ?? [];
    const vehicleIds = new Set((manifestsOf.get(route.convoyId) ?? []).flatMap((m) => m.vehicles.map((v) => v.id)));
    for (const f of own) if (f.vehicleId) vehicleIds.add(f.vehicleId);
    const tracks: (string | undefined)[] = vehicleIds.size > 0 ? [...vehicleIds].sort() : [undefined];

    const byProblem = new Map<
      string,
      { item: Omit<ReconciliationItem, 'key' | 'convoyId' | 'vehicleId'>; vehicles: (string | undefined)[] }
    >();
    for (const vehicleId of tracks) {
      const sightings: Sighting[] = [];
      for (const f of own) {
        if (f.vehicleId !== undefined && f.vehicleId !== vehicleId) continue;
        if (f.kind === 'turned_back') break;
        const p = f.siteId === undefined ? undefined : position.get(f.siteId);
        if (!sightingKinds.has(f.kind) || p === undefined || f.siteId === undefined) continue;
        sightings.push({ factId: f.id, siteId: f.siteId, position: p, at: f.deviceTime });
      }
      for (const item of trackProblems(route, sightings)) {
        // Out of order: the same late fact after the same sighting; skipped: the same checkpoint.
        const d = item.details as { factId?: string; seenAfter?: { factId: string } };
        const sig = `${item.kind}:${item.siteId}:${d.factId ?? ''}:${d.seenAfter?.factId ?? ''}`;
        const entry = byProblem.get(sig) ?? { item, vehicles: [] };
        entry.vehicles.push(vehicleId);
        byProblem.set(sig, entry);
      }
    }
    for (const { item, vehicles } of byProblem.values()) {
      const wholeConvoy = vehicles.length === tracks.length;
      const targets = wholeConvoy ? [undefined] : vehicles;
      for (const vehicleId of targets) {
        const what = item.kind === 'checkpoint_out_of_order' ? String((item.details as { factId: string }).factId) : String(item.siteId);
        items.push({
          ...item,
          key: `${item.kind}:${route.convoyId}:${vehicleId ?? '*'}:${what}`,
          convoyId: route.convoyId,
          ...(vehicleId ? { vehicleId } : {}),
          ...(wholeConvoy && tracks[0] !== undefined ? { details: { ...item.details, vehicleIds: tracks } } : {}),
        });
      }
    }
  }
  return items;
}
