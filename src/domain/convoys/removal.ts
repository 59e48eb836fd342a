/**
 * Taking people off a vehicle before the convoy leaves: put on the wrong bus, a family that will
 * wait for the next convoy, a wounded person moved to an ambulance. The rules are boarding's,
 * the other way round: taking off part of a household splits it (a reason is needed, or the one
 * it was already split for stands), and the members who stay are flagged again — a child whose
 * last adult of the family got off is a child without an adult on the vehicle. After departure
 * nobody is taken off: where people are is then told by facts from the road (an incident, a
 * checkpoint head count, an arrival), not by editing the manifest.
 */
import { refuse, type Refusal } from './refusal.js';
import {
  openStates,
  refreshHousehold,
  type HouseholdForBoarding,
  type ManifestEntry,
  type ManifestState,
  type ManifestWarning,
} from './manifest.js';

export interface RemovalOptions {
  /** Take off only these members (default: every member of the household on this convoy's manifest). */
  memberIds?: readonly string[];
  /** Why; needed when part of the household stays on the convoy. */
  reason?: string;
}

export type RemovalPlan =
  | { ok: true; state: ManifestState; removed: ManifestEntry[]; updated: ManifestEntry[]; warnings: ManifestWarning[] }
  | Refusal<'manifest.closed' | 'manifest.person_not_in_household' | 'manifest.not_on_manifest' | 'manifest.household_split'>;

/** What to do instead once the convoy has left: the facts that say where people are. */
const afterDeparture = ['incident', 'passed_checkpoint', 'arrived'] as const;

function closed(state: ManifestState) {
  return refuse(
    'manifest.closed',
    `The convoy is ${state.convoyState}: nobody is taken off a vehicle after departure. What happens to the people on it is recorded as facts — an incident, a checkpoint head count, an arrival.`,
    { convoyState: state.convoyState, instead: [...afterDeparture] },
  );
}

/** Take (some of) a household off the vehicles of this convoy, or say why not. */
export function planRemoval(state: ManifestState, household: HouseholdForBoarding, opts: RemovalOptions = {}): RemovalPlan {
  if (!openStates.includes(state.convoyState)) return closed(state);
  const byId = new Map(household.members.map((m) => [m.personId, m]));
  const onConvoy = state.entries.filter((e) => e.householdId === household.id);
  const ids = opts.memberIds ? [...new Set(opts.memberIds)] : onConvoy.map((e) => e.personId);
  const stranger = ids.find((id) => !byId.has(id) && !onConvoy.some((e) => e.personId === id));
  if (stranger)
    return refuse('manifest.person_not_in_household', 'This person is not a member of the household.', {
      personId: stranger,
      householdId: household.id,
    });
  const on = new Set(onConvoy.map((e) => e.personId));
  const absent = ids.filter((id) => !on.has(id));
  if (ids.length === 0 || absent.length > 0) {
    return refuse(
      'manifest.not_on_manifest',
      ids.length === 0
        ? "Nobody of this household is on this convoy's manifest."
        : "Some of these people are not on this convoy's manifest (never boarded, or already taken off).",
      { householdId: household.id, personIds: absent },
    );
  }
  const drop = new Set(ids);
  const removed = onConvoy.filter((e) => drop.has(e.personId));
  const staying = onConvoy.filter((e) => !drop.has(e.personId));
  // Those who stay ride without the ones taken off: the household is split (on purpose, with a reason).
  const reason = opts.reason?.trim() || staying.find((e) => e.splitReason)?.splitReason || '';
  if (staying.length > 0 && reason.length === 0) {
    return refuse(
      'manifest.household_split',
      'Part of the household would stay on the convoy without the others; give a reason to split it on purpose.',
      {
        householdId: household.id,
        removingPersonIds: ids,
        stayingPersonIds: staying.map((e) => e.personId),
        fields: [{ path: 'reason', message: 'Give a reason: part of the household stays on the convoy.' }],
      },
    );
  }
  const remaining = state.entries.filter((e) => !drop.has(e.personId));
  const updated = refreshHousehold(remaining, household, state.vehicles, staying.length > 0 ? reason : undefined);
  const before = new Map(staying.map((e) => [e.personId, e]));
  const warnings: ManifestWarning[] = updated.flatMap((e) =>
    e.flags
      .filter((f) => !before.get(e.personId)?.flags.includes(f))
      .map((code) => ({ code, personId: e.personId, vehicleId: e.vehicleId })),
  );
  if (staying.length > 0)
    warnings.unshift({
      code: 'household_split',
      householdId: household.id,
      vehicleIds: [...new Set(staying.map((e) => e.vehicleId))],
      reason,
    });
  const changed = new Map(updated.map((e) => [e.personId, e]));
  const entries = remaining.map((e) => changed.get(e.personId) ?? e);
  return { ok: true, state: { ...state, entries }, removed, updated, warnings };
}

export type HeadCountRemovalPlan =
  | { ok: true; state: ManifestState }
  | Refusal<'manifest.closed' | 'manifest.vehicle_not_found' | 'manifest.not_head_count_vehicle' | 'manifest.no_head_count'>;

/** Remove a head-count vehicle's count (nobody rides in it after all); to correct it, record it again. */
export function planHeadCountRemoval(state: ManifestState, vehicleId: string): HeadCountRemovalPlan {
  if (!openStates.includes(state.convoyState)) return closed(state);
  const vehicle = state.vehicles.find((v) => v.id === vehicleId);
  if (!vehicle) return refuse('manifest.vehicle_not_found', 'There is no such vehicle in this convoy.', { vehicleId });
  if (vehicle.mode !== 'head_count')
    return refuse('manifest.not_head_count_vehicle', 'This vehicle carries named people; take them off by household.', { vehicleId });
  if ((state.headCounts[vehicleId] ?? []).length === 0)
    return refuse('manifest.no_head_count', 'This vehicle has no head count to remove.', { vehicleId });
  const { [vehicleId]: _gone, ...headCounts } = state.headCounts;
  return { ok: true, state: { ...state, headCounts } };
}
