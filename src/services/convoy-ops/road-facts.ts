/**
 * The standing facts of convoys on the road (movements and incidents), read once for the whole
 * operation or one convoy: the stored facts, the corrections voiding them, and what stands.
 */
import * as correctionsDb from '../../db/queries/corrections.js';
import * as factsDb from '../../db/queries/facts.js';
import type { Executor } from '../../db/queries/executor.js';
import { effectiveFacts, type MovementFact } from '../../domain/movements/index.js';

export async function standingRoadFacts(
  db: Executor,
  operationId: string,
  opts: { convoyId?: string; before?: Date; incidentsOnly?: boolean; withoutConvoy?: boolean } = {},
): Promise<MovementFact[]> {
  const rows = await factsDb.roadFacts(db, operationId, opts);
  if (opts.withoutConvoy) rows.push(...(await factsDb.incidentsWithoutConvoy(db, operationId, opts)));
  const corrections = await correctionsDb.correctionChainsOf(
    db,
    operationId,
    rows.map((r) => r.id),
  );
  // A correction made after the hour asked for still says the fact was wrong: a replay shows what is known now.
  return effectiveFacts([...rows, ...corrections].map(factsDb.rowToFact)).filter((f) => f.kind !== 'correction');
}
