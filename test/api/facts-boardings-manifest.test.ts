/**
 * Named boardings sent through the facts endpoint (an offline phone's queue) put people on the
 * manifest as the convoy board's boardings do — same flags, never refused for a full vehicle, a
 * split household or a convoy that has left (warnings instead) — so the manifest, the counts and
 * reconciliation agree and the removals can take them off again. A person's latest boarding by
 * device time is where the manifest seats them. A head count for a named vehicle (or a name for a
 * head-count vehicle) is refused with the field path, and nothing is written.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ulid } from 'ulid';
import { verifyCounts } from '../../src/services/counts/counts.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

type Entry = { personId: string; householdId: string; vehicleId: string; flags: string[]; splitReason: string | null };
type Warning = { code: string; convoyId?: string; personId?: string; householdId?: string; reason?: string };

for (const dialect of dialects) {
  describe(`boardings through the facts endpoint keep the manifest (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let base: string;
    let coordinator: Client, officer: Client, registrar: Client;
    const people: Record<string, string> = {};
    const households: Record<string, string> = {};

    const boarded = (who: string, convoyId: string, vehicleId: string, at: string, extra: Record<string, unknown> = {}) => ({
      id: ulid(),
      kind: 'boarded',
      convoyId,
      vehicleId,
      personId: people[who],
      siteId: 'amiriyah',
      deviceTime: `2016-12-15T${at}:00.000Z`,
      ...extra,
    });
    const send = async (facts: Record<string, unknown>[]) => officer.post(`${base}/facts`, { facts });
    const manifest = async (convoyId: string) =>
      (await officer.get(`${base}/convoys/${convoyId}/manifest`)).body as {
        entries: Entry[];
        vehicles: { id: string; capacity: number; occupancy: number }[];
      };
    const entryOf = async (convoyId: string, who: string) => (await manifest(convoyId)).entries.find((e) => e.personId === people[who]);
    const totals = async () => {
      await h.settleCounts();
      return (await coordinator.get(`${base}/counts`)).body.totals as { boarded: number; in_transit: number };
    };
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
    const verified = async () => {
      await h.settleCounts();
      assert.deepEqual((await verifyCounts(h.db.kysely, h.keys, op)).differences, []);
    };
    const reconciliation = async (convoyId: string) =>
      (await officer.get(`${base}/reconciliation?convoyId=${convoyId}`)).body as {
        items: { kind: string; householdId?: string; personIds: string[]; details?: Record<string, unknown> }[];
      };

    async function household(key: string, members: { name: string; age: number; sex: string; vulnerabilities?: string[] }[]) {
      const r = await registrar.post(`${base}/households`, {
        siteId: 'amiriyah',
        members: members.map((m) => ({
          names: { lat: { given: m.name, family: key } },
          sex: m.sex,
          estimatedAge: m.age,
          vulnerabilities: m.vulnerabilities ?? [],
        })),
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      households[key] = r.body.id;
      for (const [i, m] of (r.body.members as { id: string }[]).entries()) people[`${key}.${i}`] = m.id;
    }

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h, 'facts-boardings')).id;
      base = `/api/operations/${op}`;
      [coordinator, officer, registrar] = (await Promise.all(
        (['coordinator', 'convoy_officer', 'registrar'] as const).map((r) => h.userWithRoles(op, [r])),
      )) as [Client, Client, Client];
      assert.equal((await coordinator.post(`${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'rashidin'] })).status, 201);
      for (const c of ['c1', 'c2', 'c3']) assert.equal((await officer.post(`${base}/convoys`, { id: c, routeId: 'r1' })).status, 201);
      for (const v of [
        { c: 'c1', id: 'bus1', kind: 'bus', capacity: 3 },
        { c: 'c1', id: 'bus2', kind: 'bus', capacity: 10 },
        { c: 'c1', id: 'car1', kind: 'private_car', mode: 'head_count' },
        { c: 'c2', id: 'c2-bus', kind: 'bus', capacity: 10 },
        { c: 'c3', id: 'c3-bus', kind: 'bus', capacity: 10 },
      ]) {
        const { c, ...body } = v;
        assert.equal((await officer.post(`${base}/convoys/${c}/vehicles`, body)).status, 201);
      }
      await household('a', [
        { name: 'Mother', age: 35, sex: 'female' },
        { name: 'Son', age: 7, sex: 'male' },
      ]);
      await household('b', [
        { name: 'Father', age: 40, sex: 'male' },
        { name: 'Girl', age: 13, sex: 'female', vulnerabilities: ['separated_child'] },
      ]);
      await household('d', [
        { name: 'Brother', age: 30, sex: 'male' },
        { name: 'Sister', age: 28, sex: 'female' },
      ]);
      await household('e', [{ name: 'Grandmother', age: 70, sex: 'female' }]);
      await household('f', [{ name: 'Uncle', age: 50, sex: 'male' }]);
    });
    after(async () => h.close());

    test('a boarding through the facts seats the person with the flags a boarding gives; a replay changes nothing', async () => {
      const start = await totals();
      const son = await send([boarded('a.1', 'c1', 'bus1', '07:00')]);
      assert.equal(son.status, 200, JSON.stringify(son.body));
      assert.deepEqual((await entryOf('c1', 'a.1'))?.flags, ['child_without_adult_on_vehicle']);
      const codes = (son.body.warnings as Warning[]).map((w) => w.code).sort();
      assert.deepEqual(
        codes,
        ['child_without_adult_on_vehicle', 'household_split'],
        'his mother is not on board yet: split, no reason given',
      );

      const mother = boarded('a.0', 'c1', 'bus1', '07:05');
      const r = await send([mother]);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.warnings, [], 'the household is whole in one vehicle');
      assert.deepEqual((await entryOf('c1', 'a.1'))?.flags, [], 'the child is with his mother now');
      assert.equal((await entryOf('c1', 'a.0'))?.vehicleId, 'bus1');

      const before = await manifest('c1');
      const replay = await send([mother]);
      assert.equal(replay.status, 200);
      assert.deepEqual(
        replay.body.results.map((x: { status: string }) => x.status),
        ['duplicate'],
      );
      assert.deepEqual(await manifest('c1'), before, 'a replay changes nothing');
      assert.equal((await totals()).boarded, start.boarded + 2);
      await verified();
      const recon = await reconciliation('c1');
      assert.ok(!JSON.stringify(recon).includes(households.a as string), 'nothing to reconcile about them');
    });

    test('a full vehicle and a split without a reason are shown with warnings, not refused; a separated child keeps its flag', async () => {
      const r = await send([boarded('b.0', 'c1', 'bus1', '07:10'), boarded('b.1', 'c1', 'bus1', '07:11')]);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.ok(
        (r.body.warnings as Warning[]).some((w) => w.code === 'over_capacity'),
        JSON.stringify(r.body.warnings),
      );
      assert.deepEqual((await entryOf('c1', 'b.1'))?.flags, ['separated_child']);
      assert.equal(
        (await manifest('c1')).vehicles.find((v) => v.id === 'bus1')?.occupancy,
        4,
        'four on a bus of three: the manifest says so',
      );

      const split = await send([boarded('d.0', 'c1', 'bus1', '07:12'), boarded('d.1', 'c1', 'bus2', '07:12')]);
      assert.equal(split.status, 200, JSON.stringify(split.body));
      assert.ok(
        (split.body.warnings as Warning[]).some((w) => w.code === 'household_split' && w.householdId === households.d && w.reason === ''),
      );
      const item = (await reconciliation('c1')).items.find((i) => i.kind === 'household_split' && i.householdId === households.d);
      assert.equal(item?.details?.intentional, false, 'reconciliation lists the split without a reason');
      await verified();
    });

    test('the removals take off a person boarded through the facts', async () => {
      const start = await totals();
      const removed = await officer.post(`${base}/convoys/c1/removals`, { householdId: households.a });
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      assert.equal(removed.body.voids.length, 2, 'both boarding facts are voided');
      assert.equal(await entryOf('c1', 'a.0'), undefined);
      assert.equal((await totals()).boarded, start.boarded - 2);
      await verified();
    });

    test('a late boarding with a device time before departure is seated on the convoy that has left', async () => {
      assert.equal(
        (await send([{ id: ulid(), kind: 'departed', convoyId: 'c2', siteId: 'amiriyah', deviceTime: '2016-12-15T08:00:00.000Z' }])).status,
        200,
      );
      const late = await send([boarded('e.0', 'c2', 'c2-bus', '07:50')]);
      assert.equal(late.status, 200, JSON.stringify(late.body));
      assert.equal((await entryOf('c2', 'e.0'))?.vehicleId, 'c2-bus');
      const t = await totals();
      assert.equal(t.in_transit, 1, 'on the road, as the manifest says');
      await verified();
    });

    test('a later boarding on another convoy moves the person there; a stale one is history', async () => {
      const first = await officer.post(`${base}/convoys/c1/boardings`, {
        householdId: households.f,
        vehicleId: 'bus2',
        at: '2016-12-15T07:20:00.000Z',
      });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const start = await totals();
      const moved = await send([boarded('f.0', 'c3', 'c3-bus', '07:40')]);
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      assert.equal(await entryOf('c1', 'f.0'), undefined, 'off the convoy he did not take');
      assert.equal((await entryOf('c3', 'f.0'))?.vehicleId, 'c3-bus');
      assert.equal((await totals()).boarded, start.boarded, 'still one person boarded');
      await verified();

      const stale = await send([boarded('f.0', 'c1', 'bus2', '07:30')]);
      assert.equal(stale.status, 200, JSON.stringify(stale.body));
      assert.deepEqual(
        (stale.body.warnings as Warning[]).map((w) => w.code),
        ['boarding_superseded'],
      );
      assert.equal(await entryOf('c1', 'f.0'), undefined, 'the later boarding stands');

      const removed = await officer.post(`${base}/convoys/c3/removals`, { householdId: households.f });
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      const t = await totals();
      assert.equal(t.boarded, start.boarded - 1, 'taken off: waiting again, not back on the first convoy');
      await verified();
    });

    test('a head count for a named vehicle, or a name for a head-count vehicle, is refused and nothing is written', async () => {
      const facts = await factCount();
      const before = await manifest('c1');
      const headCount = {
        id: ulid(),
        kind: 'boarded',
        convoyId: 'c1',
        vehicleId: 'bus2',
        siteId: 'amiriyah',
        deviceTime: '2016-12-15T07:30:00.000Z',
        payload: { headCount: [{ sex: 'male', ageBand: '18-59', category: 'civilian', count: 2 }] },
      };
      const r = await send([boarded('e.0', 'c3', 'c3-bus', '07:31'), headCount]);
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'manifest.not_head_count_vehicle');
      assert.equal(r.body.error.details.fields[0].path, 'facts.1.vehicleId');
      assert.match(r.body.error.message, /named people/);
      assert.match(r.body.error.message, /head-count vehicle/);

      const named = await send([boarded('e.0', 'c1', 'car1', '07:31')]);
      assert.equal(named.status, 409, JSON.stringify(named.body));
      assert.equal(named.body.error.code, 'manifest.head_count_vehicle');
      assert.equal(named.body.error.details.fields[0].path, 'facts.0.vehicleId');
      assert.equal(await factCount(), facts, 'no fact written');
      assert.deepEqual(await manifest('c1'), before);
      assert.equal(await entryOf('c3', 'e.0'), undefined, 'the valid fact of the refused batch is not written either');
      await verified();
    });
  });
}
