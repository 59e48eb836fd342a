/**
 * Runs the count projection (counts-maintain.ts) after writers commit: `kick(operationId)` after a
 * write (counted a moment later, with whatever else was written meanwhile), and a sweep every
 * second for notes left by anything else (the demo loader, another
 * server process on the same PostgreSQL, a projection interrupted by a crash). One projection
 * per operation at a time in this process; across processes the count lock makes them take
 * turns. Each batch is its own transaction, and the server is given a turn between batches.
 */
import type { Db } from '../../db/connection.js';
import * as countsDb from '../../db/queries/counts.js';
import type { Executor } from '../../db/queries/executor.js';
import type { KeyRing } from '../keys/keyring.js';
import { publishCountsChanged } from './counts-bus.js';
import { DEFAULT_BATCH, projectBatch, type ProjectionLimits, type ProjectionResult } from './counts-maintain.js';

const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface DrainOptions {
  clock?: () => Date;
  limits?: ProjectionLimits;
  /** Told of every batch counted (benchmarks). */
  onBatch?: (r: ProjectionResult) => void;
}

/**
 * Counts one batch — in `db` when it is a transaction, else in a transaction of its own — and
 * tells listeners (live streams, `onBatch`) when it counted something.
 */
async function countOneBatch(db: Executor, keys: KeyRing, operationId: string, opts: DrainOptions): Promise<ProjectionResult> {
  const at = (opts.clock ?? (() => new Date()))();
  const r = db.isTransaction
    ? await projectBatch(db, keys, operationId, at, opts.limits)
    : await db.transaction().execute((trx) => projectBatch(trx, keys, operationId, at, opts.limits));
  if (r.cells > 0) publishCountsChanged(operationId);
  if (r.facts + r.persons > 0) opts.onBatch?.(r);
  return r;
}

/** Counts everything pending for an operation, batch after batch. */
export async function drainCounts(db: Executor, keys: KeyRing, operationId: string, opts: DrainOptions = {}): Promise<ProjectionResult> {
  const total: ProjectionResult = { facts: 0, persons: 0, cells: 0, ms: 0 };
  for (;;) {
    const r = await countOneBatch(db, keys, operationId, opts);
    if (r.facts === 0 && r.persons === 0) return total;
    total.facts += r.facts;
    total.persons += r.persons;
    total.cells += r.cells;
    total.ms += r.ms;
    await yieldTurn();
  }
}

export interface ProjectorOptions extends DrainOptions {
  /**
   * How long a kick waits before counting (ms), so the writes of that moment are counted
   * together: counting one request at a time costs about what counting inside the request did.
   */
  delayMs?: number;
  /** How often to look for notes nobody kicked for (ms); 0 turns the sweep off. */
  sweepMs?: number;
  onError?: (err: unknown) => void;
}

export class CountProjector {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private flushing = 0;
  /** Wakes the runs waiting for writes to gather. */
  private readonly waiting = new Set<() => void>();

  constructor(
    private readonly db: Db,
    private readonly keys: KeyRing,
    private readonly opts: ProjectorOptions = {},
  ) {
    const every = opts.sweepMs ?? 1000;
    if (every > 0) {
      this.timer = setInterval(() => {
        void this.sweep();
      }, every);
      this.timer.unref();
    }
  }

  /** Something was written for this operation: count it soon. */
  kick(operationId: string): void {
    if (this.stopped) return;
    if (this.running.has(operationId)) {
      this.again.add(operationId);
      return;
    }
    const delay = this.opts.delayMs ?? 1000;
    const limits = { ...DEFAULT_BATCH, ...this.opts.limits };
    const run = (async () => {
      let backlog = false;
      do {
        this.again.delete(operationId);
        // A full batch means more is waiting: go on at once. Otherwise let writes gather first.
        if (backlog) await yieldTurn();
        else await this.pause(delay);
        if (this.stopped) return;
        const r = await countOneBatch(this.db.kysely, this.keys, operationId, { ...this.opts, limits });
        backlog = r.facts >= limits.facts || r.persons >= limits.persons;
      } while ((backlog || this.again.has(operationId)) && !this.stopped);
    })()
      .catch((err: unknown) => {
        if (!this.stopped) this.opts.onError?.(err);
      })
      .finally(() => {
        this.running.delete(operationId);
      });
    this.running.set(operationId, run);
  }

  private pause(ms: number): Promise<void> {
    if (this.flushing > 0) return yieldTurn();
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(t);
        this.waiting.delete(wake);
        resolve();
      };
      const t = setTimeout(wake, ms);
      t.unref();
      this.waiting.add(wake);
    });
  }

  /** Counts now what is waiting to be counted, without the pause (then resolves when idle). */
  async flush(): Promise<void> {
    // While flushing, a run that goes round again (more was written meanwhile) does not wait either.
    this.flushing++;
    try {
      for (const wake of [...this.waiting]) wake();
      await this.idle();
    } finally {
      this.flushing--;
    }
  }

  /** Kicks every operation with notes waiting. */
  async sweep(): Promise<void> {
    if (this.stopped) return;
    try {
      for (const id of await countsDb.operationsWithPending(this.db.kysely)) this.kick(id);
    } catch (err) {
      if (!this.stopped) this.opts.onError?.(err);
    }
  }

  /** Resolves when nothing is running for these operations (all, by default). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const wake of [...this.waiting]) wake();
    await Promise.allSettled([...this.running.values()]);
  }
}
