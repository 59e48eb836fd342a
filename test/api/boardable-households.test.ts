/**
 * The households a convoy officer may still board (GET …/boardable-households), which the convoy
 * board keeps sealed on the phone to board with no network: those registered where a route of a
 * convoy being prepared leaves from, with someone not yet boarded or checked in (a voided check-in
 * does not count, a restored one does), with their
 * members (only what boarding needs) and where any of them is already manifested; not those
 * boarded, arrived or registered at a destination; audited as a read of each; refused to roles
 * that do not manage convoys; a bad or unknown site is a 4xx.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ulid } from 'ulid';
import { encodeTag, formatTag } from '../../src/domain/tags.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`households still to board (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let officer: Client;
    let base: string;
    let firstSerial: number;
    const ids: Record<string, string> = {};
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answers are JSON read by the assertions
    const ok = async (p: Promise<{ status: number; body: any }>, status = 201) => {
      const r = await p;
      assert.equal(r.status, status, JSON.stringify(r.body));
      return r.body;
    };

    before(async () => {
      h = await startHarness(await dialect.open());
      const made = await setUpOperation(h, 'boardable-op');
      op = made.id;
      firstSerial = made.range.firstSerial;
      base = `/api/operations/${op}`;
      officer = await h.userWithRoles(op, ['convoy_officer'], 'boardable-officer');
      const planner = await h.userWithRoles(op, ['coordinator', 'registrar', 'convoy_officer', 'reception_officer'], 'boardable-planner');
      await ok(planner.post(`${base}/routes`, { id: 'west', siteIds: ['amiriyah', 'rashidin'] }));
      await ok(
        planner.post(`${base}/movement-windows`, {
          start: new Date(Date.now() - 3_600_000).toISOString(),
          end: new Date(Date.now() + 6 * 3_600_000).toISOString(),
        }),
      );
      let serial = firstSerial;
      const household = async (given: string, siteId = 'amiriyah') => {
        const hh = await ok(
          planner.post(`${base}/households`, {
            siteId,
            members: [
              {
                names: { lat: { given, family: 'Boardabletest' } },
                sex: 'female',
                estimatedAge: 30,
                tag: formatTag(encodeTag(serial++)),
                phone: '+963 11 000 0000',
              },
              { names: { lat: { given: `${given}son`, family: 'Boardabletest' } }, sex: 'male', estimatedAge: 5, relationship: 'child' },
            ],
          }),
        );
        ids[given] = hh.id;
        return hh;
      };
      await household('Waiting');
      const gone = await household('Gone');
      const half = await household('Half');
      await household('Destination', 'rashidin');
      const arrived = await household('Arrived');
      const left = (await ok(planner.post(`${base}/convoys`, { routeId: 'west' }))).id as string;
      await ok(planner.post(`${base}/convoys/${left}/vehicles`, { id: 'bus-left', kind: 'bus' }));
      await ok(planner.post(`${base}/convoys/${left}/boardings`, { householdId: gone.id, vehicleId: 'bus-left' }));
      await ok(planner.post(`${base}/convoys/${left}/transitions`, { event: 'depart' }), 200);
      const open = (await ok(planner.post(`${base}/convoys`, { routeId: 'west' }))).id as string;
      ids.open = open;
      await ok(planner.post(`${base}/convoys/${open}/vehicles`, { id: 'bus-open', kind: 'bus' }));
      await ok(
        planner.post(`${base}/convoys/${open}/boardings`, {
          householdId: half.id,
          vehicleId: 'bus-open',
          memberIds: [half.members[0].id],
          splitReason: 'the boy follows with his uncle',
        }),
      );
      for (const m of arrived.members) await ok(planner.post(`${base}/check-ins`, { siteId: 'rashidin', personId: m.id }));
      // Checked in by mistake, and the check-ins voided: still to board. Voided and restored: arrived.
      const corrected = await household('Corrected');
      const restored = await household('Restored');
      const correct = async (factId: string) => {
        const id = ulid();
        await ok(
          planner.post(`${base}/facts`, {
            facts: [{ id, kind: 'correction', deviceTime: new Date().toISOString(), payload: { voids: factId } }],
          }),
          200,
        );
        return id;
      };
      for (const m of corrected.members)
        await correct((await ok(planner.post(`${base}/check-ins`, { siteId: 'rashidin', personId: m.id }))).factId);
      for (const m of restored.members)
        await correct(await correct((await ok(planner.post(`${base}/check-ins`, { siteId: 'rashidin', personId: m.id }))).factId));
    });
    after(async () => h.close());

    test('lists the households still to board with only what boarding needs, where members already ride, and audits the read', async () => {
      const list = await ok(officer.get(`${base}/boardable-households`), 200);
      assert.deepEqual(
        list.households.map((x: { id: string }) => x.id),
        [ids.Waiting, ids.Half, ids.Corrected],
        'registered where the route leaves, someone still to board (a voided check-in does not count): not the boarded, the arrived (a check-in restored by a correction of its correction included), nor those at the destination',
      );
      assert.deepEqual(list.convoyIds, [ids.open]);
      assert.equal(list.truncated, false);
      const waiting = list.households[0];
      assert.equal(waiting.siteId, 'amiriyah');
      assert.deepEqual(
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON
        waiting.members.map((m: any) => [m.names.lat.given, m.sex, m.ageBand, m.tag]),
        [
          ['Waiting', 'female', '18-59', formatTag(encodeTag(firstSerial))],
          ['Waitingson', 'male', '5-11', null],
        ],
      );
      for (const key of ['phone', 'documentNumber', 'origin', 'notes', 'category', 'medicalNotes'])
        assert.equal(key in waiting.members[0], false, `${key} is not sent to the phone`);
      assert.deepEqual(list.entries, [
        { personId: list.households[1].members[0].id, householdId: ids.Half, convoyId: ids.open, vehicleId: 'bus-open', split: true },
      ]);
      const audited = await sql<{
        details: { persons: string[] };
      }>`select details from audit_log where action = 'convoy.boardable_read'`.execute(h.db.kysely);
      assert.equal(audited.rows.length, 1);
      assert.equal(audited.rows[0]!.details.persons.length, 6, 'the six people named');
    });

    test('one departure site only when asked; a site of no convoy leaving gives nothing', async () => {
      const at = await ok(officer.get(`${base}/boardable-households?siteId=amiriyah`), 200);
      assert.equal(at.households.length, 3);
      const none = await ok(officer.get(`${base}/boardable-households?siteId=rashidin`), 200);
      assert.deepEqual(none.households, []);
    });

    test('a bad or unknown site, or an unknown parameter, is a 4xx with the field', async () => {
      const unknown = await officer.get(`${base}/boardable-households?siteId=nowhere`);
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, 'site.not_found');
      const bad = await officer.get(`${base}/boardable-households?siteId=${encodeURIComponent('no such/site')}`);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.fields[0].path, 'query.siteId');
      const extra = await officer.get(`${base}/boardable-households?tag=x`);
      assert.equal(extra.status, 400);
    });

    test('refused to a role that does not manage convoys', async () => {
      const reception = await h.userWithRoles(op, ['reception_officer'], 'boardable-reception');
      assert.equal((await reception.get(`${base}/boardable-households`)).status, 403);
      const monitor = await h.userWithRoles(op, ['checkpoint_monitor'], 'boardable-monitor');
      assert.equal((await monitor.get(`${base}/boardable-households`)).status, 403);
    });
  });
}
