/**
 * The stored head count of a head-count vehicle (`vehicles.head_count`, what the manifest shows)
 * kept equal to what the facts say: the latest head count by device time among the vehicle's
 * boardings that no correction voids — the rule counts and reconciliation read the facts by. A
 * phone that syncs late with a count taken earlier adds its fact but does not replace the later
 * count; a count removed (its boardings voided) leaves the one before it, or none. Also here:
 * which of some facts still stand, following corrections of corrections (the removal paths need it).
 */
import * as cvq from '../db/queries/convoys.js';
import * as fq from '../db/queries/facts.js';
import * as mq from '../db/queries/manifest-edits.js';
import type { HeadCountRow } from '../domain/convoys/index.js';
import { effectiveFacts, headCountInForce, voidedIds, type FactOf, type MovementFact } from '../domain/movements/index.js';
import { requireOperation, type Ctx } from './context.js';

/** Of these facts, those no standing correction voids (corrections of corrections followed, 16 deep). */
export async function standingFacts(ctx: Ctx, rows: readonly fq.FactRow[]): Promise<MovementFact[]> {
  const operationId = requireOperation(ctx);
  const facts: MovementFact[] = rows.map(fq.rowToFact);
  const seen = new Set(facts.map((f) => f.id));
  let frontier = [...seen];
  for (let depth = 0; frontier.length > 0 && depth < 16; depth++) {
    const found = (await fq.correctionsVoiding(ctx.db, operationId, frontier)).filter((r) => !seen.has(r.id));
    for (const r of found) {
      seen.add(r.id);
      facts.push(fq.rowToFact(r));
    }
    frontier = found.map((r) => r.id);
  }
  const voided = voidedIds(facts);
  const asked = new Set(rows.map((r) => r.id));
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
    await cvq.findVehiclesByIds(
      ctx.db,
      operationId,
      vehicles.map((v) => v.vehicleId),
    )
  ).filter((v) => v.mode === 'head_count');
  if (stored.length === 0) return [];
  const pairs = stored.map((v) => ({ convoyId: v.convoy_id, vehicleId: v.id }));
  const facts = effectiveFacts(await standingFacts(ctx, await fq.headCountBoardings(ctx.db, operationId, pairs)));
  const out = pairs.map(({ convoyId, vehicleId }) => {
    const fact = headCountInForce(facts, convoyId, vehicleId);
    return { vehicleId, fact, rows: fact?.payload.headCount ? [...fact.payload.headCount] : null };
  });
  await cvq.setHeadCounts(
    ctx.db,
    operationId,
    out.flatMap((c) => (c.rows ? [{ vehicleId: c.vehicleId, rows: c.rows }] : [])),
  );
  for (const c of out) if (!c.rows) await mq.clearHeadCount(ctx.db, operationId, c.vehicleId);
  return out;
}
