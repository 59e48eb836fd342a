/**
 * Corridor's Kysely dialect for PGlite (src/db/pglite-dialect.ts): transactions commit and roll
 * back, and a query made outside a transaction while it runs is not swept into it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDb, type Db } from '../src/db/connection.js';

describe('PGlite dialect', () => {
  let db: Db;
  before(async () => {
    db = await openDb({ kind: 'pglite-memory' });
    await db.exec('create table notes (body text not null)');
  });
  after(async () => {
    await db.close();
  });
  const bodies = async () => (await sql<{ body: string }>`select body from notes order by body`.execute(db.kysely)).rows.map((r) => r.body);

  test('a transaction that returns is committed, one that throws is rolled back', async () => {
    await db.kysely.transaction().execute(async (trx) => {
      await sql`insert into notes values ('kept')`.execute(trx);
    });
    await assert.rejects(
      db.kysely.transaction().execute(async (trx) => {
        await sql`insert into notes values ('dropped')`.execute(trx);
        throw new Error('stop');
      }),
      /stop/,
    );
    assert.deepEqual(await bodies(), ['kept']);
    await sql`delete from notes`.execute(db.kysely);
  });

  test('a query outside a transaction waits for it and is not rolled back with it', async () => {
    let outside: Promise<unknown> | undefined;
    await assert.rejects(
      db.kysely.transaction().execute(async (trx) => {
        await sql`insert into notes values ('inside')`.execute(trx);
        outside = sql`insert into notes values ('outside')`.execute(db.kysely);
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error('roll back');
      }),
      /roll back/,
    );
    await outside;
    assert.deepEqual(await bodies(), ['outside']);
    await sql`delete from notes`.execute(db.kysely);
  });

  test('a failed statement inside a transaction fails the transaction and leaves the database usable', async () => {
    await assert.rejects(
      db.kysely.transaction().execute(async (trx) => {
        await sql`insert into notes values ('half')`.execute(trx);
        await sql`insert into notes values (null)`.execute(trx);
      }),
      /null value/,
    );
    assert.deepEqual(await bodies(), []);
    await sql`insert into notes values ('after')`.execute(db.kysely);
    assert.deepEqual(await bodies(), ['after']);
  });
});
