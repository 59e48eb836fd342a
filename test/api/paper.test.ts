/**
 * The paper that travels with convoys, through the whole HTTP stack on both databases: a
 * vehicle's named manifest (convoy officer yes, viewer no; each person on it an audited read),
 * its count-only manifest (the right figures, and no name, tag, person id or category anywhere in
 * it), a reception site's arrival list of a convoy (who checked in here, audited), wristband prints
 * (a reprint needs a reason, sealed in the audit entry), and paper forms entered later at the
 * form's own time (bounded, and said to come from paper in the audit log).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeTag, formatTag } from '../../src/domain/tags.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`paper (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let base: string;
    let lead: Client;
    let officer: Client;
    let viewer: Client;
    let reception: Client;
    let registrar: Client;
    let serial: number;
    let household: { id: string; members: { id: string; tag: string | null }[] };

    const auditOf = async (action: string) =>
      (
        await h.db.kysely
          .selectFrom('audit_log')
          .select(['subject_id', 'details', 'actor_id'])
          .where('operation_id', '=', op)
          .where('action', '=', action)
          .orderBy('seq')
          .execute()
      ).map((e) => ({ ...e, details: (typeof e.details === 'string' ? JSON.parse(e.details) : e.details) as Record<string, unknown> }));

    before(async () => {
      h = await startHarness(await dialect.open());
      const set = await setUpOperation(h);
      op = set.id;
      serial = set.range.firstSerial;
      base = `/api/operations/${op}`;
      lead = await h.userWithRoles(op, ['coordinator', 'registrar'], 'lead');
      officer = await h.userWithRoles(op, ['convoy_officer'], 'officer');
      viewer = await h.userWithRoles(op, ['viewer'], 'donor');
      reception = await h.userWithRoles(op, ['reception_officer'], 'tent');
      registrar = await h.userWithRoles(op, ['registrar'], 'desk');
      const r = await lead.post(`${base}/households`, {
        siteId: 'amiriyah',
        members: [
          {
            names: { lat: { given: 'Zafirah', family: 'Qandil' }, ar: { given: 'ظافرة', family: 'قنديل' } },
            sex: 'female',
            estimatedAge: 34,
            vulnerabilities: ['wounded', 'pregnant'],
            category: 'civilian',
            tag: formatTag(encodeTag(serial++)),
          },
          {
            names: { lat: { given: 'Yusrion', family: 'Qandil' } },
            sex: 'male',
            estimatedAge: 36,
            relationship: 'spouse',
            vulnerabilities: ['wounded'],
            category: 'combatant',
            tag: formatTag(encodeTag(serial++)),
          },
          { names: { lat: { given: 'Wardiyya', family: 'Qandil' } }, sex: 'female', estimatedAge: 3, relationship: 'child' },
        ],
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      household = r.body;
      assert.equal((await lead.post(`${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'rashidin'] })).status, 201);
      assert.equal((await officer.post(`${base}/convoys`, { id: 'c1', routeId: 'r1', name: 'Night convoy' })).status, 201);
      for (const v of [
        { id: 'bus1', kind: 'bus', plate: 'ALP-101' },
        { id: 'car1', kind: 'private_car', mode: 'head_count' },
      ])
        assert.equal((await officer.post(`${base}/convoys/c1/vehicles`, v)).status, 201);
      const b = await officer.post(`${base}/convoys/c1/boardings`, { householdId: household.id, vehicleId: 'bus1' });
      assert.equal(b.status, 201, JSON.stringify(b.body));
      const hc = await officer.post(`${base}/convoys/c1/head-counts`, {
        vehicleId: 'car1',
        rows: [
          { sex: 'male', ageBand: '18-59', category: 'combatant', count: 4 },
          { sex: 'female', ageBand: '18-59', category: 'civilian', count: 1 },
        ],
      });
      assert.equal(hc.status, 201, JSON.stringify(hc.body));
    });
    after(async () => h?.close());

    test('the named manifest of a vehicle is for convoy officers, names its people without category, and audits each read', async () => {
      const url = `${base}/convoys/c1/vehicles/bus1/manifest`;
      const refused = await viewer.get(url);
      assert.equal(refused.status, 403);
      assert.equal((await reception.get(url)).status, 403);
      const before = (await auditOf('person.read')).length;
      const r = await officer.get(url);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.vehicle.plate, 'ALP-101');
      assert.deepEqual(r.body.route, { origin: 'amiriyah', destination: 'rashidin' });
      assert.deepEqual(r.body.passengers.map((p: { names: { lat: { given: string } } }) => p.names.lat.given).sort(), [
        'Wardiyya',
        'Yusrion',
        'Zafirah',
      ]);
      assert.equal(
        r.body.passengers.find((p: { personId: string }) => p.personId === household.members[0]!.id).tag,
        household.members[0]!.tag,
      );
      assert.equal(r.body.counts.total, 3);
      assert.doesNotMatch(JSON.stringify(r.body), /combatant|civilian|category/);
      const reads = (await auditOf('person.read')).slice(before);
      assert.deepEqual(reads.map((e) => e.subject_id).sort(), household.members.map((m) => m.id).sort());
      assert.ok(reads.every((e) => e.details.via === 'paper.vehicle_manifest' && e.details.vehicleId === 'bus1'));
      assert.equal((await officer.get(`${base}/convoys/c1/vehicles/nope/manifest`)).body.error.code, 'manifest.vehicle_not_found');
    });

    test('the count-only manifest counts by sex × age band and vulnerability, with no name, tag, person or category in it', async () => {
      const bus = await officer.get(`${base}/convoys/c1/vehicles/bus1/count-manifest`);
      assert.equal(bus.status, 200, JSON.stringify(bus.body));
      const cell = (body: typeof bus.body, ageBand: string, sex: string) =>
        body.counts.bySexAge.find((c: { ageBand: string; sex: string }) => c.ageBand === ageBand && c.sex === sex).count;
      assert.equal(bus.body.counts.total, 3);
      assert.equal(cell(bus.body, '18-59', 'female'), 1);
      assert.equal(cell(bus.body, '18-59', 'male'), 1);
      assert.equal(cell(bus.body, '0-4', 'female'), 1);
      assert.deepEqual(bus.body.counts.vulnerabilities, [
        { vulnerability: 'wounded', count: 2 },
        { vulnerability: 'pregnant', count: 1 },
      ]);
      const car = await officer.get(`${base}/convoys/c1/vehicles/car1/count-manifest`);
      assert.equal(car.body.counts.total, 5);
      assert.equal(cell(car.body, '18-59', 'male'), 4);
      for (const body of [bus.body, car.body]) {
        const text = JSON.stringify(body);
        for (const secret of ['Zafirah', 'Yusrion', 'Wardiyya', 'Qandil', 'ظافرة', 'قنديل', 'combatant', 'civilian', 'category'])
          assert.ok(!text.includes(secret), `${secret} is not on the count-only manifest`);
        for (const m of household.members) {
          assert.ok(!text.includes(m.id), 'no person id');
          if (m.tag) assert.ok(!text.includes(m.tag) && !text.includes(m.tag.replace('-', '')), 'no tag');
        }
        assert.ok(!text.includes(household.id), 'no household id');
      }
      assert.equal((await viewer.get(`${base}/convoys/c1/vehicles/bus1/count-manifest`)).status, 403);
      const printed = await auditOf('paper.count_manifest');
      assert.deepEqual(
        printed.map((e) => e.subject_id),
        ['bus1', 'car1'],
      );
    });

    test("a reception site's arrival list of a convoy names everyone on it with their check-in here, for reception officers only", async () => {
      const arrived = household.members[0]!.id;
      const c = await reception.post(`${base}/check-ins`, { siteId: 'rashidin', personId: arrived });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      const url = `${base}/sites/rashidin/convoys/c1/arrivals`;
      assert.equal((await viewer.get(url)).status, 403);
      assert.equal((await officer.get(url)).status, 403);
      const before = (await auditOf('person.read')).length;
      const r = await reception.get(url);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.site.nameAr, 'مركز استقبال الراشدين');
      assert.equal(r.body.people.length, 3);
      assert.equal(r.body.arrived, 1);
      const mine = r.body.people.find((p: { personId: string }) => p.personId === arrived);
      assert.ok(mine.checkedInAt);
      assert.equal(mine.names.lat.given, 'Zafirah');
      assert.ok(
        r.body.people
          .filter((p: { personId: string }) => p.personId !== arrived)
          .every((p: { checkedInAt: unknown }) => p.checkedInAt === null),
      );
      assert.doesNotMatch(JSON.stringify(r.body), /combatant/);
      const reads = (await auditOf('person.read')).slice(before);
      assert.equal(reads.length, 3);
      assert.ok(reads.every((e) => e.details.via === 'paper.arrival_list' && e.details.siteId === 'rashidin'));
      assert.equal((await reception.get(`${base}/sites/nowhere/convoys/c1/arrivals`)).body.error.code, 'site.not_found');
    });

    test('printing wristbands again needs a reason, and every print is audited with the reason sealed', async () => {
      const url = `${base}/households/${household.id}/wristband-prints`;
      assert.equal((await viewer.post(url, {})).status, 403);
      const first = await registrar.post(url, {});
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.equal(first.body.printNumber, 1);
      assert.deepEqual(
        first.body.tags.map((t: { tag: string }) => t.tag).sort(),
        household.members.flatMap((m) => (m.tag ? [m.tag] : [])).sort(),
      );
      const noReason = await registrar.post(url, {});
      assert.equal(noReason.status, 400);
      assert.equal(noReason.body.error.details.fields[0].path, 'reason');
      const again = await registrar.post(url, { reason: 'band torn at the gate by Zafirah' });
      assert.equal(again.status, 201, JSON.stringify(again.body));
      assert.equal(again.body.printNumber, 2);
      const prints = await auditOf('wristband.print');
      assert.deepEqual(
        prints.map((e) => e.details.printNumber),
        [1, 2],
      );
      assert.equal(prints[0]!.details.reason, undefined);
      assert.ok((prints[1]!.details.reason as { sealed: string }).sealed);
      assert.doesNotMatch(JSON.stringify(prints), /torn|Zafirah/);
    });

    test('a paper form is entered later at the time written on it, within bounds, and the audit says it came from paper', async () => {
      const url = `${base}/households/batch`;
      const form = (registeredAt?: string) => ({
        siteId: 'amiriyah',
        source: 'paper',
        ...(registeredAt ? { registeredAt } : {}),
        members: [{ names: { lat: { given: 'Paperina', family: 'Forms' } }, sex: 'female', estimatedAge: 50 }],
      });
      const hoursAgo = (n: number) => new Date(Date.now() - n * 3600_000).toISOString();
      const missing = await registrar.post(url, { households: [form()] });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error.details.fields[0].path, 'households.0.registeredAt');
      const tooOld = await registrar.post(url, { households: [form(hoursAgo(24 * 40))] });
      assert.equal(tooOld.status, 400);
      assert.equal(tooOld.body.error.details.fields[0].path, 'households.0.registeredAt');
      const future = await registrar.post(url, { households: [form(new Date(Date.now() + 3 * 3600_000).toISOString())] });
      assert.equal(future.status, 400);
      const paperTime = hoursAgo(30);
      const ok = await registrar.post(url, { households: [form(paperTime)] });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      const id = ok.body.households[0].id as string;
      const read = await registrar.get(`${base}/households/${id}`);
      assert.equal(read.body.registeredAt, paperTime);
      const entry = (await auditOf('household.register')).find((e) => e.subject_id === id);
      assert.equal(entry?.details.source, 'paper');
      assert.equal(entry?.details.paperTime, paperTime);
      const desk = await registrar.post(url, { households: [{ ...form(hoursAgo(1)), source: 'desk' }] });
      assert.equal(desk.status, 201);
      const deskEntry = (await auditOf('household.register')).find((e) => e.subject_id === desk.body.households[0].id);
      assert.equal(deskEntry?.details.source, undefined);
    });
  });
}
