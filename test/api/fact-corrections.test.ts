/**
 * A correction sent through the facts endpoint that would void — or, voiding a correction,
 * restore — a boarding is refused with a 409 pointing to the convoy's removals, which void the
 * boarding and change the manifest together; so the manifest, the counts and reconciliation
 * cannot disagree about who is on a vehicle. A replay of a removal's own correction is accepted
 * as the duplicate it is; corrections of other facts are accepted as before; the permission a
 * correction needs is the one of the fact at the end of its chain.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ulid } from 'ulid';
import { verifyCounts } from '../../src/services/counts/counts.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`corrections of boardings through the facts endpoint (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let base: string;
    let coordinator: Client, officer: Client, monitor: Client, registrar: Client;
    const people: string[] = [];
    let household = '';
    const correction = (voids: string, id = ulid()) => ({
      id,
      kind: 'correction',
      deviceTime: '2016-12-15T07:30:00.000Z',
      payload: { voids, note: 'wrong bus' },
    });
    const state = async () => {
      await h.settleCounts();
      const manifest = (await officer.get(`${base}/convoys/c1/manifest`)).body;
      const counts = (await coordinator.get(`${base}/counts`)).body.totals;
      const corrections = Number(
        (
          await h.db.kysely
            .selectFrom('movement_facts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('operation_id', '=', op)
            .where('kind', '=', 'correction')
            .executeTakeFirstOrThrow()
        ).n,
      );
      return {
        onManifest: manifest.entries.map((e: { personId: string }) => e.personId).sort(),
        headCount: manifest.vehicles.find((v: { id: string }) => v.id === 'car1').headCount,
        boarded: counts.boarded,
        corrections,
      };
    };

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h, 'fact-corrections')).id;
      base = `/api/operations/${op}`;
      [coordinator, officer, monitor, registrar] = (await Promise.all(
        (['coordinator', 'convoy_officer', 'checkpoint_monitor', 'registrar'] as const).map((r) => h.userWithRoles(op, [r])),
      )) as [Client, Client, Client, Client];
      assert.equal((await coordinator.post(`${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'rashidin'] })).status, 201);
      assert.equal((await officer.post(`${base}/convoys`, { id: 'c1', routeId: 'r1' })).status, 201);
      assert.equal((await officer.post(`${base}/convoys/c1/vehicles`, { id: 'bus1', kind: 'bus', capacity: 10 })).status, 201);
      assert.equal(
        (await officer.post(`${base}/convoys/c1/vehicles`, { id: 'car1', kind: 'private_car', mode: 'head_count' })).status,
        201,
      );
      const r = await registrar.post(`${base}/households`, {
        siteId: 'amiriyah',
        members: [
          { name: 'Mother', age: 35, sex: 'female' },
          { name: 'Son', age: 7, sex: 'male' },
        ].map((m) => ({ names: { lat: { given: m.name, family: 'Correction' } }, sex: m.sex, estimatedAge: m.age, vulnerabilities: [] })),
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      household = r.body.id;
      people.push(...r.body.members.map((m: { id: string }) => m.id));
    });
    after(async () => h.close());

    test('voiding a boarding through the facts is refused with the removals to use instead, and changes nothing', async () => {
      const boarded = await officer.post(`${base}/convoys/c1/boardings`, { householdId: household, vehicleId: 'bus1' });
      assert.equal(boarded.status, 201, JSON.stringify(boarded.body));
      const before = await state();
      assert.deepEqual(before.onManifest, [...people].sort());

      const r = await officer.post(`${base}/facts`, { facts: [correction(boarded.body.factIds[0])] });
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'fact.boarding_correction');
      assert.equal(r.body.error.details.instead.path, `${base}/convoys/c1/removals`);
      assert.equal(r.body.error.details.fields[0].path, 'facts.0.payload.voids');
      assert.equal(r.body.error.details.boarding.personId, boarded.body.entries[0].personId);
      assert.match(r.body.error.message, /removals/);
      assert.deepEqual(await state(), before, 'the person stays on the manifest and in the counts: nothing was written');

      // A boarding and its correction in one batch: refused the same way.
      const both = await officer.post(`${base}/facts`, {
        facts: [
          {
            id: ulid(),
            kind: 'boarded',
            convoyId: 'c1',
            vehicleId: 'car1',
            siteId: 'amiriyah',
            deviceTime: '2016-12-15T07:00:00.000Z',
            payload: { headCount: [{ sex: 'male', ageBand: '18-59', category: 'civilian', count: 2 }] },
          },
        ].flatMap((f) => [f, correction(f.id)]),
      });
      assert.equal(both.status, 409, JSON.stringify(both.body));
      assert.equal(
        both.body.error.details.instead.path,
        `${base}/convoys/c1/head-count-removals`,
        'a head count points to its own removal',
      );
      assert.deepEqual(await state(), before);
    });

    test('the removal takes them off everywhere at once; restoring the boarding through the facts is refused too, a replay is a duplicate', async () => {
      const removed = await officer.post(`${base}/convoys/c1/removals`, { householdId: household, reason: 'wrong bus' });
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      const after = await state();
      assert.deepEqual(after.onManifest, []);
      assert.equal(after.boarded, 0);
      assert.deepEqual((await verifyCounts(h.db.kysely, h.keys, op)).differences, []);

      const restore = await officer.post(`${base}/facts`, { facts: [correction(removed.body.factIds[0])] });
      assert.equal(restore.status, 409, "voiding the removal's correction would put the boarding back without the manifest row");
      assert.equal(restore.body.error.code, 'fact.boarding_correction');
      assert.deepEqual(await state(), after);

      // The permission is the boarding's, through the chain: a checkpoint monitor may not restore a boarding.
      const byMonitor = await monitor.post(`${base}/facts`, { facts: [correction(removed.body.factIds[0])] });
      assert.equal(byMonitor.status, 403, JSON.stringify(byMonitor.body));
      assert.equal(byMonitor.body.error.details.needs, 'convoy.manage');

      // A phone that sent the removal's correction again: the same fact, nothing new.
      const stored = await h.db.kysely
        .selectFrom('movement_facts')
        .select(['id', 'voids', 'device_time'])
        .where('operation_id', '=', op)
        .where('id', '=', removed.body.factIds[0])
        .executeTakeFirstOrThrow();
      const replay = await officer.post(`${base}/facts`, {
        facts: [
          { id: stored.id, kind: 'correction', deviceTime: new Date(stored.device_time).toISOString(), payload: { voids: stored.voids } },
        ],
      });
      assert.equal(replay.status, 200, JSON.stringify(replay.body));
      assert.equal(replay.body.duplicates, 1);
      assert.deepEqual(await state(), after);
    });

    test('corrections of other facts are accepted as before', async () => {
      const halted = await officer.post(`${base}/facts`, {
        facts: [
          {
            id: ulid(),
            kind: 'incident',
            convoyId: 'c1',
            deviceTime: '2016-12-15T07:40:00.000Z',
            payload: { incidentKind: 'other', severity: 'low' },
          },
        ],
      });
      assert.equal(halted.status, 403, "incidents are the monitors'");
      const id = ulid();
      assert.equal(
        (
          await monitor.post(`${base}/facts`, {
            facts: [
              {
                id,
                kind: 'incident',
                convoyId: 'c1',
                deviceTime: '2016-12-15T07:40:00.000Z',
                payload: { incidentKind: 'other', severity: 'low' },
              },
            ],
          })
        ).status,
        200,
      );
      const r = await monitor.post(`${base}/facts`, { facts: [correction(id)] });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.accepted, 1);
    });
  });
}
