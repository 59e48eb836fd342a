/**
 * Retention of stored answers: a prune deletes the answers older than the retention period and
 * keeps the newer ones; a replay within the period is answered from the store, even right after
 * a prune; a replay of a pruned client id is a new request (for a fact batch that adds nothing,
 * as the facts carry their own ids). The server's job prunes at start, and the command line
 * prunes on demand.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { openDb } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrate.js';
import { loadConfig } from '../../src/config.js';
import { pruneIdempotencyKeys, startIdempotencyRetention } from '../../src/services/jobs/idempotency-retention.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, TEST_PASSWORD, type Client, type Harness } from '../support/harness.js';
import { runCorridor } from '../support/cli.js';

const DAY = 86_400_000;

for (const dialect of dialects) {
  describe(`idempotency retention (${dialect.name})`, () => {
    let h: Harness;
    let base: string;
    let registrar: Client, reception: Client;
    let now = Date.parse('2016-12-15T08:00:00Z');
    const clock = () => new Date(now);
    const keys = async () => (await h.db.kysely.selectFrom('idempotency_keys').select('client_id').execute()).map((r) => r.client_id);
    const household = (given: string) => ({
      siteId: 'amiriyah',
      members: [{ names: { lat: { given, family: 'Retained' } }, sex: 'female', estimatedAge: 40 }],
    });

    before(async () => {
      h = await startHarness(await dialect.open(), { clock });
      base = `/api/operations/${(await setUpOperation(h, 'retention')).id}`;
      const op = base.split('/')[3]!;
      registrar = await h.userWithRoles(op, ['registrar'], 'keeper-registrar');
      reception = await h.userWithRoles(op, ['reception_officer'], 'keeper-reception');
    });
    /** Moves the clock on; sessions time out meanwhile, so both log in again. */
    async function advance(days: number) {
      now += days * DAY;
      registrar = await h.login('keeper-registrar', TEST_PASSWORD);
      reception = await h.login('keeper-reception', TEST_PASSWORD);
    }
    after(async () => h.close());

    test('the retention defaults to 30 days and is set by CORRIDOR_IDEMPOTENCY_RETENTION_DAYS', () => {
      assert.equal(loadConfig({}).idempotencyRetentionDays, 30);
      assert.equal(loadConfig({ CORRIDOR_IDEMPOTENCY_RETENTION_DAYS: '90' }).idempotencyRetentionDays, 90);
      assert.throws(() => loadConfig({ CORRIDOR_IDEMPOTENCY_RETENTION_DAYS: '0' }), /CORRIDOR_IDEMPOTENCY_RETENTION_DAYS/);
    });

    test('a prune deletes answers older than the retention period, keeps newer ones, and a replay within the period still replays', async () => {
      const oldKey = ulid();
      const first = await registrar.post(`${base}/households`, household('Old'), { key: oldKey });
      assert.equal(first.status, 201);
      await advance(20);
      const newKey = ulid();
      assert.equal((await registrar.post(`${base}/households`, household('New'), { key: newKey })).status, 201);

      // 20 days on: nothing is old enough yet.
      assert.equal((await pruneIdempotencyKeys(h.db.kysely, { now: clock(), retentionDays: 30 })).deleted, 0);
      const replay = await registrar.post(`${base}/households`, household('Old'), { key: oldKey });
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      assert.equal(replay.body.id, first.body.id);

      // 31 days after the first write: its answer goes, the newer one stays.
      await advance(11);
      const r = await pruneIdempotencyKeys(h.db.kysely, { now: clock(), retentionDays: 30 });
      assert.ok(r.deleted >= 1, 'the first write (and the set-up made the same day) pruned');
      const left = await keys();
      assert.equal(left.includes(oldKey), false);
      assert.ok(left.includes(newKey));
      const stillReplayed = await registrar.post(`${base}/households`, household('New'), { key: newKey });
      assert.equal(stillReplayed.headers['idempotent-replayed'], 'true');
      const audit = await h.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('action', '=', 'maintenance.prune_idempotency')
        .execute();
      assert.equal(audit.length, 1);
      assert.equal((audit[0]!.details as { deleted: number }).deleted, r.deleted);

      // The trade-off: past the period, the same request with the same client id is a new request.
      const again = await registrar.post(`${base}/households`, household('Old'), { key: oldKey });
      assert.equal(again.status, 201);
      assert.equal(again.headers['idempotent-replayed'], undefined);
      assert.notEqual(again.body.id, first.body.id, 'a household without a client-made id is registered again');
    });

    test('a fact batch replayed after its answer was pruned is a new request that adds nothing: facts carry their own ids', async () => {
      const hh = await registrar.post(`${base}/households`, household('Arrives'));
      const batch = {
        facts: [{ id: ulid(), kind: 'checked_in', personId: hh.body.members[0].id, siteId: 'rashidin', deviceTime: clock().toISOString() }],
      };
      const key = ulid();
      const first = await reception.post(`${base}/facts`, batch, { key });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.accepted, 1);
      await advance(31);
      await pruneIdempotencyKeys(h.db.kysely, { now: clock(), retentionDays: 30 });
      assert.equal((await keys()).includes(key), false);
      const again = await reception.post(`${base}/facts`, batch, { key });
      assert.equal(again.status, 200);
      assert.equal(again.headers['idempotent-replayed'], undefined);
      assert.equal(again.body.accepted, 0);
      assert.deepEqual(again.body.results, [{ id: batch.facts[0]!.id, status: 'duplicate' }]);
    });

    test("the server's retention job prunes at start and on each run", async () => {
      const key = ulid();
      assert.equal((await registrar.post(`${base}/households`, household('Job'), { key })).status, 201);
      await advance(8);
      const pruned: number[] = [];
      const job = startIdempotencyRetention(h.db.kysely, {
        retentionDays: 7,
        clock,
        intervalMs: 60_000,
        onPruned: (r) => pruned.push(r.deleted),
      });
      try {
        const second = await job.runNow();
        assert.equal(second?.deleted, 0, 'the start-up run had already pruned');
        assert.ok(pruned.length === 1 && pruned[0]! >= 1);
        assert.equal((await keys()).includes(key), false);
      } finally {
        await job.stop();
      }
    });
  });
}

describe('corridor maintenance prune-idempotency (embedded PGlite)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'corridor-prune-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}-keys`, { recursive: true, force: true });
  });

  function corridor(
    args: string[],
    extraEnv: Record<string, string> = {},
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, CORRIDOR_DATA_DIR: dir, LOG_LEVEL: 'warn', ...extraEnv };
    delete env.DATABASE_URL;
    return runCorridor(args, { env });
  }

  test('deletes answers older than the configured days and keeps the rest', async () => {
    const db = await openDb({ kind: 'pglite', dataDir: dir });
    try {
      await migrate(db);
      const row = (client_id: string, daysAgo: number) => ({
        client_id,
        actor_id: 'u',
        operation_id: '',
        route: 'POST /x',
        request_hash: 'h',
        status: 201,
        response: '{}',
        created_at: new Date(Date.now() - daysAgo * DAY),
      });
      await db.kysely
        .insertInto('idempotency_keys')
        .values([row('old-1', 45), row('old-2', 31), row('recent', 10)])
        .execute();
    } finally {
      await db.close();
    }
    const r = await corridor(['maintenance', 'prune-idempotency']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Deleted 2 stored answers/);
    const bad = await corridor(['maintenance', 'prune-idempotency', '--days', '0']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--days must be a whole number/);
    const shorter = await corridor(['maintenance', 'prune-idempotency'], { CORRIDOR_IDEMPOTENCY_RETENTION_DAYS: '5' });
    assert.equal(shorter.code, 0, shorter.stderr);
    assert.match(shorter.stdout, /Deleted 1 stored answer made before/);
    const check = await openDb({ kind: 'pglite', dataDir: dir });
    try {
      assert.equal((await check.kysely.selectFrom('idempotency_keys').select('client_id').execute()).length, 0);
    } finally {
      await check.close();
    }
  });
});
