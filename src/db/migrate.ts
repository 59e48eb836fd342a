/**
 * Applies the plain SQL files in ./migrations in name order, each in its own transaction,
 * once. Migrations are SQL only and never import application code.
 *
 * Who migrates: `corridor migrate` always (run it as the database owner). `serve` and the other
 * commands migrate only when the role they connect as may create in the schema (the owner; always
 * on PGlite); otherwise they check that no migration is missing and refuse to run behind
 * (`SchemaBehindError`), so the server can run as an application role without DDL rights.
 * Callers hold the startup lock (database-lock.ts) around all of it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from './connection.js';

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

export function listMigrations(): string[] {
  return readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
}

/** Migrations this version has that the database has not applied, in order. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const ledger = await sql<{ t: string | null }>`select to_regclass('schema_migrations')::text as t`.execute(db.kysely);
  if (!ledger.rows[0]?.t) return listMigrations();
  const applied = new Set((await db.kysely.selectFrom('schema_migrations').select('name').execute()).map((r) => r.name));
  return listMigrations().filter((name) => !applied.has(name));
}

/** True when the connected role may change the schema (PostgreSQL: CREATE on it; PGlite: always). */
export async function mayMigrate(db: Db): Promise<boolean> {
  if (db.dialect === 'pglite') return true;
  const r = await sql<{ ok: boolean }>`select has_schema_privilege(current_schema(), 'CREATE') as ok`.execute(db.kysely);
  return r.rows[0]?.ok === true;
}

export class SchemaBehindError extends Error {
  constructor(readonly missing: string[]) {
    super(
      `The database is behind this version of Corridor: ${missing.length} migration${missing.length === 1 ? '' : 's'} not applied (${missing.join(', ')}), ` +
        'and the role this server connects as may not change the schema. Run `corridor migrate` as the database owner ' +
        '(DATABASE_URL of the owner role, see docs/database.md), then start again.',
    );
    this.name = 'SchemaBehindError';
  }
}

/** Migrates when allowed to (see the top); otherwise refuses a database that is behind. Returns what was applied. */
export async function ensureSchema(db: Db): Promise<string[]> {
  const missing = await pendingMigrations(db);
  if (missing.length === 0) return [];
  if (!(await mayMigrate(db))) throw new SchemaBehindError(missing);
  return migrate(db);
}

export async function migrate(db: Db): Promise<string[]> {
  await db.exec('create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())');
  const applied = new Set((await db.kysely.selectFrom('schema_migrations').select('name').execute()).map((r) => r.name));
  const done: string[] = [];
  for (const name of listMigrations()) {
    if (applied.has(name)) continue;
    const text = readFileSync(migrationsDir + name, 'utf8');
    // One transaction per file: a failing migration leaves nothing half-applied.
    await db
      .exec(`begin;\n${text}\n;insert into schema_migrations (name) values ('${name.replace(/'/g, "''")}');\ncommit;`)
      .catch(async (err: unknown) => {
        await sql`rollback`.execute(db.kysely).catch(() => undefined);
        throw new Error(`migration ${name} failed: ${(err as Error).message}`);
      });
    done.push(name);
  }
  return done;
}
