/**
 * A checkpoint SMS through a simulated SMSSync gateway: it posts the form SMSSync posts, with the
 * shared secret, and reads the answer SMSSync reads. A well-formed SMS from a registered
 * monitor's phone becomes counted checkpoint passes; a retry of the same message is answered
 * the same and records nothing twice; a malformed one is answered with a short error SMS in the
 * sender's language; an unknown number records nothing and gets no SMS; a wrong secret is a 401.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ulid } from 'ulid';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

const SECRET = 'field-gateway-secret-0123456789';
const MONITOR_PHONE = '+963 944 123 456';
const rows = [
  { sex: 'female', ageBand: '18-59', category: 'civilian', count: 20 },
  { sex: 'male', ageBand: '5-11', category: 'civilian', count: 10 },
];

for (const dialect of dialects) {
  describe(`checkpoint SMS through the SMSSync webhook (${dialect.name})`, () => {
    let h: Harness;
    let operationId: string;
    let base: string;
    let officer: Client;
    let monitorId: string;
    let counter = 0;

    /** What SMSSync posts for one received SMS. */
    async function gateway(fields: Record<string, string | undefined>) {
      const form = new URLSearchParams();
      const all: Record<string, string | undefined> = {
        from: '+963944123456',
        message_id: `msg-${++counter}`,
        sent_to: '+963933000000',
        secret: SECRET,
        device_id: 'gw-1',
        sent_timestamp: String(Date.now()),
        ...fields,
      };
      for (const [k, v] of Object.entries(all)) if (v !== undefined) form.set(k, v);
      const r = await h.app.inject({
        method: 'POST',
        url: `${base}/sms/smssync`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: form.toString(),
      });
      return { status: r.statusCode, body: r.json() };
    }
    const passes = async () => {
      const r = await h.db.kysely
        .selectFrom('movement_facts')
        .select(['id', 'vehicle_id', 'site_id', 'recorded_by', 'payload'])
        .where('operation_id', '=', operationId)
        .where('kind', '=', 'passed_checkpoint')
        .execute();
      return r;
    };

    before(async () => {
      h = await startHarness(await dialect.open(), { app: { smsSecret: SECRET } });
      operationId = (await setUpOperation(h, 'sms-op')).id;
      base = `/api/operations/${operationId}`;
      assert.equal(
        (await h.admin.post(`${base}/sites`, { id: 'ramouseh', kind: 'checkpoint', nameEn: 'Ramouseh', nameAr: 'الراموسة' })).status,
        201,
      );
      officer = await h.userWithRoles(operationId, ['coordinator']);
      const monitor = await h.userWithRoles(operationId, ['checkpoint_monitor'], 'monitor-sms');
      monitorId = monitor.userId;
      const phone = await h.admin.put(`/api/users/${monitorId}/phone`, { phone: MONITOR_PHONE });
      assert.equal(phone.status, 200, JSON.stringify(phone.body));
      assert.deepEqual(phone.body, { id: monitorId, phone: '…456' });
      assert.equal((await officer.post(`${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'ramouseh', 'rashidin'] })).status, 201);
      assert.equal((await officer.post(`${base}/convoys`, { id: 'C12', routeId: 'r1' })).status, 201);
      assert.equal((await officer.post(`${base}/convoys/C12/vehicles`, { id: 'BUS4', kind: 'bus', mode: 'head_count' })).status, 201);
      const boarded = await officer.post(`${base}/facts`, {
        facts: [
          {
            id: ulid(),
            kind: 'boarded',
            convoyId: 'C12',
            vehicleId: 'BUS4',
            deviceTime: new Date(Date.now() - 3_600_000).toISOString(),
            payload: { headCount: rows },
          },
        ],
      });
      assert.equal(boarded.status, 200, JSON.stringify(boarded.body));
    });
    after(async () => h.close());

    test('the phone number is stored sealed and hashed, never in clear', async () => {
      const u = await h.db.kysely
        .selectFrom('users')
        .select(['phone_hash', 'phone_sealed'])
        .where('id', '=', monitorId)
        .executeTakeFirstOrThrow();
      assert.ok(u.phone_hash && u.phone_sealed);
      assert.ok(!Buffer.from(u.phone_sealed).toString('latin1').includes('944123456'));
    });

    test('a checkpoint SMS becomes a counted passage at the checkpoint, confirmed by SMS', async () => {
      await h.settleCounts();
      const before = (await officer.get(`${base}/counts`)).body;
      assert.equal(before.totals.boarded, 30);
      const r = await gateway({ message: 'cp ramouseh c12 bus4 30', message_id: 'sms-ok-1' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.payload.success, true);
      assert.equal(r.body.payload.error, null);
      assert.equal(r.body.payload.task, 'send');
      assert.deepEqual(
        r.body.payload.messages.map((m: { to: string; message: string }) => [m.to, m.message]),
        [['+963944123456', 'OK: C12 BUS4=30 passed Ramouseh']],
      );
      const facts = await passes();
      assert.equal(facts.length, 2, 'the convoy pass and the vehicle pass, as the checkpoint desk sends them');
      assert.ok(facts.every((f) => f.recorded_by === monitorId && f.site_id === 'ramouseh'));
      assert.deepEqual(facts.find((f) => f.vehicle_id === 'BUS4')?.payload, { observedHeadCount: 30 });
      await h.settleCounts();
      const counts = (await officer.get(`${base}/counts`)).body;
      assert.equal(counts.totals.boarded ?? 0, 0);
      assert.equal(counts.totals.in_transit, 30);
      assert.equal(counts.bySite.in_transit.ramouseh, 30, JSON.stringify(counts.bySite.in_transit));
      const convoy = (await officer.get(`${base}/convoys/C12`)).body;
      assert.ok(
        convoy.checkpointPasses.some(
          (p: { siteId: string; vehicleId: string | null }) => p.siteId === 'ramouseh' && p.vehicleId === 'BUS4',
        ),
      );
    });

    test('a retry of the same message is answered the same and records no second fact', async () => {
      const first = await gateway({ message: 'CP RAMOUSEH C12', message_id: 'sms-replay' });
      const second = await gateway({ message: 'CP RAMOUSEH C12', message_id: 'sms-replay' });
      assert.equal(first.status, 200);
      assert.deepEqual(second, first);
      const n = (await passes()).length;
      const third = await gateway({ message: 'CP RAMOUSEH C12', message_id: 'sms-replay' });
      assert.deepEqual(third, first);
      assert.equal((await passes()).length, n);
    });

    test('Arabic keywords, Arabic-Indic digits, the Arabic name of the site: answered in Arabic', async () => {
      const r = await gateway({ message: 'حاجز، الراموسة ، C12 bus4 ٣٠', message_id: 'sms-ar' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.payload.error, null);
      assert.equal(r.body.payload.messages[0].message, 'تم: C12 BUS4=30 عبر الراموسة');
    });

    test('a malformed SMS is answered with a short error SMS in the sender’s language, and records nothing', async () => {
      const n = (await passes()).length;
      const en = await gateway({ message: 'hello', message_id: 'sms-bad-en' });
      assert.equal(en.status, 200);
      assert.equal(en.body.payload.success, true, 'delivered: the gateway must not send it again');
      assert.equal(en.body.payload.error, 'sms.too_short');
      assert.match(en.body.payload.messages[0].message, /^ERROR: .*CP <checkpoint> <convoy>/);
      assert.ok(en.body.payload.messages[0].message.length <= 160, 'one SMS');
      const ar = await gateway({ message: 'حاجز الراموسة C99 BUS4 30', message_id: 'sms-bad-ar' });
      assert.equal(ar.body.payload.error, 'sms.unknown_convoy');
      assert.match(ar.body.payload.messages[0].message, /^خطأ: قافلة غير معروفة: C99\./);
      const vehicle = await gateway({ message: 'CP ramouseh C12 BUS9 30', message_id: 'sms-bad-vehicle' });
      assert.equal(vehicle.body.payload.error, 'sms.unknown_vehicle');
      const count = await gateway({ message: 'CP ramouseh C12 30', message_id: 'sms-bad-count' });
      assert.equal(count.body.payload.error, 'sms.count_without_vehicle');
      const empty = await gateway({ message: undefined, message_id: 'sms-empty' });
      assert.equal(empty.body.payload.error, 'sms.empty');
      assert.equal((await passes()).length, n);
    });

    test('an unknown number records nothing and is sent no SMS', async () => {
      const n = (await passes()).length;
      const r = await gateway({ from: '+963955000111', message: 'CP ramouseh C12 BUS4 30', message_id: 'sms-stranger' });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { payload: { success: true, error: 'sms.unknown_sender' } });
      assert.equal((await passes()).length, n);
    });

    test('a number whose account holds no checkpoint role here is refused like the account would be', async () => {
      const registrar = await h.userWithRoles(operationId, ['registrar'], 'registrar-sms');
      assert.equal((await h.admin.put(`/api/users/${registrar.userId}/phone`, { phone: '00963 944 777 888' })).status, 200);
      const n = (await passes()).length;
      const r = await gateway({ from: '+963944777888', message: 'CP ramouseh C12 BUS4 30', message_id: 'sms-registrar' });
      assert.equal(r.body.payload.error, 'sms.not_allowed');
      assert.equal((await passes()).length, n);
    });

    test('one number belongs to one account', async () => {
      const other = await h.addUser('other-sms');
      const r = await h.admin.put(`/api/users/${other}/phone`, { phone: '+963944123456' });
      assert.equal(r.status, 409);
      assert.equal(r.body.error.code, 'user.phone_taken');
      const bad = await h.admin.put(`/api/users/${other}/phone`, { phone: '0944 123' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.fields[0].path, 'phone');
    });

    test('a wrong or missing secret is a 401 and records nothing; odd bodies are never a 500', async () => {
      const n = (await passes()).length;
      const wrong = await gateway({ secret: 'guess', message: 'CP ramouseh C12 BUS4 30' });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.code, 'sms.bad_secret');
      const missing = await gateway({ secret: undefined, message: 'CP ramouseh C12 BUS4 30' });
      assert.equal(missing.status, 401);
      for (const payload of ['', 'from=%ZZ&&&', 'a'.repeat(5000), JSON.stringify({ secret: SECRET, message: 1 })])
        for (const type of ['application/x-www-form-urlencoded', 'application/json', 'text/plain']) {
          const r = await h.app.inject({ method: 'POST', url: `${base}/sms/smssync`, headers: { 'content-type': type }, payload });
          assert.ok(r.statusCode < 500, `${type} ${payload.slice(0, 20)}: ${r.statusCode} ${r.body}`);
        }
      const json = await h.app.inject({
        method: 'POST',
        url: `${base}/sms/smssync`,
        payload: { secret: SECRET, from: '+963944123456', message: 'CP ramouseh C12', message_id: 'sms-json' },
      });
      assert.equal(json.statusCode, 200, json.body);
      assert.equal(json.json().payload.error, null);
      assert.equal((await passes()).length, n + 1, 'only the JSON one, well-formed and authenticated, was recorded');
    });
  });
}
