/**
 * The stored head count of a head-count vehicle (`vehicles.head_count`, what the manifest shows)
 * kept equal to what the facts say: the latest head count by device time among the vehicle's
 * boardings that no correction voids — the rule counts and reconciliation read the facts by. A
 * phone that syncs late with a count taken earlier adds its fact but does not replace the later
 * count; a count removed (its boardings voided) leaves the one before it, or none. Also here:
 * which of some facts still stand, following corrections of corrections (the removal paths need it).
 */
import * as convoysDb from '../../db/queries/convoys.js';
import * as correctionsDb from '../../db/queries/corrections.js';
import * as factsDb from '../../db/queries/facts.js';
import * as manifestEditsDb from '../../db/queries/manifest-edits.js';
import type { HeadCountRow } from '../../domain/convoys/index.js';
import { effectiveFacts, headCountInForce, voidedIds, type FactOf, type MovementFact } from '../../domain/movements/index.js';
import { requireOperation, type Ctx } from '../context.js';

/** Of these facts, those no standing correction voids (corrections of corrections followed to the end). */
export async function standingFacts(ctx: Ctx, rows: readonly factsDb.FactRow[]): Promise<MovementFact[]> {
  const asked = new Set(rows.map((r) => r.id));
  const corrections = (await correctionsDb.correctionChainsOf(ctx.db, requireOperation(ctx), [...asked])).filter((r) => !asked.has(r.id));
  const facts: MovementFact[] = [...rows, ...corrections].map(factsDb.rowToFact);
  const voided = voidedIds(facts);
  return facts.filter((f) => asked.has(f.id) && !voided.has(f.id));
}

export interface HeadCountInForce {
  vehicleId: string;
  fact: FactOf<'boarded'> | undefined;
  rows: HeadCountRow[] | null;
}

/**
 * Sets the stored head count of these head-count vehicles to the one in force by the facts (named
 * vehicles are left alone: they carry no head count). Returns what is in force for each.
 */
export async function refreshHeadCounts(
  ctx: Ctx,
  vehicles: readonly { convoyId: string; vehicleId: string }[],
): Promise<HeadCountInForce[]> {
  const operationId = requireOperation(ctx);
  const stored = (
    await convoysDb.findVehiclesByIds(
      ctx.db,
      operationId,
      vehicles.map((v) => v.vehicleId),
    )
  ).filter((v) => v.mode === 'head_count');
  if (stored.length === 0) return [];
  const pairs = stored.map((v) => ({ convoyId: v.convoy_id, vehicleId: v.id }));
  const facts = effectiveFacts(await standingFacts(ctx, await factsDb.headCountBoardings(ctx.db, operationId, pairs)));
  const out = pairs.map(({ convoyId, vehicleId }) => {
    const fact = headCountInForce(facts, convoyId, vehicleId);
    return { vehicleId, fact, rows: fact?.payload.headCount ? [...fact.payload.headCount] : null };
  });
  await convoysDb.setHeadCounts(
    ctx.db,
    operationId,
    out.flatMap((c) => (c.rows ? [{ vehicleId: c.vehicleId, rows: c.rows }] : [])),
  );
  for (const c of out) if (!c.rows) await manifestEditsDb.clearHeadCount(ctx.db, operationId, c.vehicleId);
  return out;
}
