/**
 * Each endpoint of the contract (src/domain/api) states the access it needs, beside its path and
 * schemas. These tests walk every route the app registered against every kind of caller and
 * check the answer against those declarations and the role grants — so a route added later is
 * covered without anyone editing this file, and a route registered around `defineRoute`, or an
 * endpoint declared without an access, fails here.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { ulid } from 'ulid';
import { permissionsOf, roleGrants, roles, type Permission, type Role } from '../../src/domain/policy.js';
import Fastify from 'fastify';
import { allEndpoints, type Access, type Endpoint } from '../../src/domain/api/index.js';
import { defineRoute, type RouteEnv } from '../../src/server/route.js';
import { createUser } from '../../src/services/accounts/auth.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, TEST_PASSWORD, type Harness } from '../support/harness.js';

/** The OpenAPI UI and document are public and served by @fastify/swagger-ui, not by defineRoute. */
const isDocs = (url: string) => url === '/api/docs' || url.startsWith('/api/docs/');
const PLACEHOLDER_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
/** What the contract declares: "METHOD path" → access. */
const declaredAccess: Record<string, Access> = Object.fromEntries(allEndpoints.map((e) => [`${e.method} ${e.path}`, e.access]));

type Expected = { allowed: true } | { allowed: false; status: number; code: string };

interface Caller {
  label: string;
  headers: Record<string, string>;
  /** undefined: not logged in. */
  identity?: { isAdmin: boolean; rolesInOperation: Role[]; device?: boolean };
}

function expectation(caller: Caller, access: Access): Expected {
  if (access === 'public') return { allowed: true };
  if (!caller.identity) return { allowed: false, status: 401, code: 'auth.required' };
  if (access === 'authenticated') return { allowed: true };
  if (access === 'user') return caller.identity.device ? { allowed: false, status: 403, code: 'auth.forbidden' } : { allowed: true };
  if (access === 'system_admin')
    return caller.identity.isAdmin ? { allowed: true } : { allowed: false, status: 403, code: 'auth.forbidden' };
  if (caller.identity.rolesInOperation.length === 0) return { allowed: false, status: 404, code: 'operation.not_found' };
  return permissionsOf(caller.identity.rolesInOperation).has(access as Permission)
    ? { allowed: true }
    : { allowed: false, status: 403, code: 'auth.forbidden' };
}

for (const dialect of dialects) {
  describe(`route × role policy (${dialect.name})`, () => {
    let h: Harness;
    let opA: string;
    const params: Record<string, string> = {};
    const callers: Caller[] = [];

    before(async () => {
      h = await startHarness(await dialect.open());
      opA = (await setUpOperation(h, 'policy-a')).id;
      const opB = (await setUpOperation(h, 'policy-b')).id;
      params.operationId = opA;

      for (const role of roles) {
        const c = await h.userWithRoles(opA, [role], `role-${role}`);
        callers.push({ label: role, headers: { cookie: c.cookie }, identity: { isAdmin: false, rolesInOperation: [role] } });
      }
      callers.push({ label: 'anonymous', headers: {} });
      // Every role, but in another operation: holding roles somewhere must not open this one.
      const outsider = await h.userWithRoles(opB, [...roles], 'outsider');
      callers.push({
        label: 'user without a role in the operation',
        headers: { cookie: outsider.cookie },
        identity: { isAdmin: false, rolesInOperation: [] },
      });
      await h.db.kysely
        .transaction()
        .execute((trx) =>
          createUser(
            trx,
            { username: 'sysadmin', displayName: 'Sys', password: TEST_PASSWORD, isAdmin: true },
            { id: null, kind: 'system' },
            new Date(),
          ),
        );
      const sys = await h.login('sysadmin', TEST_PASSWORD);
      callers.push({
        label: 'system admin (no role in the operation)',
        headers: { cookie: sys.cookie },
        identity: { isAdmin: true, rolesInOperation: [] },
      });

      // A device token never holds more than its maker: made by an admin who holds the roles too.
      const deviceMaker = await h.userWithRoles(opA, ['admin', 'registrar', 'checkpoint_monitor'], 'device-maker');
      const device = await deviceMaker.post(`/api/operations/${opA}/devices`, {
        name: 'desk tablet',
        role: 'registrar',
        siteId: 'amiriyah',
      });
      assert.equal(device.status, 201, JSON.stringify(device.body));
      callers.push({
        label: 'registrar device token',
        headers: { authorization: `Bearer ${device.body.token}` },
        identity: { isAdmin: false, rolesInOperation: ['registrar'], device: true },
      });
      const sacrificial = await deviceMaker.post(`/api/operations/${opA}/devices`, { name: 'to revoke', role: 'checkpoint_monitor' });
      params.deviceId = sacrificial.body.id;

      const registrar = await h.login('role-registrar', TEST_PASSWORD);
      const hh = await registrar.post(`/api/operations/${opA}/households`, {
        siteId: 'amiriyah',
        members: [{ names: { lat: { given: 'Policy', family: 'Person' } }, sex: 'female', estimatedAge: 33 }],
      });
      assert.equal(hh.status, 201, JSON.stringify(hh.body));
      params.householdId = hh.body.id;
      params.personId = hh.body.members[0].id;
      // The account routes act on an account of its own (a reset or disable must not end a caller's session).
      params.userId = await h.addUser('policy-target');
    });
    after(async () => h.close());

    test('every registered /api route is an endpoint of the contract and goes through defineRoute', () => {
      const declared = new Set(h.app.corridorRoutes.map((r) => `${r.method} ${r.url}`));
      const missing: string[] = [];
      const undeclared: string[] = [];
      for (const r of h.app.allRoutes) {
        if (!r.url.startsWith('/api/') || isDocs(r.url)) continue;
        const key = `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`;
        if (!(key in declaredAccess)) missing.push(key);
        else if (!declared.has(key)) undeclared.push(key);
      }
      assert.deepEqual(missing, [], 'routes missing from the contract (src/domain/api)');
      assert.deepEqual(undeclared, [], 'endpoints of the contract registered without defineRoute (no authorisation step)');
      assert.ok(h.app.corridorRoutes.length >= 20, 'the app registered its routes');
    });

    test('every endpoint of the contract is registered, once, with the access it declares', () => {
      const registered = new Set(h.app.allRoutes.map((r) => `${r.method} ${r.url}`));
      assert.deepEqual(
        Object.keys(declaredAccess).filter((k) => !registered.has(k)),
        [],
      );
      assert.equal(Object.keys(declaredAccess).length, allEndpoints.length, 'no two endpoints share a method and path');
      assert.equal(h.app.corridorRoutes.length, allEndpoints.length);
      for (const r of h.app.corridorRoutes) assert.equal(r.access, declaredAccess[`${r.method} ${r.url}`]);
    });

    test('every route answers every caller as its declared access says', async () => {
      // HEAD runs the GET handler: check it like its GET. Logout goes last: it ends the caller's session.
      const routes = h.app.corridorRoutes
        .flatMap((r) => (r.method === 'GET' ? [r, { ...r, method: 'HEAD' as const }] : [r]))
        .sort((a, b) => Number(a.url === '/api/auth/logout') - Number(b.url === '/api/auth/logout'));
      const mismatches: string[] = [];
      let allowedSeen = 0;
      let refusedSeen = 0;
      for (const route of routes) {
        const url = route.url.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? PLACEHOLDER_ID));
        for (const caller of callers) {
          const headers: Record<string, string> = { ...caller.headers };
          if (route.method !== 'GET' && route.method !== 'HEAD') headers['idempotency-key'] = ulid();
          const r = await h.app.inject({ method: route.method, url, headers, ...(route.def.body ? { payload: {} } : {}) });
          // Refusals are JSON; an allowed route may answer otherwise (an event stream, a PDF).
          const isJson = String(r.headers['content-type'] ?? '').includes('application/json');
          const body = r.body && isJson && route.method !== 'HEAD' ? (JSON.parse(r.body) as { error?: { code: string } }) : {};
          const code = body.error?.code;
          const want = expectation(caller, route.access);
          const where = `${route.method} ${route.url} as ${caller.label} (${route.access}): got ${r.statusCode} ${code ?? ''}`;
          if (r.statusCode >= 500) mismatches.push(`${where}, a server error`);
          else if (want.allowed) {
            allowedSeen++;
            if (r.statusCode === 401 || r.statusCode === 403 || code === 'operation.not_found' || code === 'request.not_found')
              mismatches.push(`${where}, expected to be let through`);
          } else {
            refusedSeen++;
            if (r.statusCode !== want.status || (route.method !== 'HEAD' && code !== want.code))
              mismatches.push(`${where}, expected ${want.status} ${want.code}`);
          }
        }
      }
      assert.deepEqual(mismatches, []);
      assert.ok(
        allowedSeen > 50 && refusedSeen > 50,
        `both sides of the table were exercised (${allowedSeen} allowed, ${refusedSeen} refused)`,
      );
    });

    test('a device token answers only in its own operation', async () => {
      const opC = (await setUpOperation(h, 'policy-c')).id;
      const device = callers.find((c) => c.label === 'registrar device token')!;
      const r = await h.app.inject({ method: 'GET', url: `/api/operations/${opC}/persons?q=x`, headers: device.headers });
      assert.equal(r.statusCode, 404);
      assert.equal(JSON.parse(r.body).error.code, 'operation.not_found');
    });
  });
}

describe('route registration', () => {
  const env = { routes: [] } as unknown as RouteEnv;
  const plain: Endpoint = { method: 'GET', path: '/api/test', access: 'public', tag: 't', summary: 's', response: z.object({}) };

  test('an endpoint without an access does not register', () => {
    const app = Fastify();
    const { access: _omitted, ...withoutAccess } = plain;
    assert.throws(() => defineRoute(app, env, withoutAccess as unknown as Endpoint, async () => ({})), /declares no access/);
    assert.deepEqual(env.routes, []);
  });

  test('an endpoint without a response schema does not register', () => {
    const app = Fastify();
    const { response: _omitted, ...withoutResponse } = plain;
    assert.throws(() => defineRoute(app, env, withoutResponse as unknown as Endpoint, async () => ({})), /declares no response schema/);
  });
});

describe('role grants', () => {
  test('restricted permissions are held only by the roles whose work needs them', () => {
    const holders = (p: Permission) => roles.filter((r) => roleGrants(r, p)).sort();
    assert.deepEqual(holders('person.category'), ['coordinator']);
    assert.deepEqual(holders('person.medical'), ['reception_officer']);
    assert.deepEqual(holders('tracing.manage'), ['tracing_officer']);
    assert.deepEqual(holders('operation.staff'), ['admin']);
    assert.deepEqual(holders('audit.read'), ['admin']);
    assert.equal(roleGrants('viewer', 'person.read'), false, 'a viewer sees counts, never a person');
    assert.equal(roleGrants('checkpoint_monitor', 'person.read'), false);
  });
});
