/**
 * The failover drill of issue 22 (`npm run drill:failover`; not part of `npm test`: it needs root,
 * Debian's packages and a minute or two of both cores). On this machine, loopback only, under one
 * temp folder, bounded in time:
 *
 *   etcd ─ Patroni × 3 (PostgreSQL 15, synchronous_mode) ─ HAProxy (to /primary) ─ Corridor × 2
 *
 * 20 clients register households with ids they make (the household id is also the idempotency
 * key) and resend the same request on any error until it is acknowledged or times out. Mid-run the
 * primary database node is lost (`kill -9` of its PostgreSQL postmaster and of its Patroni, as when
 * the machine dies); later one Corridor server is killed (`kill -9`). Then it reports acknowledged
 * writes lost, duplicated, seconds without a primary, whether every Corridor server kept serving
 * after the failover without a restart, and `corridor counts verify` / `corridor audit verify`.
 * Every process and folder it started is removed, whatever happens. Exit code 0 when every goal is met.
 *
 * Environment: DRILL_SECONDS (writing time, default 60), DRILL_CLIENTS (default 20), DRILL_KEEP=1
 * keeps the temp folder (logs) for a post-mortem.
 */
/* global AbortSignal */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

const root = new URL('../..', import.meta.url).pathname;
const PG_BIN = '/usr/lib/postgresql/15/bin';
const SECONDS = Number(process.env.DRILL_SECONDS ?? 60);
const CLIENTS = Number(process.env.DRILL_CLIENTS ?? 20);
const KILL_DB_AT = Math.round(SECONDS * 0.25) * 1000;
const KILL_SERVER_AFTER_FAILOVER_MS = 8_000;
const WRITE_TIMEOUT_MS = 90_000;
const HARD_LIMIT_MS = 10 * 60_000; // the whole drill, set-up and clean-up included
const off = 1 + Math.floor(Math.random() * 50); // ports of our own, apart from a parallel run
const port = {
  etcd: 22379 + off * 2,
  etcdPeer: 22380 + off * 2,
  pg: [25432 + off * 3, 25433 + off * 3, 25434 + off * 3],
  rest: [28008 + off * 3, 28009 + off * 3, 28010 + off * 3],
  haproxy: 26000 + off,
  stats: 26100 + off,
  corridor: [18600 + off * 2, 18601 + off * 2],
};
const PASSWORD = 'drill-' + randomBytes(6).toString('hex');
const t0 = Date.now();
const since = () => ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
const say = (m) => process.stdout.write(`[${since()} s] ${m}\n`);

const procs = []; // { name, child }
let dir;
let cleaned = false;

async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  for (const p of procs.reverse()) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) continue;
    try {
      process.kill(-p.child.pid, 'SIGTERM'); // its process group: Patroni's PostgreSQL too
    } catch {
      /* gone */
    }
  }
  await sleep(1500);
  for (const p of procs) {
    try {
      process.kill(-p.child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  // A postmaster that outlived its Patroni (it runs in a session of its own).
  if (dir)
    for (let i = 0; i < 3; i++) {
      const pidFile = join(dir, `node${i + 1}`, 'data', 'postmaster.pid');
      if (existsSync(pidFile)) {
        const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
  await sleep(500);
  if (dir && process.env.DRILL_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
  else if (dir) say(`kept ${dir}`);
}

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => void cleanup().then(() => process.exit(130)));
const hardLimit = setTimeout(() => {
  say(`the drill ran over ${HARD_LIMIT_MS / 60_000} minutes: stopping`);
  void cleanup().then(() => process.exit(2));
}, HARD_LIMIT_MS);

/** A long-running process in a process group of its own, its output in `<dir>/<name>.log`. */
function start(name, cmd, args, opts = {}) {
  const log = join(dir, `${name}.log`);
  writeFileSync(log, '');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  let out = '';
  const onData = (d) => {
    out += d.toString();
    writeFileSync(log, d, { flag: 'a' });
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const p = { name, child, output: () => out, exited: false };
  child.on('exit', () => (p.exited = true));
  procs.push(p);
  return p;
}

async function until(what, fn, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch {
      /* not yet */
    }
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

async function get(url, timeoutMs = 1000) {
  const r = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  await r.arrayBuffer();
  return r.status;
}

function installPackages() {
  const missing = [
    ['patroni', '/usr/bin/patroni'],
    ['etcd-server', '/usr/bin/etcd'],
    ['etcd-client', '/usr/bin/etcdctl'],
    ['haproxy', '/usr/sbin/haproxy'],
  ].filter(([, bin]) => !existsSync(bin));
  if (missing.length === 0) return;
  say(`installing ${missing.map(([p]) => p).join(', ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['install', '-y', ...missing.map(([p]) => p)], { stdio: 'inherit', env });
  // Debian starts the services it installs; the drill runs its own.
  for (const svc of ['etcd', 'haproxy', 'patroni']) spawnSync('systemctl', ['stop', svc], { stdio: 'ignore' });
}

function patroniConfig(i) {
  const home = join(dir, `node${i + 1}`);
  return `scope: corridor-drill
name: node${i + 1}
log:
  level: WARNING
restapi:
  listen: 127.0.0.1:${port.rest[i]}
  connect_address: 127.0.0.1:${port.rest[i]}
etcd3:
  hosts: 127.0.0.1:${port.etcd}
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 2
    retry_timeout: 4
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    postgresql:
      use_pg_rewind: false
      parameters:
        max_connections: 100
        wal_level: replica
        hot_standby: 'on'
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 128MB
        fsync: 'on'
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 scram-sha-256
    - host all all 127.0.0.1/32 scram-sha-256
postgresql:
  listen: 127.0.0.1:${port.pg[i]}
  connect_address: 127.0.0.1:${port.pg[i]}
  data_dir: ${home}/data
  bin_dir: ${PG_BIN}
  pgpass: ${home}/pgpass
  authentication:
    superuser:
      username: postgres
      password: ${PASSWORD}
    replication:
      username: replicator
      password: ${PASSWORD}
  parameters:
    unix_socket_directories: '${home}'
    shared_buffers: 32MB
`;
}

function haproxyConfig() {
  return `global
  maxconn 400
defaults
  mode tcp
  timeout connect 2s
  timeout client 30m
  timeout server 30m
  timeout check 2s
listen primary
  bind 127.0.0.1:${port.haproxy}
  option httpchk GET /primary
  http-check expect status 200
  default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions
${port.pg.map((p, i) => `  server node${i + 1} 127.0.0.1:${p} maxconn 100 check port ${port.rest[i]}`).join('\n')}
`;
}

/** Which Patroni node answers 200 on /primary (undefined: none). */
async function primaryNode() {
  const answers = await Promise.all(port.rest.map((p) => get(`http://127.0.0.1:${p}/primary`, 700).catch(() => 0)));
  const i = answers.indexOf(200);
  return i < 0 ? undefined : i;
}

function corridorCli(args, env) {
  const r = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), ...args], { env, encoding: 'utf8', timeout: 120_000, cwd: dir });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

async function api(base, method, path, body, cookie, key) {
  const headers = { 'content-type': 'application/json' };
  if (cookie) headers.cookie = cookie;
  if (key) headers['idempotency-key'] = key;
  const r = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined, headers: r.headers };
}

async function main() {
  if (process.getuid?.() !== 0) throw new Error('the drill runs as root (it installs packages and runs PostgreSQL as the postgres user)');
  installPackages();
  if (!existsSync(join(root, 'dist/cli/main.js'))) throw new Error('no dist/: run `npm run build` first (npm run drill:failover does)');
  dir = mkdtempSync('/tmp/corridor-drill-');
  chmodSync(dir, 0o711);
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
  say(
    `folder ${dir}; ports: etcd ${port.etcd}, PostgreSQL ${port.pg.join('/')}, HAProxy ${port.haproxy}, Corridor ${port.corridor.join('/')}`,
  );

  // etcd
  start('etcd', '/usr/bin/etcd', [
    '--name=drill',
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${port.etcd}`,
    `--advertise-client-urls=http://127.0.0.1:${port.etcd}`,
    `--listen-peer-urls=http://127.0.0.1:${port.etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${port.etcdPeer}`,
    `--initial-cluster=drill=http://127.0.0.1:${port.etcdPeer}`,
    '--log-level=warn',
  ]);
  await until('etcd healthy', async () => (await get(`http://127.0.0.1:${port.etcd}/health`)) === 200, 30_000);
  say('etcd up');

  // Patroni × 3, one after another so that node1 bootstraps
  const nodes = [];
  for (let i = 0; i < 3; i++) {
    const home = join(dir, `node${i + 1}`);
    mkdirSync(home, { mode: 0o700 });
    writeFileSync(join(home, 'patroni.yml'), patroniConfig(i));
    chownSync(home, uid, gid);
    chownSync(join(home, 'patroni.yml'), uid, gid);
    nodes.push(
      start(`patroni${i + 1}`, '/usr/bin/patroni', [join(home, 'patroni.yml')], {
        uid,
        gid,
        cwd: home,
        env: { ...process.env, HOME: home },
      }),
    );
    if (i === 0) await until('node1 primary', async () => (await primaryNode()) === 0, 90_000);
  }
  say('node1 is primary; waiting for two streaming replicas, one of them synchronous');
  await until(
    'replicas streaming, one synchronous',
    async () => {
      const replicas = await Promise.all(port.rest.slice(1).map((p) => get(`http://127.0.0.1:${p}/replica`).catch(() => 0)));
      const sync = await Promise.all(port.rest.map((p) => get(`http://127.0.0.1:${p}/sync`).catch(() => 0)));
      return replicas.every((s) => s === 200) && sync.includes(200);
    },
    180_000,
  );
  say('cluster ready: 1 primary, 1 synchronous standby, 1 replica');

  writeFileSync(join(dir, 'haproxy.cfg'), haproxyConfig());
  start('haproxy', '/usr/sbin/haproxy', ['-db', '-f', join(dir, 'haproxy.cfg')]);
  const adminUrl = `postgres://postgres:${PASSWORD}@127.0.0.1:${port.haproxy}`;
  const connectTo = async (url) => {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    c.on('error', () => undefined); // a connection cut by the drill's own kill
    await c.connect();
    return c;
  };
  // HAProxy starts with every server up, until its first checks mark the replicas down.
  await sleep(3000);
  await until(
    'HAProxy to the primary only',
    async () => {
      for (let k = 0; k < 6; k++) {
        const c = await connectTo(`${adminUrl}/postgres`);
        try {
          if ((await c.query('select pg_is_in_recovery() as r')).rows[0].r !== false) return false;
        } finally {
          await c.end();
        }
      }
      return true;
    },
    30_000,
  );
  const c0 = await connectTo(`${adminUrl}/postgres`);
  await c0.query('create database corridor');
  await c0.end();
  say('HAProxy routes to the primary; database corridor created');

  // Corridor: migrate, an administrator, two servers with one master key
  const databaseUrl = `${adminUrl}/corridor`;
  const keyDir = join(dir, 'keys');
  mkdirSync(keyDir, { mode: 0o700 });
  writeFileSync(join(keyDir, 'master.key'), randomBytes(32).toString('hex'), { mode: 0o600 });
  const baseEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    CORRIDOR_DEMO: '0',
    CORRIDOR_MASTER_KEY_FILE: join(keyDir, 'master.key'),
    CORRIDOR_DATA_DIR: join(dir, 'corridor-data'),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  delete baseEnv.CORRIDOR_MASTER_KEY;
  const migrated = corridorCli(['migrate'], baseEnv);
  if (migrated.code !== 0) throw new Error(`corridor migrate failed:\n${migrated.out}`);
  const adminPassword = 'drill admin ' + randomBytes(8).toString('hex');
  const added = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), 'user', 'add', 'drill', '--admin'], {
    env: baseEnv,
    input: adminPassword + '\n',
    encoding: 'utf8',
    cwd: dir,
  });
  if (added.status !== 0) throw new Error(`corridor user add failed:\n${added.stdout}${added.stderr}`);
  const servers = [];
  for (let i = 0; i < 2; i++) {
    const s = start(`corridor${i + 1}`, process.execPath, [join(root, 'dist/cli/main.js'), 'serve'], {
      cwd: dir,
      env: { ...baseEnv, PORT: String(port.corridor[i]) },
    });
    s.url = `http://127.0.0.1:${port.corridor[i]}`;
    servers.push(s);
  }
  for (const s of servers) await until(`${s.name} serving`, async () => (await get(`${s.url}/api/health`)) === 200, 60_000);
  say('two Corridor servers serving');

  const [a] = servers;
  const loginOn = async (base) => {
    const r = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'drill', password: adminPassword }),
    });
    if (r.status !== 200) throw new Error(`login: ${r.status} ${await r.text()}`);
    return { cookie: String(r.headers.get('set-cookie')).split(';')[0], user: (await r.json()).user.id };
  };
  let { cookie, user } = await loginOn(a.url);
  const op = await api(a.url, 'POST', '/api/operations', { code: 'drill', nameEn: 'Failover drill' }, cookie, randomUUID());
  if (op.status !== 201) throw new Error(`create operation: ${op.status} ${JSON.stringify(op.body)}`);
  const opId = op.body.id;
  const staff = await api(a.url, 'PUT', `/api/operations/${opId}/staff/${user}`, { roles: ['admin', 'registrar'] }, cookie, randomUUID());
  if (staff.status >= 300) throw new Error(`grant roles: ${staff.status} ${JSON.stringify(staff.body)}`);
  ({ cookie } = await loginOn(a.url));
  const site = await api(
    a.url,
    'POST',
    `/api/operations/${opId}/sites`,
    { id: 'desk', kind: 'assembly_point', nameEn: 'Desk' },
    cookie,
    randomUUID(),
  );
  if (site.status !== 201) throw new Error(`create site: ${site.status} ${JSON.stringify(site.body)}`);
  say(`operation ${opId} with a registration desk`);

  // The clients
  const acked = new Map(); // household id -> { server, at }
  const unacked = []; // ids given up after WRITE_TIMEOUT_MS
  const errorsByKind = new Map();
  const ackAfter = new Map(); // server name -> first ack time after the new primary
  let writing = true;
  let newPrimaryAt;
  let killedServer;
  const noteError = (k) => errorsByKind.set(k, (errorsByKind.get(k) ?? 0) + 1);
  let lastAck = Date.now();
  let longestNoAck = 0;

  async function client(n) {
    let seq = 0;
    let turn = n;
    while (writing) {
      const id = `c${n}-${seq++}`;
      const body = {
        id,
        siteId: 'desk',
        members: [
          {
            id: `${id}-p`,
            names: { lat: { given: `Drill${n}`, family: `Seq${seq}` } },
            sex: seq % 2 ? 'female' : 'male',
            estimatedAge: 30,
          },
        ],
      };
      const key = randomUUID(); // made once, sent again with every resend of this write
      const started = Date.now();
      for (;;) {
        const alive = servers.filter((s) => !s.exited && s !== killedServer);
        const s = alive[turn++ % alive.length];
        try {
          const r = await api(s.url, 'POST', `/api/operations/${opId}/households`, body, cookie, key);
          if (r.status === 201 || r.status === 200) {
            const now = Date.now();
            longestNoAck = Math.max(longestNoAck, now - lastAck);
            lastAck = now;
            acked.set(id, { server: s.name, at: now });
            if (newPrimaryAt && !ackAfter.has(s.name)) ackAfter.set(s.name, now);
            break;
          }
          noteError(`HTTP ${r.status} ${r.body?.error?.code ?? r.body?.code ?? ''}`.trim());
        } catch (err) {
          noteError(err.name === 'TimeoutError' ? 'timeout' : 'connection');
        }
        if (Date.now() - started > WRITE_TIMEOUT_MS) {
          unacked.push(id);
          break;
        }
        await sleep(250);
      }
    }
  }

  // Watch Patroni: when the primary is gone, and when one is back.
  const oldPrimary = await primaryNode();
  let killAt;
  let primaryBackAt;
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const p = await primaryNode();
      if (killAt && !primaryBackAt && p !== undefined && p !== oldPrimary) {
        primaryBackAt = Date.now();
        newPrimaryAt = primaryBackAt;
        say(`node${p + 1} is the new primary (${((primaryBackAt - killAt) / 1000).toFixed(1)} s after the kill)`);
      }
      await sleep(250);
    }
  })();

  say(`${CLIENTS} clients writing for ${SECONDS} s; the primary database node is killed at ${KILL_DB_AT / 1000} s`);
  const runStart = Date.now();
  const clients = Array.from({ length: CLIENTS }, (_, n) => client(n));

  await sleep(KILL_DB_AT);
  const victim = nodes[oldPrimary];
  const pidFile = join(dir, `node${oldPrimary + 1}`, 'data', 'postmaster.pid');
  const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const ackedBeforeKill = acked.size;
  killAt = Date.now();
  process.kill(postmaster, 'SIGKILL');
  process.kill(-victim.child.pid, 'SIGKILL');
  say(
    `kill -9 of node${oldPrimary + 1} (PostgreSQL postmaster ${postmaster} and its Patroni); ${ackedBeforeKill} writes acknowledged so far`,
  );

  await until('a new primary', async () => primaryBackAt, 120_000).catch(() => undefined);
  // Both servers must have served a write on the new primary before one of them is killed.
  await until('both servers write on the new primary', async () => servers.every((s) => ackAfter.has(s.name)), 60_000).catch(
    () => undefined,
  );
  await sleep(KILL_SERVER_AFTER_FAILOVER_MS);
  killedServer = servers[1];
  const killedAlive = !killedServer.exited;
  if (killedAlive) process.kill(-killedServer.child.pid, 'SIGKILL');
  const serverKilledAt = Date.now();
  say(killedAlive ? 'kill -9 of corridor2; the clients go on through corridor1' : 'corridor2 had already ended by itself');

  const remaining = SECONDS * 1000 - (Date.now() - runStart);
  if (remaining > 0) await sleep(remaining);
  writing = false;
  await Promise.all(clients);
  watching = false;
  await watcher;
  const ackedAfterServerKill = [...acked.values()].filter((v) => v.at > serverKilledAt).length;
  say(`writing stopped: ${acked.size} acknowledged, ${unacked.length} given up`);

  // What the database holds
  const c = await connectTo(databaseUrl);
  const households = (await c.query('select id from households where operation_id = $1', [opId])).rows.map((r) => r.id);
  const persons = (await c.query('select id, household_id from persons where operation_id = $1', [opId])).rows;
  // A write recorded twice would also show as a second `household.register` entry for one id.
  const registeredTwice = (
    await c.query(
      "select subject_id from audit_log where operation_id = $1 and action = 'household.register' group by subject_id having count(*) > 1",
      [opId],
    )
  ).rows.length;
  await c.end();
  const inDb = new Set(households);
  const lost = [...acked.keys()].filter((id) => !inDb.has(id));
  const perHousehold = new Map();
  for (const p of persons) perHousehold.set(p.household_id, (perHousehold.get(p.household_id) ?? 0) + 1);
  const duplicated =
    households.filter((id) => !/^c\d+-\d+$/.test(id)).length +
    [...perHousehold.values()].reduce((s, n) => s + Math.max(0, n - 1), 0) +
    registeredTwice;
  const unackedButStored = unacked.filter((id) => inDb.has(id)).length;

  // Counts and audit, after the projection has caught up (the surviving server counts)
  await sleep(5000);
  const counts = corridorCli(['counts', 'verify'], baseEnv);
  const audit = corridorCli(['audit', 'verify'], baseEnv);

  const survivor = servers[0];
  const survivorHealth = await get(`${survivor.url}/api/health`).catch(() => 0);
  const reconnected = servers.map((s) => ({
    name: s.name,
    alive:
      s === killedServer ? (killedAlive ? 'until the drill killed it' : 'NO: it ended by itself') : !s.exited && survivorHealth === 200,
    firstWriteAfterFailover: ackAfter.has(s.name)
      ? `${((ackAfter.get(s.name) - primaryBackAt) / 1000).toFixed(1)} s after the new primary`
      : 'none',
  }));
  const withoutPrimary = primaryBackAt ? (primaryBackAt - killAt) / 1000 : undefined;
  // What each server logged (the drill never restarts one).
  const logged = servers.map((s) => ({
    name: s.name,
    unexpectedErrors: (s.output().match(/"msg":"unexpected error"/g) ?? []).length,
    idleConnectionsLost: (s.output().match(/database connection was lost/g) ?? []).length,
    listenerReconnectFailures: (s.output().match(/listener connection failed/g) ?? []).length,
  }));

  const report = {
    clients: CLIENTS,
    writingSeconds: SECONDS,
    acknowledged: acked.size,
    acknowledgedLost: lost.length,
    duplicated,
    givenUpAfterTimeout: unacked.length,
    givenUpButStored: unackedButStored,
    householdsInDatabase: households.length,
    registeredTwiceInAudit: registeredTwice,
    secondsWithoutPrimary: withoutPrimary,
    longestSecondsWithoutAnAcknowledgedWrite: longestNoAck / 1000,
    acknowledgedAfterCorridorServerKill: ackedAfterServerKill,
    errorsResent: Object.fromEntries(errorsByKind),
    servers: reconnected,
    serverLogs: logged,
    countsVerify: { code: counts.code, out: counts.out.split('\n').slice(-3).join(' | ') },
    auditVerify: { code: audit.code, out: audit.out.split('\n').slice(-3).join(' | ') },
  };
  process.stdout.write(`\n${JSON.stringify(report, null, 2)}\n\n`);
  const goals = [
    ['acknowledged writes lost = 0', lost.length === 0],
    ['duplicated = 0', duplicated === 0],
    ['seconds without a primary ≤ 30', withoutPrimary !== undefined && withoutPrimary <= 30],
    ['every Corridor server wrote on the new primary without a restart', servers.every((s) => ackAfter.has(s.name)) && killedAlive],
    ['the surviving server still serves', survivorHealth === 200],
    ['writes acknowledged after a Corridor server was killed', ackedAfterServerKill > 0],
    ['counts verify', counts.code === 0],
    ['audit verify', audit.code === 0],
  ];
  for (const [g, ok] of goals) say(`${ok ? 'MET   ' : 'FAILED'} ${g}`);
  return goals.every(([, ok]) => ok) ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  say(`the drill failed: ${err instanceof Error ? err.stack : String(err)}`);
  for (const p of procs) if (p.exited || p.name.startsWith('corridor')) say(`--- ${p.name} (last output)\n${p.output().slice(-1500)}`);
  code = 1;
} finally {
  clearTimeout(hardLimit);
  await cleanup();
}
process.exit(code);
