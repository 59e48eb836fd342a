/**
 * A database that goes away under a request (a restart, a failover to the standby) is a 503 with
 * Retry-After, which the outbox and any client retry, not a 500: the errors here are the real
 * driver's, made by refusing and by terminating a connection of a real PostgreSQL.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { AppError } from '../../src/domain/errors.js';
import { isDatabaseUnavailable, mapDbError } from '../../src/db/errors.js';

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
});
