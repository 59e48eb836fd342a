/**
 * The embedded database's stand-in for autovacuum: a table that has doubled since its
 * statistics is analyzed, a rewritten one is vacuumed, small or unchanged tables are left alone,
 * and on PostgreSQL the job does nothing unless autovacuum is turned off.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { autovacuumOff, housekeepOnce, startHousekeeping } from '../src/services/jobs/embedded-housekeeping.js';
import { dialects } from './support/db.js';

const pglite = dialects.find((d) => d.name === 'pglite')!;
const postgres = dialects.find((d) => d.name === 'postgres');

async function statsOf(db: { kysely: Awaited<ReturnType<typeof pglite.open>>['kysely'] }, table: string) {
  const r = await sql<{
    relpages: number;
    reltuples: number;
  }>`select relpages::int as relpages, reltuples::float8 as reltuples from pg_class where relname = ${table}`.execute(db.kysely);
  return r.rows[0]!;
}

describe('embedded database housekeeping', () => {
  test('a table filled since its statistics is analyzed once, a rewritten one vacuumed, and a second pass does nothing', async () => {
    const db = await pglite.open();
    try {
      await sql`insert into users (id, username, display_name, password_hash) values ('u1', 'housekeeper', 'H', 'x')`.execute(db.kysely);
      await sql`insert into operations (id, code, name_en, status, time_zone, created_at, created_by) values ('op', 'housekeeping', 'H', 'active', 'UTC', now(), 'u1')`.execute(
        db.kysely,
      );
      await sql`insert into movement_facts (operation_id, id, kind, person_id, device_time, received_at, recorded_by, payload)
        select 'op', lpad(g::text, 10, '0'), 'checked_in', 'p' || g, now(), now(), 'u1', '{}' from generate_series(1, 20000) g`.execute(
        db.kysely,
      );
      // The count cursor's row rewritten many times: its file grows with row versions nobody reads.
      await sql`insert into count_heads (operation_id, version, updated_at) values ('op', 0, now())`.execute(db.kysely);
      for (let i = 0; i < 40; i++)
        await sql`update count_heads set version = version + 1, round_id = repeat('x', 2000) where operation_id = 'op'`.execute(db.kysely);
      await sql`insert into counters (operation_id, metric, sex, age_band, category, site_id, vulnerability, hour, n)
        select 'op', 'registered', 'female', '18-59', 'civilian', 's' || g, '*', '*', 1 from generate_series(1, 5000) g`.execute(db.kysely);
      for (let i = 0; i < 3; i++) await sql`update counters set n = n + 1 where operation_id = 'op'`.execute(db.kysely);
      // Insert-only, but read by index-only scans (the candidate lookup): vacuumed, so they need no heap visits.
      await sql`insert into person_keys (operation_id, kind, key_hash, person_id)
        select 'op', 'name', sha256(g::text::bytea), 'p' || g from generate_series(1, 10000) g`.execute(db.kysely);
      assert.equal((await statsOf(db, 'movement_facts')).relpages, 0, 'never analyzed before');

      const first = await housekeepOnce(db);
      const byTable = new Map(first.map((a) => [a.table, a.action]));
      assert.equal(byTable.get('movement_facts'), 'analyze', JSON.stringify(first));
      assert.equal(byTable.get('counters'), 'vacuum', JSON.stringify(first));
      assert.equal(byTable.get('person_keys'), 'vacuum', JSON.stringify(first));
      assert.equal(byTable.has('sites'), false, 'a small table is left alone');
      const facts = await statsOf(db, 'movement_facts');
      assert.ok(facts.reltuples >= 19_000 && facts.reltuples <= 21_000, `statistics see the rows: ${facts.reltuples}`);

      assert.deepEqual(await housekeepOnce(db), [], 'nothing has doubled since');
    } finally {
      await db.close();
    }
  });

  test('the job runs on PGlite and does nothing on PostgreSQL', async () => {
    const db = await pglite.open();
    try {
      const job = startHousekeeping(db, { intervalMs: 3_600_000 });
      assert.deepEqual(await job.runNow(), []);
      await job.stop();
      const onPostgres = startHousekeeping({ ...db, dialect: 'postgres' }, { intervalMs: 3_600_000 });
      await sql`insert into users (id, username, display_name, password_hash) values ('u1', 'housekeeper', 'H', 'x')`.execute(db.kysely);
      await sql`insert into operations (id, code, name_en, status, time_zone, created_at, created_by) values ('op', 'housekeeping', 'H', 'active', 'UTC', now(), 'u1')`.execute(
        db.kysely,
      );
      await sql`insert into movement_facts (operation_id, id, kind, person_id, device_time, received_at, recorded_by, payload)
        select 'op', lpad(g::text, 10, '0'), 'checked_in', 'p' || g, now(), now(), 'u1', '{}' from generate_series(1, 20000) g`.execute(
        db.kysely,
      );
      assert.deepEqual(await onPostgres.runNow(), []);
      await onPostgres.stop();
    } finally {
      await db.close();
    }
  });

  test(
    'on PostgreSQL it stands in for autovacuum only when autovacuum is turned off',
    { skip: postgres ? false : 'TEST_DATABASE_URL not set' },
    async () => {
      const db = await postgres!.open();
      try {
        await sql`insert into users (id, username, display_name, password_hash) values ('u1', 'housekeeper', 'H', 'x')`.execute(db.kysely);
        await sql`insert into operations (id, code, name_en, status, time_zone, created_at, created_by) values ('op', 'housekeeping', 'H', 'active', 'UTC', now(), 'u1')`.execute(
          db.kysely,
        );
        await sql`insert into movement_facts (operation_id, id, kind, person_id, device_time, received_at, recorded_by, payload)
        select 'op', lpad(g::text, 10, '0'), 'checked_in', 'p' || g, now(), now(), 'u1', '{}' from generate_series(1, 20000) g`.execute(
          db.kysely,
        );
        const off = await autovacuumOff(db);
        const notices: string[] = [];
        const job = startHousekeeping(db, { intervalMs: 3_600_000, onNotice: (m) => notices.push(m) });
        const actions = await job.runNow();
        await job.stop();
        if (off) {
          assert.ok(
            actions.some((a) => a.table === 'movement_facts' && a.action === 'analyze'),
            JSON.stringify(actions),
          );
          assert.equal(notices.length, 1);
          assert.ok((await statsOf(db, 'movement_facts')).reltuples >= 19_000);
        } else {
          assert.deepEqual(actions, []);
          assert.deepEqual(notices, []);
        }
      } finally {
        await db.close();
      }
    },
  );
});
