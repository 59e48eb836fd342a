/**
 * A real Corridor server for the browser tests: the web app built (when dist/web is missing or
 * older than its sources), the API from buildApp on an in-memory PGlite, the web app served by
 * serveWeb, listening on a free port. Set-up calls go through app.inject as an admin.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import lockfile from 'proper-lockfile';
import { ulid } from 'ulid';
import { buildApp } from '../../../src/server/app.js';
import { serveWeb } from '../../../src/server/web.js';
import { KeyRing } from '../../../src/services/keys/keyring.js';
import { createUser } from '../../../src/services/accounts/auth.js';
import { grantRoles } from '../../../src/db/queries/operations.js';
import type { Role } from '../../../src/domain/policy.js';
import { dialects, type TestDb } from '../../support/db.js';

export const PASSWORD = 'correct horse battery staple';
const root = new URL('../../../', import.meta.url).pathname;

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const s = statSync(full);
    t = Math.max(t, s.isDirectory() ? newest(full) : s.mtimeMs);
  }
  return t;
}

/** Builds dist/web when it is missing or older than its sources (src/web, src/domain, vite.config.ts). */
export function ensureWebBuilt() {
  const stamp = join(root, 'dist/web/index.html');
  const src = Math.max(newest(join(root, 'src/web')), newest(join(root, 'src/domain')), statSync(join(root, 'vite.config.ts')).mtimeMs);
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= src) return;
  // The test runner sets NODE_ENV=test, which would make Vite bundle React's development build.
  const env = { ...process.env, NODE_ENV: 'production' };
  const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) throw new Error('build failed');
  // build.mjs skips the web build when dist/web is newer than src/ as a whole; make sure.
  if (!existsSync(stamp) || statSync(stamp).mtimeMs < src) {
    const v = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
      cwd: root,
      stdio: 'inherit',
      env,
    });
    if (v.status !== 0) throw new Error('vite build failed');
  }
}

export interface E2eServer {
  url: string;
  app: FastifyInstance;
  /** The copy of dist/web this server serves (a test may change it to play a new deploy). */
  web: string;
  db: TestDb;
  /** The key ring (master key) the server runs with: a second app on the same database must use it too. */
  keys: KeyRing;
  operationId: string;
  rangeFirstSerial: number;
  adminCookie: string;
  api(method: string, url: string, body?: unknown, cookie?: string): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  userWithRoles(username: string, roles: Role[]): Promise<void>;
  /** A session cookie for the account, made once and reused (`name=value`). */
  sessionCookie(username: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A copy of dist/web: other builds running meanwhile (another test run, `npm start`) replace
 * dist/web, and the server, which lists its files at start, would then send an index.html naming
 * assets it does not serve. The copy is checked (every asset index.html names is in it); when a
 * build was writing at that moment, it is taken again under the build's lock.
 */
function complete(dir: string): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  return [...readFileSync(index, 'utf8').matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].every((m) => existsSync(join(dir, m[1]!)));
}

async function snapshotWeb(): Promise<string> {
  const dist = join(root, 'dist');
  const dir = mkdtempSync(join(tmpdir(), 'corridor-e2e-web-'));
  cpSync(join(dist, 'web'), dir, { recursive: true });
  if (complete(dir)) return dir;
  const release = await lockfile.lock(dist, {
    lockfilePath: join(dist, '.build.lock'),
    retries: { retries: 600, minTimeout: 500, maxTimeout: 1000 },
    stale: 120_000,
  });
  try {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    cpSync(join(dist, 'web'), dir, { recursive: true });
    return dir;
  } finally {
    await release();
  }
}

export async function startServer(): Promise<E2eServer> {
  ensureWebBuilt();
  const web = await snapshotWeb();
  const db = await dialects[0]!.open();
  // Served as `corridor serve` serves it (src/server/web.ts: pre-compressed, cache headers), from the snapshot.
  const keys = new KeyRing(randomBytes(32));
  const app = await buildApp({ db, keys, logLevel: 'warn', extend: (a) => serveWeb(a, { root: web }) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const addUser = async (username: string, isAdmin: boolean) =>
    db.kysely
      .transaction()
      .execute((trx) =>
        createUser(trx, { username, displayName: username, password: PASSWORD, isAdmin }, { id: null, kind: 'system' }, new Date()),
      );
  await addUser('root', true);
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'root', password: PASSWORD } });
  const adminCookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0] as string;

  async function api(method: string, path: string, body?: unknown, cookie = adminCookie) {
    const headers: Record<string, string> = { cookie };
    if (method !== 'GET') headers['idempotency-key'] = ulid();
    const r = await app.inject({ method: method as 'GET', url: path, headers, ...(body !== undefined ? { payload: body as object } : {}) });
    return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : undefined };
  }

  const op = await api('POST', '/api/operations', {
    code: 'aleppo-e2e',
    nameEn: 'Eastern Aleppo evacuation',
    nameAr: 'إجلاء شرق حلب',
    timeZone: 'Asia/Damascus',
    status: 'active',
  });
  if (op.status !== 201) throw new Error(`operation: ${JSON.stringify(op.body)}`);
  const operationId = op.body.id as string;
  for (const site of [
    { id: 'amiriyah', kind: 'assembly_point', nameEn: 'al-Amiriyah assembly point', nameAr: 'نقطة تجمع العامرية', lat: 36.176, lon: 37.14 },
    { id: 'ramouseh', kind: 'checkpoint', nameEn: 'Ramouseh checkpoint', nameAr: 'حاجز الراموسة', lat: 36.163, lon: 37.125 },
    {
      id: 'rashidin',
      kind: 'reception_centre',
      nameEn: 'al-Rashidin reception',
      nameAr: 'مركز استقبال الراشدين',
      lat: 36.182,
      lon: 37.071,
      capacity: 5000,
    },
  ]) {
    const r = await api('POST', `/api/operations/${operationId}/sites`, site);
    if (r.status !== 201) throw new Error(`site: ${JSON.stringify(r.body)}`);
  }
  const range = await api('POST', `/api/operations/${operationId}/tag-ranges`, { count: 60, siteId: 'amiriyah', label: 'desk 1' });
  if (range.status !== 201) throw new Error(`range: ${JSON.stringify(range.body)}`);

  const sessions = new Map<string, Promise<string>>();
  const sessionCookie = (username: string) => {
    let c = sessions.get(username);
    if (!c) {
      c = app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } }).then((r) => {
        if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.body}`);
        return String([r.headers['set-cookie']].flat()[0]).split(';')[0] as string;
      });
      sessions.set(username, c);
    }
    return c;
  };

  return {
    url,
    app,
    web,
    db,
    keys,
    operationId,
    rangeFirstSerial: range.body.firstSerial as number,
    adminCookie,
    api,
    sessionCookie,
    async userWithRoles(username, roles) {
      const u = await addUser(username, false);
      await grantRoles(db.kysely, operationId, u.id, roles, u.id, new Date());
    },
    async close() {
      await app.close();
      await db.close();
      rmSync(web, { recursive: true, force: true });
    },
  };
}
