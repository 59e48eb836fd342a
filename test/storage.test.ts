/**
 * Storage: migrations are applied once and recorded, a second run does nothing, the row types
 * of src/db/schema.ts name exactly the tables and columns the migrations made, and a PGlite
 * data folder is locked while open (two openers would corrupt it), opens again after close,
 * and keeps its data across reopening.
 */
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, openDb } from '../src/db/connection.js';
import { listMigrations, migrate } from '../src/db/migrate.js';
import { createUser } from '../src/services/accounts/auth.js';
import { dialects } from './support/db.js';

/** The tables and columns src/db/schema.ts declares, read from its text (the row types vanish at run time). */
function declaredSchema(): Map<string, string[]> {
  const text = readFileSync(new URL('../src/db/schema.ts', import.meta.url), 'utf8');
  const body = (name: string) => text.match(new RegExp(`export interface ${name} \\{([^}]*)\\}`))?.[1] ?? '';
  const fields = (name: string) => [...body(name).matchAll(/^\s+(\w+)\??:/gm)].map((m) => m[1] as string);
  const tables = new Map<string, string[]>();
  for (const m of body('Database').matchAll(/^\s+(\w+): (\w+);/gm)) tables.set(m[1] as string, fields(m[2] as string).sort());
  return tables;
}

for (const dialect of dialects) {
  describe(`migrations (${dialect.name})`, () => {
    test('every migration is recorded once, and migrating again changes nothing', async () => {
      const db = await dialect.open();
      try {
        const recorded = (await db.kysely.selectFrom('schema_migrations').select('name').orderBy('name').execute()).map((r) => r.name);
        assert.deepEqual(recorded, listMigrations());
        assert.ok(recorded.length >= 1);
        assert.deepEqual(await migrate(db), [], 'a second run applies nothing');
        const again = await db.kysely.selectFrom('schema_migrations').select('name').execute();
        assert.equal(again.length, recorded.length);
      } finally {
        await db.close();
      }
    });

    test('the row types of src/db/schema.ts name exactly the tables and columns the migrations made', async () => {
      const db = await dialect.open();
      try {
        const rows = (
          await sql<{ table_name: string; column_name: string }>`select table_name, column_name from information_schema.columns
            where table_schema = 'public' and table_name in (select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE')`.execute(
            db.kysely,
          )
        ).rows;
        const actual = new Map<string, string[]>();
        for (const r of rows) actual.set(r.table_name, [...(actual.get(r.table_name) ?? []), r.column_name]);
        for (const cols of actual.values()) cols.sort();
        const declared = declaredSchema();
        assert.ok(declared.size > 20, 'schema.ts was read');
        assert.deepEqual([...declared.keys()].sort(), [...actual.keys()].sort());
        for (const [table, cols] of declared) assert.deepEqual(cols, actual.get(table), `columns of ${table}`);
      } finally {
        await db.close();
      }
    });
  });
}

describe('embedded PGlite data folder', () => {
  test('a fresh database gets every migration in name order', async () => {
    const db = await openDb({ kind: 'pglite-memory' });
    try {
      assert.deepEqual(await migrate(db), listMigrations());
      assert.deepEqual(await migrate(db), []);
    } finally {
      await db.close();
    }
  });

  test('is locked while open, opens again after close, and keeps its data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corridor-storage-'));
    try {
      const first = await openDb({ kind: 'pglite', dataDir: dir });
      await migrate(first);
      await first.kysely
        .transaction()
        .execute((trx) =>
          createUser(
            trx,
            { username: 'kept', displayName: 'Kept', password: 'a long enough password', isAdmin: false },
            { id: null, kind: 'system' },
            new Date(),
          ),
        );
      await assert.rejects(
        openDb({ kind: 'pglite', dataDir: dir }),
        (err: unknown) => err instanceof DataDirLockedError && /already open/.test(err.message),
      );
      await first.close();

      const second = await openDb({ kind: 'pglite', dataDir: dir });
      try {
        assert.deepEqual(await migrate(second), [], 'the migrations were kept');
        const kept = await second.kysely.selectFrom('users').select('username').where('username', '=', 'kept').executeTakeFirst();
        assert.equal(kept?.username, 'kept');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
