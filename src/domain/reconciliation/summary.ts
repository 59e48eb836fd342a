/**
 * Reconciliation items grouped the ways people work them: the convoy officer by convoy and
 * vehicle, the reception officer by site, the coordinator for the whole operation.
 */
import type { ReconciliationItem, ReconciliationKind } from './reconcile.js';

export type KindCounts = Partial<Record<ReconciliationKind, number>>;

export interface ReconciliationSummary {
  operation: KindCounts;
  byConvoy: Record<string, KindCounts>;
  byVehicle: Record<string, KindCounts>;
  bySite: Record<string, KindCounts>;
}

function bump(target: Record<string, KindCounts>, key: string | undefined, kind: ReconciliationKind): void {
  if (key === undefined) return;
  const c = (target[key] ??= {});
  c[kind] = (c[kind] ?? 0) + 1;
}

export function summarise(items: readonly ReconciliationItem[]): ReconciliationSummary {
  const s: ReconciliationSummary = { operation: {}, byConvoy: {}, byVehicle: {}, bySite: {} };
  for (const i of items) {
    s.operation[i.kind] = (s.operation[i.kind] ?? 0) + 1;
    bump(s.byConvoy, i.convoyId, i.kind);
    bump(s.byVehicle, i.vehicleId, i.kind);
    bump(s.bySite, i.siteId, i.kind);
  }
  return s;
}

/** The items concerning one convoy, vehicle or site. */
export function itemsFor(
  items: readonly ReconciliationItem[],
  scope: { convoyId?: string; vehicleId?: string; siteId?: string },
): ReconciliationItem[] {
  return items.filter(
    (i) =>
      (scope.convoyId === undefined || i.convoyId === scope.convoyId) &&
      (scope.vehicleId === undefined || i.vehicleId === scope.vehicleId) &&
      (scope.siteId === undefined || i.siteId === scope.siteId),
  );
}
