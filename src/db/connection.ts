/**
 * Opens the database: PGlite (Postgres in WASM) persisted in a data folder by default, or a
 * PostgreSQL server when a URL is given. Both speak the same dialect and run the same SQL.
 * PGlite must never be opened by two processes at once (it corrupts its files), so the data
 * folder is locked for as long as it is open.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import type { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from './pglite-dialect.js';
import lockfile from 'proper-lockfile';
import type { Database } from './schema.js';
import { breakDeadLock, forgetOwner, recordOwner } from './lock-owner.js';
import { restrictTree } from './file-modes.js';

export type DialectName = 'pglite' | 'postgres';

export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: DialectName;
  /** Runs a script of several statements (migrations). */
  exec(sqlText: string): Promise<void>;
  /**
   * PostgreSQL only: LISTEN on a channel over a connection of its own (reconnecting if it
   * drops), calling `onNotify` with each payload; resolves to a function that stops listening.
   */
  listen?(channel: string, onNotify: (payload: string) => void, onError?: (err: unknown) => void): Promise<() => Promise<void>>;
  /**
   * PostgreSQL only: a session advisory lock on a connection of its own (outside the pool, so no
   * idle session is left behind), released by closing that connection. With `wait: false`,
   * undefined at once when another session holds it. See database-lock.ts.
   */
  advisoryLock?(key: number, wait: boolean): Promise<(() => Promise<void>) | undefined>;
  close(): Promise<void>;
}

export type DbTarget =
  { kind: 'postgres'; url: string; poolSize?: number } | { kind: 'pglite'; dataDir: string } | { kind: 'pglite-memory' };

export class DataDirLockedError extends Error {
  constructor(dir: string) {
    super(
      `The data folder ${dir} is already open in another Corridor process. Stop it first (two processes would corrupt the embedded database).`,
    );
    this.name = 'DataDirLockedError';
  }
}

export async function openDb(target: DbTarget): Promise<Db> {
  if (target.kind === 'postgres') return openPostgres(target.url, target.poolSize ?? 10);
  return openPglite(target.kind === 'pglite' ? target.dataDir : undefined);
}

async function openPostgres(url: string, poolSize: number): Promise<Db> {
  const pg = await import('pg');
  // int8 (counts, sequences) as JS numbers: every int8 Corridor stores fits in 2^53.
  pg.default.types.setTypeParser(20, (v: string) => Number(v));
  const pool = new pg.default.Pool({ connectionString: url, max: poolSize });
  // An idle connection can be cut by the server (a restart, a failover, an administrator). The pool
  // drops it and the next query opens another; without a listener the error would end the process.
  // While closing, connections the pool has let go of may still be cut: nothing to say about those.
  let closing = false;
  pool.on('error', (err) => {
    if (!closing) console.error(`corridor: an idle database connection was lost (${err.message}); the next query opens a new one`);
  });
  // The pool listens only to the connections it holds idle: one cut while checked out (a failover
  // in the middle of a transaction, found by the failover drill of issue 22: both servers ended on
  // an unhandled 'error' event) would end the process too. Its query in flight fails (the request
  // answers an error and the client resends), and the pool drops it when it is released.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kysely,
    dialect: 'postgres',
    async exec(sqlText) {
      const client = await pool.connect();
      try {
        await client.query(sqlText);
      } catch (err) {
        // A failed script may leave its explicit transaction open on this connection.
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async listen(channel, onNotify, onError) {
      if (!/^[a-z_]+$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
      let stopped = false;
      let client: InstanceType<typeof pg.default.Client> | undefined;
      let retry: ReturnType<typeof setTimeout> | undefined;
      // Every second until it is back: while no primary is reachable (a failover) a reconnection
      // fails too, and must be tried again rather than leave the counts stream deaf for good.
      const reconnect = () => {
        clearTimeout(retry);
        if (!stopped)
          retry = setTimeout(() => {
            connect().catch((err: unknown) => {
              onError?.(err);
              reconnect();
            });
          }, 1000);
      };
      const connect = async () => {
        const c = new pg.default.Client({ connectionString: url });
        c.on('notification', (n) => {
          if (n.channel === channel) onNotify(n.payload ?? '');
        });
        c.on('error', (err) => {
          onError?.(err);
          void c.end().catch(() => undefined);
          reconnect();
        });
        await c.connect();
        await c.query(`listen ${channel}`);
        if (stopped) await c.end();
        else client = c;
      };
      await connect();
      return async () => {
        stopped = true;
        clearTimeout(retry);
        await client?.end().catch(() => undefined);
      };
    },
    async advisoryLock(key, wait) {
      const c = new pg.default.Client({ connectionString: url });
      // A connection lost while holding the lock took the lock with it: nothing more to do.
      c.on('error', () => undefined);
      await c.connect();
      try {
        const r = await c.query<{ ok: boolean }>(
          wait ? 'select true as ok from pg_advisory_lock($1::bigint)' : 'select pg_try_advisory_lock($1::bigint) as ok',
          [key],
        );
        if (r.rows[0]?.ok !== true) {
          await c.end();
          return undefined;
        }
      } catch (err) {
        await c.end().catch(() => undefined);
        throw err;
      }
      // Ending the session releases its advisory locks.
      return () => c.end().catch(() => undefined);
    },
    async close() {
      closing = true;
      await kysely.destroy();
    },
  };
}

async function openPglite(dataDir: string | undefined): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  let release: (() => Promise<void>) | undefined;
  let dbPath: string | undefined;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700); // also when it existed with a looser mode
    const lockPath = join(dataDir, 'corridor.lock');
    const take = () => lockfile.lock(dataDir, { lockfilePath: lockPath, stale: 15_000, update: 5_000 });
    try {
      release = await take().catch(async (err: unknown) => {
        // A lock whose holder died (kill -9) is taken over at once, not after it goes stale.
        if ((err as { code?: string }).code === 'ELOCKED' && breakDeadLock(lockPath)) return take();
        throw err;
      });
    } catch (err) {
      if ((err as { code?: string }).code === 'ELOCKED') throw new DataDirLockedError(dataDir);
      throw err;
    }
    recordOwner(lockPath);
    const unlock = release;
    release = async () => {
      forgetOwner(lockPath);
      await unlock();
    };
    dbPath = join(dataDir, 'pglite');
  }
  const pglite = new PGlite(dbPath, { parsers: PGLITE_PARSERS });
  await pglite.waitReady;
  if (dbPath) restrictTree(dbPath);
  return pgliteDb(pglite, async () => {
    if (dbPath) restrictTree(dbPath);
    if (release) await release();
  });
}

/** int8 (counts, sequences; type oid 20) as JS numbers, as on PostgreSQL above. */
export const PGLITE_PARSERS = { 20: (v: string) => Number(v) };

/**
 * A Db on a PGlite instance opened elsewhere, with {@link PGLITE_PARSERS} (the tests: a copy of a
 * migrated template, `PGlite.create({ loadDataDir })`). Closing the Db closes the instance.
 */
export function openDbOn(pglite: PGlite): Db {
  return pgliteDb(pglite, async () => {});
}

function pgliteDb(pglite: PGlite, afterClose: () => Promise<void>): Db {
  const kysely = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    kysely,
    dialect: 'pglite',
    async exec(sqlText) {
      await pglite.exec(sqlText);
    },
    async close() {
      await kysely.destroy();
      if (!pglite.closed) await pglite.close();
      await afterClose();
    },
  };
}
