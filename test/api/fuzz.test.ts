/**
 * Malformed input, sent to every route that takes a body or a query, by a caller allowed to
 * use it: the server must answer each with a catalogued 4xx (never a 5xx, never a stack) and
 * must write nothing. The routes come from the app itself, so routes added later are fuzzed
 * too. Bodies the route's own schema would accept are left out: they are real writes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import { ulid } from 'ulid';
import { roles } from '../../src/domain/policy.js';
import { grantRoles } from '../../src/db/queries/operations.js';
import type { RegisteredRoute } from '../../src/server/route.js';
import { createUser } from '../../src/services/accounts/auth.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, TEST_PASSWORD, type Harness } from '../support/harness.js';

/** Tables whose content a refused request may change: the audit of the refusal, session touch. */
const MAY_CHANGE = new Set(['audit_log', 'audit_heads']);
const PLACEHOLDER_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const RUNS_PER_ROUTE = 25;

const huge = 'ح'.repeat(60_000) + 'x'.repeat(60_000);
const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);

/** Raw request bodies (text) that no route should accept. */
const nastyTexts: string[] = [
  '',
  '{',
  '{"a":',
  '[',
  'null',
  'true',
  '0',
  '-1',
  '"text"',
  '[]',
  '[{}]',
  '{}x',
  "{'a':1}",
  'NaN',
  '{"a":1e999}',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"a":{"__proto__":{"x":1}}}',
  deep(5_000),
  deepArray(50_000),
  JSON.stringify({ names: huge, username: huge, code: huge, count: huge }),
  JSON.stringify({ members: Array.from({ length: 2000 }, () => ({})) }),
  JSON.stringify({ count: 1e308, lat: 1e9, capacity: -1, estimatedAge: 2 ** 53 }),
  JSON.stringify({ count: -0.5, roles: 'admin', members: {}, names: [] }),
  '\u0000\u0001\uFEFF',
  '{"a":"\uD800"}',
  JSON.stringify({ siteId: '\u202e\u200f\uFFFF'.repeat(100), nameEn: '\u0000' }),
];

/** Malformed JSON values of every shape, with dangerous keys mixed in. */
const junkValue = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, '', 'x'.repeat(300), '0', 'null', '__proto__'),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'grapheme' }),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(
        fc.string(),
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'names', 'members', 'roles', 'siteId', 'count', 'sex'),
      ),
      tie('v'),
      { maxKeys: 5 },
    ),
  ),
})).v;

/** Near-misses: the route's own field names with values of the wrong type or size. */
function fieldJunk(fields: string[]) {
  const bad = fc.oneof(fc.constantFrom(null, 1e308, -1, [], {}, [1, 2], 'x'.repeat(5000), true, '\u0000', ''), junkValue);
  return fc.dictionary(fields.length ? fc.constantFrom(...fields) : fc.string(), bad, { minKeys: 1, maxKeys: Math.max(1, fields.length) });
}

function fieldsOf(route: RegisteredRoute, where: 'body' | 'query'): string[] {
  const schema = route.def[where] as unknown as
    { shape?: Record<string, unknown>; def?: { in?: { shape?: Record<string, unknown> } } } | undefined;
  return Object.keys(schema?.shape ?? schema?.def?.in?.shape ?? {});
}

for (const dialect of dialects) {
  describe(`malformed input (${dialect.name})`, () => {
    let h: Harness;
    let cookie: string;
    const params: Record<string, string> = {};

    /** Every table's row count and content digest (minus columns a refusal may touch). */
    async function snapshot(): Promise<Record<string, string>> {
      const tables = await sql<{
        t: string;
      }>`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(
        h.db.kysely,
      );
      const out: Record<string, string> = {};
      for (const { t } of tables.rows) {
        if (MAY_CHANGE.has(t)) continue;
        const r = await sql<{
          n: number;
          d: string | null;
        }>`select count(*)::int as n, md5(coalesce(string_agg(j, '|' order by j), '')) as d
          from (select (to_jsonb(x) - 'last_seen_at' - 'failed_logins' - 'locked_until')::text as j from ${sql.table(t)} x) s`.execute(
          h.db.kysely,
        );
        out[t] = `${r.rows[0]!.n}:${r.rows[0]!.d}`;
      }
      return out;
    }

    before(async () => {
      h = await startHarness(await dialect.open());
      const op = (await setUpOperation(h, 'fuzz-op')).id;
      params.operationId = op;
      const u = await h.db.kysely
        .transaction()
        .execute((trx) =>
          createUser(
            trx,
            { username: 'everything', displayName: 'All roles', password: TEST_PASSWORD, isAdmin: true },
            { id: null, kind: 'system' },
            new Date(),
          ),
        );
      await grantRoles(h.db.kysely, op, u.id, [...roles], u.id, new Date());
      const c = await h.login('everything', TEST_PASSWORD);
      cookie = c.cookie;
      const hh = await c.post(`/api/operations/${op}/households`, {
        siteId: 'amiriyah',
        members: [{ names: { lat: { given: 'Fuzz', family: 'Target' } }, sex: 'male', estimatedAge: 20 }],
      });
      assert.equal(hh.status, 201, JSON.stringify(hh.body));
      params.householdId = hh.body.id;
      params.personId = hh.body.members[0].id;
      params.userId = u.id;
    });
    after(async () => h.close());

    async function send(route: RegisteredRoute, opts: { text?: string; contentType?: string; query?: string }, mayPass = false) {
      const url = route.url.replace(/:([A-Za-z]+)/g, (_m, n: string) => params[n] ?? PLACEHOLDER_ID) + (opts.query ? `?${opts.query}` : '');
      const headers: Record<string, string> = { cookie };
      if (route.method !== 'GET') headers['idempotency-key'] = ulid();
      if (opts.text !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
      const r = await h.app.inject({ method: route.method, url, headers, ...(opts.text !== undefined ? { payload: opts.text } : {}) });
      const what = `${route.method} ${route.url} ${opts.contentType ?? ''} ${(opts.text ?? opts.query ?? '').slice(0, 120)}`;
      assert.ok(r.statusCode < 500, `${what} → ${r.statusCode} ${r.body.slice(0, 300)}`);
      if (mayPass && r.statusCode < 400) return;
      assert.ok(r.statusCode >= 400, `${what} was accepted (${r.statusCode}): the generator made a valid request`);
      const body = JSON.parse(r.body) as { error?: { code?: unknown; message?: unknown } };
      assert.equal(typeof body.error?.code, 'string', `${what}: ${r.body.slice(0, 200)}`);
      assert.equal(typeof body.error?.message, 'string', what);
      assert.ok(!/at .+\.(ts|js):\d+/.test(r.body), `${what}: a stack trace in the answer`);
    }

    /** Keeps only bodies the route's schema refuses (an accepted body is a real write). */
    function refused(route: RegisteredRoute, text: string): boolean {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return true;
      }
      return !route.def.body || !route.def.body.safeParse(value).success;
    }

    test('no malformed body or query gets a 5xx, each gets a catalogued 4xx, and nothing is written', async () => {
      // What the set-up wrote is counted first, so the count projection changes nothing below.
      await h.settleCounts();
      await h.settleDuplicates();
      const before = await snapshot();
      const auditBefore = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(h.db.kysely);
      const bodyRoutes = h.app.corridorRoutes.filter((r) => r.def.body);
      const queryRoutes = h.app.corridorRoutes.filter((r) => r.def.query);
      assert.ok(bodyRoutes.length >= 8 && queryRoutes.length >= 2, 'routes with bodies and queries were found');

      for (const route of bodyRoutes) {
        for (const text of nastyTexts.filter((t) => refused(route, t))) await send(route, { text });
        for (const contentType of [
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
        ]) {
          await send(route, { text: 'username=a&password=b', contentType });
        }
        await send(route, { text: huge.repeat(10), contentType: 'application/json' });
        const fields = fieldsOf(route, 'body');
        await fc.assert(
          fc.asyncProperty(fc.oneof(junkValue, fieldJunk(fields)), async (value) => {
            const text = JSON.stringify(value) ?? 'null';
            fc.pre(refused(route, text));
            await send(route, { text });
          }),
          { numRuns: RUNS_PER_ROUTE, seed: 20240601 },
        );
      }

      const auditAfterBodies = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(h.db.kysely);
      assert.equal(auditAfterBodies.rows[0]!.n, auditBefore.rows[0]!.n, 'refused writes leave no audit entry of a change');

      for (const route of queryRoutes) {
        const fields = fieldsOf(route, 'query');
        const key = fc.oneof(fc.constantFrom(...fields, '__proto__', 'constructor', 'x'), fc.string({ maxLength: 10 }));
        const value = fc.oneof(
          fc.constantFrom('', '-1', '0', '1e999', '99999999999999999999', 'NaN', 'x'.repeat(5000), '%00', '%FF%FE', 'null', '[]'),
          fc.string({ unit: 'grapheme', maxLength: 50 }),
        );
        await fc.assert(
          fc.asyncProperty(fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 4 }), async (pairs) => {
            const query = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${/^%/.test(v) ? v : encodeURIComponent(v)}`).join('&');
            // Queries go to reads: one the schema accepts may answer 200 (and audit a search).
            await send(route, { query }, true);
          }),
          { numRuns: RUNS_PER_ROUTE, seed: 20240602 },
        );
      }

      assert.deepEqual(await snapshot(), before, 'a refused request changed a table');
    });

    test('no path parameter, query value or deeply nested body gets a 5xx, on every route', async () => {
      await h.settleCounts();
      await h.settleDuplicates();
      const before = await snapshot();
      // NUL (PostgreSQL cannot store it), other control characters, a bidi override, an
      // unpaired surrogate, invalid UTF-8, dot segments, an id too long.
      const nastyParams = ['%00', 'a%00b', '%01', '%0A', '%E2%80%AE', '%ED%A0%80', '%FF', '..', '%2E%2E%2F', 'x'.repeat(300)];
      for (const route of h.app.corridorRoutes) {
        const names = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
        for (const name of names)
          for (const bad of nastyParams) {
            const url = route.url.replace(/:([A-Za-z]+)/g, (_m, n: string) => (n === name ? bad : (params[n] ?? PLACEHOLDER_ID)));
            const headers: Record<string, string> = { cookie };
            if (route.method !== 'GET') headers['idempotency-key'] = ulid();
            const r = await h.app.inject({ method: route.method, url, headers });
            const what = `${route.method} ${url.slice(0, 160)}`;
            assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${what} → ${r.statusCode} ${r.body.slice(0, 300)}`);
            assert.equal(typeof JSON.parse(r.body).error?.code, 'string', what);
          }
        // Queries go to reads; a write that ignores its query would really write.
        if (route.method !== 'GET') continue;
        const fields = [...fieldsOf(route, 'query'), 'x'];
        for (const bad of ['%00', 'a%00', '%1B', '%E2%80%AE', '%ED%A0%80'])
          await send(route, { query: fields.map((f) => `${f}=${bad}`).join('&') }, true);
      }
      for (const route of h.app.corridorRoutes.filter((r) => r.def.body)) {
        // Written as text: JSON.stringify itself cannot go 10,000 deep.
        const deepText = deep(10_000);
        for (const field of fieldsOf(route, 'body'))
          for (const value of [deepText, `[${deepText}]`, `{"x":${deepText}}`])
            await send(route, { text: `{${JSON.stringify(field)}:${value}}` });
        await send(route, { text: JSON.stringify({ ['a\u0000b']: 1 }) });
      }
      assert.deepEqual(await snapshot(), before, 'a refused request changed a table');
    });

    test('the audit cases: a NUL in an id, a query, a route name, a plate, a window note, and a fact nested 10,000 deep get a 4xx', async () => {
      const op = params.operationId!;
      const expect4xx = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
        const headers: Record<string, string> = { cookie };
        if (method === 'POST') headers['idempotency-key'] = ulid();
        const r = await h.app.inject({
          method,
          url,
          headers,
          ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
          ...(payload === undefined ? {} : { headers: { ...headers, 'content-type': 'application/json' } }),
        });
        assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${method} ${url} → ${r.statusCode} ${r.body.slice(0, 200)}`);
        return JSON.parse(r.body).error.code as string;
      };
      assert.equal(await expect4xx('GET', `/api/operations/%00/persons/x`), 'request.invalid');
      assert.equal(await expect4xx('GET', `/api/operations/${op}/persons/%00`), 'request.invalid');
      assert.equal(await expect4xx('GET', `/api/operations/${op}/audit?subjectId=%00`), 'request.invalid');
      assert.equal(await expect4xx('POST', `/api/operations/${op}/tracing/from-missing`, { personId: 'a\u0000' }), 'request.invalid');
      const route = { id: 'nul-route', siteIds: ['amiriyah', 'rashidin'] };
      assert.equal(await expect4xx('POST', `/api/operations/${op}/routes`, { ...route, name: 'a\u0000b' }), 'request.invalid');
      assert.equal(await expect4xx('POST', `/api/operations/${op}/routes`, { ...route, name: 'a\u202eb' }), 'request.invalid');
      const window = { start: '2026-03-01T06:00:00Z', end: '2026-03-01T18:00:00Z' };
      assert.equal(await expect4xx('POST', `/api/operations/${op}/movement-windows`, { ...window, note: 'a\u0000' }), 'request.invalid');
      const made = await h.app.inject({
        method: 'POST',
        url: `/api/operations/${op}/routes`,
        headers: { cookie, 'idempotency-key': ulid() },
        payload: route,
      });
      assert.equal(made.statusCode, 201, made.body);
      const convoy = await h.app.inject({
        method: 'POST',
        url: `/api/operations/${op}/convoys`,
        headers: { cookie, 'idempotency-key': ulid() },
        payload: { routeId: 'nul-route' },
      });
      assert.equal(convoy.statusCode, 201, convoy.body);
      const convoyId = JSON.parse(convoy.body).id as string;
      const vehicles = `/api/operations/${op}/convoys/${convoyId}/vehicles`;
      assert.equal(await expect4xx('POST', vehicles, { id: 'bus-1', kind: 'bus', plate: 'AB\u0000' }), 'request.invalid');
      const deepFact = `{"facts":[${deep(10_000)}]}`;
      assert.equal(await expect4xx('POST', `/api/operations/${op}/facts`, deepFact), 'request.invalid');
    });
  });
}
