/**
 * Whether a reception or shelter site has a place for someone checking in: the one rule the
 * check-in service enforces and the reception desk shows. A site without a capacity is never
 * full; someone whose latest check-in is already at this site takes no new place (a repeated
 * scan, a household checked in again), so a full site still lets them in.
 */

export interface SiteWithCapacity {
  id: string;
  capacity: number | null;
}

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
