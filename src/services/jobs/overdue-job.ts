/**
 * The overdue watch: every minute (by default) each operation with a convoy on the road or an
 * open alert is scanned at the clock's time (`scanOverdue`), one operation per transaction. The
 * clock is injected, so a test moves time and runs the job now.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { operationsToWatch } from '../../db/queries/convoy-alerts.js';
import { scanOverdue, type ScanResult } from '../convoy-ops/overdue.js';
import { startPeriodicJob, type PeriodicJob } from './periodic-job.js';

export type OverdueJob = PeriodicJob<Map<string, ScanResult>>;

/** Scans every watched operation once at `now`. */
export async function runOverdueWatch(db: Kysely<Database>, now: Date): Promise<Map<string, ScanResult>> {
  const out = new Map<string, ScanResult>();
  for (const operationId of await operationsToWatch(db)) {
    out.set(operationId, await db.transaction().execute((trx) => scanOverdue(trx, operationId, now)));
  }
  return out;
}

export function startOverdueJob(
  db: Kysely<Database>,
  opts: { clock: () => Date; intervalMs?: number; onError?: (err: unknown) => void },
): OverdueJob {
  return startPeriodicJob(() => runOverdueWatch(db, opts.clock()), {
    intervalMs: opts.intervalMs ?? 60_000,
    ...(opts.onError ? { onError: opts.onError } : {}),
  });
}
