/**
 * The recursive storage queries that follow merged records and correction chains: a chain longer
 * than the fixed depths the services used to stop at (8 merges, 16 corrections) is followed to
 * its end, a loop in the data (which the commands never make, but offline devices and hand edits
 * could) ends the walk, and the merge group is found in both directions.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { correctionChainsOf, voidedChainsOf } from '../../src/db/queries/corrections.js';
import { mergeChainsOf, mergeGroupOf } from '../../src/db/queries/merges.js';
import { mergeResolver } from '../../src/domain/counts/registry.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`merge and correction chains (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let registrar: Client;
    let people: string[] = [];

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h, 'chains')).id;
      registrar = await h.userWithRoles(op, ['registrar']);
      const r = await registrar.post(`/api/operations/${op}/households`, {
        siteId: 'amiriyah',
        members: Array.from({ length: 14 }, (_, i) => ({
          names: { lat: { given: `P${i}`, family: 'Chain' } },
          sex: 'male',
          estimatedAge: 30,
        })),
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      people = (r.body.members as { id: string }[]).map((m) => m.id);
    });
    after(async () => h.close());

    const mergeInto = (id: string, into: string | null) =>
      h.db.kysely.updateTable('persons').set({ merged_into: into }).where('operation_id', '=', op).where('id', '=', id).execute();

    test('a merge chain longer than eight records is followed to the record that stands', async () => {
      // p0 → p1 → … → p10: ten merges, more than the eight the manifest used to follow.
      for (let i = 0; i < 10; i++) await mergeInto(people[i]!, people[i + 1]!);
      try {
        const links = await mergeChainsOf(h.db.kysely, op, [people[0]!]);
        assert.deepEqual(links.map((l) => l.id).sort(), people.slice(0, 11).sort());
        assert.equal(mergeResolver(links)(people[0]!), people[10]);
        const group = await mergeGroupOf(h.db.kysely, op, [people[5]!]);
        assert.deepEqual([...group.ids].sort(), people.slice(0, 11).sort(), 'both directions, however far');
        assert.equal(group.links.length, 10);
        assert.deepEqual([...(await mergeGroupOf(h.db.kysely, op, [people[12]!])).ids], [people[12]], 'a record merged with nobody');
      } finally {
        for (let i = 0; i < 10; i++) await mergeInto(people[i]!, null);
      }
    });

    test('a loop of merges ends the walk instead of running forever', async () => {
      const [a, b, c] = [people[11]!, people[12]!, people[13]!];
      await mergeInto(a, b);
      await mergeInto(b, c);
      await mergeInto(c, a);
      try {
        const links = await mergeChainsOf(h.db.kysely, op, [a]);
        assert.deepEqual(links.map((l) => l.id).sort(), [a, b, c].sort());
        assert.equal(mergeResolver(links)(a), c, 'the resolver stops where the chain loops');
        assert.deepEqual([...(await mergeGroupOf(h.db.kysely, op, [b])).ids].sort(), [a, b, c].sort());
      } finally {
        for (const id of [a, b, c]) await mergeInto(id, null);
      }
    });

    async function insertFact(id: string, voids: string | null) {
      await sql`insert into movement_facts (operation_id, id, kind, voids, device_time, received_at, recorded_by, payload)
        values (${op}, ${id}, ${voids === null ? 'incident' : 'correction'}, ${voids}, now(), now(), 'test', ${JSON.stringify(
          voids === null ? { category: 'other', description: 'x' } : { reason: 'test' },
        )}::jsonb)`.execute(h.db.kysely);
    }

    test('a correction chain longer than sixteen is followed to its end, forwards and back', async () => {
      await insertFact('fact-0', null);
      // Twenty corrections, each voiding the one before: more than the sixteen levels once read.
      for (let i = 1; i <= 20; i++) await insertFact(`fact-${i}`, `fact-${i - 1}`);
      const forward = await correctionChainsOf(h.db.kysely, op, ['fact-0']);
      assert.equal(forward.length, 20);
      assert.ok(forward.some((r) => r.id === 'fact-20'));
      const back = await voidedChainsOf(h.db.kysely, op, ['fact-20']);
      assert.equal(back.length, 21, 'the correction and every fact back to the one corrected');
      assert.ok(back.some((r) => r.id === 'fact-0'));
    });

    test('corrections voiding each other in a loop end the walk', async () => {
      await insertFact('loop-a', 'loop-b');
      await insertFact('loop-b', 'loop-a');
      assert.deepEqual((await correctionChainsOf(h.db.kysely, op, ['loop-a'])).map((r) => r.id).sort(), ['loop-a', 'loop-b']);
      assert.deepEqual((await voidedChainsOf(h.db.kysely, op, ['loop-a'])).map((r) => r.id).sort(), ['loop-a', 'loop-b']);
    });
  });
}
