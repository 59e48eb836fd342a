/**
 * Convoy operations on a fake clock: an overdue convoy raises an alert on the desk, escalates after
 * the second interval and is resolved when seen; incidents are listed with their casualties, which
 * flow into the counts (and out again when voided) while `counts verify` stays clean; the convoy's
 * timeline counts heads against expected; the replay shows the operation as it stood at an hour.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ulid } from 'ulid';
import { countVersion } from '../../src/db/queries/counts.js';
import { verifyCounts, loadOperation } from '../../src/services/counts/counts.js';
import { makeRegistry, recompute, total } from '../../src/domain/counts/index.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

const T = (hhmm: string) => new Date(`2016-12-15T${hhmm}:00.000Z`);

for (const dialect of dialects) {
  describe(`convoy operations (${dialect.name})`, () => {
    let h: Harness;
    let base: string;
    let operationId: string;
    let coordinator: Client, monitor: Client;
    let now = T('07:00');
    const fact = (f: Record<string, unknown>) => ({ id: ulid(), operationId, convoyId: 'c1', payload: {}, ...f });
    const send = async (who: Client, facts: Record<string, unknown>[]) => {
      const r = await who.post(`${base}/facts`, { facts });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body;
    };
    const scan = async (at: Date) => {
      now = at;
      const r = await h.app.overdueWatch.runNow();
      return r?.get(operationId) ?? { raised: 0, escalated: 0, resolved: 0 };
    };

    before(async () => {
      // The clock jumps hours: sessions outlive the test's day.
      h = await startHarness(await dialect.open(), { clock: () => now, app: { sessionIdleMinutes: 1440, sessionMaxHours: 48 } });
      operationId = (await setUpOperation(h, 'convoy-ops')).id;
      base = `/api/operations/${operationId}`;
      assert.equal((await h.admin.post(`${base}/sites`, { id: 'ramouseh', kind: 'checkpoint', nameEn: 'Ramouseh' })).status, 201);
      [coordinator, monitor] = (await Promise.all(
        (['coordinator', 'checkpoint_monitor'] as const).map((r) => h.userWithRoles(operationId, [r])),
      )) as [Client, Client];
      const route = await coordinator.post(`${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'ramouseh', 'rashidin'] });
      assert.equal(route.status, 201, JSON.stringify(route.body));
      assert.equal(route.body.legMinutes, null);
      const bad = await coordinator.put(`${base}/routes/r1/timing`, { legMinutes: [60] });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.fields[0].path, 'legMinutes');
      const timed = await coordinator.put(`${base}/routes/r1/timing`, { legMinutes: [60, 30], escalateMinutes: 45 });
      assert.equal(timed.status, 200, JSON.stringify(timed.body));
      assert.deepEqual([timed.body.legMinutes, timed.body.escalateMinutes], [[60, 30], 45]);
      assert.equal((await coordinator.post(`${base}/convoys`, { id: 'c1', routeId: 'r1', name: 'First' })).status, 201);
      assert.equal((await coordinator.post(`${base}/convoys/c1/vehicles`, { id: 'bus1', kind: 'bus', mode: 'head_count' })).status, 201);
      const hc = await coordinator.post(`${base}/convoys/c1/head-counts`, {
        vehicleId: 'bus1',
        rows: [{ sex: 'female', ageBand: '18-59', category: 'civilian', count: 30 }],
        at: T('07:30').toISOString(),
      });
      assert.equal(hc.status, 201, JSON.stringify(hc.body));
      await send(coordinator, [fact({ kind: 'departed', siteId: 'amiriyah', deviceTime: T('08:00').toISOString() })]);
    });
    after(async () => h.close());

    test('a convoy not seen at its next checkpoint in time raises an alert, escalates, and is resolved when seen', async () => {
      assert.deepEqual(await scan(T('08:59')), { raised: 0, escalated: 0, resolved: 0 }, 'within the leg: nothing');
      const v0 = await countVersion(h.db.kysely, operationId);
      assert.deepEqual(await scan(T('09:01')), { raised: 1, escalated: 0, resolved: 0 });
      assert.ok((await countVersion(h.db.kysely, operationId)) > v0, 'the live counts streams are told');
      const alerts = await coordinator.get(`${base}/convoy-alerts?status=open`);
      assert.equal(alerts.status, 200, JSON.stringify(alerts.body));
      assert.equal(alerts.body.length, 1);
      const [a] = alerts.body;
      assert.deepEqual(
        [a.convoyId, a.lastSiteId, a.nextSiteId, a.level, a.dueAt, a.escalateAt],
        ['c1', 'amiriyah', 'ramouseh', 'overdue', T('09:00').toISOString(), T('09:45').toISOString()],
      );
      const counts = await coordinator.get(`${base}/counts`);
      assert.deepEqual(counts.body.convoyAlerts, { overdue: 1, escalated: 0 });
      assert.deepEqual(await scan(T('09:10')), { raised: 0, escalated: 0, resolved: 0 }, 'a second run changes nothing');
      assert.deepEqual(await scan(T('09:46')), { raised: 0, escalated: 1, resolved: 0 });
      assert.equal((await coordinator.get(`${base}/convoy-alerts`)).body[0].level, 'escalated');
      // The viewer-free desk: a monitor (no convoy.manage) may not read the alerts.
      assert.equal((await monitor.get(`${base}/convoy-alerts`)).status, 403);
      const ack = await coordinator.post(`${base}/convoy-alerts/${a.id}/acknowledge`);
      assert.equal(ack.status, 200, JSON.stringify(ack.body));
      assert.ok(ack.body.acknowledgedAt);
      assert.equal((await coordinator.post(`${base}/convoy-alerts/${a.id}/acknowledge`)).status, 409);
      await send(monitor, [
        fact({
          kind: 'passed_checkpoint',
          siteId: 'ramouseh',
          vehicleId: 'bus1',
          deviceTime: T('09:50').toISOString(),
          payload: { observedHeadCount: 28 },
        }),
      ]);
      assert.deepEqual(await scan(T('09:51')), { raised: 0, escalated: 0, resolved: 1 });
      assert.equal((await coordinator.get(`${base}/convoy-alerts?status=open`)).body.length, 0);
      assert.deepEqual((await coordinator.get(`${base}/counts`)).body.convoyAlerts, { overdue: 0, escalated: 0 });
      // The next leg: due at 10:20, 30 minutes after the passage.
      assert.deepEqual(await scan(T('10:21')), { raised: 1, escalated: 0, resolved: 0 });
      assert.equal((await coordinator.get(`${base}/convoy-alerts?status=open`)).body[0].nextSiteId, 'rashidin');
    });

    test('incidents are listed with their casualties, which flow into the counts and out when voided', async () => {
      const shooting = fact({
        kind: 'incident',
        siteId: 'ramouseh',
        deviceTime: T('09:40').toISOString(),
        payload: { incidentKind: 'shooting', severity: 'high', injured: 2, killed: 1, text: 'Shots at the crossing' },
      });
      const takenOff = fact({
        kind: 'incident',
        siteId: 'ramouseh',
        vehicleId: 'bus1',
        deviceTime: T('09:45').toISOString(),
        payload: { incidentKind: 'taken_off', severity: 'critical', detained: 2 },
      });
      await send(monitor, [shooting, takenOff]);
      const list = await coordinator.get(`${base}/incidents?convoyId=c1`);
      assert.equal(list.status, 200, JSON.stringify(list.body));
      assert.deepEqual(
        list.body.incidents.map((i: { incidentKind: string }) => i.incidentKind),
        ['taken_off', 'shooting'],
        'latest first',
      );
      assert.deepEqual(list.body.totals, { injured: 2, killed: 1, detained: 2 });
      assert.equal(JSON.stringify(list.body).includes('Shots at'), false, 'incident notes stay sealed');
      assert.equal((await coordinator.get(`${base}/incidents`)).body.incidents.length, 2);
      await h.settleCounts();
      const counts = (await coordinator.get(`${base}/counts`)).body;
      assert.deepEqual(counts.casualties, { injured: 2, killed: 1, detained: 2 });
      assert.equal(counts.casualtiesBySite.injured.ramouseh, 2);
      assert.equal(counts.totals.everyone, 30, 'casualties are not people counted twice');
      let v = await verifyCounts(h.db.kysely, h.keys, operationId);
      assert.equal(v.ok, true, JSON.stringify(v.differences));
      await send(monitor, [
        fact({ kind: 'correction', convoyId: undefined, deviceTime: T('10:00').toISOString(), payload: { voids: shooting.id } }),
      ]);
      await h.settleCounts();
      assert.deepEqual((await coordinator.get(`${base}/counts`)).body.casualties, { injured: 0, killed: 0, detained: 2 });
      assert.deepEqual((await coordinator.get(`${base}/incidents`)).body.totals, { injured: 0, killed: 0, detained: 2 });
      v = await verifyCounts(h.db.kysely, h.keys, operationId);
      assert.equal(v.ok, true, JSON.stringify(v.differences));
    });

    test("the timeline tells the convoy's road with counted heads against expected", async () => {
      const r = await coordinator.get(`${base}/convoys/c1/timeline`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.expected, 30);
      assert.deepEqual(
        r.body.entries.map((e: { kind: string; siteId: string | null }) => `${e.kind}@${e.siteId}`),
        ['departed@amiriyah', 'incident@ramouseh', 'passed@ramouseh'],
      );
      const passed = r.body.entries[2];
      assert.deepEqual([passed.counted, passed.expected], [28, 30]);
      assert.equal((await coordinator.get(`${base}/convoys/nope/timeline`)).status, 404);
      const positions = await coordinator.get(`${base}/convoy-positions`);
      assert.deepEqual(positions.body, [
        // Its state is the convoy's own (a vehicle's passage does not move the convoy as a whole); its place is any vehicle's latest.
        { convoyId: 'c1', name: 'First', state: 'departed', siteId: 'ramouseh', at: T('09:50').toISOString() },
      ]);
    });

    test('the replay shows the operation as it stood at an hour, its counts equal to recomputing the facts before it', async () => {
      const at9 = await coordinator.get(`${base}/replay?asOf=${encodeURIComponent(T('09:30').toISOString())}`);
      assert.equal(at9.status, 200, JSON.stringify(at9.body));
      assert.equal(at9.body.asOf, T('09:00').toISOString(), 'taken down to its hour');
      assert.deepEqual(
        at9.body.positions.map((p: { siteId: string; state: string }) => [p.siteId, p.state]),
        [['amiriyah', 'departed']],
      );
      assert.equal(at9.body.incidents.length, 0);
      assert.deepEqual(at9.body.overdue, [{ convoyId: 'c1', nextSiteId: 'ramouseh', dueAt: T('09:00').toISOString(), level: 'overdue' }]);
      const at10 = (await coordinator.get(`${base}/replay?asOf=${encodeURIComponent(T('10:00').toISOString())}`)).body;
      assert.deepEqual(at10.casualties, { injured: 0, killed: 0, detained: 2 });
      assert.deepEqual(
        at10.positions.map((p: { siteId: string; state: string }) => [p.siteId, p.state]),
        [['ramouseh', 'departed']],
      );
      assert.equal(at10.overdue.length, 0);
      // The counts of the replay equal the count recomputed from the facts and registrations before the hour.
      for (const hour of ['08:00', '10:00', '11:00']) {
        const body = (await coordinator.get(`${base}/replay?asOf=${encodeURIComponent(T(hour).toISOString())}`)).body;
        const { registry, facts } = await loadOperation(h.db.kysely, h.keys, operationId);
        const before = (iso: string) => Date.parse(iso) < T(hour).getTime();
        const fresh = recompute(
          facts.filter((f) => before(f.deviceTime)),
          makeRegistry([...registry.persons.values()].filter((p) => before(p.registeredAt))),
        );
        for (const m of ['boarded', 'in_transit', 'arrived'] as const) assert.equal(body.totals[m], total(fresh, m), `${m} at ${hour}`);
        assert.equal(body.casualties.detained, total(fresh, 'detained'));
      }
      assert.equal((await monitor.get(`${base}/replay?asOf=${encodeURIComponent(T('10:00').toISOString())}`)).status, 403);
    });
  });
}
