/**
 * Whether a reception or shelter site has a place for someone checking in: the one rule the
 * check-in service enforces and the reception desk shows. A site without a capacity is never
 * full; someone whose latest check-in is already at this site takes no new place (a repeated
 * scan, a household checked in again), so a full site still lets them in.
 *
 * A full site never turns away someone who has physically arrived: the check-in goes through
 * over capacity when it carries the reason a supervisor gave (docs/decisions/010-over-capacity.md),
 * and the desk is shown the shelters of the operation that still have room.
 */

export interface SiteWithCapacity {
  id: string;
  capacity: number | null;
}

/** The kinds of site people are checked in at: reception, and shelter assignment at a camp or hospital. */
export const receptionSiteKinds = ['reception_centre', 'camp', 'hospital'] as const;
/** The kinds of site offered as overflow shelters when a site is full. */
export const shelterSiteKinds = ['reception_centre', 'camp'] as const;

/**
 * True when the site cannot take this person: its capacity reached by `occupied` (the people
 * counted as arrived there) and the person not already there. `lastCheckInSiteId` is the site of
 * the person's latest check-in, if any (unknown to the caller: a newcomer).
 */
export function siteIsFullFor(site: SiteWithCapacity, occupied: number, lastCheckInSiteId?: string | null): boolean {
  if (site.capacity === null) return false;
  if (lastCheckInSiteId === site.id) return false;
  return occupied >= site.capacity;
}

export type CheckInCapacityDecision =
  | { decision: 'has_room' }
  | { decision: 'over_capacity'; reason: string; capacity: number; occupied: number }
  | { decision: 'reason_required'; capacity: number; occupied: number };

/**
 * Whether a check-in takes a place within capacity, goes over it with a supervisor's reason, or
 * waits for that reason (a blank reason is no reason). Never a plain refusal: the person is here.
 */
export function decideCheckIn(
  site: SiteWithCapacity,
  occupied: number,
  lastCheckInSiteId: string | null | undefined,
  overCapacityReason?: string,
): CheckInCapacityDecision {
  if (!siteIsFullFor(site, occupied, lastCheckInSiteId)) return { decision: 'has_room' };
  const capacity = site.capacity as number;
  const reason = overCapacityReason?.trim() ?? '';
  if (reason === '') return { decision: 'reason_required', capacity, occupied };
  return { decision: 'over_capacity', reason, capacity, occupied };
}

export interface ShelterSite extends SiteWithCapacity {
  kind: string;
}

/**
 * Overflow shelters for a full site: the other reception centres and camps of the operation with
 * room left (`room` null: no capacity set), the roomiest first, then by id. `arrived` maps a site
 * id to the people counted as arrived there.
 */
export function overflowShelters<S extends ShelterSite>(
  sites: readonly S[],
  arrived: Readonly<Record<string, number>>,
  fullSiteId: string,
): { site: S; room: number | null }[] {
  const kinds: readonly string[] = shelterSiteKinds;
  return sites
    .filter((s) => s.id !== fullSiteId && kinds.includes(s.kind))
    .map((site) => ({ site, room: site.capacity === null ? null : site.capacity - (arrived[site.id] ?? 0) }))
    .filter((o) => o.room === null || o.room > 0)
    .sort((a, b) => (b.room ?? Infinity) - (a.room ?? Infinity) || (a.site.id < b.site.id ? -1 : a.site.id > b.site.id ? 1 : 0));
}
