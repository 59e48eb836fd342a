/**
 * A database that goes away under a request (a restart, a failover to the standby) is a 503 with
 * Retry-After, which the outbox and any client retry, not a 500: the errors here are the real
 * driver's, made by refusing and by terminating a connection of a real PostgreSQL.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { AppError } from '../../src/domain/errors.js';
import { isDatabaseUnavailable, isTransientConflict, mapDbError } from '../../src/db/errors.js';

function asUnavailable(err: unknown) {
  const mapped = mapDbError(err);
  assert.ok(mapped instanceof AppError, `mapped: ${String((err as Error)?.message)}`);
  assert.equal(mapped.code, 'database.unavailable');
  assert.equal(mapped.status, 503);
  assert.equal(mapped.details?.retryAfterSeconds, 2);
}

describe('a database that cannot be reached', () => {
  test('a refused connection is a 503', async () => {
    // Port 1 on this machine: nothing listens there.
    const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 2000 });
    const err = await c.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err, 'the connection was refused');
    asUnavailable(err);
  });

  test('errors that are the request’s own stay what they are', () => {
    assert.equal(isDatabaseUnavailable({ code: '23505', constraint: 'x' }), false);
    assert.equal(isDatabaseUnavailable(new Error('boom')), false);
    assert.equal(isDatabaseUnavailable(undefined), false);
    assert.ok(!(mapDbError(new Error('boom')) instanceof AppError));
  });

  const url = process.env.TEST_DATABASE_URL;
  test(
    'a connection terminated by the server in the middle of a query is a 503',
    { skip: !url && 'PostgreSQL only (TEST_DATABASE_URL)' },
    async () => {
      const victim = new pg.Client({ connectionString: url });
      const killer = new pg.Client({ connectionString: url });
      await victim.connect();
      await killer.connect();
      victim.on('error', () => undefined);
      try {
        const pid = (await victim.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
        const running = victim.query('select pg_sleep(30)').then(
          () => undefined,
          (e: unknown) => e,
        );
        // Wait until the sleep is running, then end that backend as a shutdown or failover would.
        for (let i = 0; i < 100; i++) {
          const r = await killer.query("select 1 from pg_stat_activity where pid = $1 and state = 'active'", [pid]);
          if (r.rowCount) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await killer.query('select pg_terminate_backend($1)', [pid]);
        const err = await running;
        assert.ok(err, 'the query failed');
        asUnavailable(err);
        // And the next query on the dead connection fails the same way.
        const again = await victim.query('select 1').then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(again);
        asUnavailable(again);
      } finally {
        await killer.end();
        await victim.end().catch(() => undefined);
      }
    },
  );

  test(
    'a transaction PostgreSQL ends to break a deadlock is a transient conflict, a 503 when it persists',
    { skip: !url && 'PostgreSQL only (TEST_DATABASE_URL)' },
    async () => {
      const a = new pg.Client({ connectionString: url });
      const b = new pg.Client({ connectionString: url });
      await a.connect();
      await b.connect();
      const table = `deadlock_${process.pid}`;
      try {
        await a.query(`create table ${table} (id int primary key, n int)`);
        await a.query(`insert into ${table} values (1, 0), (2, 0)`);
        await a.query('begin');
        await b.query('begin');
        await a.query(`update ${table} set n = 1 where id = 1`);
        await b.query(`update ${table} set n = 1 where id = 2`);
        // Each now waits for the other's row: PostgreSQL ends one of them (40P01).
        const results = await Promise.allSettled([
          a.query(`update ${table} set n = 2 where id = 2`),
          b.query(`update ${table} set n = 2 where id = 1`),
        ]);
        const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.equal(failed.length, 1, 'one of the two is ended');
        assert.equal(isTransientConflict(failed[0]!.reason), true);
        asUnavailable(failed[0]!.reason);
        assert.equal(isTransientConflict({ code: '23505' }), false);
      } finally {
        await a.query('rollback').catch(() => undefined);
        await b.query('rollback').catch(() => undefined);
        await a.query(`drop table if exists ${table}`);
        await a.end();
        await b.end();
      }
    },
  );
});
