/**
 * Two devices board one person on two convoys at the same moment (issue 17: conflicts decided,
 * never dropped). On PostgreSQL the two boardings run in two transactions at once; each used to
 * read where the person was seated before the other had written, so both placed them and the
 * person ended on two manifests. Now a boarding locks the people it seats before it reads: the
 * second waits, and the end is that of one order — the person on one manifest only (the boarding
 * latest by device time for facts; the first one for the convoy board, which refuses the second).
 * PGlite runs one transaction at a time, so there it checks the same end by another road.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ulid } from 'ulid';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

const PAIRS = 8;

for (const dialect of dialects) {
  describe(`one person boarded on two convoys at once (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let base: string;
    let officer: Client, otherOfficer: Client, registrar: Client, coordinator: Client;

    async function households(n: number, family: string) {
      const ids: { id: string; person: string }[] = [];
      for (let i = 0; i < n; i++) {
        const r = await registrar.post(`${base}/households`, {
          siteId: 'amiriyah',
          members: [{ names: { lat: { given: `Racer${i}`, family } }, sex: i % 2 ? 'male' : 'female', estimatedAge: 30 + i }],
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        ids.push({ id: r.body.id, person: (r.body.members as { id: string }[])[0]!.id });
      }
      return ids;
    }
    /** Every open manifest entry of these people: convoy by person. */
    async function seats(people: string[]) {
      const rows = await h.db.kysely
        .selectFrom('manifest_entries')
        .select(['person_id', 'convoy_id'])
        .where('operation_id', '=', op)
        .where('person_id', 'in', people)
        .execute();
      const out = new Map<string, string[]>();
      for (const r of rows) out.set(r.person_id, [...(out.get(r.person_id) ?? []), r.convoy_id]);
      return out;
    }

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h, 'boarding-race')).id;
      base = `/api/operations/${op}`;
      [officer, otherOfficer, registrar, coordinator] = (await Promise.all([
        h.userWithRoles(op, ['convoy_officer'], 'race-officer-1'),
        h.userWithRoles(op, ['convoy_officer'], 'race-officer-2'),
        h.userWithRoles(op, ['registrar']),
        h.userWithRoles(op, ['coordinator']),
      ])) as [Client, Client, Client, Client];
      assert.equal((await coordinator.post(`${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'rashidin'] })).status, 201);
      for (const c of ['c1', 'c2']) {
        assert.equal((await officer.post(`${base}/convoys`, { id: c, routeId: 'r1' })).status, 201);
        assert.equal((await officer.post(`${base}/convoys/${c}/vehicles`, { id: `${c}-bus`, kind: 'bus', capacity: 50 })).status, 201);
      }
    });
    after(async () => {
      await h.close();
    });

    test('boarding facts sent at once from two phones: the person ends on the convoy of the later boarding only', async () => {
      const people = await households(PAIRS, 'Factrace');
      const early = '2016-12-15T08:00:00.000Z';
      const late = '2016-12-15T08:05:00.000Z';
      const fact = (person: string, convoy: string, deviceTime: string) => ({
        facts: [
          { id: ulid(), kind: 'boarded', convoyId: convoy, vehicleId: `${convoy}-bus`, siteId: 'amiriyah', personId: person, deviceTime },
        ],
      });
      const replies = await Promise.all(
        people.flatMap((p, i) => {
          // Half the pairs have the later boarding on c1, half on c2.
          const [first, second] = i % 2 ? ['c1', 'c2'] : ['c2', 'c1'];
          return [
            officer.post(`${base}/facts`, fact(p.person, first, early)),
            otherOfficer.post(`${base}/facts`, fact(p.person, second, late)),
          ];
        }),
      );
      for (const r of replies) assert.ok(r.status === 200 || r.status === 201, JSON.stringify(r.body));
      const seated = await seats(people.map((p) => p.person));
      for (const [i, p] of people.entries())
        assert.deepEqual(seated.get(p.person), [i % 2 ? 'c2' : 'c1'], `person ${i}: on the convoy of the later boarding only`);
    });

    test('the same household boarded on two convoys at once from the board: one boarding stands, the other is refused', async () => {
      const hh = await households(PAIRS, 'Boardrace');
      const replies = await Promise.all(
        hh.flatMap((x) => [
          officer.post(`${base}/convoys/c1/boardings/batch`, { boardings: [{ householdId: x.id, vehicleId: 'c1-bus' }] }),
          otherOfficer.post(`${base}/convoys/c2/boardings/batch`, { boardings: [{ householdId: x.id, vehicleId: 'c2-bus' }] }),
        ]),
      );
      const seated = await seats(hh.map((x) => x.person));
      for (const [i, x] of hh.entries()) {
        const pair = replies.slice(2 * i, 2 * i + 2);
        const ok = pair.filter((r) => r.status === 200 || r.status === 201);
        assert.equal(ok.length, 1, `household ${i}: one boarding accepted (${pair.map((r) => r.status).join(', ')})`);
        const refused = pair.find((r) => r.status >= 400);
        assert.equal(refused?.body.error.code, 'manifest.person_already_manifested', JSON.stringify(refused?.body));
        assert.equal(seated.get(x.person)?.length, 1, `household ${i}: on one manifest`);
      }
    });
  });
}
