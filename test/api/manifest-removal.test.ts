/**
 * Taking people off a vehicle before the convoy leaves, through the API on every test database:
 * a household taken off and boarded on another vehicle (counts back to waiting, then boarded,
 * always equal to their recomputation), part of a household taken off (a reason, the split and
 * the child's flag), a replay, a removal after departure, a head count corrected and removed,
 * field-level refusals and who may do it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ulid } from 'ulid';
import { verifyCounts } from '../../src/services/counts/counts.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`taking people off a vehicle (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let base: string;
    let coordinator: Client, officer: Client, monitor: Client, registrar: Client, viewer: Client;
    const people: Record<string, string> = {};
    const households: Record<string, string> = {};

    async function register(key: string, members: { name: string; sex: string; age: number }[]) {
      const r = await registrar.post(`${base}/households`, {
        siteId: 'amiriyah',
        members: members.map((m) => ({
          names: { lat: { given: m.name, family: 'Removal' } },
          sex: m.sex,
          estimatedAge: m.age,
          vulnerabilities: [],
        })),
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      households[key] = r.body.id;
      r.body.members.forEach((m: { id: string }, i: number) => {
        people[`${key}.${i}`] = m.id;
      });
    }
    const totals = async () => {
      await h.settleCounts();
      return (await viewer.get(`${base}/counts`)).body.totals as { boarded: number; registered: number; in_transit: number };
    };
    const manifest = async (convoyId: string) =>
      (await officer.get(`${base}/convoys/${convoyId}/manifest`)).body as {
        entries: { personId: string; vehicleId: string; flags: string[]; splitReason: string | null }[];
        vehicles: { id: string; headCount: unknown }[];
      };
    const entryOf = async (convoyId: string, key: string) => (await manifest(convoyId)).entries.find((e) => e.personId === people[key]);
    const corrections = async () =>
      Number(
        (
          await h.db.kysely
            .selectFrom('movement_facts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('operation_id', '=', op)
            .where('kind', '=', 'correction')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const boardings = async () =>
      Number(
        (
          await h.db.kysely
            .selectFrom('movement_facts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('operation_id', '=', op)
            .where('kind', '=', 'boarded')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const verified = async () => {
      const v = await verifyCounts(h.db.kysely, h.keys, op);
      assert.deepEqual(v.differences, []);
      assert.equal(v.ok, true);
    };

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h, 'removal')).id;
      base = `/api/operations/${op}`;
      [coordinator, officer, monitor, registrar, viewer] = (await Promise.all(
        (['coordinator', 'convoy_officer', 'checkpoint_monitor', 'registrar', 'viewer'] as const).map((r) => h.userWithRoles(op, [r])),
      )) as [Client, Client, Client, Client, Client];
      assert.equal((await coordinator.post(`${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'rashidin'] })).status, 201);
      const w = await coordinator.post(`${base}/movement-windows`, {
        start: new Date(Date.now() - 3600_000).toISOString(),
        end: new Date(Date.now() + 3600_000).toISOString(),
      });
      assert.equal(w.status, 201, JSON.stringify(w.body));
      for (const c of ['c1', 'c2']) assert.equal((await officer.post(`${base}/convoys`, { id: c, routeId: 'r1' })).status, 201);
      for (const v of [
        { id: 'bus1', kind: 'bus', capacity: 10 },
        { id: 'bus2', kind: 'bus', capacity: 10 },
        { id: 'car1', kind: 'private_car', mode: 'head_count' },
      ]) {
        assert.equal((await officer.post(`${base}/convoys/c1/vehicles`, v)).status, 201);
      }
      assert.equal((await officer.post(`${base}/convoys/c2/vehicles`, { id: 'bus9', kind: 'bus' })).status, 201);
      await register('a', [
        { name: 'Mother', sex: 'female', age: 35 },
        { name: 'Son', sex: 'male', age: 7 },
      ]);
      await register('b', [
        { name: 'Father', sex: 'male', age: 40 },
        { name: 'Mother', sex: 'female', age: 38 },
        { name: 'Baby', sex: 'female', age: 3 },
      ]);
      await register('c', [{ name: 'Single', sex: 'male', age: 30 }]);
      await register('d', [{ name: 'Late', sex: 'female', age: 50 }]);
      await register('e', [
        { name: 'Aunt', sex: 'female', age: 29 },
        { name: 'Niece', sex: 'female', age: 9 },
      ]);
    });
    after(async () => h.close());

    test('a household taken off before departure is waiting again, boards another vehicle, and the counts verify', async () => {
      const start = await totals();
      const boarded = await officer.post(`${base}/convoys/c1/boardings`, { householdId: households.a, vehicleId: 'bus1' });
      assert.equal(boarded.status, 201, JSON.stringify(boarded.body));
      assert.equal((await totals()).boarded, start.boarded + 2);
      const factsBefore = await boardings();

      const r = await officer.post(`${base}/convoys/c1/removals`, { householdId: households.a, reason: 'wrong bus' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.removed.map((e: { personId: string }) => e.personId).sort(), [people['a.0'], people['a.1']].sort());
      assert.deepEqual(r.body.voids.sort(), [...boarded.body.factIds].sort(), 'each boarding fact is voided');
      assert.equal(r.body.factIds.length, 2);
      assert.deepEqual(r.body.warnings, [], 'the whole household left: no split');
      assert.equal(await boardings(), factsBefore, 'the boarding facts stay: facts are append-only');
      assert.equal(await corrections(), 2);
      assert.equal((await manifest('c1')).entries.length, 0);
      const waiting = await totals();
      assert.equal(waiting.boarded, start.boarded);
      assert.equal(waiting.registered, start.registered);
      await verified();

      const again = await officer.post(`${base}/convoys/c1/boardings`, { householdId: households.a, vehicleId: 'bus2' });
      assert.equal(again.status, 201, JSON.stringify(again.body));
      assert.deepEqual(again.body.warnings, [], 'together on the new vehicle, no split');
      assert.deepEqual(
        (await manifest('c1')).entries.map((e) => e.vehicleId),
        ['bus2', 'bus2'],
      );
      assert.equal((await totals()).boarded, start.boarded + 2);
      await verified();
      const recon = await officer.get(`${base}/reconciliation?convoyId=c1`);
      assert.equal(recon.status, 200);
      assert.ok(!JSON.stringify(recon.body).includes(households.a as string), 'nothing to reconcile about the household');
      const auditRow = await h.db.kysely
        .selectFrom('audit_log')
        .select(['details'])
        .where('action', '=', 'manifest.remove')
        .executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(auditRow.details).includes('wrong bus'), 'the reason is sealed in the fact, not written in the audit');
    });

    test('taking off part of a household needs a reason, leaves the rest split, and flags a child left without an adult', async () => {
      const b = await officer.post(`${base}/convoys/c1/boardings`, { householdId: households.b, vehicleId: 'bus1' });
      assert.equal(b.status, 201, JSON.stringify(b.body));
      const noReason = await officer.post(`${base}/convoys/c1/removals`, { householdId: households.b, memberIds: [people['b.0']] });
      assert.equal(noReason.status, 409);
      assert.equal(noReason.body.error.code, 'manifest.household_split');
      assert.equal(noReason.body.error.details.fields[0].path, 'reason');
      const blank = await officer.post(`${base}/convoys/c1/removals`, {
        householdId: households.b,
        memberIds: [people['b.0']],
        reason: '   ',
      });
      assert.equal(blank.status, 409, 'a blank reason is no reason');
      assert.ok(await entryOf('c1', 'b.0'), 'a refused removal changes nothing');

      const father = await officer.post(`${base}/convoys/c1/removals`, {
        householdId: households.b,
        memberIds: [people['b.0']],
        reason: 'wounded: to the ambulance of the next convoy',
      });
      assert.equal(father.status, 200, JSON.stringify(father.body));
      assert.equal(father.body.warnings[0].code, 'household_split');
      assert.equal((await entryOf('c1', 'b.1'))?.splitReason, 'wounded: to the ambulance of the next convoy');
      assert.deepEqual((await entryOf('c1', 'b.2'))?.flags, [], 'the mother is still with the baby');

      const mother = await officer.post(`${base}/convoys/c1/removals`, {
        householdId: households.b,
        memberIds: [people['b.1']],
        reason: 'goes with her husband',
      });
      assert.equal(mother.status, 200, JSON.stringify(mother.body));
      assert.deepEqual(
        mother.body.updated.map((e: { personId: string; flags: string[] }) => [e.personId, e.flags]),
        [[people['b.2'], ['child_without_adult_on_vehicle']]],
      );
      assert.ok(
        mother.body.warnings.some(
          (w: { code: string; personId?: string }) => w.code === 'child_without_adult_on_vehicle' && w.personId === people['b.2'],
        ),
      );
      const baby = await entryOf('c1', 'b.2');
      assert.deepEqual(baby?.flags, ['child_without_adult_on_vehicle']);
      assert.equal(baby?.splitReason, 'wounded: to the ambulance of the next convoy', 'the reason it was split for stands');
      const split = (await officer.get(`${base}/reconciliation?convoyId=c1`)).body;
      assert.equal(JSON.stringify(split).includes(households.b as string), false, 'one vehicle of this convoy: not split across vehicles');

      // The parents board the other bus: the household rides split on purpose, with the reason it was split for.
      const parents = await officer.post(`${base}/convoys/c1/boardings`, {
        householdId: households.b,
        vehicleId: 'bus2',
        memberIds: [people['b.0'], people['b.1']],
      });
      assert.equal(parents.status, 201, JSON.stringify(parents.body));
      assert.equal(parents.body.warnings[0].code, 'household_split');
      await verified();
    });

    test("boarding the adult back on the same vehicle clears the child's flag and the split", async () => {
      assert.equal((await officer.post(`${base}/convoys/c1/boardings`, { householdId: households.e, vehicleId: 'bus1' })).status, 201);
      const off = await officer.post(`${base}/convoys/c1/removals`, {
        householdId: households.e,
        memberIds: [people['e.0']],
        reason: 'fetching the papers',
      });
      assert.equal(off.status, 200, JSON.stringify(off.body));
      assert.deepEqual((await entryOf('c1', 'e.1'))?.flags, ['child_without_adult_on_vehicle']);
      const back = await officer.post(`${base}/convoys/c1/boardings`, { householdId: households.e, vehicleId: 'bus1' });
      assert.equal(back.status, 201, JSON.stringify(back.body));
      assert.deepEqual(back.body.warnings, []);
      assert.deepEqual(back.body.updated, [
        { personId: people['e.1'], householdId: households.e, vehicleId: 'bus1', flags: [], splitReason: null },
      ]);
      const niece = await entryOf('c1', 'e.1');
      assert.deepEqual(niece?.flags, []);
      assert.equal(niece?.splitReason, null);
      assert.equal((await entryOf('c1', 'e.0'))?.splitReason, null);
      await verified();
    });

    test('a replay with the same client id answers the same and writes nothing more; another id finds nobody to take off', async () => {
      assert.equal((await officer.post(`${base}/convoys/c1/boardings`, { householdId: households.c, vehicleId: 'bus1' })).status, 201);
      const key = ulid();
      const first = await officer.post(`${base}/convoys/c1/removals`, { householdId: households.c }, { key });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const n = await corrections();
      const replay = await officer.post(`${base}/convoys/c1/removals`, { householdId: households.c }, { key });
      assert.equal(replay.status, 200);
      assert.deepEqual(replay.body, first.body);
      assert.equal(await corrections(), n);
      const other = await officer.post(`${base}/convoys/c1/removals`, { householdId: households.c });
      assert.equal(other.status, 409);
      assert.equal(other.body.error.code, 'manifest.not_on_manifest');
      await verified();
    });

    test('a head count is corrected by recording it again and removed before departure', async () => {
      const start = await totals();
      const rows = (count: number) => [{ sex: 'male', ageBand: '18-59', category: 'civilian', count }];
      assert.equal((await officer.post(`${base}/convoys/c1/head-counts`, { vehicleId: 'car1', rows: rows(4) })).status, 201);
      assert.equal((await totals()).boarded, start.boarded + 4);
      assert.equal((await officer.post(`${base}/convoys/c1/head-counts`, { vehicleId: 'car1', rows: rows(3) })).status, 201);
      assert.equal((await totals()).boarded, start.boarded + 3, 'the latest count replaces the first');

      const named = await officer.post(`${base}/convoys/c1/head-count-removals`, { vehicleId: 'bus1' });
      assert.equal(named.status, 409);
      assert.equal(named.body.error.code, 'manifest.not_head_count_vehicle');
      const r = await officer.post(`${base}/convoys/c1/head-count-removals`, {
        vehicleId: 'car1',
        reason: 'the car did not join the convoy',
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.removedTotal, 3);
      assert.equal(r.body.voids.length, 2, 'both counts are voided, so the first does not come back');
      assert.equal((await manifest('c1')).vehicles.find((v) => v.id === 'car1')?.headCount, null);
      assert.equal((await totals()).boarded, start.boarded);
      await verified();
      const again = await officer.post(`${base}/convoys/c1/head-count-removals`, { vehicleId: 'car1' });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'manifest.no_head_count');
      assert.equal((await officer.post(`${base}/convoys/c1/head-count-removals`, { vehicleId: 'nope' })).status, 404);
    });

    test('bad input is refused by field, never with a 500', async () => {
      const cases: [unknown, number, string][] = [
        [{}, 400, 'householdId'],
        [{ householdId: households.a, memberIds: [] }, 400, 'memberIds'],
        [{ householdId: households.a, reason: 'x'.repeat(501) }, 400, 'reason'],
        [{ householdId: households.a, extra: true }, 400, ''],
        [{ householdId: 'no-such-household' }, 404, 'householdId'],
      ];
      for (const [body, status, path] of cases) {
        const r = await officer.post(`${base}/convoys/c1/removals`, body);
        assert.equal(r.status, status, `${JSON.stringify(body)} → ${JSON.stringify(r.body)}`);
        if (path)
          assert.ok(
            r.body.error.details.fields.some((f: { path: string }) => f.path === path),
            JSON.stringify(r.body),
          );
      }
      const stranger = await officer.post(`${base}/convoys/c1/removals`, { householdId: households.a, memberIds: [people['c.0']] });
      assert.equal(stranger.status, 400);
      assert.equal(stranger.body.error.code, 'manifest.person_not_in_household');
      const noConvoy = await officer.post(`${base}/convoys/nope/removals`, { householdId: households.a });
      assert.equal(noConvoy.status, 404);
      assert.equal(noConvoy.body.error.code, 'convoy.not_found');
      assert.equal((await officer.post(`${base}/convoys/c1/head-count-removals`, {})).status, 400);
    });

    test('viewers, checkpoint monitors and registrars may not take anyone off; a coordinator may', async () => {
      for (const who of [viewer, monitor, registrar]) {
        const r = await who.post(`${base}/convoys/c1/removals`, { householdId: households.a });
        assert.equal(r.status, 403, JSON.stringify(r.body));
      }
      assert.equal((await entryOf('c1', 'a.0'))?.vehicleId, 'bus2');
      const r = await coordinator.post(`${base}/convoys/c1/removals`, { householdId: households.a });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      await verified();
    });

    test('after departure nobody is taken off: a 409 that says the facts tell where people are', async () => {
      assert.equal((await officer.post(`${base}/convoys/c2/boardings`, { householdId: households.d, vehicleId: 'bus9' })).status, 201);
      const gone = await officer.post(`${base}/convoys/c2/transitions`, { event: 'depart' });
      assert.equal(gone.status, 200, JSON.stringify(gone.body));
      const n = await corrections();
      const r = await officer.post(`${base}/convoys/c2/removals`, { householdId: households.d, reason: 'changed her mind' });
      assert.equal(r.status, 409);
      assert.equal(r.body.error.code, 'manifest.closed');
      assert.match(r.body.error.message, /departed/);
      assert.match(r.body.error.message, /incident/);
      assert.deepEqual(r.body.error.details.instead, ['incident', 'passed_checkpoint', 'arrived']);
      assert.equal(await corrections(), n);
      assert.ok(await entryOf('c2', 'd.0'));
      const t = await totals();
      assert.ok(t.in_transit >= 1);
      await verified();
    });
  });
}
