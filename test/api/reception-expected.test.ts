/**
 * The people a reception site expects (GET …/sites/:siteId/expected), which a reception phone
 * keeps sealed for an offline tag look-up: those manifested on convoys boarding or on the road
 * along a route through the site, with their records; not those of convoys going elsewhere;
 * audited as a read of each; refused to roles that do not check people in.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`a reception site's expected people (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let officer: Client;
    let base: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answers are JSON read by the assertions
    const ok = async (p: Promise<{ status: number; body: any }>, status = 201) => {
      const r = await p;
      assert.equal(r.status, status, JSON.stringify(r.body));
      return r.body;
    };

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h, 'expected-op')).id;
      base = `/api/operations/${op}`;
      officer = await h.userWithRoles(op, ['reception_officer'], 'expected-officer');
      const planner = await h.userWithRoles(op, ['coordinator', 'registrar', 'convoy_officer'], 'expected-planner');
      await ok(planner.post(`${base}/routes`, { id: 'to-rashidin', siteIds: ['amiriyah', 'rashidin'] }));
      await ok(h.admin.post(`${base}/sites`, { id: 'camp-far', kind: 'camp', nameEn: 'Far camp' }));
      await ok(planner.post(`${base}/routes`, { id: 'elsewhere', siteIds: ['amiriyah', 'camp-far'] }));
      await ok(
        planner.post(`${base}/movement-windows`, {
          start: new Date(Date.now() - 3_600_000).toISOString(),
          end: new Date(Date.now() + 6 * 3_600_000).toISOString(),
        }),
      );
      const household = async (given: string) =>
        ok(
          planner.post(`${base}/households`, {
            siteId: 'amiriyah',
            members: [
              { names: { lat: { given, family: 'Expectedtest' } }, sex: 'female', estimatedAge: 30 },
              { names: { lat: { given: `${given}son`, family: 'Expectedtest' } }, sex: 'male', estimatedAge: 5, relationship: 'child' },
            ],
          }),
        );
      const convoy = async (routeId: string, given: string, depart: boolean) => {
        const c = (await ok(planner.post(`${base}/convoys`, { routeId }))).id as string;
        await ok(planner.post(`${base}/convoys/${c}/vehicles`, { id: `bus-${given}`, kind: 'bus' }));
        const hh = await household(given);
        await ok(planner.post(`${base}/convoys/${c}/boardings`, { householdId: hh.id, vehicleId: `bus-${given}` }));
        if (depart) await ok(planner.post(`${base}/convoys/${c}/transitions`, { event: 'depart' }), 200);
        return c;
      };
      await convoy('to-rashidin', 'Comingalong', true);
      await convoy('elsewhere', 'Goingelsewhere', true);
      await convoy('to-rashidin', 'Stillboarding', false);
    });
    after(async () => h.close());

    test('lists the people on convoys on the road to the site, with their records, and audits the read', async () => {
      const list = await ok(officer.get(`${base}/sites/rashidin/expected`), 200);
      const given = list.persons.map((p: { names: { lat: { given: string } } }) => p.names.lat.given).sort();
      assert.deepEqual(given, ['Comingalong', 'Comingalongson', 'Stillboarding', 'Stillboardingson']);
      assert.equal(list.entries.length, 4);
      assert.equal(list.convoys.length, 2);
      assert.equal(list.truncated, false);
      const audited = await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'reception.expected_read'`.execute(
        h.db.kysely,
      );
      assert.equal(audited.rows[0]!.n, 1);
      const far = await ok(officer.get(`${base}/sites/camp-far/expected`), 200);
      assert.deepEqual(far.persons.map((p: { names: { lat: { given: string } } }) => p.names.lat.given).sort(), [
        'Goingelsewhere',
        'Goingelsewhereson',
      ]);
    });

    test('refused to a role that does not check people in', async () => {
      const monitor = await h.userWithRoles(op, ['checkpoint_monitor'], 'expected-monitor');
      const r = await monitor.get(`${base}/sites/rashidin/expected`);
      assert.equal(r.status, 403);
    });
  });
}
