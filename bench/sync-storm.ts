/**
 * A sync storm (issue 17): many field devices come back into signal at once, each with a queue of
 * writes, against PostgreSQL through a listening server (HTTP, device tokens, the outbox-size
 * header). Each device is a checkpoint phone sending its queue of passes (with the head count
 * seen) in batches of 100, with its own client ids; one batch in twenty is sent twice (its
 * answer "lost"), as phones do. Reported: the time to drain every queue (goal ≤ 60 s for 100
 * devices × 1,000 writes), writes lost and duplicated (goal 0 each: stored facts counted by id),
 * and the p95 of an online desk's request (a checkpoint desk logging one pass) during the storm
 * beside its p95 at rest.
 *
 * Size: BENCH_SYNC_DEVICES (100) × BENCH_SYNC_WRITES (1,000). Runs on PostgreSQL only
 * (TEST_DATABASE_URL), as the goal is set for it.
 */
import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { buildApp } from '../src/server/app.js';
import { createUser } from '../src/services/accounts/auth.js';
import { KeyRing } from '../src/services/keys/keyring.js';
import { OUTBOX_SIZE_HEADER } from '../src/domain/api/endpoint.js';
import { deskAccount } from './accounts.js';
import { percentile, type BenchRow } from './lib.js';
import { benchTargets } from './targets.js';

const PASSWORD = 'correct horse battery staple';
const BATCH = 100;

export async function runSyncStormBench(opts: { devices?: number; writes?: number } = {}): Promise<BenchRow[]> {
  const devices = opts.devices ?? Number(process.env.BENCH_SYNC_DEVICES ?? 100);
  const writes = opts.writes ?? Number(process.env.BENCH_SYNC_WRITES ?? 1000);
  const target = benchTargets().find((t) => t.name === 'postgres');
  const group = `sync storm ${devices} devices × ${writes.toLocaleString('en')} writes${process.env.BENCH_SYNC_LANES !== undefined ? ` (sync lanes ${process.env.BENCH_SYNC_LANES})` : ''}`;
  if (!target) return [{ group, figure: 'skipped: needs TEST_DATABASE_URL (PostgreSQL)', target: 'none', value: Number.NaN, unit: '' }];
  const db = await target.open();
  const keys = new KeyRing(randomBytes(32));
  // BENCH_SYNC_LANES=0 runs the storm without the sync lanes (src/server/plugins/sync-lanes.ts), to compare.
  const lanes = process.env.BENCH_SYNC_LANES;
  const app = await buildApp({
    db,
    keys,
    logLevel: 'silent',
    rateLimits: false,
    ...(lanes !== undefined ? { syncLanes: Number(lanes) } : {}),
  });
  try {
    await app.ready();
    await db.kysely
      .transaction()
      .execute((trx) =>
        createUser(
          trx,
          { username: 'root', displayName: 'Root', password: PASSWORD, isAdmin: true },
          { id: null, kind: 'system' },
          new Date(),
        ),
      );
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const login = async (username: string) => {
      const r = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: PASSWORD }),
      });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status}`);
      return (r.headers.get('set-cookie') as string).split(';')[0] as string;
    };
    const call = async (auth: Record<string, string>, method: string, path: string, body?: unknown, key?: string) => {
      const r = await fetch(`${url}${path}`, {
        method,
        headers: { ...auth, 'content-type': 'application/json', ...(method === 'POST' ? { 'idempotency-key': key ?? ulid() } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await r.text();
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text.slice(0, 300)}`);
      return text ? JSON.parse(text) : undefined;
    };
    const admin = { cookie: await login('root') };
    const op = await call(admin, 'POST', '/api/operations', {
      code: 'storm',
      nameEn: 'Sync storm',
      nameAr: 'عاصفة مزامنة',
      timeZone: 'Asia/Damascus',
      status: 'active',
    });
    const base = `/api/operations/${op.id}`;
    for (const site of [
      { id: 'amiriyah', kind: 'assembly_point', nameEn: 'al-Amiriyah', nameAr: 'العامرية' },
      { id: 'kp', kind: 'checkpoint', nameEn: 'Ramouseh checkpoint', nameAr: 'حاجز الراموسة' },
      { id: 'rashidin', kind: 'reception_centre', nameEn: 'al-Rashidin', nameAr: 'الراشدين' },
    ])
      await call(admin, 'POST', `${base}/sites`, site);
    // The account that makes the device tokens holds the role it gives them, given by the admin as
    // every bench's desk account is (bench/accounts.ts); it is the online desk beside the storm too.
    const maker = await deskAccount(app, db, op.id, admin.cookie, ['admin', 'checkpoint_monitor', 'convoy_officer'], 'maker');
    const makerAuth = { cookie: maker.cookie };
    await call(makerAuth, 'POST', `${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'kp', 'rashidin'] });
    // Each phone logs the passes of its own convoy (a convoy's facts are read to derive its state).
    const tokens: string[] = [];
    for (let d = 0; d < devices; d++) {
      await call(makerAuth, 'POST', `${base}/convoys`, { id: `c${d}`, routeId: 'r1' });
      await call(makerAuth, 'POST', `${base}/convoys/c${d}/vehicles`, { id: `v${d}`, kind: 'bus', capacity: 50 });
      const made = await call(makerAuth, 'POST', `${base}/devices`, { name: `phone ${d}`, role: 'checkpoint_monitor', siteId: 'kp' });
      tokens.push(made.token);
    }
    await call(makerAuth, 'POST', `${base}/convoys`, { id: 'desk', routeId: 'r1' });
    await call(makerAuth, 'POST', `${base}/convoys/desk/vehicles`, { id: 'desk-bus', kind: 'bus', capacity: 50 });

    const t0 = Date.parse('2016-12-15T08:00:00.000Z');
    const queues = tokens.map((_, d) =>
      Array.from({ length: writes }, (_, i) => ({
        id: ulid(),
        kind: 'passed_checkpoint',
        convoyId: `c${d}`,
        vehicleId: `v${d}`,
        siteId: 'kp',
        deviceTime: new Date(t0 + i * 1000).toISOString(),
        payload: { observedHeadCount: i % 50 },
      })),
    );
    // The online desk: one pass logged, its request timed.
    let deskN = 0;
    const deskRequest = async () => {
      const t = performance.now();
      await call(makerAuth, 'POST', `${base}/facts`, {
        facts: [
          {
            id: ulid(),
            kind: 'passed_checkpoint',
            convoyId: 'desk',
            vehicleId: 'desk-bus',
            siteId: 'kp',
            deviceTime: new Date(t0 + deskN++ * 1000).toISOString(),
          },
        ],
      });
      return performance.now() - t;
    };
    const atRest: number[] = [];
    for (let i = 0; i < 60; i++) atRest.push(await deskRequest());

    let draining = true;
    const during: number[] = [];
    const desk = (async () => {
      while (draining) {
        during.push(await deskRequest());
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    let resent = 0;
    const start = performance.now();
    await Promise.all(
      queues.map(async (queue, d) => {
        const auth = { authorization: `Bearer ${tokens[d]}` };
        let held = queue.length;
        for (let i = 0; i < queue.length; i += BATCH) {
          const batch = queue.slice(i, i + BATCH);
          const key = ulid();
          const send = () => call({ ...auth, [OUTBOX_SIZE_HEADER]: String(held) }, 'POST', `${base}/facts`, { facts: batch }, key);
          await send();
          // One batch in twenty: the answer was lost, the phone sends it again with the same key.
          if ((i / BATCH) % 20 === 7) {
            await send();
            resent++;
          }
          held -= batch.length;
        }
        await call({ ...auth, [OUTBOX_SIZE_HEADER]: '0' }, 'GET', `${base}/sites`);
      }),
    );
    const drainSeconds = (performance.now() - start) / 1000;
    draining = false;
    await desk;

    const stored = await db.kysely
      .selectFrom('movement_facts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('operation_id', '=', op.id)
      .where('convoy_id', '<>', 'desk')
      .executeTakeFirstOrThrow();
    const sentIds = new Set(queues.flat().map((f) => f.id));
    const present = new Set<string>();
    for (let i = 0; i < queues.length; i++) {
      const rows = await db.kysely
        .selectFrom('movement_facts')
        .select('id')
        .where('operation_id', '=', op.id)
        .where('convoy_id', '=', `c${i}`)
        .execute();
      for (const r of rows) if (sentIds.has(r.id)) present.add(r.id);
    }
    const lost = sentIds.size - present.size;
    // Rows beyond one per write sent (the ids are the primary key, so a copy would be a row under another id).
    const duplicated = Number(stored.n) - present.size;
    const stillHeld = await db.kysely.selectFrom('devices').select('held_writes').where('operation_id', '=', op.id).execute();
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const restP95 = percentile(sorted(atRest), 95);
    const stormP95 = percentile(sorted(during), 95);
    const total = devices * writes;
    const full = devices >= 100 && writes >= 1000;
    return [
      {
        group,
        figure: `time to drain (${total.toLocaleString('en')} writes, ${resent} batches re-sent)`,
        target: 'postgres',
        value: drainSeconds,
        unit: 's',
        goal: full ? '≤ 60 s' : `≤ 60 s at 100 × 1,000 (this size: ${total.toLocaleString('en')} writes)`,
        pass: full ? drainSeconds <= 60 : undefined,
      },
      { group, figure: 'writes per second', target: 'postgres', value: total / drainSeconds, unit: '/s' },
      { group, figure: 'lost', target: 'postgres', value: lost, unit: 'writes', goal: '0', pass: lost === 0 },
      { group, figure: 'duplicated', target: 'postgres', value: duplicated, unit: 'writes', goal: '0', pass: duplicated === 0 },
      {
        group,
        figure: 'devices still holding writes (as they said last)',
        target: 'postgres',
        value: stillHeld.filter((r) => r.held_writes !== 0).length,
        unit: 'devices',
        goal: '0',
        pass: stillHeld.every((r) => r.held_writes === 0),
      },
      {
        group,
        figure: `online desk request p95 during the storm (${during.length} requests)`,
        target: 'postgres',
        value: stormP95,
        unit: 'ms',
        baseline: { label: 'p95 at rest', value: restP95 },
        goal: 'measured (no goal set)',
      },
    ];
  } finally {
    await app.close();
    await db.close();
  }
}
