/**
 * Boardings observed rather than commanded: a phone that was offline sends "this person boarded
 * this bus" with the movement facts. The person IS on the bus, so the manifest shows them — never
 * refused for the rules the convoy board enforces before the fact (a full vehicle, a household
 * split without a reason, a convoy already gone); those show as warnings, and the flags are the
 * ones a commanded boarding gets (`refreshHousehold`). The same function takes people off a
 * manifest whose seat a later boarding elsewhere replaced. Nothing here refuses: which facts are
 * applied (the latest boarding of each person) and which vehicles may carry names is the caller's.
 */
import {
  occupancy,
  refreshHousehold,
  seatsOfPerson,
  type HouseholdForBoarding,
  type ManifestEntry,
  type ManifestState,
  type ManifestWarning,
} from './manifest.js';
import { overCapacityWarnings } from './capacity.js';

export interface ObservedBoarding {
  personId: string;
  householdId: string;
  vehicleId: string;
  /** The reason the phone gave for splitting the household, if any. */
  splitReason?: string;
}

export interface ObservedPlan {
  state: ManifestState;
  /** Entries new on this manifest, or moved to another vehicle of it, with the flags they end with. */
  placed: ManifestEntry[];
  /** Entries taken off (`leaving`). */
  removed: ManifestEntry[];
  /** Warnings as the convoy board words them: flags of those placed, splits (reason '' when none was given), vehicles over capacity. */
  warnings: ManifestWarning[];
}

/**
 * Places observed boardings (in the order given: a later one for the same person moves them) and
 * takes `leaving` off, then computes again the flags and split reasons of every household touched.
 * A household is split when its members here ride in several vehicles or some are not on this
 * manifest (as in `planBoarding`); the split keeps the reason a boarding gave or the one it had.
 */
export function placeObservedBoardings(
  state: ManifestState,
  households: ReadonlyMap<string, HouseholdForBoarding>,
  boardings: readonly ObservedBoarding[],
  leaving: readonly string[] = [],
): ObservedPlan {
  const named = new Set(state.vehicles.filter((v) => v.mode === 'named').map((v) => v.id));
  const entries = new Map(state.entries.map((e) => [e.personId, e]));
  const touched = new Set<string>();
  const reasons = new Map<string, string>();
  const removed: ManifestEntry[] = [];
  for (const id of leaving) {
    const e = entries.get(id);
    if (!e) continue;
    entries.delete(id);
    removed.push(e);
    touched.add(e.householdId);
  }
  for (const b of boardings) {
    if (!named.has(b.vehicleId)) continue;
    const old = entries.get(b.personId);
    if (b.splitReason?.trim()) reasons.set(b.householdId, b.splitReason.trim());
    touched.add(b.householdId);
    if (old?.vehicleId === b.vehicleId) continue;
    entries.delete(b.personId);
    entries.set(b.personId, {
      personId: b.personId,
      householdId: b.householdId,
      vehicleId: b.vehicleId,
      flags: [],
      ...(old?.splitReason ? { splitReason: old.splitReason } : {}),
      ...seatsOfPerson(households.get(b.householdId)?.members.find((m) => m.personId === b.personId)),
    });
    if (old && old.householdId !== b.householdId) touched.add(old.householdId);
  }
  const warnings: ManifestWarning[] = [];
  for (const householdId of touched) {
    const household = households.get(householdId) ?? { id: householdId, members: [] };
    const mine = [...entries.values()].filter((e) => e.householdId === householdId);
    if (mine.length === 0) continue;
    const on = new Set(mine.map((e) => e.personId));
    const vehicleIds = [...new Set(mine.map((e) => e.vehicleId))];
    const split = vehicleIds.length > 1 || household.members.some((m) => !on.has(m.personId));
    const reason = reasons.get(householdId) ?? mine.find((e) => e.splitReason)?.splitReason;
    for (const e of refreshHousehold([...entries.values()], household, state.vehicles, split ? reason : undefined))
      entries.set(e.personId, e);
    if (split) warnings.push({ code: 'household_split', householdId, vehicleIds, reason: reason ?? '' });
  }
  const before = new Map(state.entries.map((e) => [e.personId, e]));
  const placed = [...entries.values()].filter((e) => before.get(e.personId)?.vehicleId !== e.vehicleId);
  warnings.push(...placed.flatMap((e) => e.flags.map((code) => ({ code, personId: e.personId, vehicleId: e.vehicleId }))));
  const next: ManifestState = { ...state, entries: [...entries.values()] };
  for (const vehicleId of new Set(placed.map((e) => e.vehicleId))) {
    const capacity = state.vehicles.find((v) => v.id === vehicleId)?.capacity ?? 0;
    warnings.push(...overCapacityWarnings({ id: vehicleId, capacity }, occupancy(next, vehicleId)));
  }
  return { state: next, placed, removed, warnings };
}
