/**
 * Conflicts between devices that worked offline (issue 17), decided and shown, never dropped:
 * two devices board one person on different vehicles, check one person in at two sites, or
 * register one household twice — the write with the earlier device time often arriving last. The
 * server decides by device time (the latest stands, ties by id: docs/sync.md), whatever order
 * the writes came in; it keeps both facts; and a review item waits on the right desk: a
 * `boarding_conflict` in the convoy's reconciliation, a `check_in_conflict` in the reception
 * site's, and duplicate reviews for the household registered twice.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ulid } from 'ulid';
import { verifyCounts } from '../../src/services/counts/counts.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

type Item = { key: string; kind: string; convoyId?: string; vehicleId?: string; siteId?: string; personIds: string[]; details: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

for (const dialect of dialects) {
  describe(`offline conflicts are decided by device time and listed for review (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let base: string;
    let coordinator: Client, officerA: Client, officerB: Client, receptionA: Client, receptionB: Client, registrar: Client;
    const people: string[] = [];

    const at = (hm: string) => `2016-12-15T${hm}:00.000Z`;
    const boarded = (person: string, convoyId: string, vehicleId: string, hm: string) => ({
      id: ulid(),
      kind: 'boarded',
      convoyId,
      vehicleId,
      personId: person,
      siteId: 'amiriyah',
      deviceTime: at(hm),
    });
    const checkedIn = (person: string, siteId: string, hm: string, payload: Record<string, unknown> = {}) => ({
      id: ulid(),
      kind: 'checked_in',
      personId: person,
      siteId,
      deviceTime: at(hm),
      payload,
    });
    const send = async (who: Client, facts: object[]) => {
      const r = await who.post(`${base}/facts`, { facts });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.accepted, facts.length, JSON.stringify(r.body));
      return r.body;
    };
    const items = async (kind: string, scope = '') => {
      const r = await coordinator.get(`${base}/reconciliation?kind=${kind}${scope}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.items as Item[];
    };
    const seatOf = async (convoyId: string, person: string) =>
      ((await coordinator.get(`${base}/convoys/${convoyId}/manifest`)).body.entries as { personId: string; vehicleId: string }[]).find(
        (e) => e.personId === person,
      )?.vehicleId;
    const stored = async (ids: string[]) =>
      h.db.kysely.selectFrom('movement_facts').select(['id', 'kind']).where('operation_id', '=', op).where('id', 'in', ids).execute();

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h, 'sync-conflicts')).id;
      base = `/api/operations/${op}`;
      [coordinator, officerA, officerB, receptionA, receptionB, registrar] = (await Promise.all(
        (['coordinator', 'convoy_officer', 'convoy_officer', 'reception_officer', 'reception_officer', 'registrar'] as const).map((r, i) =>
          h.userWithRoles(op, [r], `conflict-${i}`),
        ),
      )) as [Client, Client, Client, Client, Client, Client];
      const camp = await h.admin.post(`${base}/sites`, {
        id: 'jibrin',
        kind: 'reception_centre',
        nameEn: 'Jibrin reception',
        nameAr: 'مركز استقبال جبرين',
      });
      assert.equal(camp.status, 201, JSON.stringify(camp.body));
      assert.equal((await coordinator.post(`${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'rashidin'] })).status, 201);
      for (const c of ['c1', 'c2', 'c3']) assert.equal((await officerA.post(`${base}/convoys`, { id: c, routeId: 'r1' })).status, 201);
      for (const [c, id] of [
        ['c1', 'bus1'],
        ['c1', 'bus2'],
        ['c2', 'c2-bus'],
        ['c3', 'c3-bus'],
      ] as const)
        assert.equal((await officerA.post(`${base}/convoys/${c}/vehicles`, { id, kind: 'bus', capacity: 20 })).status, 201);
      for (let i = 0; i < 8; i++) {
        const r = await registrar.post(`${base}/households`, {
          siteId: 'amiriyah',
          members: [
            { names: { lat: { given: `Traveller${i}`, family: `Family${i}x` } }, sex: i % 2 ? 'male' : 'female', estimatedAge: 20 + i },
          ],
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        people.push(r.body.members[0].id);
      }
    });
    after(async () => h.close());

    test('two devices board one person on two vehicles of a convoy: the later device time seats them, in either arrival order', async () => {
      for (const [person, lateFirst] of [
        [people[0]!, true],
        [people[1]!, false],
      ] as const) {
        const a = boarded(person, 'c1', 'bus1', '10:05'); // device A, later by device time
        const b = boarded(person, 'c1', 'bus2', '10:00'); // device B, offline: its earlier boarding
        if (lateFirst) {
          await send(officerA, [a]);
          const r = await send(officerB, [b]);
          assert.ok(
            r.warnings.some((w: { code: string }) => w.code === 'boarding_superseded'),
            JSON.stringify(r),
          );
        } else {
          await send(officerB, [b]);
          await send(officerA, [a]);
        }
        assert.equal(await seatOf('c1', person), 'bus1', 'the boarding with the later device time seats the person');
        assert.equal((await stored([a.id, b.id])).length, 2, 'both boardings are kept');
        const mine = (await items('boarding_conflict')).filter((i) => i.personIds[0] === person);
        assert.equal(mine.length, 1, JSON.stringify(mine));
        assert.equal(mine[0]!.key, `boarding_conflict:${person}:${b.id}:${a.id}`);
        assert.equal(mine[0]!.vehicleId, 'bus1');
        assert.equal(mine[0]!.details.standing.factId, a.id);
        assert.equal(mine[0]!.details.superseded.factId, b.id);
        assert.equal(mine[0]!.details.superseded.vehicleId, 'bus2');
        // The convoy officer's list of the convoy shows it, and the vehicle's.
        assert.ok((await items('boarding_conflict', '&convoyId=c1')).some((i) => i.key === mine[0]!.key));
        assert.ok((await items('boarding_conflict', '&vehicleId=bus1')).some((i) => i.key === mine[0]!.key));
      }
    });

    test('boarded on two convoys: the earlier is voided by a server correction naming the later, and still listed as a conflict', async () => {
      for (const [person, lateFirst] of [
        [people[2]!, true],
        [people[3]!, false],
      ] as const) {
        const early = boarded(person, 'c2', 'c2-bus', '09:00');
        const late = boarded(person, 'c3', 'c3-bus', '09:30');
        if (lateFirst) {
          await send(officerA, [late]);
          await send(officerB, [early]);
        } else {
          await send(officerB, [early]);
          await send(officerA, [late]);
        }
        assert.equal(await seatOf('c3', person), 'c3-bus');
        assert.equal(await seatOf('c2', person), undefined);
        const voids = await h.db.kysely
          .selectFrom('movement_facts')
          .select('payload')
          .where('operation_id', '=', op)
          .where('kind', '=', 'correction')
          .execute();
        const mine = voids
          .map((v) => (typeof v.payload === 'string' ? JSON.parse(v.payload) : v.payload) as { voids: string; replacedBy?: string })
          .filter((p) => p.voids === early.id);
        assert.equal(mine.length, 1);
        assert.equal(mine[0]!.replacedBy, late.id);
        const listed = (await items('boarding_conflict')).filter((i) => i.personIds[0] === person);
        assert.deepEqual(
          listed.map((i) => [i.details.superseded.factId, i.details.standing.factId, i.convoyId]),
          [[early.id, late.id, 'c3']],
        );
      }
    });

    test('checked in at two sites: the later device time stands; the reception site sees the conflict; in either arrival order', async () => {
      for (const [person, lateFirst] of [
        [people[4]!, true],
        [people[5]!, false],
      ] as const) {
        const here = checkedIn(person, 'jibrin', '11:30');
        const there = checkedIn(person, 'rashidin', '11:00');
        if (lateFirst) {
          await send(receptionA, [here]);
          await send(receptionB, [there]);
        } else {
          await send(receptionB, [there]);
          await send(receptionA, [here]);
        }
        assert.equal((await stored([here.id, there.id])).length, 2);
        const listed = (await items('check_in_conflict')).filter((i) => i.personIds[0] === person);
        assert.equal(listed.length, 1);
        assert.equal(listed[0]!.siteId, 'jibrin');
        assert.equal(listed[0]!.details.standing.factId, here.id);
        assert.equal(listed[0]!.details.superseded.siteId, 'rashidin');
        assert.ok((await items('check_in_conflict', '&siteId=jibrin')).some((i) => i.key === listed[0]!.key));
        const record = await coordinator.get(`${base}/persons/${person}`);
        assert.equal(record.status, 200);
      }
      await h.settleCounts();
      assert.deepEqual((await verifyCounts(h.db.kysely, h.keys, op)).differences, []);
    });

    test('a journey is not a conflict: boarded, checked in, boarded onward; a shelter assignment after a check-in', async () => {
      const person = people[6]!;
      await send(officerA, [boarded(person, 'c1', 'bus1', '08:00')]);
      await send(receptionA, [checkedIn(person, 'rashidin', '08:30')]);
      await send(officerA, [boarded(person, 'c2', 'c2-bus', '09:00')]);
      await send(receptionA, [checkedIn(person, 'jibrin', '09:30')]);
      await send(receptionA, [checkedIn(person, 'rashidin', '10:00', { shelter: 'Hall 3' })]);
      for (const kind of ['boarding_conflict', 'check_in_conflict'])
        assert.deepEqual(
          (await items(kind)).filter((i) => i.personIds[0] === person),
          [],
        );
    });

    test('one household registered on two phones offline: both kept, each member on the duplicates desk, in either order', async () => {
      const family = (familyName: string, familyAr: string) => ({
        siteId: 'amiriyah',
        members: [
          { given: 'Salma', ar: 'سلمى', sex: 'female', dateOfBirth: '1978-03-02' },
          { given: 'Yusuf', ar: 'يوسف', sex: 'male', dateOfBirth: '2007-06-11' },
        ].map((m) => ({
          names: { lat: { given: m.given, family: familyName }, ar: { given: m.ar, family: familyAr } },
          sex: m.sex,
          dateOfBirth: m.dateOfBirth,
        })),
      });
      const phoneA = await h.userWithRoles(op, ['registrar'], 'phone-a');
      const phoneB = await h.userWithRoles(op, ['registrar'], 'phone-b');
      for (const [name, ar, lateFirst] of [
        ['Qassab', 'قصاب', true],
        ['Hallaq', 'حلاق', false],
      ] as const) {
        const sendLate = () =>
          phoneA.post(`${base}/households/batch`, { households: [{ ...family(name, ar), registeredAt: at('07:40') }] });
        const sendEarly = () =>
          phoneB.post(`${base}/households/batch`, { households: [{ ...family(name, ar), registeredAt: at('07:10') }] });
        const [first, second] = lateFirst ? [await sendLate(), await sendEarly()] : [await sendEarly(), await sendLate()];
        for (const r of [first, second]) assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.notEqual(first.body.households[0].id, second.body.households[0].id, 'both registrations are kept');
        assert.equal(second.body.duplicateCheck, 'queued', 'checked just after the commit');
        await h.settleDuplicates();
        const reviews = (await coordinator.get(`${base}/duplicates?limit=200`)).body as {
          personA: { id: string };
          personB: { id: string };
        }[];
        const pairs = new Set(reviews.map((r) => [r.personA.id, r.personB.id].sort().join('/')));
        for (let i = 0; i < 2; i++) {
          const pair = [first.body.households[0].members[i], second.body.households[0].members[i]].sort().join('/');
          assert.ok(pairs.has(pair), `member ${i} of ${name} is on the duplicates desk`);
        }
      }
    });
  });
}
