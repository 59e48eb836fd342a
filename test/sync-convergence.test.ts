/**
 * Convergence of devices that sync late (issue 17), as a property over seeds: a few simulated
 * devices make random registrations, named boardings, head counts, checkpoint passes (with the
 * head count seen) and check-ins, each write with its client id, and send their outboxes through
 * a faulty network — requests lost before the server, answers lost after it (the device sends
 * again: a duplicate delivery), the same request sent twice at once, outboxes sent out of order,
 * several devices at once — while the server is restarted now and then. After every outbox is
 * drained:
 * - every acknowledged write is stored exactly once (each fact id once; each registration's
 *   household once, every answer to its key the same household);
 * - the server's state — manifests, counters, reconciliation items (conflicts included), the
 *   client facts stored — equals that of a second operation given the same writes once each, one
 *   at a time, in device-time order;
 * - `counts verify` finds nothing.
 * Each seed works in operations of its own on one database, so 100 seeds stay fast.
 *
 * On PostgreSQL one more case runs a real `corridor serve`, kills it with SIGKILL while a
 * device's queue is being written, starts it again, and the device sends its queue again: each
 * write is there once and the counts verify.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ulid } from 'ulid';
import { buildApp } from '../src/server/app.js';
import { KeyRing } from '../src/services/keys/keyring.js';
import { createUser } from '../src/services/accounts/auth.js';
import { grantRoles } from '../src/db/queries/operations.js';
import { allCells } from '../src/db/queries/counts.js';
import { drainCounts } from '../src/services/counts/count-projector.js';
import { verifyCounts } from '../src/services/counts/counts.js';
import { ageBands, categories, sexes } from '../src/domain/schemas/persons.js';
import { dialects, type TestDb } from './support/db.js';
import { spawnCorridor } from './support/cli.js';
import { servingUntil } from './support/serve-process.js';

/**
 * Seeds per database: 25 in `npm test` (about a minute per database on the 2-core machine);
 * CONVERGENCE_SEEDS=100 for the full property run the issue asks for (the closing notes report it).
 */
const SEEDS = Number(process.env.CONVERGENCE_SEEDS ?? 25);
/** The first seed (to run a failing seed again alone: CONVERGENCE_FIRST_SEED=35 CONVERGENCE_SEEDS=1). */
const FIRST_SEED = Number(process.env.CONVERGENCE_FIRST_SEED ?? 1);
const PASSWORD = 'correct horse battery staple';
const DEVICES = 3;
const OPS_PER_DEVICE = 4;
const SEED_PEOPLE = 4;

/** mulberry32: a small seeded PRNG, so a failing seed can be run again alone. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- assertions read arbitrary JSON
}

/** An app that can be restarted on the same database; clients always reach the current one. */
class Server {
  app!: FastifyInstance;
  constructor(
    readonly db: TestDb,
    readonly keys: KeyRing,
  ) {}
  async start() {
    this.app = await buildApp({ db: this.db, keys: this.keys, logLevel: 'silent', rateLimits: false });
    await this.app.ready();
  }
  async restart() {
    await this.app.close();
    await this.start();
  }
  async send(cookie: string, method: 'GET' | 'POST', url: string, body?: unknown, key?: string): Promise<Reply> {
    const r = await this.app.inject({
      method,
      url,
      headers: { cookie, ...(method === 'POST' ? { 'idempotency-key': key ?? ulid() } : {}) },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : undefined };
  }
  async login(username: string): Promise<string> {
    const r = await this.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
    assert.equal(r.statusCode, 200, r.body);
    return ([r.headers['set-cookie']].flat()[0] as string).split(';')[0] as string;
  }
}

async function addUser(db: TestDb, username: string, isAdmin = false): Promise<string> {
  const u = await db.kysely
    .transaction()
    .execute((trx) =>
      createUser(trx, { username, displayName: username, password: PASSWORD, isAdmin }, { id: null, kind: 'system' }, new Date()),
    );
  return u.id;
}

/** An operation with its sites, a route, three convoys and the people the devices will move. */
async function setUp(s: Server, admin: string, code: string, users: string[]) {
  const ok = (r: Reply, what: string) => assert.ok(r.status === 200 || r.status === 201, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
  const op = await s.send(admin, 'POST', '/api/operations', {
    code,
    nameEn: code,
    nameAr: 'إجلاء تجريبي',
    timeZone: 'Asia/Damascus',
    status: 'active',
  });
  ok(op, 'operation');
  const id = op.body.id as string;
  const base = `/api/operations/${id}`;
  for (const site of [
    { id: 'amiriyah', kind: 'assembly_point', nameEn: 'al-Amiriyah', nameAr: 'العامرية' },
    { id: 'kp', kind: 'checkpoint', nameEn: 'Ramouseh checkpoint', nameAr: 'حاجز الراموسة' },
    { id: 'rashidin', kind: 'reception_centre', nameEn: 'al-Rashidin', nameAr: 'الراشدين', capacity: 5000 },
    { id: 'jibrin', kind: 'reception_centre', nameEn: 'Jibrin', nameAr: 'جبرين' },
  ])
    ok(await s.send(admin, 'POST', `${base}/sites`, site), 'site');
  // users[0] coordinates; the others are the field devices' accounts.
  for (const [i, u] of users.entries())
    await grantRoles(
      s.db.kysely,
      id,
      u,
      i === 0 ? ['coordinator', 'registrar'] : ['registrar', 'convoy_officer', 'checkpoint_monitor', 'reception_officer'],
      u,
      new Date(),
    );
  const coordinator = await s.login('conv-coordinator');
  ok(await s.send(coordinator, 'POST', `${base}/routes`, { id: 'r1', siteIds: ['amiriyah', 'kp', 'rashidin'] }), 'route');
  for (const c of ['c1', 'c2', 'c3']) ok(await s.send(coordinator, 'POST', `${base}/convoys`, { id: c, routeId: 'r1' }), 'convoy');
  for (const [c, v] of [
    ['c1', { id: 'bus1', kind: 'bus', capacity: 30 }],
    ['c1', { id: 'bus2', kind: 'bus', capacity: 30 }],
    ['c2', { id: 'c2-bus', kind: 'bus', capacity: 30 }],
    ['c3', { id: 'c3-van', kind: 'private_car', mode: 'head_count' }],
  ] as const)
    ok(await s.send(coordinator, 'POST', `${base}/convoys/${c}/vehicles`, v), 'vehicle');
  const people: string[] = [];
  const households: string[] = [];
  for (let i = 0; i < SEED_PEOPLE; i++) {
    // At a fixed time (not the server's clock): both operations of a seed count them in the same hour.
    const r = await s.send(coordinator, 'POST', `${base}/households/batch`, {
      households: [
        {
          siteId: 'amiriyah',
          registeredAt: '2016-12-15T07:00:00.000Z',
          members: [
            {
              names: { lat: { given: `Seed${i}`, family: `Traveller${'abcd'[i]}` } },
              sex: i % 2 ? 'male' : 'female',
              estimatedAge: 25 + i,
            },
          ],
        },
      ],
    });
    ok(r, 'household');
    households.push(r.body.households[0].id);
    people.push(r.body.households[0].members[0]);
  }
  return { id, base, people, households, coordinator };
}
type Op = Awaited<ReturnType<typeof setUp>>;

/** A device's write, made once; rendered for an operation (its people's ids) when sent. */
interface Write {
  key: string;
  device: number;
  deviceTime: string;
  kind: 'register' | 'board' | 'head_count' | 'checkpoint' | 'check_in';
  render(op: Op): { url: string; body: unknown };
}

function randomWrites(rand: () => number): Write[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const writes: Write[] = [];
  const t0 = Date.parse('2016-12-15T08:00:00.000Z');
  for (let d = 0; d < DEVICES; d++)
    for (let i = 0; i < OPS_PER_DEVICE; i++) {
      const key = ulid();
      const deviceTime = new Date(t0 + Math.floor(rand() * 120) * 60_000).toISOString();
      const person = Math.floor(rand() * SEED_PEOPLE);
      const r = rand();
      const fact = (f: Record<string, unknown>) => (op: Op) => ({
        url: `${op.base}/facts`,
        body: {
          facts: [{ id: key, deviceTime, ...f, ...(f.personId !== undefined ? { personId: op.people[f.personId as number] } : {}) }],
        },
      });
      let w: Pick<Write, 'kind' | 'render'>;
      if (r < 0.2) {
        const members = 1 + Math.floor(rand() * 2);
        const given = pick(['Hana', 'Omar', 'Rima', 'Karim', 'Lina', 'Samir']);
        const family = `${pick(['Haddad', 'Najjar', 'Attar', 'Sabbagh'])}${Math.floor(rand() * 1000)}`;
        const household = {
          siteId: 'amiriyah',
          registeredAt: deviceTime,
          members: Array.from({ length: members }, (_, m) => ({
            names: { lat: { given: `${given}${m}`, family } },
            sex: pick(['female', 'male'] as const),
            estimatedAge: 1 + Math.floor(rand() * 80),
          })),
        };
        w = { kind: 'register', render: (op) => ({ url: `${op.base}/households/batch`, body: { households: [household] } }) };
      } else if (r < 0.5) {
        const [convoyId, vehicleId] = pick([
          ['c1', 'bus1'],
          ['c1', 'bus2'],
          ['c2', 'c2-bus'],
        ] as const);
        w = { kind: 'board', render: fact({ kind: 'boarded', convoyId, vehicleId, siteId: 'amiriyah', personId: person }) };
      } else if (r < 0.62) {
        const rows = [{ sex: pick(sexes), ageBand: pick(ageBands), category: pick(categories), count: 1 + Math.floor(rand() * 5) }];
        w = {
          kind: 'head_count',
          render: fact({ kind: 'boarded', convoyId: 'c3', vehicleId: 'c3-van', siteId: 'amiriyah', payload: { headCount: rows } }),
        };
      } else if (r < 0.75) {
        const observedHeadCount = Math.floor(rand() * 8);
        w = {
          kind: 'checkpoint',
          render: fact({ kind: 'passed_checkpoint', convoyId: 'c3', vehicleId: 'c3-van', siteId: 'kp', payload: { observedHeadCount } }),
        };
      } else {
        const siteId = pick(['rashidin', 'jibrin']);
        w = { kind: 'check_in', render: fact({ kind: 'checked_in', siteId, personId: person }) };
      }
      writes.push({ key, device: d, deviceTime, ...w });
    }
  return writes;
}

/** What an operation's state is, with its own ids (people, households) named by their place in the set-up. */
async function stateOf(s: Server, op: Op, clientFactIds: Set<string>) {
  await s.app.countProjector.flush();
  await drainCounts(s.db.kysely, s.keys, op.id);
  const names = new Map<string, string>([
    ...op.people.map((p, i) => [p, `P${i}`] as const),
    ...op.households.map((h, i) => [h, `H${i}`] as const),
  ]);
  const rename = (v: unknown) =>
    JSON.parse(JSON.stringify(v), (_k, x: unknown) =>
      typeof x === 'string' ? x.replace(/[0-9A-HJKMNP-TV-Z]{26}/g, (id) => names.get(id) ?? id) : x,
    );
  const cells = (await allCells(s.db.kysely, op.id)).map((c) => JSON.stringify(c)).sort();
  const manifest = (
    await s.db.kysely
      .selectFrom('manifest_entries')
      .select(['convoy_id', 'vehicle_id', 'person_id', 'household_id', 'flags'])
      .where('operation_id', '=', op.id)
      .execute()
  )
    .map((e) => JSON.stringify(rename(e)))
    .sort();
  const reconciliation = await s.send(op.coordinator, 'GET', `${op.base}/reconciliation`);
  assert.equal(reconciliation.status, 200, JSON.stringify(reconciliation.body));
  const facts = (
    await s.db.kysely
      .selectFrom('movement_facts')
      .select(['id', 'kind'])
      .where('operation_id', '=', op.id)
      .where('kind', '<>', 'correction')
      .execute()
  )
    .map((f) => f.id)
    .sort();
  const unexpected = facts.filter((id) => !clientFactIds.has(id));
  const households = await s.db.kysely.selectFrom('households').select('id').where('operation_id', '=', op.id).execute();
  return {
    cells,
    manifest,
    reconciliation: rename(reconciliation.body.items),
    summary: reconciliation.body.summary,
    facts,
    unexpected,
    households: households.length,
  };
}

for (const dialect of dialects) {
  describe(`devices syncing late converge (${dialect.name}, ${SEEDS} seeds)`, () => {
    let s: Server;
    let admin: string;
    const users: string[] = [];

    before(async () => {
      s = new Server(await dialect.open(), new KeyRing(randomBytes(32)));
      await s.start();
      await addUser(s.db, 'conv-root', true);
      users.push(await addUser(s.db, 'conv-coordinator'));
      for (let d = 0; d < DEVICES; d++) users.push(await addUser(s.db, `conv-device-${d}`));
      admin = await s.login('conv-root');
    });
    after(async () => {
      await s.app.close();
      await s.db.close();
    });

    test('every acknowledged write once; the state of one sequential order; counts verify', async () => {
      const stats = { restarts: 0, lostBefore: 0, lostAfter: 0, doubled: 0, delivered: 0 };
      for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
        const rand = prng(seed);
        const main = await setUp(s, admin, `conv-${seed}-${dialect.name}`, users);
        const ref = await setUp(s, admin, `conv-${seed}-${dialect.name}-ref`, users);
        const cookies = await Promise.all(Array.from({ length: DEVICES }, (_, d) => s.login(`conv-device-${d}`)));
        const writes = randomWrites(rand);
        const outbox = Array.from({ length: DEVICES }, (_, d) => writes.filter((w) => w.device === d));
        const answers = new Map<string, Reply[]>();
        const acked = new Set<string>();

        const deliver = async (w: Write, op: Op, cookie: string): Promise<Reply> => {
          const { url, body } = w.render(op);
          const r = await s.send(cookie, 'POST', url, body, w.key);
          assert.ok(r.status === 200 || r.status === 201, `seed ${seed} ${w.kind}: ${r.status} ${JSON.stringify(r.body)}`);
          answers.set(w.key, [...(answers.get(w.key) ?? []), r]);
          return r;
        };
        const sendOne = async (d: number) => {
          const box = outbox[d] as Write[];
          if (box.length === 0) return;
          // Reordering: a phone may send any of its queued writes first.
          const w = box[rand() < 0.5 ? 0 : Math.floor(rand() * box.length)] as Write;
          const fault = rand();
          const cookie = cookies[d] as string;
          if (fault < 0.15) {
            stats.lostBefore++;
            return; // never reached the server: still queued
          }
          if (fault < 0.35) {
            stats.lostAfter++;
            await deliver(w, main, cookie); // written, but the answer is lost: still queued, sent again later
            return;
          }
          if (fault < 0.45) {
            stats.doubled++;
            await Promise.all([deliver(w, main, cookie), deliver(w, main, cookie)]);
          } else await deliver(w, main, cookie);
          stats.delivered++;
          acked.add(w.key);
          box.splice(box.indexOf(w), 1);
        };

        while (outbox.some((b) => b.length > 0)) {
          if (rand() < 0.04) {
            await s.restart();
            stats.restarts++;
          }
          // One to three devices at once.
          const senders = [...new Set(Array.from({ length: 1 + Math.floor(rand() * DEVICES) }, () => Math.floor(rand() * DEVICES)))];
          await Promise.all(senders.map(sendOne));
        }
        assert.equal(acked.size, writes.length);

        // Once each, one at a time, in device-time order (ties by client id), into the reference operation.
        const desk = cookies[0] as string;
        for (const w of [...writes].sort((a, b) =>
          a.deviceTime === b.deviceTime ? (a.key < b.key ? -1 : 1) : a.deviceTime < b.deviceTime ? -1 : 1,
        )) {
          const { url, body } = w.render(ref);
          const r = await s.send(desk, 'POST', url, body, w.key);
          assert.ok(r.status === 200 || r.status === 201, `seed ${seed} reference ${w.kind}: ${r.status} ${JSON.stringify(r.body)}`);
        }

        const factIds = new Set(writes.filter((w) => w.kind !== 'register').map((w) => w.key));
        const got = await stateOf(s, main, factIds);
        const want = await stateOf(s, ref, factIds);
        // Every acknowledged write once.
        assert.deepEqual(got.facts, [...factIds].sort(), `seed ${seed}: each fact stored once`);
        assert.deepEqual(got.unexpected, []);
        const registrations = writes.filter((w) => w.kind === 'register');
        assert.equal(got.households, SEED_PEOPLE + registrations.length, `seed ${seed}: each registration stored once`);
        for (const w of registrations) {
          const ids = new Set((answers.get(w.key) ?? []).map((r) => r.body.households[0].id as string));
          assert.equal(ids.size, 1, `seed ${seed}: every answer to a registration names one household`);
        }
        // The state of one sequential order.
        assert.deepEqual(got.manifest, want.manifest, `seed ${seed}: manifests`);
        assert.deepEqual(got.cells, want.cells, `seed ${seed}: counters`);
        assert.deepEqual(got.reconciliation, want.reconciliation, `seed ${seed}: reconciliation`);
        assert.deepEqual(got.summary, want.summary, `seed ${seed}: reconciliation summary`);
        assert.equal(got.households, want.households);
        for (const op of [main, ref])
          assert.deepEqual((await verifyCounts(s.db.kysely, s.keys, op.id)).differences, [], `seed ${seed}: counts verify`);
      }
      // Over enough seeds every kind of fault happened.
      if (SEEDS >= 20)
        assert.ok(stats.restarts > 0 && stats.lostAfter > 0 && stats.doubled > 0 && stats.lostBefore > 0, JSON.stringify(stats));
      process.stdout.write(`# convergence ${dialect.name}: ${JSON.stringify(stats)}\n`);
    });
  });
}

const pgUrl = process.env.TEST_DATABASE_URL;
describe('a server killed with SIGKILL mid-sync on PostgreSQL: the device sends again, each write once', { skip: !pgUrl }, () => {
  let db: TestDb;
  const masterKey = randomBytes(32);

  before(async () => {
    db = await dialects.find((d) => d.name === 'postgres')!.open();
  });
  after(async () => db.close());

  const serve = () =>
    servingUntil(
      spawnCorridor(['serve'], {
        env: {
          ...process.env,
          DATABASE_URL: db.url,
          CORRIDOR_MASTER_KEY: masterKey.toString('hex'),
          CORRIDOR_DEMO: '0',
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
        },
      }),
      /serving at/,
      90_000,
    );

  test('killed while writing a queue of households and boardings; restarted; the re-sent queue is there once; counts verify', async () => {
    // The operation, its convoy and the device's account, made in this process with the same master key.
    const s = new Server(db, new KeyRing(masterKey));
    await s.start();
    await addUser(db, 'kill-root', true);
    const users = [await addUser(db, 'conv-coordinator'), await addUser(db, 'kill-device')];
    const op = await setUp(s, await s.login('kill-root'), 'kill9', users);
    await s.app.close();

    const households = Array.from({ length: 150 }, (_, i) => ({
      siteId: 'amiriyah',
      registeredAt: new Date(Date.parse('2016-12-15T06:00:00.000Z') + i * 1000).toISOString(),
      members: [
        { names: { lat: { given: `Queued${i}`, family: `Kill${i % 17}` } }, sex: i % 2 ? 'male' : 'female', estimatedAge: 20 + (i % 50) },
        { names: { lat: { given: `Child${i}`, family: `Kill${i % 17}` } }, sex: 'female', estimatedAge: 1 + (i % 15) },
      ],
    }));
    const batches = [households.slice(0, 75), households.slice(75)].map((h) => ({ key: ulid(), body: { households: h } }));
    const facts = op.people.map((p, i) => ({
      id: ulid(),
      kind: 'boarded',
      convoyId: 'c1',
      vehicleId: i % 2 ? 'bus1' : 'bus2',
      siteId: 'amiriyah',
      personId: p,
      deviceTime: '2016-12-15T09:00:00.000Z',
    }));
    const factsKey = ulid();

    let server = await serve();
    const post = async (url: string, cookie: string, path: string, body: unknown, key: string) => {
      const r = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });
      return { status: r.status, body: (await r.json()) as Reply['body'] };
    };
    const login = async (url: string) => {
      const r = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'kill-device', password: PASSWORD }),
      });
      assert.equal(r.status, 200);
      return (r.headers.get('set-cookie') as string).split(';')[0] as string;
    };
    let cookie = await login(server.url);
    // The queue is being sent: the first batch in flight when the server is killed.
    const inFlight = post(server.url, cookie, `${op.base}/households/batch`, batches[0]!.body, batches[0]!.key).then(
      (r) => ({ answered: true as const, r }),
      () => ({ answered: false as const }),
    );
    await new Promise((r) => setTimeout(r, 150));
    server.child.kill('SIGKILL');
    const first = await inFlight;
    await new Promise((r) => server.child.once('exit', r));
    assert.equal(server.child.signalCode, 'SIGKILL');

    server = await serve();
    try {
      cookie = await login(server.url);
      // The device never saw an answer it trusts: it sends its whole queue again, each with its key.
      for (const b of batches) {
        const r = await post(server.url, cookie, `${op.base}/households/batch`, b.body, b.key);
        assert.equal(r.status, 201, JSON.stringify(r.body));
        if (b === batches[0] && first.answered && first.r.status === 201) assert.deepEqual(r.body, first.r.body);
      }
      for (let i = 0; i < 2; i++) {
        const r = await post(server.url, cookie, `${op.base}/facts`, { facts }, factsKey);
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      const stored = await db.kysely.selectFrom('households').select('id').where('operation_id', '=', op.id).execute();
      assert.equal(stored.length, SEED_PEOPLE + households.length, 'each household of the queue once');
      const persons = await db.kysely.selectFrom('persons').select('id').where('operation_id', '=', op.id).execute();
      assert.equal(persons.length, SEED_PEOPLE + households.length * 2);
      const factRows = await db.kysely
        .selectFrom('movement_facts')
        .select('id')
        .where('operation_id', '=', op.id)
        .where(
          'id',
          'in',
          facts.map((f) => f.id),
        )
        .execute();
      assert.equal(factRows.length, facts.length);
      assert.deepEqual((await verifyCounts(db.kysely, new KeyRing(masterKey), op.id)).differences, []);
      process.stdout.write(`# SIGKILL: the first batch was ${first.answered ? 'answered before the kill' : 'cut off by the kill'}\n`);
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((r) => server.child.once('exit', r));
    }
  });
});
