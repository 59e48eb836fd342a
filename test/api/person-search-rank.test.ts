import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`name search ranking (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let registrar: Client;
    let target = '';
    let swapped = '';

    const member = (names: object, sex = 'male') => ({ names, sex, estimatedAge: 30 });

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h)).id;
      registrar = await h.userWithRoles(op, ['registrar']);
      // Namesakes first (earlier ids, as many keys in common as the person sought).
      const namesakes = await registrar.post(`/api/operations/${op}/households`, {
        siteId: 'amiriyah',
        members: [
          member({ ar: { given: 'زياد', father: 'مازن', grandfather: 'أحمد', family: 'العلي' }, lat: { given: 'Ziad', family: 'Al-Ali' } }),
          member({ ar: { given: 'زياد', father: 'مازن', grandfather: 'خالد', family: 'العلي' } }),
        ],
      });
      assert.equal(namesakes.status, 201, JSON.stringify(namesakes.body));
      const other = await registrar.post(`/api/operations/${op}/households`, {
        siteId: 'amiriyah',
        members: [member({ ar: { given: 'مازن', father: 'زياد', family: 'العلي' } })],
      });
      swapped = other.body.members[0].id;
      // The person sought: the whole name typed into the given-name field, in both scripts.
      const r = await registrar.post(`/api/operations/${op}/households`, {
        siteId: 'amiriyah',
        members: [member({ ar: { given: 'زياد مازن العلي' }, lat: { given: 'Ziad Mazen Al-Ali' } })],
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      target = r.body.members[0].id;
    });
    after(async () => h.close());

    const search = async (q: string) => {
      const r = await registrar.get(`/api/operations/${op}/persons?q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return (r.body as Array<{ id: string }>).map((p) => p.id);
    };

    test('the exact name ranks first, in either script, though it was typed whole into one field', async () => {
      assert.equal((await search('زياد مازن العلي'))[0], target);
      assert.equal((await search('Ziad Mazen Al-Ali'))[0], target);
    });

    test('zero-width joiners and direction marks in the query change nothing (overrides are refused as input)', async () => {
      const ids = await search('\u200Fزياد\u200C مازن ال\u200Dعلي\u061C');
      assert.equal(ids[0], target);
      assert.deepEqual(ids, await search('زياد مازن العلي'));
    });

    test('the same parts in another order rank above names with more parts', async () => {
      const ids = await search('مازن زياد العلي');
      assert.equal(ids[0], swapped);
      assert.equal(ids[1], target);
    });
  });
}
