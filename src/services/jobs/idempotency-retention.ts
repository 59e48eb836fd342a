/**
 * Retention of stored answers (`idempotency_keys`). Every write keeps its client id and answer
 * so a phone sending its queue again gets the first answer instead of writing twice; kept for
 * ever, the table grows with every write. Answers older than the retention period (default 30
 * days: longer than any phone stays offline) are deleted. A replay of a deleted client id is a
 * new request: see docs/decisions/016-idempotency-retention.md for why that is safe enough.
 * The server prunes at start and every hour; `corridor maintenance prune-idempotency` on demand.
 */
import { appendAudit } from '../../db/queries/audit.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { deleteIdempotentBefore } from '../../db/queries/idempotency.js';
import { startPeriodicJob, type PeriodicJob } from './periodic-job.js';

const DAY = 86_400_000;
const BATCH = 10_000;

export interface PruneResult {
  deleted: number;
  /** Answers made before this instant were deleted. */
  before: Date;
}

/** Deletes the stored answers older than `retentionDays` before `now`, in batches; audited when any went. */
export async function pruneIdempotencyKeys(db: Kysely<Database>, opts: { now: Date; retentionDays: number }): Promise<PruneResult> {
  if (!Number.isInteger(opts.retentionDays) || opts.retentionDays < 1)
    throw new Error('retention must be a whole number of days, at least 1');
  const before = new Date(opts.now.getTime() - opts.retentionDays * DAY);
  let deleted = 0;
  for (;;) {
    const n = await db.transaction().execute((trx) => deleteIdempotentBefore(trx, before, BATCH));
    deleted += n;
    if (n < BATCH) break;
  }
  if (deleted > 0) {
    await appendAudit(db, {
      operationId: null,
      actorId: null,
      actorKind: 'system',
      action: 'maintenance.prune_idempotency',
      details: { deleted, before: before.toISOString(), retentionDays: opts.retentionDays },
      at: opts.now,
    });
  }
  return { deleted, before };
}

export type RetentionJob = PeriodicJob<PruneResult>;

/** Prunes once at start, then every `intervalMs` (default an hour), one run at a time. */
export function startIdempotencyRetention(
  db: Kysely<Database>,
  opts: {
    retentionDays: number;
    clock?: () => Date;
    intervalMs?: number;
    onError?: (err: unknown) => void;
    onPruned?: (r: PruneResult) => void;
  },
): RetentionJob {
  const clock = opts.clock ?? (() => new Date());
  return startPeriodicJob(
    async () => {
      const r = await pruneIdempotencyKeys(db, { now: clock(), retentionDays: opts.retentionDays });
      if (r.deleted > 0) opts.onPruned?.(r);
      return r;
    },
    { intervalMs: opts.intervalMs ?? 3_600_000, atStart: true, ...(opts.onError ? { onError: opts.onError } : {}) },
  );
}
