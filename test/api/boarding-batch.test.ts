/**
 * A convoy officer's queue of boardings (`POST …/convoys/:convoyId/boardings/batch`): the
 * households boarded on one convoy while the officer had no signal, sent together, each under
 * the rules of a single boarding as if recorded after the ones before it. All or none: a refused
 * boarding refuses the queue, names its item, and nothing is written.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyCounts } from '../../src/services/counts/counts.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

type Entry = { personId: string; householdId: string; vehicleId: string; flags: string[] };

for (const dialect of dialects) {
  describe(`boarding queue (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let base: string;
    let officer: Client, registrar: Client, coordinator: Client;
    const households: Record<string, { id: string; members: string[] }> = {};

    async function household(key: string, members: { name: string; age: number; sex: string }[]) {
      const r = await registrar.post(`${base}/households`, {
        siteId: 'amiriyah',
        members: members.map((m) => ({ names: { lat: { given: m.name, family: key } }, sex: m.sex, estimatedAge: m.age })),
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      households[key] = { id: r.body.id, members: (r.body.members as { id: string }[]).map((m) => m.id) };
    }
    const manifest = async (convoyId: string) => (await officer.get(`${base}/convoys/${convoyId}/manifest`)).body as { entries: Entry[] };
    const factCount = async () =>
      Number(
        (
          await h.db.kysely
            .selectFrom('movement_facts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('operation_id', '=', op)
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h, 'boarding-queue')).id;
      base = `/api/operations/${op}`;
      [officer, registrar, coordinator] = (await Promise.all(
        (['convoy_officer', 'registrar', 'coordinator'] as const).map((r) => h.userWithRoles(op, [r])),
      )) as [Client, Client, Client];
      assert.equal((await coordinator.post(`${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'rashidin'] })).status, 201);
      for (const c of ['c1', 'c2']) assert.equal((await officer.post(`${base}/convoys`, { id: c, routeId: 'r1' })).status, 201);
      for (const [c, id, capacity] of [
        ['c1', 'bus1', 4],
        ['c1', 'bus2', 10],
        ['c2', 'c2-bus', 10],
      ] as const) {
        assert.equal((await officer.post(`${base}/convoys/${c}/vehicles`, { id, kind: 'bus', capacity })).status, 201);
      }
      await household('a', [
        { name: 'Mother', age: 35, sex: 'female' },
        { name: 'Son', age: 7, sex: 'male' },
      ]);
      await household('b', [
        { name: 'Father', age: 40, sex: 'male' },
        { name: 'Girl', age: 13, sex: 'female' },
      ]);
      await household('c', [
        { name: 'Grandfather', age: 72, sex: 'male' },
        { name: 'Aunt', age: 45, sex: 'female' },
        { name: 'Cousin', age: 20, sex: 'male' },
      ]);
      await household('d', [{ name: 'Widow', age: 60, sex: 'female' }]);
    });
    after(async () => h.close());

    test('several households boarded in one request: each on its vehicle, at its own time, counted', async () => {
      const r = await officer.post(`${base}/convoys/c1/boardings/batch`, {
        boardings: [
          { householdId: households.a!.id, vehicleId: 'bus1', at: '2016-12-15T07:00:00Z' },
          { householdId: households.b!.id, vehicleId: 'bus1', at: '2016-12-15T07:04:00Z' },
          // The grandfather's family splits, with a reason: the cousin stays behind.
          {
            householdId: households.c!.id,
            vehicleId: 'bus2',
            memberIds: households.c!.members.slice(0, 2),
            splitReason: 'the cousin leaves with the next convoy',
            at: '2016-12-15T07:10:00Z',
          },
        ],
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.state, 'boarding');
      assert.deepEqual(
        (r.body.results as { householdId: string; entries: Entry[] }[]).map((x) => [x.householdId, x.entries.length]),
        [
          [households.a!.id, 2],
          [households.b!.id, 2],
          [households.c!.id, 2],
        ],
      );
      const entries = (await manifest('c1')).entries;
      assert.deepEqual(
        entries
          .filter((e) => e.vehicleId === 'bus1')
          .map((e) => e.personId)
          .sort(),
        [...households.a!.members, ...households.b!.members].sort(),
      );
      assert.deepEqual(
        entries
          .filter((e) => e.vehicleId === 'bus2')
          .map((e) => e.personId)
          .sort(),
        households.c!.members.slice(0, 2).sort(),
      );
      const facts = await h.db.kysely
        .selectFrom('movement_facts')
        .select(['person_id', 'device_time'])
        .where('operation_id', '=', op)
        .where('kind', '=', 'boarded')
        .execute();
      assert.equal(facts.length, 6);
      const timeOf = (id: string) => new Date(facts.find((f) => f.person_id === id)!.device_time).toISOString();
      assert.equal(timeOf(households.b!.members[1]!), '2016-12-15T07:04:00.000Z', 'each boarding keeps the time the officer recorded it');
      await h.settleCounts();
      const counts = (await coordinator.get(`${base}/counts`)).body;
      assert.equal(counts.totals.boarded, 6);
      assert.deepEqual((await verifyCounts(h.db.kysely, h.keys, op)).differences, []);
    });

    test('a refused boarding refuses the whole queue, names its item, and writes nothing', async () => {
      const facts = await factCount();
      const manifestBefore = (await manifest('c2')).entries;
      // Item 0, the widow, could board; item 1, household a, is on convoy c1 already.
      const taken = await officer.post(`${base}/convoys/c2/boardings/batch`, {
        boardings: [
          { householdId: households.d!.id, vehicleId: 'c2-bus' },
          { householdId: households.a!.id, vehicleId: 'c2-bus' },
        ],
      });
      assert.equal(taken.status, 409, JSON.stringify(taken.body));
      assert.equal(taken.body.error.code, 'manifest.person_already_manifested');
      assert.equal(taken.body.error.details.index, 1);
      const unknown = await officer.post(`${base}/convoys/c2/boardings/batch`, {
        boardings: [
          { householdId: households.d!.id, vehicleId: 'c2-bus' },
          { householdId: 'no-such-household', vehicleId: 'c2-bus' },
        ],
      });
      assert.equal(unknown.status, 404, JSON.stringify(unknown.body));
      assert.deepEqual(unknown.body.error.details.fields, [
        { path: 'boardings.1.householdId', message: 'This household is not in this operation.', key: 'household.not_found' },
      ]);
      assert.equal(await factCount(), facts, 'no boarding fact written');
      assert.deepEqual((await manifest('c2')).entries, manifestBefore, 'the manifest is as it was');
      const ok = await officer.post(`${base}/convoys/c2/boardings/batch`, {
        boardings: [{ householdId: households.d!.id, vehicleId: 'c2-bus' }],
      });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
    });

    test('each boarding of a queue is refused as it would be alone after the ones before it, naming its item', async () => {
      assert.equal((await officer.post(`${base}/convoys`, { id: 'c3', routeId: 'r1' })).status, 201);
      assert.equal((await officer.post(`${base}/convoys/c3/vehicles`, { id: 'c3-van', kind: 'van', capacity: 3 })).status, 201);
      await household('e', [
        { name: 'Rami', age: 30, sex: 'male' },
        { name: 'Rana', age: 28, sex: 'female' },
      ]);
      await household('f', [
        { name: 'Sami', age: 50, sex: 'male' },
        { name: 'Salma', age: 48, sex: 'female' },
      ]);
      const cases: [string, object[], string, number][] = [
        [
          'a vehicle too small',
          [
            { householdId: households.e!.id, vehicleId: 'c3-van' },
            { householdId: households.f!.id, vehicleId: 'c3-van' },
          ],
          'manifest.vehicle_full',
          1,
        ],
        [
          'a household split without a reason',
          [{ householdId: households.f!.id, vehicleId: 'c3-van', memberIds: [households.f!.members[0]] }],
          'manifest.household_split',
          0,
        ],
        [
          'an unknown vehicle',
          [
            { householdId: households.e!.id, vehicleId: 'c3-van' },
            { householdId: households.f!.id, vehicleId: 'c3-nothing' },
          ],
          'manifest.vehicle_not_found',
          1,
        ],
      ];
      const facts = await factCount();
      for (const [what, boardings, code, index] of cases) {
        const r = await officer.post(`${base}/convoys/c3/boardings/batch`, { boardings });
        assert.equal(r.body.error?.code, code, `${what}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.details.index, index, `${what}: names the item`);
      }
      assert.equal(await factCount(), facts, 'no boarding fact written');
      assert.deepEqual((await manifest('c3')).entries, [], 'the manifest is as it was');
    });

    test('a malformed queue is refused with field paths; only those who manage convoys may send one', async () => {
      const empty = await officer.post(`${base}/convoys/c1/boardings/batch`, { boardings: [] });
      assert.equal(empty.status, 400);
      assert.ok(
        (empty.body.error.details.fields as { path: string }[]).some((f) => f.path === 'boardings'),
        JSON.stringify(empty.body),
      );
      const noVehicle = await officer.post(`${base}/convoys/c1/boardings/batch`, { boardings: [{ householdId: households.d!.id }] });
      assert.equal(noVehicle.status, 400);
      assert.ok(
        (noVehicle.body.error.details.fields as { path: string }[]).some((f) => f.path === 'boardings.0.vehicleId'),
        JSON.stringify(noVehicle.body),
      );
      const registrarTries = await registrar.post(`${base}/convoys/c1/boardings/batch`, {
        boardings: [{ householdId: households.d!.id, vehicleId: 'bus2' }],
      });
      assert.equal(registrarTries.status, 403);
      const noConvoy = await officer.post(`${base}/convoys/nowhere/boardings/batch`, {
        boardings: [{ householdId: households.d!.id, vehicleId: 'bus2' }],
      });
      assert.equal(noConvoy.status, 404);
    });
  });
}
