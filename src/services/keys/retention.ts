/**
 * Retention per operation (audit finding 10): an operation is closed with a retention period in
 * days, and once that period after its closing has run out, the server's upkeep (hourly, and
 * `corridor operation retention`) crypto-shreds it — its data key, so every one of its people;
 * counts remain. Closing is audited (`operation.close`), and so is each shredding it triggers.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { appendAudit } from '../../db/queries/audit.js';
import type { Executor } from '../../db/queries/executor.js';
import { closeOperation, findOperation, operationsPastRetention } from '../../db/queries/operations.js';
import { AppError } from '../../domain/errors.js';
import { shredOperation, type ShredResult } from './shred.js';

/** Closes the operation; `retentionDays` sets (a number), clears (null) or keeps (undefined) its retention. */
export async function closeWithRetention(db: Executor, operationId: string, at: Date, retentionDays: number | null | undefined) {
  if (!(await findOperation(db, operationId))) throw new AppError('operation.not_found');
  if (
    retentionDays !== undefined &&
    retentionDays !== null &&
    !(Number.isInteger(retentionDays) && retentionDays >= 1 && retentionDays <= 36500)
  )
    throw new Error('The retention period is a whole number of days from 1 to 36500.');
  await closeOperation(db, operationId, at, retentionDays);
  const op = (await findOperation(db, operationId))!;
  await appendAudit(db, {
    operationId,
    actorId: null,
    actorKind: 'system',
    action: 'operation.close',
    subjectKind: 'operation',
    subjectId: operationId,
    at,
    details: { closedAt: new Date(op.closed_at as Date).toISOString(), retentionDays: op.retention_days },
  });
  return op;
}

/** Shreds every closed operation whose retention period has run out by `now`, one transaction each. */
export async function applyRetention(db: Kysely<Database>, now: Date): Promise<ShredResult[]> {
  const out: ShredResult[] = [];
  for (const op of await operationsPastRetention(db, now))
    out.push(await db.transaction().execute((trx) => shredOperation(trx, op.id, now, { reason: 'retention' })));
  return out;
}
