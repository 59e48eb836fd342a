/**
 * A person's category and vulnerabilities are sealed (decision 002, audit finding 6): no row that
 * names the person holds them in clear — not the person, not the registry as counted — while the
 * counts by category and vulnerability stay as aggregates and `counts verify` agrees. Rows written
 * in clear by an older version are read as they are and sealed by `sealClearFields`. Shredding the
 * operation removes them (and their share of the counts by category), the totals remain.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { verifyCounts } from '../../src/services/counts/counts.js';
import { shredOperation } from '../../src/services/keys/shred.js';
import { sealClearFields } from '../../src/services/persons/seal-clear.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

/** Every row of every table that mentions `id`, as text. */
async function rowsNaming(h: Harness, id: string): Promise<string[]> {
  const tables = await sql<{ t: string }>`select table_name as t from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(h.db.kysely);
  const out: string[] = [];
  for (const { t } of tables.rows) {
    const rows = await sql<{ j: string }>`select to_jsonb(x)::text as j from ${sql.table(t)} x`.execute(h.db.kysely);
    out.push(...rows.rows.map((r) => `${t}: ${r.j}`).filter((j) => j.includes(id)));
  }
  return out;
}

for (const dialect of dialects) {
  describe(`category and vulnerabilities are sealed per person (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let coordinator: Client;
    let fighter: string;
    let child: string;

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h, 'sealed-category')).id;
      coordinator = await h.userWithRoles(op, ['coordinator', 'registrar'], 'sealed-coord');
      const r = await coordinator.post(`/api/operations/${op}/households`, {
        siteId: 'amiriyah',
        members: [
          {
            names: { lat: { given: 'Sealed', family: 'Fighter' } },
            sex: 'male',
            estimatedAge: 30,
            category: 'combatant',
            vulnerabilities: ['wounded'],
          },
          { names: { lat: { given: 'Sealed', family: 'Child' } }, sex: 'female', estimatedAge: 9, vulnerabilities: ['separated_child'] },
        ],
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      [fighter, child] = r.body.members.map((m: { id: string }) => m.id);
      await h.settleCounts();
    });
    after(async () => h.close());

    test('no row naming the person holds the category or a vulnerability in clear', async () => {
      for (const [id, words] of [
        [fighter!, ['combatant', 'wounded']],
        [child!, ['separated_child']],
      ] as const) {
        const rows = await rowsNaming(h, id);
        assert.ok(rows.some((r) => r.startsWith('persons:')) && rows.some((r) => r.startsWith('count_registry:')), 'the person is stored');
        for (const w of words)
          assert.deepEqual(
            rows.filter((r) => r.includes(w)),
            [],
            `${w} in clear beside ${id}`,
          );
      }
    });

    test('the record shows them to those allowed, the counts keep them as aggregates, and verify agrees', async () => {
      const p = await coordinator.get(`/api/operations/${op}/persons/${fighter}`);
      assert.equal(p.body.category, 'combatant');
      assert.deepEqual(p.body.vulnerabilities, ['wounded']);
      const counts = (await coordinator.get(`/api/operations/${op}/counts`)).body;
      assert.equal(counts.byCategory.registered.combatant, 1);
      assert.equal(counts.byVulnerability.registered.wounded, 1);
      assert.equal(counts.byVulnerability.registered.separated_child, 1);
      assert.deepEqual((await verifyCounts(h.db.kysely, h.keys, op)).differences, []);
    });

    test('a correction of the category is sealed and counted', async () => {
      const r = await coordinator.patch(`/api/operations/${op}/persons/${child}`, { category: 'civilian' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.category, 'civilian');
      assert.deepEqual(r.body.vulnerabilities, ['separated_child']);
      await h.settleCounts();
      assert.deepEqual(
        (await rowsNaming(h, child!)).filter((x) => x.includes('civilian')),
        [],
      );
      assert.equal((await coordinator.get(`/api/operations/${op}/counts`)).body.byCategory.registered.civilian, 1);
      assert.deepEqual((await verifyCounts(h.db.kysely, h.keys, op)).differences, []);
    });

    test('rows an older version wrote in clear are read as they are, then sealed by the upkeep', async () => {
      // As migration 0014 finds them: clear columns, nothing sealed.
      for (const table of ['persons', 'count_registry'] as const)
        await h.db.kysely
          .updateTable(table)
          .set({ protected: null, category: 'combatant', vulnerabilities: ['wounded'] })
          .where('operation_id', '=', op)
          .where(table === 'persons' ? 'id' : 'person_id', '=', fighter!)
          .execute();
      assert.equal((await coordinator.get(`/api/operations/${op}/persons/${fighter}`)).body.category, 'combatant');
      assert.deepEqual((await verifyCounts(h.db.kysely, h.keys, op)).differences, []);
      const r = await sealClearFields(h.db.kysely, h.keys);
      assert.deepEqual(r, { persons: 1, counted: 1 });
      assert.deepEqual(
        (await rowsNaming(h, fighter!)).filter((x) => x.includes('combatant') || x.includes('wounded')),
        [],
      );
      const p = await coordinator.get(`/api/operations/${op}/persons/${fighter}`);
      assert.equal(p.body.category, 'combatant');
      assert.deepEqual(p.body.vulnerabilities, ['wounded']);
      assert.deepEqual((await verifyCounts(h.db.kysely, h.keys, op)).differences, []);
      assert.deepEqual(await sealClearFields(h.db.kysely, h.keys), { persons: 0, counted: 0 });
    });

    test('shredding the operation removes them and their share of the counts by category; totals remain, verify agrees', async () => {
      const before = (await coordinator.get(`/api/operations/${op}/counts`)).body;
      await h.db.kysely.transaction().execute((trx) => shredOperation(trx, op, new Date()));
      const stored = await h.db.kysely
        .selectFrom('persons')
        .select(['protected', 'category', 'vulnerabilities'])
        .where('operation_id', '=', op)
        .execute();
      assert.ok(stored.length === 2 && stored.every((r) => r.protected === null && r.category === null && r.vulnerabilities === null));
      const after = (await coordinator.get(`/api/operations/${op}/counts`)).body;
      assert.deepEqual(after.totals, before.totals);
      assert.deepEqual(after.bySexAge, before.bySexAge);
      assert.equal(after.byCategory.registered.combatant, 0);
      assert.equal(after.byCategory.registered.unknown, 2);
      assert.deepEqual(after.byVulnerability.registered, {});
      assert.deepEqual((await verifyCounts(h.db.kysely, h.keys, op)).differences, []);
    });
  });
}
