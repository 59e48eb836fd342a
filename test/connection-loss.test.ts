/**
 * PostgreSQL can cut a connection the pool holds idle (a restart, a failover, an administrator's
 * pg_terminate_backend). The server must carry on: the next query opens a new connection.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { sql } from 'kysely';
import { dialects } from './support/db.js';

const postgres = dialects.find((d) => d.name === 'postgres');

describe('lost database connections (postgres)', { skip: postgres ? false : 'TEST_DATABASE_URL is not set' }, () => {
  test('idle connections cut by the server do not end the process, and the next query works', async () => {
    const db = await postgres!.open();
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => {
      uncaught.push(err);
    };
    process.on('uncaughtException', onUncaught);
    try {
      // Fill the pool with idle connections.
      await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(db.kysely)));
      const name = new URL(db.url!).pathname.slice(1);
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      const cut = await admin.query(
        'select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()) t',
        [name],
      );
      await admin.end();
      assert.ok(cut.rows[0].n >= 1, 'at least one idle connection was cut');
      await sleep(200);
      const r = await sql<{ one: number }>`select 1 as one`.execute(db.kysely);
      assert.equal(r.rows[0]!.one, 1);
      assert.deepEqual(uncaught, []);
    } finally {
      process.off('uncaughtException', onUncaught);
      await db.close();
    }
  });
  test('a connection cut while checked out (in a transaction) does not end the process, and the next query works', async () => {
    const db = await postgres!.open();
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => {
      uncaught.push(err);
    };
    process.on('uncaughtException', onUncaught);
    try {
      await assert.rejects(
        db.kysely.transaction().execute(async (trx) => {
          const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
          const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
          await admin.connect();
          await admin.query('select pg_terminate_backend($1)', [pid]);
          await admin.end();
          // Cut between two queries of the transaction: no query in flight hears it, the connection does.
          await sleep(300);
          await sql`select 1`.execute(trx);
        }),
      );
      const r = await sql<{ one: number }>`select 1 as one`.execute(db.kysely);
      assert.equal(r.rows[0]!.one, 1);
      assert.deepEqual(uncaught, []);
    } finally {
      process.off('uncaughtException', onUncaught);
      await db.close();
    }
  });
});
