/**
 * Locks held in the database, so that several Corridor servers started at once on one empty
 * PostgreSQL take turns at the work only one may do: migrating, creating the first admin,
 * setting the demo up and loading it. PostgreSQL: a session advisory lock, held on a connection
 * of its own for as long as the work lasts (a server that dies releases it with its connection).
 * PGlite is opened by one process only (the data folder's lock file), so there is nobody to
 * wait for: the work just runs.
 */
import type { Db } from './connection.js';

/** The locks, as advisory lock keys (arbitrary numbers, fixed forever: servers of different versions must agree). */
export const DB_LOCKS = {
  /** Migrations, the first admin, the demo's setup. Held for seconds. */
  startup: 7_236_201_601,
  /** The demo's load (tens of seconds while serving): a server that cannot take it knows another is loading. */
  demoLoad: 7_236_201_602,
} as const;

export type DbLockName = keyof typeof DB_LOCKS;

/** A held lock: `release` lets it go. */
export interface HeldLock {
  release(): Promise<void>;
}

const NOTHING_HELD: HeldLock = { release: async () => undefined };

/** Waits for the lock, runs `work`, and releases it whatever happens. */
export async function withDbLock<T>(db: Db, name: DbLockName, work: () => Promise<T>): Promise<T> {
  const held = (await takeDbLock(db, name, { wait: true })) as HeldLock;
  try {
    return await work();
  } finally {
    await held.release();
  }
}

/**
 * Takes the lock and keeps it until released. With `wait: false`, resolves to undefined at once
 * when someone else holds it. On PGlite the lock is always had.
 */
export async function takeDbLock(db: Db, name: DbLockName, opts: { wait: boolean }): Promise<HeldLock | undefined> {
  if (!db.advisoryLock) return NOTHING_HELD;
  const release = await db.advisoryLock(DB_LOCKS[name], opts.wait);
  return release ? { release } : undefined;
}
