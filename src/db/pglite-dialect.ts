/**
 * Kysely dialect for PGlite, written for Corridor. Kysely ships one from 0.29 on, but 0.29 requires
 * Node 22 and Corridor runs on Node 20 (engines), and the PGlite dialects on npm do not support
 * PGlite 0.5; so this small driver is ours, on Kysely 0.28's public API, taking the approach Kysely's
 * own dialect takes (a transaction is PGlite's transaction callback, held open until commit or
 * rollback). PGlite has one connection, so the driver lends it to one query or transaction at a time
 * (as Kysely's SQLite driver does): a query made while a transaction runs waits for it instead of
 * running inside it. Savepoints are not offered (Corridor does not use them); Kysely says so if one
 * is asked for. Drop this file for Kysely's when Corridor moves to Node 22.
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';
import {
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';

class PGliteAdapter extends PostgresAdapter {
  // One connection, held by the migrator from lock to unlock: nothing to lock.
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

class PGliteConnection implements DatabaseConnection {
  #tx: Transaction | undefined;
  #finish: ((commit: boolean) => void) | undefined;
  #closed: Promise<void> | undefined;

  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { affectedRows, rows } = await (this.#tx ?? this.pglite).query<R>(query.sql, [...query.parameters], { rowMode: 'object' });
    return { rows: rows ?? [], ...(affectedRows != null ? { numAffectedRows: BigInt(affectedRows) } : {}) };
  }

  // eslint-disable-next-line require-yield -- PGlite has no cursors to stream from
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not supported by PGlite.');
  }

  async begin(): Promise<void> {
    let begun!: () => void;
    const started = new Promise<void>((resolve) => (begun = resolve));
    const decided = new Promise<boolean>((resolve) => (this.#finish = resolve));
    this.#closed = this.pglite.transaction(async (tx) => {
      this.#tx = tx;
      begun();
      // Throwing makes PGlite roll back; returning commits.
      if (!(await decided)) throw new RolledBack();
    });
    await Promise.race([started, this.#closed]);
  }

  async end(commit: boolean): Promise<void> {
    this.#finish?.(commit);
    try {
      await this.#closed;
    } catch (err) {
      if (!(err instanceof RolledBack)) throw err;
    } finally {
      this.#tx = undefined;
      this.#finish = undefined;
      this.#closed = undefined;
    }
  }
}

class RolledBack extends Error {}

class PGliteDriver implements Driver {
  #connection: PGliteConnection | undefined;
  /** Resolves when the connection is free again; undefined while nobody holds it. */
  #held: Promise<void> | undefined;
  #free: (() => void) | undefined;
  constructor(private readonly pglite: PGlite) {}

  async init(): Promise<void> {
    if (this.pglite.closed) throw new Error('PGlite instance is already closed.');
    await this.pglite.waitReady;
    this.#connection = new PGliteConnection(this.pglite);
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    while (this.#held) await this.#held;
    this.#held = new Promise((resolve) => (this.#free = resolve));
    return this.#connection as PGliteConnection;
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).begin();
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).end(true);
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).end(false);
  }
  async releaseConnection(): Promise<void> {
    const free = this.#free;
    this.#held = undefined;
    this.#free = undefined;
    free?.();
  }
  async destroy(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}

export class PGliteDialect implements Dialect {
  constructor(private readonly config: { pglite: PGlite }) {}
  createAdapter(): DialectAdapter {
    return new PGliteAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.config.pglite);
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
}
