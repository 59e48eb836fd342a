/**
 * Vehicle manifests: who rides in which vehicle of a convoy. The rules the convoy officer works
 * under: a vehicle holds at most its capacity; a household rides in one vehicle unless it is
 * split on purpose, with a reason written down; children travelling without an adult of their
 * household are flagged so reception looks for them. Head-count vehicles carry counts, not names.
 * Every function returns a new state; nothing here mutates its input.
 */
import { protectedChildFlags, protectedChildFlagsOf, type AgeBand, type CarriedEquipment } from '../schemas/persons.js';
import type { categories, sexes, vulnerabilities } from '../schemas/persons.js';
import { refuse, type Refusal } from './refusal.js';
import type { ConvoyState } from './state-machine.js';
import type { Vehicle } from './vehicles.js';
import { headCountTotal, normaliseHeadCount, type HeadCountRow } from './head-count.js';
import { isOverCapacity, overCapacityWarnings, seatsFor, vehicleOccupancy, type OverCapacityWarning } from './capacity.js';

export interface ManifestPerson {
  personId: string;
  householdId: string;
  sex: (typeof sexes)[number];
  ageBand: AgeBand;
  category: (typeof categories)[number];
  vulnerabilities: readonly (typeof vulnerabilities)[number][];
  /** Mobility aids and medical equipment they travel with (a wheelchair or stretcher takes seats). */
  equipment?: readonly CarriedEquipment[];
}

export const manifestFlags = [...protectedChildFlags, 'child_without_adult_on_vehicle', 'needs_medical_transport'] as const;
export type ManifestFlag = (typeof manifestFlags)[number];

export interface ManifestEntry {
  personId: string;
  householdId: string;
  vehicleId: string;
  flags: ManifestFlag[];
  /** Set when this entry splits the household from members in another vehicle. */
  splitReason?: string;
  /** Seats the person takes (`seatsFor`); absent: one. */
  seats?: number;
}

/** The seats of a manifest entry made for this person: absent when it is the one seat everyone takes. */
export function seatsOfPerson(p: Pick<ManifestPerson, 'equipment'> | undefined): { seats?: number } {
  const seats = seatsFor(p?.equipment);
  return seats > 1 ? { seats } : {};
}

export interface ManifestState {
  convoyId: string;
  convoyState: ConvoyState;
  vehicles: readonly Vehicle[];
  entries: readonly ManifestEntry[];
  /** Head-count vehicles: vehicle id → rows. */
  headCounts: Readonly<Record<string, readonly HeadCountRow[]>>;
}

export type ManifestWarning =
  | { code: 'household_split'; householdId: string; vehicleIds: string[]; reason: string }
  | { code: ManifestFlag; personId: string; vehicleId: string }
  | OverCapacityWarning;

export type BoardingPlan =
  | {
      ok: true;
      state: ManifestState;
      added: ManifestEntry[];
      warnings: ManifestWarning[];
      /** Members already on board whose flags or split reason change (an adult of theirs joins them; the household is whole again). */
      updated: ManifestEntry[];
    }
  | Refusal<
      | 'manifest.closed'
      | 'manifest.vehicle_not_found'
      | 'manifest.vehicle_full'
      | 'manifest.household_split'
      | 'manifest.person_already_manifested'
      | 'manifest.person_not_in_household'
      | 'manifest.head_count_vehicle'
    >;

export interface HouseholdForBoarding {
  id: string;
  members: readonly ManifestPerson[];
}

export interface BoardingOptions {
  /** Board only these members (default: every member not yet on this convoy's manifest). */
  memberIds?: readonly string[];
  /** Needed when the household would ride in more than one vehicle. */
  splitReason?: string;
}

/** The convoy states in which the manifest can still change (before departure). */
export const openStates: readonly ConvoyState[] = ['planned', 'boarding'];
const childBands: readonly AgeBand[] = ['0-4', '5-11', '12-17'];

export function emptyManifest(convoyId: string, vehicles: readonly Vehicle[], convoyState: ConvoyState = 'planned'): ManifestState {
  return { convoyId, convoyState, vehicles, entries: [], headCounts: {} };
}

export function occupancy(state: ManifestState, vehicleId: string): number {
  const seats = state.entries.filter((e) => e.vehicleId === vehicleId).reduce((n, e) => n + (e.seats ?? 1), 0);
  return vehicleOccupancy(seats, state.headCounts[vehicleId]);
}

export function isChild(p: ManifestPerson): boolean {
  return childBands.includes(p.ageBand);
}

/** A person's flags on a vehicle, given whether an adult of their household rides in it. */
export function flagsFor(p: ManifestPerson, vehicle: Vehicle, adultOnVehicle: boolean): ManifestFlag[] {
  const flags: ManifestFlag[] = [];
  flags.push(...protectedChildFlagsOf(p.vulnerabilities));
  if (isChild(p) && !adultOnVehicle && flags.length === 0) flags.push('child_without_adult_on_vehicle');
  if (vehicle.kind !== 'ambulance' && (p.vulnerabilities.includes('wounded') || p.vulnerabilities.includes('sick')))
    flags.push('needs_medical_transport');
  return flags;
}

/** Put (some of) a household on a vehicle, or say why not. */
export function planBoarding(
  state: ManifestState,
  household: HouseholdForBoarding,
  vehicleId: string,
  opts: BoardingOptions = {},
): BoardingPlan {
  if (!openStates.includes(state.convoyState)) {
    return refuse('manifest.closed', `The manifest is closed: the convoy is ${state.convoyState}.`, { convoyState: state.convoyState });
  }
  const vehicle = state.vehicles.find((v) => v.id === vehicleId);
  if (!vehicle) return refuse('manifest.vehicle_not_found', 'There is no such vehicle in this convoy.', { vehicleId });
  if (vehicle.mode === 'head_count') {
    return refuse('manifest.head_count_vehicle', 'This vehicle carries a head count, not named people.', { vehicleId });
  }
  const onManifest = new Map(state.entries.map((e) => [e.personId, e]));
  const ids = opts.memberIds ?? household.members.filter((m) => !onManifest.has(m.personId)).map((m) => m.personId);
  const byId = new Map(household.members.map((m) => [m.personId, m]));
  const stranger = ids.find((id) => !byId.has(id));
  if (stranger)
    return refuse('manifest.person_not_in_household', 'This person is not a member of the household.', {
      personId: stranger,
      householdId: household.id,
    });
  const already = ids.filter((id) => onManifest.has(id));
  if (already.length > 0) {
    return refuse('manifest.person_already_manifested', "Some people are already on this convoy's manifest.", {
      people: already.map((id) => ({ personId: id, vehicleId: onManifest.get(id)?.vehicleId })),
    });
  }
  const occupied = occupancy(state, vehicleId);
  // A wheelchair or a stretcher takes its seats too.
  const requested = ids.reduce((n, id) => n + seatsFor(byId.get(id)?.equipment), 0);
  if (isOverCapacity(vehicle, occupied + requested)) {
    return refuse('manifest.vehicle_full', `The vehicle has ${vehicle.capacity - occupied} free seats; ${requested} asked.`, {
      vehicleId,
      capacity: vehicle.capacity,
      occupied,
      requested,
    });
  }
  // The household is split when some members ride elsewhere in this convoy, or when only part of it
  // boards now (the rest would follow in another vehicle).
  const elsewhere = state.entries.filter((e) => e.householdId === household.id && e.vehicleId !== vehicleId);
  const leftBehind = household.members.filter((m) => !ids.includes(m.personId) && !onManifest.has(m.personId));
  const splitVehicles = [...new Set(elsewhere.map((e) => e.vehicleId))];
  const isSplit = splitVehicles.length > 0 || leftBehind.length > 0;
  // A household already split on purpose keeps its reason for the members that follow.
  const reason = opts.splitReason?.trim() || state.entries.find((e) => e.householdId === household.id && e.splitReason)?.splitReason || '';
  if (isSplit && reason.length === 0) {
    return refuse('manifest.household_split', 'This would split the household; give a reason to split it on purpose.', {
      householdId: household.id,
      otherVehicleIds: splitVehicles,
      notBoardingPersonIds: leftBehind.map((m) => m.personId),
    });
  }
  const boarding = ids.map((id) => byId.get(id) as ManifestPerson);
  const adultAlready = state.entries.some((e) => {
    const p = byId.get(e.personId);
    return e.vehicleId === vehicleId && p !== undefined && !isChild(p);
  });
  const adultOnVehicle = adultAlready || boarding.some((p) => !isChild(p));
  const added: ManifestEntry[] = boarding.map((p) => ({
    personId: p.personId,
    householdId: household.id,
    vehicleId,
    flags: flagsFor(p, vehicle, adultOnVehicle),
    ...(isSplit ? { splitReason: reason } : {}),
    ...seatsOfPerson(p),
  }));
  const warnings: ManifestWarning[] = added.flatMap((e) => e.flags.map((code) => ({ code, personId: e.personId, vehicleId })));
  if (isSplit) warnings.unshift({ code: 'household_split', householdId: household.id, vehicleIds: [...splitVehicles, vehicleId], reason });
  const updated = refreshHousehold([...state.entries, ...added], household, state.vehicles, isSplit ? reason : undefined).filter(
    (e) => !added.some((a) => a.personId === e.personId),
  );
  const changed = new Map(updated.map((e) => [e.personId, e]));
  return {
    ok: true,
    state: { ...state, entries: [...state.entries.map((e) => changed.get(e.personId) ?? e), ...added] },
    added,
    warnings,
    updated,
  };
}

/**
 * The household's entries whose flags or split reason are no longer right: flags follow whether an
 * adult of the family rides in the same vehicle; a household split on purpose gives its reason to
 * members without one, and one riding whole in one vehicle again is no longer split.
 */
export function refreshHousehold(
  entries: readonly ManifestEntry[],
  household: HouseholdForBoarding,
  vehicles: readonly Vehicle[],
  splitReason: string | undefined,
): ManifestEntry[] {
  const byId = new Map(household.members.map((m) => [m.personId, m]));
  const mine = entries.filter((e) => e.householdId === household.id);
  const adultOn = (vehicleId: string) =>
    mine.some((e) => {
      const p = byId.get(e.personId);
      return e.vehicleId === vehicleId && p !== undefined && !isChild(p);
    });
  const out: ManifestEntry[] = [];
  for (const e of mine) {
    const p = byId.get(e.personId);
    const vehicle = vehicles.find((v) => v.id === e.vehicleId);
    // Someone no longer a member as stored (merged away) keeps the flags they boarded with.
    const flags = p && vehicle ? flagsFor(p, vehicle, adultOn(e.vehicleId)) : e.flags;
    const reason = splitReason === undefined ? undefined : (e.splitReason ?? splitReason);
    const same = flags.length === e.flags.length && flags.every((f, i) => f === e.flags[i]) && reason === e.splitReason;
    if (same) continue;
    const { splitReason: _old, ...rest } = e;
    out.push({ ...rest, flags, ...(reason !== undefined ? { splitReason: reason } : {}) });
  }
  return out;
}

/** What a change of plan does to the stored manifest, entry by entry. */
export interface ManifestChanges {
  /** New entries, with the flags and split reason they end with. */
  added: ManifestEntry[];
  /** Entries already stored whose flags or split reason changed. */
  updated: ManifestEntry[];
  /** Entries no longer on the manifest. */
  removed: ManifestEntry[];
}

const sameEntry = (a: ManifestEntry, b: ManifestEntry) =>
  a.splitReason === b.splitReason && a.flags.length === b.flags.length && a.flags.every((f, i) => f === b.flags[i]);

/**
 * The difference between the manifest as stored and as planned: what the single boarding, a
 * batch of boardings (several plans in a row) and a removal all write, so that the flags of those
 * already on board are written back whichever way the plan was made.
 */
export function manifestChanges(before: ManifestState, after: ManifestState): ManifestChanges {
  const was = new Map(before.entries.map((e) => [e.personId, e]));
  const now = new Set(after.entries.map((e) => e.personId));
  const added: ManifestEntry[] = [];
  const updated: ManifestEntry[] = [];
  // Someone moved to another vehicle of the convoy (an observed boarding) is taken off and added again.
  const moved: ManifestEntry[] = [];
  for (const e of after.entries) {
    const old = was.get(e.personId);
    if (!old) added.push(e);
    else if (old.vehicleId !== e.vehicleId) {
      moved.push(old);
      added.push(e);
    } else if (!sameEntry(old, e)) updated.push(e);
  }
  return { added, updated, removed: [...before.entries.filter((e) => !now.has(e.personId)), ...moved] };
}

export type HeadCountPlan =
  | { ok: true; state: ManifestState; warnings: ManifestWarning[] }
  | Refusal<'manifest.closed' | 'manifest.vehicle_not_found' | 'manifest.not_head_count_vehicle'>;

/**
 * Record (replace) the head count of a head-count vehicle. Over capacity is a warning, not a
 * refusal: the people are already in the car, and the count must say so.
 */
export function recordHeadCount(state: ManifestState, vehicleId: string, rows: readonly HeadCountRow[]): HeadCountPlan {
  if (!openStates.includes(state.convoyState)) {
    return refuse('manifest.closed', `The manifest is closed: the convoy is ${state.convoyState}.`, { convoyState: state.convoyState });
  }
  const vehicle = state.vehicles.find((v) => v.id === vehicleId);
  if (!vehicle) return refuse('manifest.vehicle_not_found', 'There is no such vehicle in this convoy.', { vehicleId });
  if (vehicle.mode !== 'head_count')
    return refuse('manifest.not_head_count_vehicle', 'This vehicle carries named people; board them by household.', { vehicleId });
  const normalised = normaliseHeadCount(rows);
  const count = headCountTotal(normalised);
  const warnings: ManifestWarning[] = overCapacityWarnings(vehicle, count);
  return { ok: true, state: { ...state, headCounts: { ...state.headCounts, [vehicleId]: normalised } }, warnings };
}
