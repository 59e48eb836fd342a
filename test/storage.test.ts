/**
 * Storage: migrations are applied once and recorded, a second run does nothing, and a PGlite
 * data folder is locked while open (two openers would corrupt it), opens again after close,
 * and keeps its data across reopening.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, openDb } from '../src/db/connection.js';
import { listMigrations, migrate } from '../src/db/migrate.js';
import { createUser } from '../src/services/auth.js';
import { dialects } from './support/db.js';

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
