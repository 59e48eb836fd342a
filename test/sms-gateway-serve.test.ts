/**
 * End to end, as a field team would run it: a real `corridor serve` with CORRIDOR_SMS_SECRET, set
 * up over HTTP (an operation, a checkpoint, a convoy and a monitor with a phone), and a simulated
 * SMSSync gateway posting its form over the network: the monitor's SMS is answered with the
 * confirmation SMS and shows as the convoy's checkpoint pass; the gateway's retry is answered the
 * same; a wrong secret is a 401. On PGlite always, on PostgreSQL too when TEST_DATABASE_URL is set.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ulid } from 'ulid';
import { spawnCorridor } from './support/cli.js';
import { servingUntil } from './support/serve-process.js';

const SECRET = randomBytes(18).toString('base64url');
const pgBase = process.env.TEST_DATABASE_URL;

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** A logged-in caller of the real server (cookie kept from the login). */
async function loginAs(url: string, username: string, password: string) {
  const r = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(r.status, 200, await r.text());
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] as string;
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { cookie, 'content-type': 'application/json', ...(method === 'GET' ? {} : { 'idempotency-key': ulid() }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

const targets: { name: string; env: () => Promise<Record<string, string>>; cleanup: () => Promise<void> }[] = [];
{
  let dir: string | undefined;
  targets.push({
    name: 'pglite',
    env: async () => {
      dir = mkdtempSync(join(tmpdir(), 'corridor-sms-serve-'));
      return { CORRIDOR_DATA_DIR: join(dir, 'data'), CORRIDOR_MASTER_KEY_FILE: join(dir, 'keys', 'master.key') };
    },
    cleanup: async () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  });
}
if (pgBase) {
  const name = `corridor_sms_${randomBytes(4).toString('hex')}`;
  let dir: string | undefined;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: pgBase });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  targets.push({
    name: 'postgres',
    env: async () => {
      await admin(`create database ${name}`);
      dir = mkdtempSync(join(tmpdir(), 'corridor-sms-serve-'));
      const u = new URL(pgBase);
      u.pathname = `/${name}`;
      return { DATABASE_URL: u.toString(), CORRIDOR_MASTER_KEY_FILE: join(dir, 'master.key') };
    },
    cleanup: async () => {
      await admin(`drop database if exists ${name} with (force)`);
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  });
}

for (const target of targets) {
  describe(`a simulated SMSSync gateway posting to a started server (${target.name})`, { timeout: 400_000 }, () => {
    let child: ChildProcess | undefined;
    after(async () => {
      if (child) await stop(child);
      await target.cleanup();
    });

    test('a checkpoint SMS is recorded, answered, replayed the same; a wrong secret is refused', async () => {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        CORRIDOR_DEMO: '0',
        CORRIDOR_2FA_ROLES: '',
        CORRIDOR_SMS_SECRET: SECRET,
        ...(await target.env()),
      };
      delete env.CORRIDOR_MASTER_KEY;
      if (!env.DATABASE_URL) delete env.DATABASE_URL;
      const proc = spawnCorridor(['serve'], { env });
      child = proc;
      const s = await servingUntil(proc, /password: \S+/, 240_000);
      const password = /password: (\S+)/.exec(s.output())?.[1] as string;
      const asAdmin = await loginAs(s.url, 'admin', password);

      const op = await asAdmin('POST', '/api/operations', {
        code: 'sms-e2e',
        nameEn: 'SMS test evacuation',
        nameAr: 'إجلاء تجريبي للرسائل',
        timeZone: 'Asia/Damascus',
        status: 'active',
      });
      assert.equal(op.status, 201, JSON.stringify(op.body));
      const base = `/api/operations/${op.body.id}`;
      for (const site of [
        { id: 'amiriyah', kind: 'assembly_point', nameEn: 'Amiriyah' },
        { id: 'ramouseh', kind: 'checkpoint', nameEn: 'Ramouseh', nameAr: 'الراموسة' },
        { id: 'rashidin', kind: 'reception_centre', nameEn: 'Rashidin' },
      ])
        assert.equal((await asAdmin('POST', `${base}/sites`, site)).status, 201);
      const coordinator = await asAdmin('POST', '/api/users', {
        username: 'coord-sms',
        displayName: 'Coordinator',
        password: 'violet harbour tangerine lantern',
      });
      assert.equal(coordinator.status, 201, JSON.stringify(coordinator.body));
      const monitor = await asAdmin('POST', '/api/users', {
        username: 'monitor-sms',
        displayName: 'Monitor',
        password: 'copper meadow whistle orchard',
        locale: 'ar',
      });
      assert.equal(monitor.status, 201, JSON.stringify(monitor.body));
      for (const [id, role] of [
        [coordinator.body.id, 'coordinator'],
        [monitor.body.id, 'checkpoint_monitor'],
      ])
        assert.equal((await asAdmin('PUT', `${base}/staff/${id}`, { roles: [role] })).status, 200, `grant ${role}`);
      assert.equal((await asAdmin('PUT', `/api/users/${monitor.body.id}/phone`, { phone: '+963 933 111 222' })).status, 200);
      const asCoordinator = await loginAs(s.url, 'coord-sms', 'violet harbour tangerine lantern');
      assert.equal(
        (await asCoordinator('POST', `${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'ramouseh', 'rashidin'] })).status,
        201,
      );
      assert.equal((await asCoordinator('POST', `${base}/convoys`, { id: 'C7', routeId: 'r1' })).status, 201);
      assert.equal(
        (await asCoordinator('POST', `${base}/convoys/C7/vehicles`, { id: 'BUS1', kind: 'bus', mode: 'head_count' })).status,
        201,
      );

      const gateway = async (fields: Record<string, string>) => {
        const r = await fetch(`${s.url}${base}/sms/smssync`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            from: '+963933111222',
            sent_to: '+963944000000',
            device_id: 'ops-room-phone',
            sent_timestamp: String(Date.now()),
            secret: SECRET,
            ...fields,
          }).toString(),
        });
        return {
          status: r.status,
          body: (await r.json()) as { payload: { success: boolean; error: string | null; messages?: { to: string; message: string }[] } },
        };
      };
      const first = await gateway({ message: 'حاجز الراموسة c7 bus1 ٤٢', message_id: 'e2e-1' });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.payload.success, true);
      assert.equal(first.body.payload.error, null);
      assert.deepEqual(
        first.body.payload.messages?.map((m) => [m.to, m.message]),
        [['+963933111222', 'تم: C7 BUS1=42 عبر الراموسة']],
      );
      const again = await gateway({ message: 'حاجز الراموسة c7 bus1 ٤٢', message_id: 'e2e-1' });
      assert.deepEqual(again, first);
      const convoy = await asCoordinator('GET', `${base}/convoys/C7`);
      assert.deepEqual(
        convoy.body.checkpointPasses.map((p: { siteId: string; vehicleId: string | null }) => [p.siteId, p.vehicleId]).sort(),
        [
          ['ramouseh', null],
          ['ramouseh', 'BUS1'],
        ],
        'one convoy pass and one vehicle pass, not two of each',
      );
      const wrong = await gateway({ message: 'CP ramouseh C7', message_id: 'e2e-2', secret: 'not-the-secret' });
      assert.equal(wrong.status, 401);
    });
  });
}
