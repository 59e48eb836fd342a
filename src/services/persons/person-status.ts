/**
 * Where people stand now — registered, boarded, in transit, arrived, missing, turned back — as
 * the counts derive it (`derivePersonPosition`): from each person's own standing facts and the
 * movement facts of the convoys they boarded, corrections applied. For a page of search results
 * or one person's timeline, so a desk can say "arrived" beside a name.
 */
import * as correctionsDb from '../../db/queries/corrections.js';
import * as factsDb from '../../db/queries/facts.js';
import { derivePersonPosition, effectiveFacts, type MovementFact, type PersonPosition } from '../../domain/movements/index.js';
import { requireOperation, type Ctx } from '../context.js';

/**
 * These people's standing facts, and those of the convoys they boarded (movement only),
 * corrections applied: the stored rows (who recorded each) in device-time order.
 */
export async function standingFactRowsOf(ctx: Ctx, personIds: readonly string[]): Promise<factsDb.FactRow[]> {
  const operationId = requireOperation(ctx);
  const own = await factsDb.factsOfPersons(ctx.db, operationId, personIds);
  const convoyIds = [...new Set(own.flatMap((f) => (f.kind === 'boarded' && f.convoy_id ? [f.convoy_id] : [])))];
  const convoys = await factsDb.factsOfConvoys(ctx.db, operationId, convoyIds, { movementOnly: true });
  const byId = new Map([...own, ...convoys].map((r) => [r.id, r]));
  for (const c of await correctionsDb.correctionChainsOf(ctx.db, operationId, [...byId.keys()])) byId.set(c.id, c);
  return effectiveFacts([...byId.values()].map(factsDb.rowToFact)).map((f) => byId.get(f.id)!);
}

/** Each person's position (null: nothing known), from the facts `standingFactRowsOf` reads. */
export function positionsFrom(
  facts: readonly MovementFact[],
  persons: readonly { id: string; site_id: string }[],
): Map<string, PersonPosition | null> {
  return new Map(
    persons.map((p) => [
      p.id,
      derivePersonPosition(
        facts.filter((f) => f.personId === p.id),
        facts,
        { siteId: p.site_id },
      ),
    ]),
  );
}

export async function positionsOf(ctx: Ctx, persons: readonly { id: string; site_id: string }[]) {
  const rows = await standingFactRowsOf(
    ctx,
    persons.map((p) => p.id),
  );
  return positionsFrom(rows.map(factsDb.rowToFact), persons);
}
