/**
 * Erasure of one person and retention (audit finding 10). A role allowed to (coordinator:
 * `person.erase`) crypto-shreds one person: nothing sealed about them opens to anything, not even
 * with the master key; their counts remain (re-counted without category and flags) and `counts
 * verify` agrees; the shredding is audited; others cannot do it. A closed operation with a
 * retention period is shredded by the upkeep once the period has run out, not before.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openJson } from '../../src/crypto/envelope.js';
import { verifyCounts } from '../../src/services/counts/counts.js';
import { applyRetention, closeWithRetention } from '../../src/services/keys/retention.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`crypto-shredding one person, and retention (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let coordinator: Client;
    let registrar: Client;
    let gone: string;
    let stays: string;
    let countsBefore: { totals: Record<string, number>; bySexAge: unknown; byCategory: Record<string, Record<string, number>> };

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h, 'person-shred')).id;
      coordinator = await h.userWithRoles(op, ['coordinator', 'registrar', 'reception_officer'], 'erase-coord');
      registrar = await h.userWithRoles(op, ['registrar'], 'erase-registrar');
      const r = await coordinator.post(`/api/operations/${op}/households`, {
        siteId: 'amiriyah',
        members: [
          {
            names: { lat: { given: 'Erasable', father: 'Fathername', family: 'Person' }, ar: { given: 'ممحو' } },
            sex: 'male',
            estimatedAge: 33,
            category: 'combatant',
            vulnerabilities: ['wounded'],
            phone: '+963 900 000 111',
            medicalNotes: 'shrapnel, left leg',
          },
          { names: { lat: { given: 'Staying', family: 'Person' } }, sex: 'female', estimatedAge: 31 },
        ],
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      [gone, stays] = r.body.members.map((m: { id: string }) => m.id);
      await h.settleCounts();
      countsBefore = (await coordinator.get(`/api/operations/${op}/counts`)).body;
    });
    after(async () => h.close());

    test('a role without person.erase is refused, and nothing changes', async () => {
      const r = await registrar.post(`/api/operations/${op}/persons/${gone}/shred`);
      assert.equal(r.status, 403);
      assert.equal((await coordinator.get(`/api/operations/${op}/persons/${gone}`)).status, 200);
    });

    test('a coordinator shreds the person: nothing sealed about them opens, even with the master key', async () => {
      const r = await coordinator.post(`/api/operations/${op}/persons/${gone}/shred`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.shreddedNow, true);
      const read = await coordinator.get(`/api/operations/${op}/persons/${gone}`);
      assert.equal(read.status, 410);
      assert.equal(read.body.error.code, 'person.shredded');
      assert.equal((await coordinator.patch(`/api/operations/${op}/persons/${gone}`, { notes: 'x' })).status, 410);
      const found = await coordinator.get(`/api/operations/${op}/persons?q=${encodeURIComponent('Erasable Person')}`);
      assert.equal(
        found.body.some((p: { id: string }) => p.id === gone),
        false,
      );
      // The attacker's view: every column of the row, opened with the operation's key.
      const row = await h.db.kysely
        .selectFrom('persons')
        .selectAll()
        .where('operation_id', '=', op)
        .where('id', '=', gone)
        .executeTakeFirstOrThrow();
      const keys = await h.keys.forOperation(h.db.kysely, op);
      assert.deepEqual(openJson(keys, row.pii, `person:${gone}:pii`), { names: {} });
      assert.equal(row.medical, null);
      assert.equal(row.protected, null);
      assert.equal(row.category, null);
      assert.equal(row.tag_code, null);
      assert.ok(row.shredded_at);
      const hashes = await h.db.kysely.selectFrom('person_keys').select('person_id').where('person_id', '=', gone).execute();
      assert.deepEqual(hashes, []);
      const counted = await h.db.kysely.selectFrom('count_registry').selectAll().where('person_id', '=', gone).executeTakeFirstOrThrow();
      assert.equal(counted.protected, null);
      // The other member is untouched.
      assert.equal((await coordinator.get(`/api/operations/${op}/persons/${stays}`)).body.names.lat.given, 'Staying');
    });

    test('their counts remain (without category and flags), verify agrees, and the shredding is audited', async () => {
      const after = (await coordinator.get(`/api/operations/${op}/counts`)).body;
      assert.deepEqual(after.totals, countsBefore.totals);
      assert.deepEqual(after.bySexAge, countsBefore.bySexAge);
      assert.equal(countsBefore.byCategory.registered!.combatant, 1);
      assert.equal(after.byCategory.registered.combatant, 0);
      assert.deepEqual((await verifyCounts(h.db.kysely, h.keys, op)).differences, []);
      const audit = await h.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'actor_id'])
        .where('subject_id', '=', gone)
        .where('action', '=', 'person.shred')
        .execute();
      assert.deepEqual(audit, [{ action: 'person.shred', actor_id: coordinator.userId }]);
      const again = await coordinator.post(`/api/operations/${op}/persons/${gone}/shred`);
      assert.equal(again.status, 200);
      assert.equal(again.body.shreddedNow, false);
    });

    test('a closed operation is shredded once its retention period has run out, not before', async () => {
      const other = (await setUpOperation(h, 'retention-op')).id;
      const r = await coordinator.post(`/api/operations/${other}/households`, {
        siteId: 'amiriyah',
        members: [{ names: { lat: { given: 'Retained', family: 'Person' } }, sex: 'male', estimatedAge: 40 }],
      });
      assert.equal(r.status, 404, 'the coordinator holds no role in the other operation');
      const admin = await h.userWithRoles(other, ['registrar'], 'retention-registrar');
      assert.equal(
        (
          await admin.post(`/api/operations/${other}/households`, {
            siteId: 'amiriyah',
            members: [{ names: { lat: { given: 'Retained' } }, sex: 'male' }],
          })
        ).status,
        201,
      );
      const closedAt = new Date('2027-01-10T00:00:00Z');
      await h.db.kysely.transaction().execute((trx) => closeWithRetention(trx, other, closedAt, 30));
      const day = 86_400_000;
      assert.deepEqual(await applyRetention(h.db.kysely, new Date(closedAt.getTime() + 29 * day)), []);
      assert.ok((await h.keys.forOperation(h.db.kysely, other)).encryptionKey);
      const shredded = await applyRetention(h.db.kysely, new Date(closedAt.getTime() + 30 * day + 1));
      assert.deepEqual(
        shredded.map((s) => s.operationId),
        [other],
      );
      await assert.rejects(h.keys.forOperation(h.db.kysely, other), { code: 'operation.shredded' });
      assert.deepEqual(await applyRetention(h.db.kysely, new Date(closedAt.getTime() + 60 * day)), []);
      assert.deepEqual((await verifyCounts(h.db.kysely, h.keys, other)).differences, []);
      // The first operation, not closed, is kept.
      assert.ok((await h.keys.forOperation(h.db.kysely, op)).encryptionKey);
      const actions = await h.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('operation_id', '=', other)
        .where('action', 'in', ['operation.close', 'operation.shred'])
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        actions.map((a) => a.action),
        ['operation.close', 'operation.shred'],
      );
      assert.equal((actions[1]!.details as { reason?: string }).reason, 'retention');
    });
  });
}
