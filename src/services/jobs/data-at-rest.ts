/**
 * The server's upkeep of protection data at rest, at start and every hour: what older versions
 * stored in clear is sealed (`sealClearFields`), and closed operations past their retention period
 * are shredded (`applyRetention`). One run at a time; errors are reported, not thrown.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { KeyRing } from '../keys/keyring.js';
import { sealClearFields, type SealClearResult } from '../persons/seal-clear.js';
import { startPeriodicJob, type PeriodicJob } from './periodic-job.js';
import { applyRetention } from '../keys/retention.js';
import type { ShredResult } from '../keys/shred.js';

export interface DataAtRestRun {
  sealed: SealClearResult;
  shredded: ShredResult[];
}

export function startDataAtRestJob(
  db: Kysely<Database>,
  keys: KeyRing,
  opts: { intervalMs?: number; clock?: () => Date; onError?: (err: unknown) => void; onDone?: (r: DataAtRestRun) => void },
): PeriodicJob<DataAtRestRun> {
  return startPeriodicJob(
    async () => {
      const shredded = await applyRetention(db, (opts.clock ?? (() => new Date()))());
      const r = { sealed: await sealClearFields(db, keys), shredded };
      opts.onDone?.(r);
      return r;
    },
    { intervalMs: opts.intervalMs ?? 3_600_000, atStart: true, ...(opts.onError ? { onError: opts.onError } : {}) },
  );
}
