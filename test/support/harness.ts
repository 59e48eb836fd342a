/**
 * A Corridor app on a real test database, with helpers to act as accounts of each role.
 * Requests go through `app.inject()`: the whole HTTP stack, without a socket.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ulid } from 'ulid';
import { buildApp, type AppOptions } from '../../src/server/app.js';
import { operationsWithPending } from '../../src/db/queries/counts.js';
import { drainCounts } from '../../src/services/counts/count-projector.js';
import { KeyRing } from '../../src/services/keys/keyring.js';
import { createUser } from '../../src/services/accounts/auth.js';
import type { Role } from '../../src/domain/policy.js';
import { grantRoles } from '../../src/db/queries/operations.js';
import type { TestDb } from './db.js';

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON
  headers: Record<string, unknown>;
}

export interface Client {
  cookie: string;
  userId: string;
  get(url: string): Promise<Reply>;
  post(url: string, body?: unknown, opts?: { key?: string | null }): Promise<Reply>;
  patch(url: string, body?: unknown, opts?: { key?: string | null }): Promise<Reply>;
  put(url: string, body?: unknown, opts?: { key?: string | null }): Promise<Reply>;
}

export interface Harness {
  app: FastifyInstance;
  db: TestDb;
  keys: KeyRing;
  logs: string[];
  admin: Client;
  login(username: string, password: string): Promise<Client>;
  /** An account with the test password and no role anywhere; its id. */
  addUser(username: string): Promise<string>;
  userWithRoles(operationId: string, roles: Role[], name?: string): Promise<Client>;
  /** Counts everything writers have noted so far (the server's count projection, without its pause). */
  settleCounts(): Promise<void>;
  /** Runs the duplicate checks of the registrations made so far (they run just after commit). */
  settleDuplicates(): Promise<void>;
  close(): Promise<void>;
}

const PASSWORD = 'correct horse battery staple';

export async function startHarness(
  db: TestDb,
  opts: { clock?: () => Date; masterKey?: Buffer; inFlightWaitMs?: number; app?: Partial<Omit<AppOptions, 'db' | 'keys'>> } = {},
): Promise<Harness> {
  const keys = new KeyRing(opts.masterKey ?? randomBytes(32));
  const logs: string[] = [];
  const app = await buildApp({
    db,
    keys,
    logLevel: 'info',
    logStream: {
      write: (m: string) => {
        logs.push(m);
      },
    },
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.inFlightWaitMs !== undefined ? { inFlightWaitMs: opts.inFlightWaitMs } : {}),
    // Tests send thousands of requests from one address; the rate-limit test sets its own.
    rateLimits: false,
    ...opts.app,
  });
  await app.ready();

  function client(cookie: string, userId: string): Client {
    const send = async (
      method: 'GET' | 'POST' | 'PATCH' | 'PUT',
      url: string,
      body?: unknown,
      o: { key?: string | null } = {},
    ): Promise<Reply> => {
      const headers: Record<string, string> = { cookie };
      if (method !== 'GET' && o.key !== null) headers['idempotency-key'] = o.key ?? ulid();
      const r = await app.inject({ method, url, headers, ...(body !== undefined ? { payload: body as object } : {}) });
      let parsed: unknown = undefined;
      try {
        parsed = r.body ? JSON.parse(r.body) : undefined;
      } catch {
        parsed = r.body;
      }
      return { status: r.statusCode, body: parsed, headers: r.headers };
    };
    return {
      cookie,
      userId,
      get: (url) => send('GET', url),
      post: (url, body, o) => send('POST', url, body, o),
      patch: (url, body, o) => send('PATCH', url, body, o),
      put: (url, body, o) => send('PUT', url, body, o),
    };
  }

  async function login(username: string, password: string): Promise<Client> {
    const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    if (r.statusCode !== 200) throw new Error(`login ${username} failed: ${r.statusCode} ${r.body}`);
    const setCookie = [r.headers['set-cookie']].flat()[0] as string;
    return client(setCookie.split(';')[0] as string, JSON.parse(r.body).user.id);
  }

  async function addUser(username: string): Promise<string> {
    const u = await db.kysely
      .transaction()
      .execute((trx) =>
        createUser(trx, { username, displayName: username, password: PASSWORD, isAdmin: false }, { id: null, kind: 'system' }, new Date()),
      );
    return u.id;
  }

  let n = 0;
  async function userWithRoles(operationId: string, roles: Role[], name?: string): Promise<Client> {
    const username = name ?? `u${++n}-${roles.join('-').replace(/_/g, '')}`.slice(0, 60);
    const id = await addUser(username);
    await grantRoles(db.kysely, operationId, id, roles, id, new Date());
    return login(username, PASSWORD);
  }

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
  const admin = await login('root', PASSWORD);
  return {
    app,
    db,
    keys,
    logs,
    admin,
    login,
    addUser,
    userWithRoles,
    async settleCounts() {
      await app.countProjector.flush();
      for (const id of await operationsWithPending(db.kysely)) await drainCounts(db.kysely, keys, id);
    },
    /** Runs the duplicate checks of the registrations made so far (they run just after commit). */
    async settleDuplicates() {
      await app.duplicateChecker.flush();
    },
    async close() {
      await app.close();
      await db.close();
    },
  };
}

export const TEST_PASSWORD = PASSWORD;

/** An operation with two sites and a wristband range, made through the API. */
export async function setUpOperation(h: Harness, code = 'test-op') {
  const op = await h.admin.post('/api/operations', {
    code,
    nameEn: 'Test evacuation',
    nameAr: 'إجلاء تجريبي',
    timeZone: 'Asia/Damascus',
    status: 'active',
  });
  if (op.status !== 201) throw new Error(`operation: ${op.status} ${JSON.stringify(op.body)}`);
  const id = op.body.id as string;
  for (const site of [
    { id: 'amiriyah', kind: 'assembly_point', nameEn: 'al-Amiriyah assembly point', nameAr: 'نقطة تجمع العامرية', lat: 36.176, lon: 37.14 },
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
    const r = await h.admin.post(`/api/operations/${id}/sites`, site);
    if (r.status !== 201) throw new Error(`site: ${r.status} ${JSON.stringify(r.body)}`);
  }
  const range = await h.admin.post(`/api/operations/${id}/tag-ranges`, { count: 500, siteId: 'amiriyah', label: 'desk 1' });
  if (range.status !== 201) throw new Error(`range: ${range.status} ${JSON.stringify(range.body)}`);
  return { id, range: range.body as { firstSerial: number; lastSerial: number } };
}
