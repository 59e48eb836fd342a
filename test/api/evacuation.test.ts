/**
 * A whole evacuation through the API, on every test database: routes and windows, a convoy
 * through every state (with the moves it refuses), a full vehicle, a split household, a
 * head-count car, checkpoint facts (one out of order), reception by tag, a child's protection
 * alert, a person who never arrives — and the live counts equal to their recomputation.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ulid } from 'ulid';
import { encodeTag, formatTag } from '../../src/domain/tags.js';
import { verifyCounts } from '../../src/services/counts/counts.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

const minutes = (base: number, m: number) => new Date(base + m * 60_000).toISOString();

for (const dialect of dialects) {
  describe(`evacuation (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let base: string;
    let coordinator: Client, officer: Client, monitor: Client, reception: Client, tracer: Client, registrar: Client, viewer: Client;
    let serial = 0;
    const t0 = Date.now() - 6 * 3600_000;
    const people: Record<string, string> = {};
    const households: Record<string, string> = {};

    async function register(key: string, members: { name: string; sex: string; age: number; vulnerabilities?: string[]; tag?: boolean }[]) {
      const r = await registrar.post(`${base}/households`, {
        siteId: 'amiriyah',
        members: members.map((m) => ({
          names: { lat: { given: m.name, family: 'Evac' } },
          sex: m.sex,
          estimatedAge: m.age,
          vulnerabilities: m.vulnerabilities ?? [],
          ...(m.tag ? { tag: formatTag(encodeTag(serial++)) } : {}),
        })),
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      households[key] = r.body.id;
      r.body.members.forEach((m: { id: string; tag: string | null }, i: number) => {
        people[`${key}.${i}`] = m.id;
        if (m.tag) people[`${key}.${i}.tag`] = m.tag;
      });
    }
    const facts = (c: Client, list: Record<string, unknown>[], key?: string) =>
      c.post(`${base}/facts`, { facts: list }, key ? { key } : {});
    const counts = async () => (await viewer.get(`${base}/counts`)).body;
    const rowCount = async (table: 'movement_facts' | 'manifest_entries' | 'counters') =>
      Number(
        (
          await h.db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('c'))
            .executeTakeFirstOrThrow()
        ).c,
      );

    before(async () => {
      h = await startHarness(await dialect.open());
      const o = await setUpOperation(h, 'evac');
      op = o.id;
      serial = o.range.firstSerial;
      base = `/api/operations/${op}`;
      assert.equal(
        (await h.admin.post(`${base}/sites`, { id: 'ramouseh', kind: 'checkpoint', nameEn: 'Ramouseh checkpoint' })).status,
        201,
      );
      assert.equal((await h.admin.post(`${base}/sites`, { id: 'camp-a', kind: 'camp', nameEn: 'Camp A', capacity: 1 })).status, 201);
      [coordinator, officer, monitor, reception, tracer, registrar, viewer] = (await Promise.all(
        (
          ['coordinator', 'convoy_officer', 'checkpoint_monitor', 'reception_officer', 'tracing_officer', 'registrar', 'viewer'] as const
        ).map((r) => h.userWithRoles(op, [r])),
      )) as [Client, Client, Client, Client, Client, Client, Client];
      await register('h1', [
        { name: 'Adult', sex: 'female', age: 35, tag: true },
        { name: 'Child', sex: 'male', age: 7, tag: true },
      ]);
      await register('h2', [
        { name: 'A', sex: 'male', age: 40, tag: true },
        { name: 'B', sex: 'female', age: 38, tag: true },
        { name: 'C', sex: 'female', age: 3, tag: true },
      ]);
      await register('h3', [{ name: 'Alone', sex: 'female', age: 12, vulnerabilities: ['unaccompanied_child'], tag: true }]);
      await register('h4', [{ name: 'Never', sex: 'male', age: 66, tag: true }]);
      await register('h5', [{ name: 'Walked', sex: 'male', age: 25, tag: true }]);
    });
    after(async () => h.close());

    test('coordinators set routes and windows; an unknown site in a route is refused by field', async () => {
      const bad = await coordinator.post(`${base}/routes`, { id: 'r-bad', siteIds: ['amiriyah', 'nowhere'] });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'route.invalid');
      assert.equal(bad.body.error.details.fields[0].path, 'siteIds.1');
      assert.equal((await officer.post(`${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'ramouseh', 'rashidin'] })).status, 403);
      const r = await coordinator.post(`${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'ramouseh', 'rashidin'] });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      // The only window opens in the future: dispatching now needs an override.
      const w = await coordinator.post(`${base}/movement-windows`, {
        start: new Date(Date.now() + 3600_000).toISOString(),
        end: new Date(Date.now() + 7200_000).toISOString(),
      });
      assert.equal(w.status, 201, JSON.stringify(w.body));
      assert.equal((await viewer.get(`${base}/routes`)).body.length, 1);
    });

    test('a convoy is boarded under the manifest rules: full vehicle, split household, flagged child, head count', async () => {
      const c = await officer.post(`${base}/convoys`, { id: 'c1', routeId: 'r1', name: 'First convoy' });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      assert.equal(c.body.state, 'planned');
      for (const v of [
        { id: 'bus1', kind: 'bus', capacity: 4 },
        { id: 'amb1', kind: 'ambulance' },
        { id: 'car1', kind: 'private_car', mode: 'head_count' },
      ]) {
        assert.equal((await officer.post(`${base}/convoys/c1/vehicles`, v)).status, 201);
      }
      const early = await officer.post(`${base}/convoys/c1/transitions`, { event: 'depart' });
      assert.equal(early.status, 409);
      assert.equal(early.body.error.code, 'convoy.invalid_transition');
      assert.deepEqual(early.body.error.details.allowed.map((a: { event: string }) => a.event).sort(), ['board', 'cancel']);
      assert.match(early.body.error.message, /board → boarding/);

      const b1 = await officer.post(`${base}/convoys/c1/boardings`, { householdId: households.h1, vehicleId: 'bus1', at: minutes(t0, 0) });
      assert.equal(b1.status, 201, JSON.stringify(b1.body));
      assert.equal(b1.body.state, 'boarding');
      const full = await officer.post(`${base}/convoys/c1/boardings`, { householdId: households.h2, vehicleId: 'bus1' });
      assert.equal(full.status, 409);
      assert.equal(full.body.error.code, 'manifest.vehicle_full');
      const noReason = await officer.post(`${base}/convoys/c1/boardings`, {
        householdId: households.h2,
        vehicleId: 'bus1',
        memberIds: [people['h2.0'], people['h2.1']],
      });
      assert.equal(noReason.status, 409);
      assert.equal(noReason.body.error.code, 'manifest.household_split');
      const split = await officer.post(`${base}/convoys/c1/boardings`, {
        householdId: households.h2,
        vehicleId: 'bus1',
        memberIds: [people['h2.0'], people['h2.1']],
        splitReason: 'mother and baby to the ambulance',
        at: minutes(t0, 1),
      });
      assert.equal(split.status, 201, JSON.stringify(split.body));
      assert.equal(split.body.warnings[0].code, 'household_split');
      const rest = await officer.post(`${base}/convoys/c1/boardings`, {
        householdId: households.h2,
        vehicleId: 'amb1',
        at: minutes(t0, 2),
      });
      assert.equal(rest.status, 201, JSON.stringify(rest.body));
      const child = await officer.post(`${base}/convoys/c1/boardings`, {
        householdId: households.h3,
        vehicleId: 'amb1',
        at: minutes(t0, 3),
      });
      assert.equal(child.status, 201);
      assert.deepEqual(child.body.entries[0].flags, ['unaccompanied_child']);
      assert.equal(
        (await officer.post(`${base}/convoys/c1/boardings`, { householdId: households.h4, vehicleId: 'amb1', at: minutes(t0, 4) })).status,
        201,
      );
      const named = await officer.post(`${base}/convoys/c1/head-counts`, {
        vehicleId: 'bus1',
        rows: [{ sex: 'male', ageBand: '18-59', category: 'civilian', count: 1 }],
      });
      assert.equal(named.body.error.code, 'manifest.not_head_count_vehicle');
      const hc = await officer.post(`${base}/convoys/c1/head-counts`, {
        vehicleId: 'car1',
        at: minutes(t0, 5),
        rows: [
          { sex: 'male', ageBand: '18-59', category: 'civilian', count: 3 },
          { sex: 'female', ageBand: '0-4', category: 'civilian', count: 2 },
        ],
      });
      assert.equal(hc.status, 201, JSON.stringify(hc.body));
      const now = await counts();
      assert.equal(now.totals.boarded, 12, '7 named + 5 head-counted');
      assert.equal(now.totals.registered, 1, 'only h5 still waits');
      const manifest = await officer.get(`${base}/convoys/c1/manifest`);
      assert.equal(manifest.body.entries.length, 7);
      assert.equal(
        manifest.body.entries.find((e: { personId: string }) => e.personId === people['h2.2']).splitReason,
        'mother and baby to the ambulance',
      );
      // The convoy as presented (GET, and the answer to adding vehicles) says the same occupancy as its manifest.
      const occupancy = (vs: { id: string; occupancy: number }[]) => Object.fromEntries(vs.map((v) => [v.id, v.occupancy]));
      const presented = await officer.get(`${base}/convoys/c1`);
      assert.equal(presented.status, 200);
      assert.deepEqual(occupancy(presented.body.vehicles), occupancy(manifest.body.vehicles));
      assert.deepEqual(occupancy(presented.body.vehicles), { bus1: 4, amb1: 3, car1: 5 }, 'named people per vehicle, and the head count');
    });

    test('dispatch outside a window is refused; only a coordinator overrides it, with a reason in the audit and the fact', async () => {
      const refused = await officer.post(`${base}/convoys/c1/transitions`, { event: 'depart' });
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'convoy.outside_movement_window');
      assert.ok(refused.body.error.details.nextWindow);
      const notCoordinator = await officer.post(`${base}/convoys/c1/transitions`, { event: 'depart', override: { reason: 'road clear' } });
      assert.equal(notCoordinator.status, 403);
      const empty = await coordinator.post(`${base}/convoys/c1/transitions`, { event: 'depart', override: { reason: '  ' } });
      assert.equal(empty.status, 400);
      assert.equal(empty.body.error.code, 'convoy.override_reason_required');
      const ok = await coordinator.post(`${base}/convoys/c1/transitions`, {
        event: 'depart',
        at: minutes(t0, 30),
        override: { reason: 'negotiated passage with the checkpoint commander' },
      });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.state, 'departed');
      assert.equal(ok.body.overridden, true);
      const auditRow = await h.db.kysely
        .selectFrom('audit_log')
        .select(['details'])
        .where('action', '=', 'convoy.depart')
        .executeTakeFirstOrThrow();
      assert.equal((auditRow.details as { override: boolean }).override, true);
      assert.ok(!JSON.stringify(auditRow.details).includes('commander'), 'no free text in the audit');
      const fact = await h.db.kysely
        .selectFrom('movement_facts')
        .select(['payload'])
        .where('id', '=', ok.body.factId)
        .executeTakeFirstOrThrow();
      const payload = (typeof fact.payload === 'string' ? JSON.parse(fact.payload) : fact.payload) as {
        override: { reason: { sealed: string }; by: string };
      };
      assert.ok(payload.override.reason.sealed, 'the reason is stored sealed');
      assert.equal(payload.override.by, coordinator.userId);
      assert.equal((await counts()).totals.in_transit, 12);
    });

    test('checkpoint monitors write only checkpoint facts; a refused batch writes nothing', async () => {
      const before = await rowCount('movement_facts');
      const mixed = await facts(monitor, [
        { id: ulid(), kind: 'passed_checkpoint', convoyId: 'c1', siteId: 'ramouseh', deviceTime: minutes(t0, 60) },
        { id: ulid(), kind: 'checked_in', personId: people['h1.0'], siteId: 'rashidin', deviceTime: minutes(t0, 61) },
      ]);
      assert.equal(mixed.status, 403);
      assert.equal(mixed.body.error.code, 'auth.forbidden');
      assert.equal(mixed.body.error.details.index, 1);
      assert.match(mixed.body.error.message, /checked_in/);
      assert.equal(await rowCount('movement_facts'), before);
      const bad = await facts(monitor, [{ id: 'not-a-ulid', kind: 'passed_checkpoint', convoyId: 'c1', deviceTime: 'yesterday' }]);
      assert.equal(bad.status, 400);
      const paths = bad.body.error.details.fields.map((f: { path: string }) => f.path).sort();
      assert.deepEqual(paths, ['facts.0.deviceTime', 'facts.0.id', 'facts.0.siteId']);
      const unknownConvoy = await facts(monitor, [
        { id: ulid(), kind: 'halted', convoyId: 'nope', deviceTime: minutes(t0, 40), payload: { reason: 'security' } },
      ]);
      assert.equal(unknownConvoy.status, 404);
      assert.equal(unknownConvoy.body.error.details.fields[0].path, 'facts.0.convoyId');
      assert.equal(await rowCount('movement_facts'), before);
    });

    test('the convoy halts, resumes and passes the checkpoint; a replayed batch adds nothing', async () => {
      const batch = [
        {
          id: ulid(),
          kind: 'halted',
          convoyId: 'c1',
          siteId: 'ramouseh',
          deviceTime: minutes(t0, 45),
          payload: { reason: 'checkpoint_inspection', note: 'soldiers checking papers' },
        },
        { id: ulid(), kind: 'resumed', convoyId: 'c1', siteId: 'ramouseh', deviceTime: minutes(t0, 70) },
        {
          id: ulid(),
          kind: 'passed_checkpoint',
          convoyId: 'c1',
          vehicleId: 'bus1',
          siteId: 'ramouseh',
          deviceTime: minutes(t0, 75),
          payload: { observedHeadCount: 3 },
        },
      ];
      const r = await facts(monitor, batch);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.accepted, 3);
      const again = await facts(monitor, batch);
      assert.equal(again.status, 200);
      assert.equal(again.body.accepted, 0);
      assert.equal(again.body.duplicates, 3);
      assert.equal((await viewer.get(`${base}/convoys/c1`)).body.state, 'moving');
      const stored = await h.db.kysely
        .selectFrom('movement_facts')
        .select('payload')
        .where('id', '=', batch[0]!.id)
        .executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(stored.payload).includes('soldiers'), 'the note is sealed');
      assert.equal((await counts()).bySite.in_transit.ramouseh, 12);
    });

    test('the convoy arrives; a finished convoy refuses every move and names none', async () => {
      const a = await officer.post(`${base}/convoys/c1/transitions`, { event: 'arrive', at: minutes(t0, 120) });
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.equal(a.body.state, 'arrived');
      const halt = await officer.post(`${base}/convoys/c1/transitions`, { event: 'halt', reason: 'security' });
      assert.equal(halt.status, 409);
      assert.deepEqual(halt.body.error.details.allowed, []);
      const c = await counts();
      assert.equal(c.totals.arrived, 5, 'the head-counted car arrived with its convoy');
      assert.equal(c.totals.missing, 7, 'named people are missing until checked in');
    });

    test('a checkpoint fact that syncs late is placed by device time and moves no current count', async () => {
      const before = await counts();
      const late = await facts(monitor, [
        {
          id: ulid(),
          kind: 'passed_checkpoint',
          convoyId: 'c1',
          vehicleId: 'amb1',
          siteId: 'ramouseh',
          deviceTime: minutes(t0, 76),
          payload: { observedHeadCount: 4 },
        },
      ]);
      assert.equal(late.status, 200);
      const after = await counts();
      assert.deepEqual(after.totals, before.totals);
      assert.equal((await viewer.get(`${base}/convoys/c1`)).body.state, 'arrived', 'an older fact does not move the convoy back');
    });

    test('reception checks people in by tag or record, catches a mistyped tag and flags the unmanifested', async () => {
      const tag = people['h1.0.tag'] as string;
      const typo = tag.slice(0, 5) + (tag[5] === 'A' ? 'C' : 'A') + tag.slice(6);
      const bad = await reception.post(`${base}/check-ins`, { siteId: 'rashidin', tag: typo });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'tag.invalid');
      assert.equal(bad.body.error.details.fields[0].path, 'tag');
      for (const key of ['h1.0', 'h1.1', 'h2.0', 'h2.1', 'h2.2']) {
        const r = await reception.post(`${base}/check-ins`, {
          siteId: 'rashidin',
          tag: people[`${key}.tag`]!.toLowerCase().replace('-', ' '),
          convoyId: 'c1',
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.deepEqual(r.body.flags, []);
      }
      const walked = await reception.post(`${base}/check-ins`, { siteId: 'rashidin', personId: people['h5.0'] });
      assert.equal(walked.status, 201);
      assert.deepEqual(walked.body.flags, ['not_manifested']);
      assert.equal((await officer.post(`${base}/check-ins`, { siteId: 'rashidin', personId: people['h5.0'] })).status, 403);
    });

    test('an unaccompanied child arriving raises a protection alert that tracing officers read', async () => {
      const r = await reception.post(`${base}/check-ins`, { siteId: 'rashidin', personId: people['h3.0'] });
      assert.equal(r.status, 201);
      assert.deepEqual(r.body.flags, ['unaccompanied_child']);
      const alerts = await tracer.get(`${base}/protection-alerts`);
      assert.equal(alerts.status, 200);
      assert.equal(alerts.body.length, 1);
      assert.equal(alerts.body[0].personId, people['h3.0']);
      assert.equal((await reception.get(`${base}/protection-alerts`)).status, 403);
    });

    test('shelter assignment is refused when the site is full', async () => {
      assert.equal(
        (await reception.post(`${base}/check-ins`, { siteId: 'camp-a', personId: people['h1.0'], shelter: 'tent 4' })).status,
        201,
      );
      const full = await reception.post(`${base}/check-ins`, { siteId: 'camp-a', personId: people['h1.1'] });
      assert.equal(full.status, 409);
      assert.equal(full.body.error.code, 'site.full');
      assert.equal((await counts()).bySite.arrived['camp-a'], 1);
    });

    test('reconciliation finds the person who never arrived, the walk-in, the split household and the head-count mismatch', async () => {
      const r = await tracer.get(`${base}/reconciliation`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const kinds = (k: string) => r.body.items.filter((i: { kind: string }) => i.kind === k);
      assert.deepEqual(
        kinds('missing_in_transit').map((i: { personIds: string[] }) => i.personIds[0]),
        [people['h4.0']],
      );
      assert.deepEqual(
        kinds('arrived_not_manifested').map((i: { personIds: string[] }) => i.personIds[0]),
        [people['h5.0']],
      );
      assert.equal(kinds('household_split')[0].householdId, households.h2);
      assert.ok(
        kinds('head_count_mismatch').some(
          (i: { details: { observed: number; expected: number } }) => i.details.observed === 3 && i.details.expected === 4,
        ),
      );
      const bus = await officer.get(`${base}/reconciliation?convoyId=c1&vehicleId=amb1`);
      assert.ok(bus.body.items.every((i: { vehicleId?: string }) => i.vehicleId === 'amb1'));
      assert.equal((await viewer.get(`${base}/reconciliation`)).status, 403, 'viewers read aggregates only');
      assert.equal((await monitor.get(`${base}/reconciliation`)).status, 403);
    });

    test('a second convoy turns back and a third is cancelled; counts follow and equal their recomputation', async () => {
      await register('h6', [{ name: 'Back', sex: 'female', age: 50 }]);
      await register('h7', [{ name: 'Waiting', sex: 'male', age: 20 }]);
      assert.equal((await officer.post(`${base}/convoys`, { id: 'c2', routeId: 'r1' })).status, 201);
      assert.equal((await officer.post(`${base}/convoys/c2/vehicles`, { id: 'bus2', kind: 'bus' })).status, 201);
      assert.equal((await officer.post(`${base}/convoys/c2/boardings`, { householdId: households.h6, vehicleId: 'bus2' })).status, 201);
      const dep = await coordinator.post(`${base}/convoys/c2/transitions`, { event: 'depart', override: { reason: 'medical urgency' } });
      assert.equal(dep.status, 200, JSON.stringify(dep.body));
      const back = await facts(monitor, [
        {
          id: ulid(),
          kind: 'turned_back',
          convoyId: 'c2',
          siteId: 'amiriyah',
          deviceTime: new Date().toISOString(),
          payload: { reason: 'ceasefire_suspended' },
        },
      ]);
      assert.equal(back.status, 200, JSON.stringify(back.body));
      assert.equal((await viewer.get(`${base}/convoys/c2`)).body.state, 'turned_back');
      assert.equal((await officer.post(`${base}/convoys`, { id: 'c3', routeId: 'r1' })).status, 201);
      assert.equal((await officer.post(`${base}/convoys/c3/vehicles`, { id: 'bus3', kind: 'bus' })).status, 201);
      assert.equal((await officer.post(`${base}/convoys/c3/boardings`, { householdId: households.h7, vehicleId: 'bus3' })).status, 201);
      assert.equal((await counts()).totals.boarded, 1);
      const cancel = await officer.post(`${base}/convoys/c3/transitions`, { event: 'cancel', note: 'bus broke down' });
      assert.equal(cancel.status, 200, JSON.stringify(cancel.body));
      const c = await counts();
      assert.equal(c.totals.turned_back, 1);
      assert.equal(c.totals.boarded, 0);
      assert.equal(c.totals.registered, 1, 'the cancelled convoy put h7 back to waiting');
      assert.equal(c.totals.missing, 1);
      assert.equal(c.totals.everyone, 15, '10 registered people + 5 head-counted');
      assert.equal(c.bySexAge.arrived.find((x: { sex: string; ageBand: string }) => x.sex === 'male' && x.ageBand === '18-59').n, 5);
      assert.equal('byCategory' in c, false, 'viewers see no category');
      const coord = await coordinator.get(`${base}/counts`);
      assert.equal(coord.body.byCategory.arrived.civilian, 5);
      assert.ok(c.hourly.arrived.length >= 1);
      const v = await verifyCounts(h.db.kysely, h.keys, op);
      assert.deepEqual(v.differences, []);
      assert.equal(v.ok, true);
    });

    test('bad input is refused with field messages and writes nothing', async () => {
      const before = await Promise.all([rowCount('movement_facts'), rowCount('manifest_entries'), rowCount('counters')]);
      const cases: [Client, string, unknown, number, string][] = [
        [officer, `${base}/convoys`, { routeId: 'r1', extra: 1 }, 400, ''],
        [officer, `${base}/convoys`, { routeId: 'no-route' }, 404, ''],
        [officer, `${base}/convoys/c1/vehicles`, { id: 'v9', kind: 'tank' }, 400, 'kind'],
        [officer, `${base}/convoys/c2/boardings`, { householdId: households.h5, vehicleId: 'bus2' }, 409, ''],
        [officer, `${base}/convoys/c1/transitions`, { event: 'fly' }, 400, 'event'],
        [reception, `${base}/check-ins`, { siteId: 'rashidin' }, 400, 'tag'],
        [monitor, `${base}/facts`, { facts: [] }, 400, 'facts'],
        [
          monitor,
          `${base}/facts`,
          { facts: [{ id: ulid(), kind: 'correction', deviceTime: new Date().toISOString(), payload: { voids: ulid() } }] },
          404,
          'facts.0.payload.voids',
        ],
      ];
      for (const [client, url, body, status, path] of cases) {
        const r = await client.post(url, body);
        assert.equal(r.status, status, `${url} ${JSON.stringify(body)} → ${JSON.stringify(r.body)}`);
        if (path)
          assert.ok(
            r.body.error.details.fields.some((f: { path: string }) => f.path === path),
            JSON.stringify(r.body.error),
          );
      }
      assert.deepEqual(await Promise.all([rowCount('movement_facts'), rowCount('manifest_entries'), rowCount('counters')]), before);
    });

    test('a correction voids a check-in and the person is missing again', async () => {
      const id = (
        await h.db.kysely
          .selectFrom('movement_facts')
          .select('id')
          .where('kind', '=', 'checked_in')
          .where('person_id', '=', people['h2.2']!)
          .executeTakeFirstOrThrow()
      ).id;
      const before = (await counts()).totals;
      const r = await facts(reception, [
        { id: ulid(), kind: 'correction', deviceTime: new Date().toISOString(), payload: { voids: id, note: 'wrong child scanned' } },
      ]);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const after = (await counts()).totals;
      assert.equal(after.arrived, before.arrived - 1);
      assert.equal(after.missing, before.missing + 1);
      assert.equal((await verifyCounts(h.db.kysely, h.keys, op)).ok, true);
    });
  });
}
