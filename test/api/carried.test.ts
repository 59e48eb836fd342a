/**
 * What travels with people: given at registration (wheelchair, stretcher, oxygen, luggage, pets),
 * sealed with the person's protected fields, shown on the manifest with totals per vehicle; a
 * stretcher or a wheelchair takes its seats in the vehicle's capacity (a boarding that would
 * overfill it is refused, as is one by a phone's observed boarding warned of); counted at the
 * reception site where the people checked in.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ulid } from 'ulid';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`what travels with people (${dialect.name})`, () => {
    let h: Harness;
    let base: string;
    let registrar: Client, officer: Client, reception: Client, viewer: Client;
    let family: { id: string; members: { id: string }[] };
    let single: { id: string; members: { id: string }[] };

    before(async () => {
      h = await startHarness(await dialect.open());
      const op = (await setUpOperation(h, 'carried-op')).id;
      base = `/api/operations/${op}`;
      [registrar, officer, reception, viewer] = (await Promise.all(
        (['registrar', 'coordinator', 'reception_officer', 'viewer'] as const).map((r) => h.userWithRoles(op, [r])),
      )) as [Client, Client, Client, Client];
      const r = await registrar.post(`${base}/households`, {
        siteId: 'amiriyah',
        members: [
          {
            names: { lat: { given: 'Samir', family: 'Testfamily' } },
            sex: 'male',
            estimatedAge: 70,
            vulnerabilities: ['wounded'],
            carried: { equipment: ['stretcher', 'oxygen'], luggage: 2, pets: 1 },
          },
          {
            names: { lat: { given: 'Huda', family: 'Testfamily' } },
            sex: 'female',
            estimatedAge: 66,
            relationship: 'spouse',
            carried: { equipment: ['wheelchair'], luggage: 1 },
          },
          { names: { lat: { given: 'Rami', family: 'Testfamily' } }, sex: 'male', estimatedAge: 30, relationship: 'child' },
        ],
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      family = r.body;
      const s = await registrar.post(`${base}/households`, {
        siteId: 'amiriyah',
        members: [{ names: { lat: { given: 'Lina', family: 'Othername' } }, sex: 'female', estimatedAge: 25 }],
      });
      assert.equal(s.status, 201, JSON.stringify(s.body));
      single = s.body;
      assert.equal((await officer.post(`${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'rashidin'] })).status, 201);
      assert.equal((await officer.post(`${base}/convoys`, { id: 'c1', routeId: 'r1' })).status, 201);
      for (const [id, capacity] of [
        ['van5', 5],
        ['bus6', 6],
      ] as const)
        assert.equal((await officer.post(`${base}/convoys/c1/vehicles`, { id, kind: 'van', capacity })).status, 201);
    });
    after(async () => h.close());

    test('the person record shows what they carry; the registration refuses nonsense', async () => {
      const p = await registrar.get(`${base}/persons/${family.members[0]!.id}`);
      assert.equal(p.status, 200);
      assert.deepEqual(p.body.carried, { equipment: ['oxygen', 'stretcher'], luggage: 2, pets: 1 });
      const none = await registrar.get(`${base}/persons/${family.members[2]!.id}`);
      assert.deepEqual(none.body.carried, { equipment: [], luggage: 0, pets: 0 });
      const bad = await registrar.post(`${base}/households`, {
        siteId: 'amiriyah',
        members: [{ names: { lat: { given: 'X' } }, sex: 'male', carried: { equipment: ['piano'], luggage: -1 } }],
      });
      assert.equal(bad.status, 400);
      assert.ok(bad.body.error.details.fields.some((f: { path: string }) => f.path.startsWith('members.0.carried')));
    });

    test('what is carried is sealed at rest, never in clear', async () => {
      const rows = await h.db.kysely.selectFrom('persons').select(['protected']).where('id', '=', family.members[0]!.id).execute();
      assert.ok(rows[0]!.protected);
      assert.ok(!Buffer.from(rows[0]!.protected!).toString('latin1').includes('stretcher'));
    });

    test('a stretcher and a wheelchair take their seats: the household does not fit five seats, fits six', async () => {
      const full = await officer.post(`${base}/convoys/c1/boardings`, { householdId: family.id, vehicleId: 'van5' });
      assert.equal(full.status, 409, JSON.stringify(full.body));
      assert.equal(full.body.error.code, 'manifest.vehicle_full');
      assert.equal(full.body.error.details.requested, 6, 'three seats for the stretcher, two for the wheelchair, one for the son');
      const ok = await officer.post(`${base}/convoys/c1/boardings`, { householdId: family.id, vehicleId: 'bus6' });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      const convoy = (await officer.get(`${base}/convoys/c1`)).body;
      assert.equal(convoy.vehicles.find((v: { id: string }) => v.id === 'bus6').occupancy, 6);
      const another = await officer.post(`${base}/convoys/c1/boardings`, { householdId: single.id, vehicleId: 'bus6' });
      assert.equal(another.status, 409);
      assert.equal(another.body.error.code, 'manifest.vehicle_full');
    });

    test('the manifest shows what each person carries and the totals per vehicle', async () => {
      const m = await officer.get(`${base}/convoys/c1/manifest`);
      assert.equal(m.status, 200, JSON.stringify(m.body));
      const bus = m.body.vehicles.find((v: { id: string }) => v.id === 'bus6');
      assert.equal(bus.occupancy, 6);
      assert.deepEqual(bus.carried, {
        people: 3,
        equipment: { wheelchair: 1, stretcher: 1, oxygen: 1, walking_aid: 0 },
        luggage: 3,
        pets: 1,
      });
      const entry = (id: string) => m.body.entries.find((e: { personId: string }) => e.personId === id);
      assert.equal(entry(family.members[0]!.id).seats, 3);
      assert.equal(entry(family.members[1]!.id).seats, 2);
      assert.equal(entry(family.members[2]!.id).seats, 1);
      assert.deepEqual(entry(family.members[1]!.id).carried, { equipment: ['wheelchair'], luggage: 1, pets: 0 });
    });

    test('a phone’s observed boarding onto the full vehicle is placed and warned of, the seats counted', async () => {
      const r = await officer.post(`${base}/facts`, {
        facts: [
          {
            id: ulid(),
            kind: 'boarded',
            convoyId: 'c1',
            vehicleId: 'bus6',
            personId: single.members[0]!.id,
            deviceTime: new Date().toISOString(),
          },
        ],
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.ok(
        r.body.warnings.some((w: { code: string; count?: number }) => w.code === 'over_capacity' && w.count === 7),
        JSON.stringify(r.body.warnings),
      );
      const convoy = (await officer.get(`${base}/convoys/c1`)).body;
      assert.equal(convoy.vehicles.find((v: { id: string }) => v.id === 'bus6').occupancy, 7);
    });

    test('counted at reception: what arrived at the site with the people checked in there', async () => {
      for (const p of family.members.slice(0, 2))
        assert.equal((await reception.post(`${base}/check-ins`, { siteId: 'rashidin', personId: p.id })).status, 201);
      // A second check-in of the same person counts once; a voided one not at all.
      assert.equal((await reception.post(`${base}/check-ins`, { siteId: 'rashidin', personId: family.members[0]!.id })).status, 201);
      const third = await reception.post(`${base}/check-ins`, { siteId: 'rashidin', personId: family.members[2]!.id });
      assert.equal(third.status, 201);
      const voided = await reception.post(`${base}/facts`, {
        facts: [{ id: ulid(), kind: 'correction', deviceTime: new Date().toISOString(), payload: { voids: third.body.factId } }],
      });
      assert.equal(voided.status, 200, JSON.stringify(voided.body));
      const r = await viewer.get(`${base}/sites/rashidin/carried`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body, {
        siteId: 'rashidin',
        arrived: { people: 2, equipment: { wheelchair: 1, stretcher: 1, oxygen: 1, walking_aid: 0 }, luggage: 3, pets: 1 },
      });
      const none = await viewer.get(`${base}/sites/amiriyah/carried`);
      assert.equal(none.body.arrived.people, 0);
      assert.equal((await viewer.get(`${base}/sites/nowhere/carried`)).status, 404);
    });

    test('what a person carries is corrected like their other protected fields', async () => {
      const p = await registrar.patch(`${base}/persons/${single.members[0]!.id}`, { carried: { equipment: ['walking_aid'], pets: 2 } });
      assert.equal(p.status, 200, JSON.stringify(p.body));
      assert.deepEqual(p.body.carried, { equipment: ['walking_aid'], luggage: 0, pets: 2 });
    });
  });
}
