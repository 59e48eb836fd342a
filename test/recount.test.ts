/**
 * The grouped recount (SQL groups the simple people by class, the domain counts each class once
 * and everyone else one by one) equals the plain recomputation over the whole load (`recompute`,
 * the reference), on each database: on the demo operation, and on an operation written through
 * storage (microsecond times) with the cases the grouping must leave to the domain — merged
 * records, corrected facts (and a correction voided), head-count vehicles, a convoy turned back,
 * two boardings, a registration after the first fact, a boarding and check-in in the same
 * millisecond, a sealed category, counted fields changed later — as of now and as of a moment in
 * the middle; and an operation where everyone's category is sealed (many people of one class with
 * different categories and flags). The report's figures built on either are the same object. And `sitrep verify` does
 * not depend on the order objects were built in: a report whose figures and site names were built
 * in another key order (rows returned in another order) still verifies, byte for byte.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { KeyRing } from '../src/services/keys/keyring.js';
import { ensureFirstAdmin } from '../src/services/accounts/auth.js';
import { findUserByUsername } from '../src/db/queries/users.js';
import { loadDemo } from '../src/demo/load.js';
import { countEntries } from '../src/domain/counts/index.js';
import { recountAsOf, recountInNode, type Recount } from '../src/services/counts/recount.js';
import { verifyCounts } from '../src/services/counts/counts.js';
import { figuresAsOf } from '../src/services/sitrep/sitrep.js';
import { sealProtected } from '../src/services/persons/protected-fields.js';
import { buildSitrep } from '../src/services/sitrep/sitrep.js';
import { payloadOf, renderReport, siteNamesOf, verifyReportFile } from '../src/services/sitrep/report-file.js';
import { bulkSitrepOperation } from '../bench/sitrep-data.js';
import { dialects, type TestDb } from './support/db.js';

const entries = (r: Recount) => ({
  counts: countEntries(r.counts),
  headCount: countEntries(r.headCountCounts),
  facts: r.facts,
  persons: r.persons,
});

for (const dialect of dialects) {
  describe(`grouped recount equals the domain's recomputation (${dialect.name})`, () => {
    let db: TestDb;
    let keys: KeyRing;
    let adminId: string;

    before(async () => {
      db = await dialect.open();
      keys = new KeyRing(randomBytes(32));
      await db.kysely.transaction().execute((trx) => ensureFirstAdmin(trx, new Date()));
      adminId = (await findUserByUsername(db.kysely, 'admin'))!.id;
    });
    after(async () => db?.close());

    const same = async (op: string, asOf: Date | null) =>
      db.kysely.transaction().execute(async (trx) => {
        const grouped = await recountAsOf(trx, keys, op, asOf);
        const node = await recountInNode(trx, keys, op, asOf);
        assert.deepEqual(entries(grouped), entries(node), `as of ${asOf?.toISOString() ?? 'now'}`);
        assert.ok(grouped.counts.cells.size > 0);
        const at = asOf ?? new Date();
        assert.deepEqual(await figuresAsOf(trx, op, at, grouped), await figuresAsOf(trx, op, at, node));
      });

    test('on the demo operation, as of now and of a fact in the middle', async () => {
      const demo = await loadDemo(db, keys, { adminId, people: 150 });
      await same(demo.operationId, null);
      const facts = await db.kysely
        .selectFrom('movement_facts')
        .select('received_at')
        .where('operation_id', '=', demo.operationId)
        .orderBy('received_at')
        .execute();
      await same(demo.operationId, new Date(facts[Math.floor(facts.length / 2)]!.received_at));
      assert.equal((await verifyCounts(db.kysely, keys, demo.operationId)).ok, true);
    });

    test('merged, corrected, head-count, turned back and other edge cases, as of now and in the middle', async () => {
      const { operationId: op } = await bulkSitrepOperation(db, keys, adminId, 400, 'edge');
      const k = db.kysely;
      const fact = sql.raw(
        'operation_id, id, kind, convoy_id, vehicle_id, person_id, site_id, voids, device_time, received_at, recorded_by, payload',
      );
      const at = (iso: string) => new Date(iso);
      const insert = (
        id: string,
        kind: string,
        o: {
          convoy?: string;
          vehicle?: string;
          person?: string;
          site?: string;
          voids?: string;
          device: string;
          received: string;
          payload?: object;
        },
      ) =>
        sql`insert into movement_facts (${fact}) values (${op}, ${id}, ${kind}, ${o.convoy ?? null}, ${o.vehicle ?? null}, ${o.person ?? null},
          ${o.site ?? null}, ${o.voids ?? null}, ${at(o.device)}, ${at(o.received)}, ${adminId}, ${JSON.stringify(o.payload ?? (o.voids ? { voids: o.voids } : {}))}::jsonb)`.execute(
          k,
        );
      // Merges: one in force, one made later (as of the middle it was not), one undone.
      await sql`update persons set merged_into = 'p00000001' where operation_id = ${op} and id = 'p00000002'`.execute(k);
      await sql`update persons set merged_into = 'p00000360' where operation_id = ${op} and id = 'p00000361'`.execute(k);
      await sql`insert into person_merges (operation_id, id, kind, person_id, into_id, review_id, at, actor_id) values
        (${op}, 'm1', 'merge', 'p00000002', 'p00000001', null, ${at('2016-12-15T10:00:00Z')}, ${adminId}),
        (${op}, 'm2', 'merge', 'p00000361', 'p00000360', null, ${at('2016-12-17T10:00:00Z')}, ${adminId}),
        (${op}, 'm3', 'merge', 'p00000005', 'p00000006', null, ${at('2016-12-15T10:00:00Z')}, ${adminId}),
        (${op}, 'm4', 'undo', 'p00000005', 'p00000006', null, ${at('2016-12-17T11:00:00Z')}, ${adminId})`.execute(k);
      // Corrections: a boarding voided; a check-in voided by a correction that is itself voided; one received late.
      await insert('x1', 'correction', { voids: 'fb00000010', device: '2016-12-16T12:00:00Z', received: '2016-12-16T12:00:00Z' });
      await insert('x2', 'correction', { voids: 'fk00000011', device: '2016-12-16T12:00:00Z', received: '2016-12-16T12:00:00Z' });
      await insert('x3', 'correction', { voids: 'x2', device: '2016-12-16T13:00:00Z', received: '2016-12-16T13:00:00Z' });
      await insert('x4', 'correction', { voids: 'fk00000012', device: '2016-12-17T12:00:00Z', received: '2016-12-17T12:00:00Z' });
      // A convoy turned back with a head-count vehicle beside its bus; a second head count replaces the first.
      await sql`insert into vehicles (operation_id, convoy_id, id, kind, capacity, mode, plate, head_count, created_at)
        values (${op}, 'c00000000', 'car', 'private_car', 5, 'head_count', null, null, ${at('2016-12-15T04:00:00Z')})`.execute(k);
      const rows = (n: number) => [
        { sex: 'male', ageBand: '18-59', category: 'combatant', count: n },
        { sex: 'female', ageBand: '0-4', category: 'civilian', count: 1 },
      ];
      await insert('h1', 'boarded', {
        convoy: 'c00000000',
        vehicle: 'car',
        site: 'origin',
        device: '2016-12-16T03:00:00Z',
        received: '2016-12-16T03:01:00Z',
        payload: { headCount: rows(3) },
      });
      await insert('h2', 'boarded', {
        convoy: 'c00000000',
        vehicle: 'car',
        site: 'origin',
        device: '2016-12-16T03:10:00Z',
        received: '2016-12-17T03:11:00Z',
        payload: { headCount: rows(4) },
      });
      await insert('t1', 'turned_back', {
        convoy: 'c00000001',
        site: 'checkpoint',
        device: '2016-12-16T05:30:00Z',
        received: '2016-12-16T05:31:00Z',
      });
      // A second boarding; a registration after the first fact; boarding and check-in in the same millisecond.
      await insert('b2', 'boarded', {
        convoy: 'c00000002',
        vehicle: 'c00000002-bus',
        person: 'p00000020',
        site: 'origin',
        device: '2016-12-16T06:00:00Z',
        received: '2016-12-16T06:00:00Z',
      });
      await sql`update persons set registered_at = ${at('2016-12-16T04:00:00Z')} where operation_id = ${op} and id = 'p00000030'`.execute(
        k,
      );
      await sql`insert into movement_facts (${fact}) select operation_id, 'k49', 'checked_in', null, null, person_id, 'reception', null,
        device_time, received_at, recorded_by, '{}'::jsonb from movement_facts where operation_id = ${op} and id = 'fb00000049'`.execute(k);
      // A sealed category; counted fields changed after the middle; facts of someone never registered.
      await sql`update persons set category = null, vulnerabilities = null, protected = ${sealProtected(await keys.forOperation(k, op), 'p00000050', { category: 'combatant', vulnerabilities: ['wounded'] })}
        where operation_id = ${op} and id = 'p00000050'`.execute(k);
      await sql`insert into person_counted_history (operation_id, person_id, changed_at, sex, age_band, site_id)
        values (${op}, 'p00000060', ${at('2016-12-17T00:00:00Z')}, 'male', '60+', 'checkpoint')`.execute(k);
      await sql`update persons set sex = 'female' where operation_id = ${op} and id = 'p00000060'`.execute(k);
      await insert('u1', 'checked_in', {
        person: 'nobody',
        site: 'reception',
        device: '2016-12-16T07:00:00Z',
        received: '2016-12-16T07:00:00Z',
      });

      await same(op, null);
      await same(op, at('2016-12-16T12:30:00Z'));
      await same(op, at('2016-12-16T05:00:00Z'));
      await same(op, at('2016-12-15T06:00:00Z'));
    });

    test('everyone sealed (as registered today): many people of one class with other categories and flags', async () => {
      const { operationId: op } = await bulkSitrepOperation(db, keys, adminId, 600, 'sealed', { sealed: true });
      const clear = await sql<{
        n: number;
      }>`select count(*)::int as n from persons where operation_id = ${op} and protected is null`.execute(db.kysely);
      assert.equal(clear.rows[0]!.n, 0);
      await same(op, null);
      await same(op, new Date('2016-12-16T12:30:00Z'));
      const r = await db.kysely.transaction().execute((trx) => recountAsOf(trx, keys, op, null));
      const keysOf = [...r.counts.cells.keys()];
      assert.ok(keysOf.some((key) => key.includes('combatant')) && keysOf.some((key) => key.includes('wounded')));
      assert.equal((await verifyCounts(db.kysely, keys, op)).ok, true);
    });

    test('a report built with its objects in another key order verifies; an edited copy does not', async () => {
      const { operationId: op } = await bulkSitrepOperation(db, keys, adminId, 120, 'order');
      const reversed = <T>(v: T): T =>
        (Array.isArray(v)
          ? v.map(reversed)
          : v && typeof v === 'object'
            ? Object.fromEntries(
                Object.entries(v)
                  .reverse()
                  .map(([k, x]) => [k, reversed(x)]),
              )
            : v) as T;
      const made = await db.kysely.transaction().execute((trx) => buildSitrep(trx, keys, op, { now: new Date() }));
      const sites = await siteNamesOf(db.kysely, op);
      for (const [lang, format] of [
        ['ar', 'pdf'],
        ['en', 'html'],
      ] as const) {
        const payload = payloadOf({ ...made, figures: reversed(made.figures) }, lang, reversed(sites));
        const file = await renderReport(payload, format);
        const v = await db.kysely.transaction().execute((trx) => verifyReportFile(trx, keys, op, file));
        assert.deepEqual(v.problems, [], `${lang} ${format}`);
        if (format === 'html') {
          const edited = Buffer.from(file.toString('utf8').replace('East Aleppo', 'West Aleppo'));
          assert.notDeepEqual(edited, file);
          const e = await db.kysely.transaction().execute((trx) => verifyReportFile(trx, keys, op, edited));
          assert.deepEqual(e.problems, ['file_altered']);
        }
      }
    });
  });
}
