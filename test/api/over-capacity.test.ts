/**
 * Reception never turns away someone who has arrived: at a full site the check-in asks for the
 * supervisor's reason and names the shelters with room; with a reason it goes through, flagged,
 * the reason sealed on the fact and the capacity it went over in the audit. A site's capacity
 * (and names, kind, coordinates) can be changed by whoever manages the operation, audited.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`checking in over capacity, editing a site (${dialect.name})`, () => {
    let h: Harness;
    let base: string;
    let registrar: Client, reception: Client, coordinator: Client;
    const people: string[] = [];
    const REASON = 'Synthetic: supervisor A. agreed, families wait for buses to Idlib tomorrow';

    before(async () => {
      h = await startHarness(await dialect.open());
      const op = (await setUpOperation(h, 'capacity-op')).id;
      base = `/api/operations/${op}`;
      for (const site of [
        { id: 'camp-full', kind: 'camp', nameEn: 'Full camp', capacity: 0 },
        { id: 'camp-roomy', kind: 'camp', nameEn: 'Roomy camp', nameAr: 'مخيم واسع', capacity: 50 },
        { id: 'camp-open', kind: 'camp', nameEn: 'Open camp' },
        { id: 'clinic', kind: 'hospital', nameEn: 'Field clinic', capacity: 100 },
      ])
        assert.equal((await h.admin.post(`${base}/sites`, site)).status, 201);
      [registrar, reception, coordinator] = (await Promise.all(
        (['registrar', 'reception_officer', 'coordinator'] as const).map((r) => h.userWithRoles(op, [r])),
      )) as [Client, Client, Client];
      const r = await registrar.post(`${base}/households`, {
        siteId: 'amiriyah',
        members: ['Rami', 'Dana', 'Omar', 'Lama'].map((given) => ({
          names: { lat: { given, family: 'Synthetic' } },
          sex: 'female',
          estimatedAge: 30,
        })),
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      people.push(...r.body.members.map((m: { id: string }) => m.id));
    });
    after(async () => h.close());

    test('a coordinator changes a site’s capacity and names; the id stays and the audit keeps before and after', async () => {
      const r = await coordinator.patch(`${base}/sites/rashidin`, { capacity: 1, nameAr: 'الراشدين' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.id, 'rashidin');
      assert.equal(r.body.capacity, 1);
      assert.equal(r.body.nameAr, 'الراشدين');
      assert.equal(r.body.nameEn, 'al-Rashidin reception', 'a field not given stays');
      const listed = (await reception.get(`${base}/sites`)).body.find((s: { id: string }) => s.id === 'rashidin');
      assert.equal(listed.capacity, 1);
      const entry = await h.db.kysely
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'site.update')
        .where('subject_id', '=', 'rashidin')
        .executeTakeFirstOrThrow();
      assert.deepEqual((entry.details as { changed: unknown }).changed, {
        capacity: { from: 5000, to: 1 },
        nameAr: { from: 'مركز استقبال الراشدين', to: 'الراشدين' },
      });
    });

    test('editing a site is refused field by field, for an unknown site, and to roles that do not manage the operation', async () => {
      const bad = await coordinator.patch(`${base}/sites/rashidin`, { capacity: -3 });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.fields[0].path, 'capacity');
      const empty = await coordinator.patch(`${base}/sites/rashidin`, {});
      assert.equal(empty.status, 400);
      const idChange = await coordinator.patch(`${base}/sites/rashidin`, { id: 'other' });
      assert.equal(idChange.status, 400, 'the id is not a field to change');
      const unknown = await coordinator.patch(`${base}/sites/nowhere`, { capacity: 3 });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, 'site.not_found');
      assert.equal((await reception.patch(`${base}/sites/rashidin`, { capacity: 9999 })).status, 403);
      assert.equal((await h.admin.get(`${base}/sites`)).body.find((s: { id: string }) => s.id === 'rashidin').capacity, 1);
    });

    test('at a full site a check-in without a reason asks for one and names the shelters with room; nothing is written', async () => {
      assert.equal((await reception.post(`${base}/check-ins`, { siteId: 'rashidin', personId: people[0] })).status, 201);
      await h.settleCounts();
      for (const reason of [undefined, '   ']) {
        const r = await reception.post(`${base}/check-ins`, {
          siteId: 'rashidin',
          personId: people[1],
          ...(reason !== undefined ? { overCapacityReason: reason } : {}),
        });
        assert.equal(r.status, 409, JSON.stringify(r.body));
        assert.equal(r.body.error.code, 'site.full');
        assert.equal(r.body.error.details.capacity, 1);
        assert.equal(r.body.error.details.occupied, 1);
        assert.equal(r.body.error.details.fields[0].path, 'overCapacityReason');
        assert.match(r.body.error.details.fields[0].message, /supervisor/);
        assert.deepEqual(
          r.body.error.details.overflow.map((o: { siteId: string; room: number | null }) => [o.siteId, o.room]),
          [
            ['camp-open', null],
            ['camp-roomy', 50],
          ],
          'camps and reception centres with room, the roomiest first; not the full camp, the clinic or the assembly point',
        );
        assert.equal(r.body.error.details.overflow[1].nameAr, 'مخيم واسع');
      }
      const facts = await h.db.kysely.selectFrom('movement_facts').select('id').where('person_id', '=', people[1]!).execute();
      assert.equal(facts.length, 0);
    });

    test('with the supervisor’s reason the person is checked in over capacity: flagged, reason sealed, audited', async () => {
      const r = await reception.post(`${base}/check-ins`, { siteId: 'rashidin', personId: people[1], overCapacityReason: REASON });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.ok(r.body.flags.includes('over_capacity'));
      const fact = await h.db.kysely.selectFrom('movement_facts').selectAll().where('id', '=', r.body.factId).executeTakeFirstOrThrow();
      const payload = fact.payload as { overCapacity: { reason: unknown; capacity: number; occupied: number } };
      assert.equal(payload.overCapacity.capacity, 1);
      assert.equal(payload.overCapacity.occupied, 1);
      assert.ok(!JSON.stringify(fact.payload).includes('supervisor'), 'the reason is sealed at rest');
      const entry = await h.db.kysely
        .selectFrom('audit_log')
        .select(['details', 'actor_id'])
        .where('action', '=', 'reception.check_in')
        .where('subject_id', '=', people[1]!)
        .executeTakeFirstOrThrow();
      assert.equal(entry.actor_id, reception.userId);
      assert.deepEqual((entry.details as { overCapacity: unknown }).overCapacity, { capacity: 1, occupied: 1 });
      assert.ok(!JSON.stringify(entry.details).includes('supervisor'));
      await h.settleCounts();
      assert.equal((await coordinator.get(`${base}/counts`)).body.bySite.arrived.rashidin, 2);
    });

    test('someone already checked in here takes no new place, and a raised capacity takes newcomers without a reason', async () => {
      const again = await reception.post(`${base}/check-ins`, { siteId: 'rashidin', personId: people[0] });
      assert.equal(again.status, 201, JSON.stringify(again.body));
      assert.ok(!again.body.flags.includes('over_capacity'));
      assert.equal((await coordinator.patch(`${base}/sites/rashidin`, { capacity: 10 })).status, 200);
      const r = await reception.post(`${base}/check-ins`, { siteId: 'rashidin', personId: people[2] });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.ok(!r.body.flags.includes('over_capacity'));
    });
  });
}
