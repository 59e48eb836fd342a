/**
 * Shredding an operation takes every person's category and vulnerabilities with its key, so the
 * counts can no longer be recomputed with them. In the shredding's transaction the operation's
 * counts are therefore recomputed without them — every person counted with category 'unknown'
 * and no vulnerability rows — and written whole: totals, sex, age band, site, status and the
 * hourly flows stay as they were, and `counts verify` recomputes the same numbers afterwards.
 * Needs no key: nothing sealed is opened.
 */
import { recompute, parseCellKey, type CountDelta } from '../../domain/counts/index.js';
import * as countsDb from '../../db/queries/counts.js';
import * as factsDb from '../../db/queries/facts.js';
import * as personsDb from '../../db/queries/persons.js';
import type { Executor } from '../../db/queries/executor.js';
import type { MovementFact } from '../../domain/movements/index.js';
import type { OperationKeys } from '../../crypto/envelope.js';
import { applyCountDeltas, registryOf } from './counts-maintain.js';

export async function recountWithheld(trx: Executor, operationId: string, at: Date): Promise<void> {
  if (!trx.isTransaction) throw new Error('recountWithheld needs a transaction');
  await countsDb.lockCounts(trx, operationId, at);
  await personsDb.withholdOperationProtected(trx, operationId);
  await recountOperation(trx, null, operationId);
}

/**
 * Writes an operation's counts whole, recomputed from its facts and registry (opened with `keys`;
 * null: withheld), and marks everything stored as counted. Also what a restore does: the facts it
 * brought carry no transaction id of this database.
 */
export async function recountOperation(trx: Executor, keys: OperationKeys | null, operationId: string): Promise<void> {
  // Everything visible here is counted below, this transaction's own writes too (a restore's facts).
  const snapshot = await countsDb.currentSnapshot(trx, 'counted');
  const rows = await countsDb.registryRows(trx, operationId);
  const facts: MovementFact[] = [];
  for await (const page of factsDb.allFacts(trx, operationId)) for (const r of page) facts.push(factsDb.rowToFact(r));
  const fresh = recompute(facts, registryOf(keys, rows));
  await countsDb.clearCounts(trx, operationId);
  const deltas: CountDelta[] = [...fresh.cells].map(([key, n]) => ({ ...parseCellKey(key), delta: n }));
  await applyCountDeltas(trx, operationId, deltas);
  await countsDb.saveCountedRegistry(trx, operationId, rows);
  await countsDb.saveCursor(trx, operationId, { counted: snapshot, round: null });
}
