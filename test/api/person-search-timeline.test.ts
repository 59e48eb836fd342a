/**
 * Finding a person and reading their story: search results a page at a time, each saying where
 * the person stands (as the counts derive it) and how many their household is; the timeline of
 * a person and their household in order, with who recorded each fact and where, the vehicle's
 * plate and the convoy's name; reading it is audited as a read of the record; a viewer gets neither.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ulid } from 'ulid';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

const minutes = (base: number, m: number) => new Date(base + m * 60_000).toISOString();

for (const dialect of dialects) {
  describe(`person search and timeline (${dialect.name})`, () => {
    let h: Harness;
    let base: string;
    let registrar: Client, officer: Client, coordinator: Client, monitor: Client, reception: Client, viewer: Client;
    let household: { id: string; members: { id: string }[] };
    const t0 = Date.now() - 6 * 3600_000;

    before(async () => {
      h = await startHarness(await dialect.open());
      const op = (await setUpOperation(h, 'timeline-op')).id;
      base = `/api/operations/${op}`;
      assert.equal(
        (await h.admin.post(`${base}/sites`, { id: 'ramouseh', kind: 'checkpoint', nameEn: 'Ramouseh checkpoint' })).status,
        201,
      );
      [registrar, officer, coordinator, monitor, reception, viewer] = (await Promise.all(
        (['registrar', 'convoy_officer', 'coordinator', 'checkpoint_monitor', 'reception_officer', 'viewer'] as const).map((r) =>
          h.userWithRoles(op, [r], `tl-${r}`),
        ),
      )) as [Client, Client, Client, Client, Client, Client];
      const r = await registrar.post(`${base}/households`, {
        siteId: 'amiriyah',
        members: [
          { names: { lat: { given: 'Hala', family: 'Qudsi' } }, sex: 'female', estimatedAge: 34, relationship: 'head' },
          { names: { lat: { given: 'Omar', family: 'Qudsi' } }, sex: 'male', estimatedAge: 6, relationship: 'child' },
        ],
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      household = r.body;
      for (let i = 0; i < 25; i++) {
        const p = await registrar.post(`${base}/households`, {
          siteId: 'amiriyah',
          members: [{ names: { lat: { given: `Given${i}`, family: 'Pagingname' } }, sex: i % 2 ? 'male' : 'female', estimatedAge: 20 + i }],
        });
        assert.equal(p.status, 201);
      }
      assert.equal((await coordinator.post(`${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'ramouseh', 'rashidin'] })).status, 201);
      assert.equal((await officer.post(`${base}/convoys`, { id: 'c1', routeId: 'r1', name: 'Dawn convoy' })).status, 201);
      assert.equal(
        (await officer.post(`${base}/convoys/c1/vehicles`, { id: 'bus1', kind: 'bus', capacity: 40, plate: 'ALP-101' })).status,
        201,
      );
      const b = await officer.post(`${base}/convoys/c1/boardings`, { householdId: household.id, vehicleId: 'bus1', at: minutes(t0, 0) });
      assert.equal(b.status, 201, JSON.stringify(b.body));
      const d = await coordinator.post(`${base}/convoys/c1/transitions`, {
        event: 'depart',
        at: minutes(t0, 10),
        override: { reason: 'synthetic test dispatch' },
      });
      assert.equal(d.status, 200, JSON.stringify(d.body));
      const f = await monitor.post(`${base}/facts`, {
        facts: [
          {
            id: ulid(),
            kind: 'passed_checkpoint',
            convoyId: 'c1',
            vehicleId: 'bus1',
            siteId: 'ramouseh',
            deviceTime: minutes(t0, 30),
            payload: { observedHeadCount: 2 },
          },
        ],
      });
      assert.equal(f.status, 200, JSON.stringify(f.body));
      assert.equal((await officer.post(`${base}/convoys/c1/transitions`, { event: 'arrive', at: minutes(t0, 60) })).status, 200);
      const c = await reception.post(`${base}/check-ins`, { siteId: 'rashidin', personId: household.members[0]!.id });
      assert.equal(c.status, 201, JSON.stringify(c.body));
    });
    after(async () => h.close());

    test('a removal from a manifest is on the timeline: the boarding (marked voided) and who took them off, from which vehicle', async () => {
      const r = await registrar.post(`${base}/households`, {
        siteId: 'amiriyah',
        members: [{ names: { lat: { given: 'Rana', family: 'Taken' } }, sex: 'female', estimatedAge: 40 }],
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const rana = r.body.members[0].id as string;
      assert.equal((await officer.post(`${base}/convoys`, { id: 'c2', routeId: 'r1', name: 'Noon convoy' })).status, 201);
      assert.equal((await officer.post(`${base}/convoys/c2/vehicles`, { id: 'bus2', kind: 'bus', plate: 'ALP-202' })).status, 201);
      const b = await officer.post(`${base}/convoys/c2/boardings`, { householdId: r.body.id, vehicleId: 'bus2' });
      assert.equal(b.status, 201, JSON.stringify(b.body));
      const off = await officer.post(`${base}/convoys/c2/removals`, { householdId: r.body.id, reason: 'waits for her son' });
      assert.equal(off.status, 200, JSON.stringify(off.body));
      const entries = (await registrar.get(`${base}/persons/${rana}/timeline`)).body.entries as {
        kind: string;
        personId: string | null;
        convoyName: string | null;
        vehiclePlate: string | null;
        by: { name: string } | null;
        details: Record<string, unknown>;
      }[];
      const boarded = entries.find((e) => e.kind === 'boarded')!;
      assert.equal(boarded.details.voided, 1);
      const removed = entries.find((e) => e.kind === 'removed_from_manifest')!;
      assert.equal(removed.personId, rana);
      assert.equal(removed.vehiclePlate, 'ALP-202');
      assert.equal(removed.convoyName, 'Noon convoy');
      assert.equal(removed.by?.name, 'tl-convoy_officer');
      assert.ok(!JSON.stringify(entries).includes('waits for her son'), 'the reason stays sealed');
      assert.ok(entries.indexOf(boarded) < entries.indexOf(removed));
    });

    test('search results say where each person stands, their age and sex, and how many their household is', async () => {
      const r = await registrar.get(`${base}/persons?q=Qudsi`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const byId = new Map(r.body.map((p: { id: string }) => [p.id, p]));
      const hala = byId.get(household.members[0]!.id) as Record<string, unknown>;
      const omar = byId.get(household.members[1]!.id) as Record<string, unknown>;
      assert.equal(hala.status, 'arrived');
      assert.equal(omar.status, 'missing', 'his vehicle arrived but he was never checked in');
      assert.equal(hala.householdSize, 2);
      assert.equal(omar.sex, 'male');
      assert.equal(omar.ageBand, '5-11');
      const waiting = await registrar.get(`${base}/persons?q=Given3+Pagingname`);
      assert.equal(waiting.body[0].status, 'registered');
      assert.equal(waiting.body[0].householdSize, 1);
    });

    test('everyone who stands so now, a page at a time (the list behind the dashboard’s Arrived card)', async () => {
      const arrived = await registrar.get(`${base}/persons?status=arrived`);
      assert.equal(arrived.status, 200, JSON.stringify(arrived.body));
      assert.deepEqual(
        arrived.body.map((p: { id: string }) => p.id),
        [household.members[0]!.id],
        'Hala checked in; Omar did not',
      );
      assert.equal(arrived.body[0].status, 'arrived');
      const missing = await registrar.get(`${base}/persons?status=missing`);
      assert.deepEqual(
        missing.body.map((p: { id: string }) => p.id),
        [household.members[1]!.id],
      );
      const waiting = [];
      for (const offset of [0, 20]) waiting.push(...(await registrar.get(`${base}/persons?status=registered&offset=${offset}`)).body);
      assert.ok(waiting.length >= 25 && waiting.every((p: { status: string }) => p.status === 'registered'), `${waiting.length} waiting`);
      assert.equal(new Set(waiting.map((p: { id: string }) => p.id)).size, waiting.length, 'pages do not overlap');
      assert.equal((await registrar.get(`${base}/persons?status=lost`)).status, 400);
      assert.equal((await viewer.get(`${base}/persons?status=arrived`)).status, 403, 'a viewer reads numbers only');
    });

    test('search results come a page at a time, without overlap', async () => {
      const pages = [];
      for (const offset of [0, 10, 20])
        pages.push((await registrar.get(`${base}/persons?q=Pagingname&limit=10&offset=${offset}`)).body.map((p: { id: string }) => p.id));
      assert.deepEqual(
        pages.map((p) => p.length),
        [10, 10, 5],
      );
      assert.equal(new Set(pages.flat()).size, 25);
      const byTag = await registrar.get(`${base}/persons?q=Pagingname&offset=10001`);
      assert.equal(byTag.status, 400);
    });

    test('the timeline tells the household’s story in order, with who recorded each fact, where, the plate and the convoy', async () => {
      const omar = household.members[1]!.id;
      const r = await registrar.get(`${base}/persons/${omar}/timeline`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.householdId, household.id);
      assert.deepEqual(
        r.body.members.map((m: { names: { lat: { given: string } } }) => m.names.lat.given).sort(),
        ['Hala', 'Omar'],
        'the members the entries name',
      );
      const entries = r.body.entries as {
        at: string;
        kind: string;
        personId: string | null;
        by: { kind: string; name: string } | null;
        siteId: string | null;
        convoyName: string | null;
        vehiclePlate: string | null;
        details: Record<string, unknown>;
      }[];
      const kinds = entries.map((e) => e.kind);
      for (const k of [
        'household_registered',
        'registered',
        'manifested',
        'boarded',
        'departed',
        'passed_checkpoint',
        'arrived',
        'checked_in',
      ])
        assert.ok(kinds.includes(k), `${k} in ${kinds.join(', ')}`);
      assert.deepEqual(
        entries.map((e) => e.at),
        entries.map((e) => e.at).sort(),
        'oldest first',
      );
      assert.ok(kinds.indexOf('boarded') < kinds.indexOf('departed'));
      assert.ok(kinds.indexOf('passed_checkpoint') < kinds.indexOf('arrived'));
      const registered = entries.filter((e) => e.kind === 'registered');
      assert.deepEqual(registered.map((e) => e.personId).sort(), household.members.map((m) => m.id).sort(), 'both members');
      assert.deepEqual(registered[0]!.by, { kind: 'user', name: 'tl-registrar' });
      assert.equal(registered[0]!.siteId, 'amiriyah');
      const checkpoint = entries.find((e) => e.kind === 'passed_checkpoint')!;
      assert.equal(checkpoint.siteId, 'ramouseh');
      assert.equal(checkpoint.vehiclePlate, 'ALP-101');
      assert.equal(checkpoint.convoyName, 'Dawn convoy');
      assert.equal(checkpoint.details.observedHeadCount, 2);
      assert.deepEqual(checkpoint.by, { kind: 'user', name: 'tl-checkpoint_monitor' });
      const checkIn = entries.find((e) => e.kind === 'checked_in')!;
      assert.equal(checkIn.personId, household.members[0]!.id, 'his mother’s check-in is part of the household’s story');
      assert.equal(checkIn.siteId, 'rashidin');
      assert.equal(entries.filter((e) => e.kind === 'boarded').length, 2, 'each member’s boarding, no head-count boarding of others');

      const audited = await h.db.kysely
        .selectFrom('audit_log')
        .select(['details', 'actor_id'])
        .where('action', '=', 'person.read')
        .where('subject_id', '=', omar)
        .execute();
      const timelineReads = audited.filter(
        (a) => ((typeof a.details === 'string' ? JSON.parse(a.details) : a.details) as { view?: string } | null)?.view === 'timeline',
      );
      assert.equal(timelineReads.length, 1, 'reading the timeline is audited as a read of the record');
      assert.equal(timelineReads[0]!.actor_id, registrar.userId);
    });

    test('a correction is on the timeline beside the fact it voids (marked voided), and so is its undoing; an unknown person is a 404; a viewer sees neither search nor timeline', async () => {
      const omar = household.members[1]!.id;
      const before = (await registrar.get(`${base}/persons/${omar}/timeline`)).body.entries.length;
      const cp = await h.db.kysely
        .selectFrom('movement_facts')
        .select('id')
        .where('kind', '=', 'passed_checkpoint')
        .executeTakeFirstOrThrow();
      const correctionId = ulid();
      const v = await monitor.post(`${base}/facts`, {
        facts: [{ id: correctionId, kind: 'correction', deviceTime: minutes(t0, 90), payload: { voids: cp.id } }],
      });
      assert.equal(v.status, 200, JSON.stringify(v.body));
      type Entry = {
        kind: string;
        factId: string | null;
        vehiclePlate: string | null;
        siteId: string | null;
        by: { name: string } | null;
        details: Record<string, unknown>;
      };
      const after = (await registrar.get(`${base}/persons/${omar}/timeline`)).body.entries as Entry[];
      assert.equal(after.length, before + 1, 'the correction is added; the fact it voids stays');
      const voided = after.find((e) => e.kind === 'passed_checkpoint')!;
      assert.equal(voided.details.voided, 1, 'the fact corrected is marked voided');
      const corrected = after.find((e) => e.kind === 'corrected')!;
      assert.equal(corrected.factId, correctionId);
      assert.equal(corrected.details.corrects, 'passed_checkpoint');
      assert.equal(corrected.siteId, 'ramouseh', 'the correction takes the place of the fact it voids');
      assert.equal(corrected.vehiclePlate, 'ALP-101');
      assert.equal(corrected.by?.name, 'tl-checkpoint_monitor');
      const undo = await monitor.post(`${base}/facts`, {
        facts: [{ id: ulid(), kind: 'correction', deviceTime: minutes(t0, 95), payload: { voids: correctionId } }],
      });
      assert.equal(undo.status, 200, JSON.stringify(undo.body));
      const undone = (await registrar.get(`${base}/persons/${omar}/timeline`)).body.entries as Entry[];
      assert.equal(undone.find((e) => e.kind === 'passed_checkpoint')!.details.voided, undefined, 'the pass stands again');
      assert.equal(undone.find((e) => e.kind === 'correction_undone')!.details.corrects, 'passed_checkpoint');
      assert.ok(
        undone.some((e) => e.kind === 'corrected'),
        'the correction undone stays in the story',
      );
      assert.equal((await registrar.get(`${base}/persons/nobody/timeline`)).status, 404);
      assert.equal((await viewer.get(`${base}/persons/${omar}/timeline`)).status, 403);
      assert.equal((await viewer.get(`${base}/persons?q=Qudsi`)).status, 403);
    });
  });
}
