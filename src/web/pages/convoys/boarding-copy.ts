/**
 * Boarding with no network, from what the phone holds: the households still to board (the list
 * the board downloads and keeps sealed in the vault, boarding-list.ts), the convoy and its
 * vehicles from the desk copy (seats and how many were on board when it was saved), and the
 * boardings waiting in the outbox. Pure: finding a household by tag (the check character
 * verified) or by name (the domain's search tiers), and the manifest state the shared rules
 * (`planBoarding`, `freeSeats`) judge a boarding against — the copy's occupancy plus what this
 * phone has boarded since, so a vehicle is not filled twice over. The server decides again when
 * the boarding arrives (a person boarded elsewhere meanwhile is a `boarding_conflict` there).
 */
import { type ManifestEntry, type ManifestPerson, type ManifestState } from '../../../domain/convoys/manifest.js';
import { seatsFor } from '../../../domain/convoys/capacity.js';
import type { HeadCountRow } from '../../../domain/convoys/head-count.js';
import { SEARCH_TIERS, searchTier } from '../../../domain/names/search-rank.js';
import { parseTag } from '../../../domain/tags.js';
import type { ResponseOf } from '../../../domain/api/endpoint.js';
import type { listBoardable } from '../../../domain/api/convoys.js';
import type { CopiedConvoy } from '../../lib/checkpoint-copy.js';

export type BoardingList = ResponseOf<typeof listBoardable>;
export type ListHousehold = BoardingList['households'][number];
export type ListPerson = ListHousehold['members'][number];

/** A boarding waiting in the outbox (its body is ids only, kept in clear). */
export interface QueuedBoarding {
  convoyId: string;
  householdId: string;
  vehicleId: string;
  memberIds?: string[] | undefined;
}

/** At most this many households answer a name. */
const MAX_FOUND = 20;
/** Tiers that count as found: every word typed is among the person's names (in either script, by sound). */
const FOUND_TIERS = SEARCH_TIERS.indexOf('all words');

export type Found =
  { by: 'tag'; households: ListHousehold[] } | { by: 'name'; households: ListHousehold[] } | { by: 'bad_tag'; message: string };

/**
 * The households a typed tag or name finds in the list. A tag is read with the check character:
 * a code of a tag's length that fails its check is a mistyped tag, not a name.
 */
export function findInList(list: BoardingList, typed: string): Found {
  const query = typed.trim();
  const tag = parseTag(query);
  if (tag.ok) {
    const households = list.households.filter((h) =>
      h.members.some((m) => {
        const t = m.tag ? parseTag(m.tag) : null;
        return t?.ok && t.code === tag.code;
      }),
    );
    return { by: 'tag', households };
  }
  if (tag.reason === 'check') return { by: 'bad_tag', message: tag.message };
  if (query === '') return { by: 'name', households: [] };
  const ranked = list.households
    .map((h) => ({ h, tier: Math.min(...h.members.map((m) => SEARCH_TIERS.indexOf(searchTier(query, m.names)))) }))
    .filter((x) => x.tier <= FOUND_TIERS)
    .sort((a, b) => a.tier - b.tier);
  return { by: 'name', households: ranked.slice(0, MAX_FOUND).map((x) => x.h) };
}

/** The boardings of the outbox, read from its items (kind `boarding`, path …/convoys/:convoyId/boardings). */
export function queuedBoardings(items: readonly { kind: string; path: string; body?: unknown; refused?: unknown }[]): QueuedBoarding[] {
  const out: QueuedBoarding[] = [];
  for (const i of items) {
    if (i.kind !== 'boarding' || i.refused) continue;
    const m = /\/convoys\/([^/]+)\/boardings$/.exec(i.path);
    const body = i.body as { householdId?: string; vehicleId?: string; memberIds?: string[] } | undefined;
    if (!m || !body?.householdId || !body.vehicleId) continue;
    out.push({ convoyId: decodeURIComponent(m[1]!), householdId: body.householdId, vehicleId: body.vehicleId, memberIds: body.memberIds });
  }
  return out;
}

export function asManifestPerson(p: ListPerson): ManifestPerson {
  return {
    personId: p.id,
    householdId: p.householdId,
    sex: p.sex as ManifestPerson['sex'],
    ageBand: p.ageBand as ManifestPerson['ageBand'],
    category: 'unknown',
    vulnerabilities: p.vulnerabilities as ManifestPerson['vulnerabilities'],
    ...(p.carried ? { equipment: p.carried.equipment } : {}),
  };
}

/** Said for the household's members split on the server: the reason stays there, the rule only needs to know there is one. */
const SPLIT_ON_SERVER = 'split on purpose';

/**
 * The convoy's manifest as this phone knows it: the entries of the list's households on it and
 * the boardings queued here for it (people named), and, as an unnamed count per vehicle, the
 * rest of what the copy said was on board — so `occupancy` and `freeSeats` give the copy's seats
 * taken plus what this phone has boarded since.
 */
export function offlineManifest(convoy: CopiedConvoy, list: BoardingList | undefined, queued: readonly QueuedBoarding[]): ManifestState {
  const people = new Map((list?.households ?? []).flatMap((h) => h.members.map((m) => [m.id, m] as const)));
  const seatsOf = (personId: string) => seatsFor(people.get(personId)?.carried?.equipment);
  const fromList: ManifestEntry[] = (list?.entries ?? [])
    .filter((e) => e.convoyId === convoy.id)
    .map((e) => ({
      personId: e.personId,
      householdId: e.householdId,
      vehicleId: e.vehicleId,
      flags: [],
      ...(e.split ? { splitReason: SPLIT_ON_SERVER } : {}),
      ...seated(seatsOf(e.personId)),
    }));
  const known = new Set(fromList.map((e) => e.personId));
  const fromPhone: ManifestEntry[] = [];
  for (const q of queued) {
    if (q.convoyId !== convoy.id) continue;
    const household = (list?.households ?? []).find((h) => h.id === q.householdId);
    const ids = q.memberIds ?? household?.members.map((m) => m.id).filter((id) => !known.has(id)) ?? [];
    for (const personId of ids) {
      if (known.has(personId)) continue;
      known.add(personId);
      fromPhone.push({ personId, householdId: q.householdId, vehicleId: q.vehicleId, flags: [], ...seated(seatsOf(personId)) });
    }
  }
  const headCounts: Record<string, HeadCountRow[]> = {};
  for (const v of convoy.vehicles) {
    const named = fromList.filter((e) => e.vehicleId === v.id).reduce((n, e) => n + (e.seats ?? 1), 0);
    const unnamed = Math.max(0, v.occupancy - named);
    if (unnamed > 0) headCounts[v.id] = [{ sex: 'unknown', ageBand: 'unknown', category: 'unknown', count: unnamed }];
  }
  return {
    convoyId: convoy.id,
    convoyState: convoy.state,
    vehicles: convoy.vehicles.map((v) => ({ id: v.id, convoyId: convoy.id, kind: v.kind, capacity: v.capacity, mode: v.mode })),
    entries: [...fromList, ...fromPhone],
    headCounts,
  };
}

const seated = (seats: number) => (seats > 1 ? { seats } : {});
