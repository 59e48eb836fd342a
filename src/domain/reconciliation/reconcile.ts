/**
 * Reconciliation: the list of things that do not add up, each one a person can act on. It
 * compares what was planned (manifests, head counts) with what was seen (movement facts and
 * check-ins) and reports, per vehicle, convoy, site and for the whole operation:
 *
 * - missing_in_transit — on a vehicle that arrived, but not checked in anywhere since boarding;
 * - arrived_not_manifested — checked in, but on no manifest and no boarding record;
 * - head_count_mismatch — a head count seen at a checkpoint or on arrival that differs from
 *   what the vehicle should carry (named manifest + head count);
 * - household_split — a household whose members ride in more than one vehicle or convoy
 *   (listed even when split on purpose, so reception brings them together again); a household
 *   that rode whole on each leg of its journey (on from a reception to a camp) is not split;
 * - checkpoint_out_of_order, checkpoint_skipped — a vehicle seen along its route out of order,
 *   or past a checkpoint that never saw it (route-order.ts; needs the convoys' routes);
 * - boarding_conflict, check_in_conflict — offline devices that boarded one person on two
 *   vehicles or checked them in at two sites (conflicts.ts: which one stands, and why).
 *
 * Pure: the same facts give the same list, in a stable order, whatever order they came in.
 */
import { push } from '../collections.js';
import { headCountTotal } from '../convoys/head-count.js';
import type { ManifestState } from '../convoys/manifest.js';
import { derivePersonPosition, deriveVehicleStage } from '../movements/derive.js';
import type { FactOf, MovementFact } from '../movements/facts.js';
import { compareFacts, effectiveFacts } from '../movements/order.js';
import { canonicalId, makeRegistry, type Registry } from '../counts/registry.js';
import { checkpointOrderItems, type ConvoyRoute } from './route-order.js';
import { conflictItems, conflictKinds } from './conflicts.js';

export const reconciliationKinds = [
  'missing_in_transit',
  'arrived_not_manifested',
  'head_count_mismatch',
  'household_split',
  'checkpoint_out_of_order',
  'checkpoint_skipped',
  ...conflictKinds,
] as const;
export type ReconciliationKind = (typeof reconciliationKinds)[number];

export interface ReconciliationItem {
  /** Stable across runs, so a resolved item can be marked by id. */
  key: string;
  kind: ReconciliationKind;
  message: string;
  convoyId?: string;
  vehicleId?: string;
  siteId?: string;
  personIds?: string[];
  householdId?: string;
  details?: Record<string, unknown>;
}

export interface ReconciliationInput {
  manifests: readonly ManifestState[];
  facts: readonly MovementFact[];
  /** For merges: a person registered twice is one person here too. */
  registry?: Registry;
  /** Each convoy's route, for the checkpoint order; without it the order is not checked. */
  routes?: readonly ConvoyRoute[];
}

interface Seat {
  personId: string;
  convoyId: string;
  vehicleId: string;
}

export function reconcile(input: ReconciliationInput): ReconciliationItem[] {
  const registry = input.registry ?? makeRegistry([]);
  const facts = effectiveFacts(input.facts);
  const canon = (id: string) => canonicalId(registry, id);
  // Indexed once: a person's own facts, and each convoy's facts (in the order of `facts`), so
  // that no step scans every fact of the operation once per person or per vehicle.
  const byPerson = new Map<string, MovementFact[]>();
  const byConvoy = new Map<string, MovementFact[]>();
  for (const f of facts) {
    if ((f.kind === 'boarded' || f.kind === 'checked_in') && f.personId) push(byPerson, canon(f.personId), f);
    if (f.convoyId) push(byConvoy, f.convoyId, f);
  }
  const seats = new Map<string, Seat>();
  for (const m of input.manifests)
    for (const e of m.entries) seats.set(canon(e.personId), { personId: canon(e.personId), convoyId: m.convoyId, vehicleId: e.vehicleId });
  for (const [id, list] of byPerson) {
    // The latest boarding is where the person is now, whatever the manifest planned.
    const b = list
      .filter((f): f is FactOf<'boarded'> => f.kind === 'boarded')
      .sort(compareFacts)
      .pop();
    if (b) seats.set(id, { personId: id, convoyId: b.convoyId, vehicleId: b.vehicleId });
  }
  const items: ReconciliationItem[] = [];

  for (const seat of seats.values()) {
    const pos = seatPosition(seat, byPerson.get(seat.personId) ?? [], byConvoy);
    if (pos?.status !== 'missing') continue;
    items.push({
      key: `missing_in_transit:${seat.personId}:${seat.vehicleId}`,
      kind: 'missing_in_transit',
      message: 'On a vehicle that arrived, but not checked in since boarding.',
      convoyId: seat.convoyId,
      vehicleId: seat.vehicleId,
      ...(pos.siteId ? { siteId: pos.siteId } : {}),
      personIds: [seat.personId],
    });
  }

  for (const [id, list] of byPerson) {
    if (seats.has(id)) continue;
    const c = list
      .filter((f): f is FactOf<'checked_in'> => f.kind === 'checked_in')
      .sort(compareFacts)
      .pop();
    if (!c) continue;
    items.push({
      key: `arrived_not_manifested:${id}`,
      kind: 'arrived_not_manifested',
      message: 'Checked in, but on no manifest and with no boarding record.',
      siteId: c.siteId,
      personIds: [id],
      ...(c.convoyId ? { convoyId: c.convoyId } : {}),
      ...(c.vehicleId ? { vehicleId: c.vehicleId } : {}),
    });
  }

  items.push(...headCountMismatches(input.manifests, facts, byConvoy, canon), ...householdSplits(input.manifests, canon));
  items.push(...checkpointOrderItems(input.routes ?? [], input.manifests, facts, byConvoy));
  items.push(...conflictItems(input.facts, registry));
  return items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Where a seated person is: from their boarding facts, or (manifest only) from their vehicle. */
function seatPosition(
  seat: Seat,
  own: readonly MovementFact[],
  byConvoy: ReadonlyMap<string, MovementFact[]>,
): { status: string; siteId: string | null } | null {
  const boarded = new Set(own.flatMap((f) => (f.kind === 'boarded' ? [f.convoyId] : [])));
  // Only the facts of the convoys the person boarded bear on where they are.
  if (boarded.size > 0)
    return derivePersonPosition(
      own,
      [...boarded].flatMap((c) => byConvoy.get(c) ?? []),
      null,
    );
  if (own.some((f) => f.kind === 'checked_in')) return { status: 'arrived', siteId: null };
  const stage = deriveVehicleStage(byConvoy.get(seat.convoyId) ?? [], seat.convoyId, seat.vehicleId);
  return { status: stage.state === 'arrived' ? 'missing' : 'boarded', siteId: stage.lastSiteId };
}

function headCountMismatches(
  manifests: readonly ManifestState[],
  facts: readonly MovementFact[],
  byConvoy: ReadonlyMap<string, MovementFact[]>,
  canon: (id: string) => string,
): ReconciliationItem[] {
  const out: ReconciliationItem[] = [];
  const manifestOf = new Map(manifests.map((m) => [m.convoyId, m]));
  const expectedOf = new Map<string, number>();
  const expected = (convoyId: string, vehicleId: string): number => {
    const key = `${convoyId}\u0000${vehicleId}`;
    const known = expectedOf.get(key);
    if (known !== undefined) return known;
    const m = manifestOf.get(convoyId);
    const named = new Set((m?.entries ?? []).filter((e) => e.vehicleId === vehicleId).map((e) => canon(e.personId)));
    let latestCount: FactOf<'boarded'> | undefined;
    for (const f of byConvoy.get(convoyId) ?? []) {
      if (f.kind !== 'boarded' || f.vehicleId !== vehicleId) continue;
      if (f.personId) named.add(canon(f.personId));
      if (f.payload.headCount) latestCount = f;
    }
    const rows = latestCount?.payload.headCount ?? m?.headCounts[vehicleId] ?? [];
    const n = named.size + headCountTotal(rows);
    expectedOf.set(key, n);
    return n;
  };
  for (const f of facts) {
    if ((f.kind !== 'passed_checkpoint' && f.kind !== 'arrived') || !f.vehicleId || f.payload.observedHeadCount === undefined) continue;
    const want = expected(f.convoyId, f.vehicleId);
    const seen = f.payload.observedHeadCount;
    if (want === seen) continue;
    out.push({
      key: `head_count_mismatch:${f.id}`,
      kind: 'head_count_mismatch',
      message: `Counted ${seen} on the vehicle at ${f.siteId}; ${want} expected.`,
      convoyId: f.convoyId,
      vehicleId: f.vehicleId,
      siteId: f.siteId,
      details: { factId: f.id, expected: want, observed: seen, difference: seen - want, at: f.deviceTime },
    });
  }
  return out;
}

function householdSplits(manifests: readonly ManifestState[], canon: (id: string) => string): ReconciliationItem[] {
  const byHousehold = new Map<string, Map<string, { convoyId: string; vehicleId: string; personIds: string[] }>>();
  const reasons = new Map<string, string>();
  for (const m of manifests) {
    for (const e of m.entries) {
      const places = byHousehold.get(e.householdId) ?? new Map();
      const k = `${m.convoyId}/${e.vehicleId}`;
      const place = places.get(k) ?? { convoyId: m.convoyId, vehicleId: e.vehicleId, personIds: [] };
      place.personIds.push(canon(e.personId));
      places.set(k, place);
      byHousehold.set(e.householdId, places);
      if (e.splitReason) reasons.set(e.householdId, e.splitReason);
    }
  }
  const out: ReconciliationItem[] = [];
  for (const [householdId, places] of byHousehold) {
    if (places.size < 2) continue;
    const list = [...places.values()];
    // Together in every vehicle they rode: the legs of one journey (on to a camp), not a split.
    const members = new Set(list.flatMap((p) => p.personIds));
    if (list.every((p) => new Set(p.personIds).size === members.size)) continue;
    const convoys = new Set(list.map((p) => p.convoyId));
    const reason = reasons.get(householdId);
    out.push({
      key: `household_split:${householdId}`,
      kind: 'household_split',
      message: reason
        ? `Household split on purpose (${reason}); bring them together at reception.`
        : 'Household split across vehicles without a recorded reason.',
      householdId,
      personIds: list.flatMap((p) => p.personIds),
      ...(convoys.size === 1 ? { convoyId: list[0]?.convoyId } : {}),
      details: { places: list, intentional: reason !== undefined, ...(reason ? { reason } : {}) },
    });
  }
  return out;
}
