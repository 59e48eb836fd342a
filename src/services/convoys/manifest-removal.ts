/**
 * Taking people — or a head count — off a vehicle before the convoy leaves (the wrong bus, a family
 * that will wait for the next convoy, a wounded person moved to an ambulance); boarding them
 * elsewhere is then an ordinary boarding. The manifest row goes (the manifest is the current
 * plan), and each boarding fact that still stands for them on this convoy is voided by a
 * `correction` fact carrying the reason (sealed like every fact note). Voiding, not a new kind of
 * fact: every reader of facts — positions, counts, reconciliation — already takes voided facts
 * out, so a person taken off is back to waiting everywhere at once (docs/evacuation.md).
 */
import * as fq from '../../db/queries/facts.js';
import * as pq from '../../db/queries/persons.js';
import { headCountTotal, planHeadCountRemoval, planRemoval } from '../../domain/convoys/index.js';
import { AppError } from '../../domain/errors.js';
import { buildFact, type MovementFact } from '../../domain/movements/index.js';
import { audit, requireOperation, type Ctx } from '../context.js';
import { loadConvoy, manifestState, refusal, travellingMembers, writeManifest } from './manifest-store.js';
import { appendFacts } from '../facts/facts.js';
import { refreshHeadCounts, standingFacts } from './head-counts.js';
import { newId } from '../ids.js';

/** Of these boarding facts, the ids of those no standing correction voids. */
async function standing(ctx: Ctx, boardings: readonly fq.FactRow[]): Promise<string[]> {
  return (await standingFacts(ctx, boardings)).map((f) => f.id).sort();
}

function corrections(ctx: Ctx, voids: readonly string[], at: string, reason: string | undefined): MovementFact[] {
  const operationId = requireOperation(ctx);
  return voids.map((id) =>
    buildFact({
      id: newId(ctx.now),
      kind: 'correction',
      operationId,
      deviceTime: at,
      payload: { voids: id, ...(reason ? { note: reason } : {}) },
    }),
  );
}

export interface RemovalInput {
  householdId: string;
  memberIds?: string[];
  reason?: string;
  at?: string;
}

/** Take a household, or some of its members, off the vehicles of a convoy that has not left. */
export async function removeFromVehicle(ctx: Ctx, convoyId: string, input: RemovalInput) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const convoy = await loadConvoy(ctx, convoyId, true);
  if (!(await pq.findHousehold(ctx.db, operationId, input.householdId))) {
    throw new AppError('household.not_found', undefined, {
      fields: [{ path: 'householdId', message: 'This household is not in this operation.' }],
    });
  }
  const members = (await travellingMembers(ctx, [input.householdId])).get(input.householdId) ?? [];
  const reason = input.reason?.trim() || undefined;
  const state = await manifestState(ctx, keys, convoy);
  const plan = planRemoval(
    state,
    { id: input.householdId, members },
    {
      ...(input.memberIds ? { memberIds: input.memberIds } : {}),
      ...(reason ? { reason } : {}),
    },
  );
  if (!plan.ok) throw refusal(plan);
  const personIds = plan.removed.map((e) => e.personId);
  const boardings = (await fq.factsOfPersons(ctx.db, operationId, personIds)).filter(
    (r) => r.kind === 'boarded' && r.convoy_id === convoyId,
  );
  const voids = await standing(ctx, boardings);
  const facts = corrections(ctx, voids, input.at ?? ctx.now.toISOString(), reason);
  await writeManifest(ctx, keys, state, plan.state);
  await appendFacts(ctx, facts, { deriveConvoyState: false });
  await audit(ctx, {
    action: 'manifest.remove',
    subjectKind: 'convoy',
    subjectId: convoyId,
    details: {
      householdId: input.householdId,
      persons: personIds,
      vehicleIds: [...new Set(plan.removed.map((e) => e.vehicleId))],
      split: plan.warnings.some((w) => w.code === 'household_split'),
      reflagged: plan.updated.map((e) => ({ personId: e.personId, flags: e.flags })),
      voids,
      factIds: facts.map((f) => f.id),
    },
  });
  return {
    convoyId,
    state: convoy.state,
    removed: plan.removed.map((e) => ({ personId: e.personId, householdId: e.householdId, vehicleId: e.vehicleId })),
    updated: plan.updated.map((e) => ({
      personId: e.personId,
      householdId: e.householdId,
      vehicleId: e.vehicleId,
      flags: e.flags,
      splitReason: e.splitReason ?? null,
    })),
    warnings: plan.warnings,
    voids,
    factIds: facts.map((f) => f.id),
  };
}

/** Remove a head-count vehicle's count before departure (to correct it, record it again: the latest stands). */
export async function removeHeadCount(ctx: Ctx, convoyId: string, input: { vehicleId: string; reason?: string; at?: string }) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const convoy = await loadConvoy(ctx, convoyId, true);
  const state = await manifestState(ctx, keys, convoy);
  const plan = planHeadCountRemoval(state, input.vehicleId);
  if (!plan.ok) throw refusal(plan);
  const boardings = (await fq.factsOfConvoys(ctx.db, operationId, [convoyId], { movementOnly: true })).filter(
    (r) => r.kind === 'boarded' && r.person_id === null && r.vehicle_id === input.vehicleId,
  );
  const voids = await standing(ctx, boardings);
  const facts = corrections(ctx, voids, input.at ?? ctx.now.toISOString(), input.reason?.trim() || undefined);
  await appendFacts(ctx, facts, { deriveConvoyState: false });
  await refreshHeadCounts(ctx, [{ convoyId, vehicleId: input.vehicleId }]);
  const total = headCountTotal(state.headCounts[input.vehicleId] ?? []);
  await audit(ctx, {
    action: 'manifest.head_count_remove',
    subjectKind: 'convoy',
    subjectId: convoyId,
    details: { vehicleId: input.vehicleId, total, voids, factIds: facts.map((f) => f.id) },
  });
  return { convoyId, vehicleId: input.vehicleId, removedTotal: total, voids, factIds: facts.map((f) => f.id) };
}
