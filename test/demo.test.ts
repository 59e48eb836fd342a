/**
 * The demo loader on a real database, with a small population: every record goes through the
 * services, and the counts the API serves equal the generator's expected totals; loading again
 * creates nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import { KeyRing } from '../src/services/keyring.js';
import { ensureFirstAdmin } from '../src/services/auth.js';
import { findUserByUsername } from '../src/db/queries/users.js';
import { verifyCounts } from '../src/services/counts.js';
import { loadDemo, type LoadResult } from '../src/demo/load.js';
import { bySexAgeOf, expectedCounts, type ApiCounts } from '../src/demo/expected.js';
import { dialects, type TestDb } from './support/db.js';

const PEOPLE = 400;
const TABLES = ['operations', 'users', 'role_grants', 'sites', 'routes', 'devices', 'tag_ranges', 'households', 'persons', 'convoys', 'vehicles', 'manifest_entries', 'movement_facts', 'audit_log'] as const;

async function rowCounts(db: TestDb): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    const r = await db.kysely.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}

for (const dialect of dialects) {
  describe(`demo loader (${dialect.name})`, () => {
    let db: TestDb;
    let keys: KeyRing;
    let app: FastifyInstance;
    let adminId: string;
    let first: LoadResult;

    before(async () => {
      db = await dialect.open();
      keys = new KeyRing(randomBytes(32));
      await db.kysely.transaction().execute((trx) => ensureFirstAdmin(trx, new Date()));
      adminId = (await findUserByUsername(db.kysely, 'admin'))!.id;
      first = await loadDemo(db, keys, { adminId, people: PEOPLE });
      app = await buildApp({ db, keys, logLevel: 'silent' });
      await app.ready();
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    test('creates one account per role and the counts the API serves equal the generator\'s totals', async () => {
      assert.equal(first.loaded, true);
      assert.deepEqual(first.accounts.map((a) => a.role).sort(), ['checkpoint_monitor', 'convoy_officer', 'coordinator', 'reception_officer', 'registrar', 'tracing_officer', 'viewer']);
      const coordinator = first.accounts.find((a) => a.role === 'coordinator')!;
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: coordinator.username, password: coordinator.password } });
      assert.equal(login.statusCode, 200, login.body);
      const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0] as string;
      const r = await app.inject({ method: 'GET', url: `/api/operations/${first.operationId}/counts`, headers: { cookie } });
      assert.equal(r.statusCode, 200, r.body);
      const counts = JSON.parse(r.body) as ApiCounts;
      const want = expectedCounts(first.scenario.truth.totals);
      assert.deepEqual(counts.totals, want.totals);
      assert.deepEqual(bySexAgeOf(counts.bySexAge.arrived ?? []), want.arrivedBySexAge);
      assert.equal(counts.byCategory?.arrived?.combatant, want.combatantsArrived);
      const convoys = await app.inject({ method: 'GET', url: `/api/operations/${first.operationId}/convoys`, headers: { cookie } });
      assert.equal((JSON.parse(convoys.body) as unknown[]).length, first.scenario.truth.totals.convoys);
      const verified = await verifyCounts(db.kysely, first.operationId);
      assert.deepEqual(verified.differences, []);
    });

    test('loading again creates nothing new', async () => {
      const before = await rowCounts(db);
      const again = await loadDemo(db, keys, { adminId, people: PEOPLE });
      assert.equal(again.loaded, false);
      assert.deepEqual(again.accounts, []);
      assert.deepEqual(await rowCounts(db), before);
    });
  });
}
