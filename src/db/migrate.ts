/**
 * Applies the plain SQL files in ./migrations in name order, each in its own transaction,
 * once. Migrations are SQL only and never import application code.
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
