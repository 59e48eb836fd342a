/**
 * What autovacuum does on PostgreSQL, for the embedded PGlite database, which has none — and
 * for a PostgreSQL server whose autovacuum is turned off (seen on shared machines; without it a
 * table filled since it was created is never analyzed, and a page of one operation's facts was
 * planned as a sort of all of them: 7 s a page at 5M facts instead of milliseconds).
 *
 * Without it the planner keeps the statistics of the day the tables were created: a server
 * started empty and filled over a week of registrations plans every query as if its tables
 * were nearly empty (and cached plans — foreign-key checks among them — stay that way), and the
 * tables rewritten all day (the counters, the count cursor, sessions, stored answers of writes)
 * only grow. (PGlite does not keep the activity statistics autovacuum reads either, so growth is
 * judged by size.) Each run looks at every table's size against the size its statistics were
 * taken at: a table that has doubled is analyzed, and one of the tables rewritten in place is
 * vacuumed (which also analyzes it). Small tables are left alone. One run at a time; each
 * table is its own statement, so requests get their turn in between.
 */
import type { Db } from '../../db/connection.js';
import { analyzeTable, listTableSizes, showAutovacuum, vacuumAnalyzeTable } from '../../db/queries/maintenance.js';
import { startPeriodicJob } from './periodic-job.js';

/**
 * Tables vacuumed, not only analyzed: those whose rows are updated or deleted all day, and
 * person_keys, read by index-only scans in every registration's duplicate-candidate lookup —
 * without a vacuum its visibility map stays empty and each key holder is a heap visit too
 * (measured on PGlite at 10k people, machine loaded: 189 heap fetches a lookup before, none
 * after, the lookup ~25% shorter). PostgreSQL's autovacuum does the same for insert-only tables.
 */
const REWRITTEN = new Set([
  'person_keys',
  'counters',
  'counter_hours',
  'count_heads',
  'count_pending_persons',
  'count_registry',
  'duplicate_checks_pending',
  'idempotency_keys',
  'sessions',
  'audit_heads',
  'users',
]);

/** Below this many 8 KB pages (512 KB) a table is not worth a statement. */
const MIN_PAGES = 64;

export interface HousekeepingAction {
  table: string;
  action: 'analyze' | 'vacuum';
  pages: number;
  pagesBefore: number;
}

/** One pass: analyzes (or vacuums) every table that has doubled since its statistics. */
export async function housekeepOnce(db: Db): Promise<HousekeepingAction[]> {
  const tables = await listTableSizes(db.kysely);
  const done: HousekeepingAction[] = [];
  for (const t of tables) {
    if (t.pages < MIN_PAGES || t.pages < 2 * t.counted) continue;
    const action = REWRITTEN.has(t.table) ? 'vacuum' : 'analyze';
    if (action === 'vacuum') await vacuumAnalyzeTable(db.kysely, t.table);
    else await analyzeTable(db.kysely, t.table);
    done.push({ table: t.table, action, pages: t.pages, pagesBefore: t.counted });
  }
  return done;
}

export interface Housekeeping {
  runNow(): Promise<HousekeepingAction[]>;
  stop(): Promise<void>;
}

/** PostgreSQL's own autovacuum is off (PGlite says on, but has none). */
export async function autovacuumOff(db: Db): Promise<boolean> {
  return (await showAutovacuum(db.kysely)) === 'off';
}

/**
 * Runs `housekeepOnce` every `intervalMs` (default 5 minutes) on PGlite, and on PostgreSQL when
 * its autovacuum is off (checked at the first run; `onNotice` says so once); otherwise nothing.
 */
export function startHousekeeping(
  db: Db,
  opts: {
    intervalMs?: number;
    onError?: (err: unknown) => void;
    onDone?: (actions: HousekeepingAction[]) => void;
    onNotice?: (message: string) => void;
  } = {},
): Housekeeping {
  let needed: boolean | undefined = db.dialect === 'pglite' ? true : undefined;
  const job = startPeriodicJob(
    async () => {
      if (needed === undefined) {
        needed = await autovacuumOff(db);
        if (needed)
          opts.onNotice?.(
            "PostgreSQL's autovacuum is off: Corridor analyzes and vacuums its own tables as they grow (turn autovacuum on to leave it to PostgreSQL)",
          );
      }
      if (!needed) return [];
      const actions = await housekeepOnce(db);
      if (actions.length > 0) opts.onDone?.(actions);
      return actions;
    },
    { intervalMs: opts.intervalMs ?? 300_000, ...(opts.onError ? { onError: opts.onError } : {}) },
  );
  return { runNow: async () => (await job.runNow()) ?? [], stop: () => job.stop() };
}
