/**
 * A route's Arabic name (issue 20): given when the route is made, changed later by an admin or a
 * coordinator (English and Arabic names, null clears one), refused to those without the right,
 * and a route that does not exist is a 404; the rename is audited.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`route names in Arabic and English (${dialect.name})`, () => {
    let h: Harness;
    let base: string;
    let coordinator: Client, officer: Client;

    before(async () => {
      h = await startHarness(await dialect.open());
      base = `/api/operations/${(await setUpOperation(h, 'route-names')).id}`;
      [coordinator, officer] = (await Promise.all(
        (['coordinator', 'convoy_officer'] as const).map((r) => h.userWithRoles(base.split('/')[3]!, [r], `rn-${r}`)),
      )) as [Client, Client];
    });
    after(async () => h.close());

    test('a route is made with an Arabic name, renamed, and lists with both names', async () => {
      const made = await coordinator.post(`${base}/routes`, {
        id: 'r1',
        name: 'Amiriyah to Rashidin',
        nameAr: 'العامرية ← الراشدين',
        siteIds: ['amiriyah', 'rashidin'],
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.deepEqual([made.body.name, made.body.nameAr], ['Amiriyah to Rashidin', 'العامرية ← الراشدين']);
      const plain = await coordinator.post(`${base}/routes`, { id: 'r2', siteIds: ['amiriyah', 'rashidin'] });
      assert.equal(plain.body.nameAr, null, 'no Arabic name given: null, the interface shows the English name');

      const renamed = await coordinator.patch(`${base}/routes/r2`, { nameAr: 'الطريق الثاني' });
      assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
      assert.deepEqual([renamed.body.name, renamed.body.nameAr], [null, 'الطريق الثاني'], 'the English name left out stays');
      const cleared = await coordinator.patch(`${base}/routes/r1`, { name: 'Via Ramouseh', nameAr: null });
      assert.deepEqual([cleared.body.name, cleared.body.nameAr], ['Via Ramouseh', null]);

      const list = await officer.get(`${base}/routes`);
      assert.deepEqual(
        list.body.map((r: { id: string; name: string | null; nameAr: string | null }) => [r.id, r.name, r.nameAr]),
        [
          ['r1', 'Via Ramouseh', null],
          ['r2', null, 'الطريق الثاني'],
        ],
      );
      const audited = await h.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'subject_id'])
        .where('action', '=', 'route.rename')
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        audited.map((a) => a.subject_id),
        ['r2', 'r1'],
      );
    });

    test('renaming needs the right to manage the operation, a route that exists and a short name', async () => {
      assert.equal((await officer.patch(`${base}/routes/r1`, { nameAr: 'لا' })).status, 403);
      assert.equal((await coordinator.patch(`${base}/routes/nowhere`, { nameAr: 'لا' })).status, 404);
      const long = await coordinator.patch(`${base}/routes/r1`, { nameAr: 'ا'.repeat(121) });
      assert.equal(long.status, 400);
      assert.equal(long.body.error.details.fields[0].path, 'nameAr');
      assert.equal((await coordinator.patch(`${base}/routes/r1`, { colour: 'red' })).status, 400);
    });
  });
}
