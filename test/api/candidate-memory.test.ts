/**
 * The duplicate candidates' names kept in memory (services/matching/name-memory.ts) are never
 * served stale: a corrected name is scored as corrected, whether the correction came through this
 * process (which forgets the person at once) or behind its back (another process: the row's
 * sealing changed, so the stamp misses); a shredded person's names leave memory at once and they
 * are no one's candidate any more.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sealJson, type OperationKeys } from '../../src/crypto/envelope.js';
import { updatePerson } from '../../src/db/queries/persons.js';
import { rankCandidates, scoreDescriptions, type Description } from '../../src/services/matching/candidates.js';
import { holdsPerson } from '../../src/services/matching/name-memory.js';
import { piiAad } from '../../src/services/persons/person-record.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

const khaled: Description = {
  names: { lat: { given: 'Khaled', father: 'Mahmoud', grandfather: 'Omar', family: 'Darwish' } },
  sex: 'male',
  birthYear: 1986,
};

for (const dialect of dialects) {
  describe(`candidates' names in memory are never stale (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let coordinator: Client;
    let keys: OperationKeys;

    async function register(given: string): Promise<string> {
      const r = await coordinator.post(`/api/operations/${op}/households`, {
        siteId: 'amiriyah',
        members: [{ names: { lat: { ...khaled.names.lat, given } }, sex: 'male', estimatedAge: 40 }],
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.members[0].id as string;
    }
    const rank = () => rankCandidates(h.db.kysely, keys, op, khaled, { minDecision: 'none', limit: 50 });

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h, 'candidate-memory')).id;
      coordinator = await h.userWithRoles(op, ['coordinator', 'registrar'], 'memory-coord');
      keys = await h.keys.forOperation(h.db.kysely, op);
    });
    after(async () => h.close());

    test('a name corrected through the API is forgotten, and scored as corrected', async () => {
      const id = await register('Khaled');
      const before = (await rank()).find((c) => c.id === id);
      assert.ok(before, 'the person is a candidate of their own description');
      assert.ok(holdsPerson(op, id));
      const p = await coordinator.patch(`/api/operations/${op}/persons/${id}`, {
        names: { lat: { ...khaled.names.lat, given: 'Yusuf' } },
      });
      assert.equal(p.status, 200, JSON.stringify(p.body));
      assert.equal(holdsPerson(op, id), false);
      const now = (await rank()).find((c) => c.id === id);
      const fresh = scoreDescriptions(khaled, { ...khaled, names: { lat: { ...khaled.names.lat, given: 'Yusuf' } } });
      assert.ok(now, 'still a candidate through the other names');
      assert.equal(now.weight, fresh.weight);
      assert.ok(now.weight < before.weight);
    });

    test('a name changed behind this process (another process wrote it) is not served from memory', async () => {
      const id = await register('Khalid');
      const before = (await rank()).find((c) => c.id === id);
      assert.ok(before && holdsPerson(op, id));
      const changed = { names: { lat: { given: 'Ibrahim', father: 'Saleh', family: 'Darwish' } } };
      await updatePerson(h.db.kysely, op, id, { pii: sealJson(keys, changed, piiAad(id)) });
      assert.ok(holdsPerson(op, id), 'nothing told this process');
      const now = (await rank()).find((c) => c.id === id);
      assert.ok(now);
      assert.equal(now.weight, scoreDescriptions(khaled, { ...khaled, names: changed.names }).weight);
    });

    test('shredding removes the names from memory, and the person is no one candidate any more', async () => {
      const id = await register('Khaleed');
      assert.ok((await rank()).some((c) => c.id === id));
      assert.ok(holdsPerson(op, id));
      const r = await coordinator.post(`/api/operations/${op}/persons/${id}/shred`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(holdsPerson(op, id), false);
      assert.equal(
        (await rank()).some((c) => c.id === id),
        false,
      );
      assert.equal(holdsPerson(op, id), false);
    });
  });
}
