/**
 * The demo loader on a real database, with a small population: every record goes through the
 * services, and the counts the API serves equal the generator's expected totals; the tracing
 * requests are made and the duplicate scan fills the review queue; the field lead can register
 * the field devices (a registrar cannot); the audit chain verifies; loading again creates nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ulid } from 'ulid';
import { buildApp } from '../src/server/app.js';
import { KeyRing } from '../src/services/keys/keyring.js';
import { ensureFirstAdmin } from '../src/services/accounts/auth.js';
import { findUserByUsername } from '../src/db/queries/users.js';
import { verifyCounts } from '../src/services/counts/counts.js';
import { verifyAudit } from '../src/db/queries/audit.js';
import { generateScenario, isPhoneBoarding } from '../src/demo/scenario/index.js';
import { tracingRequestInput } from '../src/domain/schemas/tracing.js';
import { deviceRoles } from '../src/domain/schemas/operations.js';
import { movementFactSchema } from '../src/domain/movements/index.js';
import { tracingInputOf } from '../src/demo/load-tracing.js';
import { loadDemo, type LoadResult } from '../src/demo/load.js';
import { bySexAgeOf, expectedCounts, type ApiCounts } from '../src/demo/expected.js';
import { dialects, type TestDb } from './support/db.js';

const PEOPLE = 400;
const TABLES = [
  'operations',
  'users',
  'role_grants',
  'sites',
  'routes',
  'devices',
  'tag_ranges',
  'households',
  'persons',
  'convoys',
  'vehicles',
  'manifest_entries',
  'movement_facts',
  'audit_log',
  'tracing_requests',
  'duplicate_reviews',
] as const;

async function rowCounts(db: TestDb): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    const r = await db.kysely
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}

for (const dialect of dialects) {
  describe(`demo loader (${dialect.name})`, () => {
    let db: TestDb;
    let keys: KeyRing;
    let app: FastifyInstance;
    let adminId: string;
    let first: LoadResult;

    before(async () => {
      db = await dialect.open();
      keys = new KeyRing(randomBytes(32));
      await db.kysely.transaction().execute((trx) => ensureFirstAdmin(trx, new Date()));
      adminId = (await findUserByUsername(db.kysely, 'admin'))!.id;
      first = await loadDemo(db, keys, { adminId, people: PEOPLE });
      app = await buildApp({ db, keys, logLevel: 'silent' });
      await app.ready();
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    test("creates one account per role, a second tracing officer, and the counts the API serves equal the generator's totals", async () => {
      assert.equal(first.loaded, true);
      assert.deepEqual(
        first.accounts.map((a) => [a.label, a.role]),
        [
          ['coordinator', 'coordinator'],
          ['registrar', 'registrar'],
          ['convoy_officer', 'convoy_officer'],
          ['checkpoint_monitor', 'checkpoint_monitor'],
          ['reception_officer', 'reception_officer'],
          ['tracing_officer', 'tracing_officer'],
          ['tracing_officer_2', 'tracing_officer'],
          ['viewer', 'viewer'],
          ['lead', 'admin'],
        ],
      );
      assert.match(first.accounts.find((a) => a.label === 'tracing_officer_2')!.username, /^demo-tracing-officer-2-[0-9a-f]{10}$/);
      const coordinator = first.accounts.find((a) => a.role === 'coordinator')!;
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: coordinator.username, password: coordinator.password },
      });
      assert.equal(login.statusCode, 200, login.body);
      const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0] as string;
      const r = await app.inject({ method: 'GET', url: `/api/operations/${first.operationId}/counts`, headers: { cookie } });
      assert.equal(r.statusCode, 200, r.body);
      const counts = JSON.parse(r.body) as ApiCounts;
      const want = expectedCounts(first.scenario.truth.totals);
      assert.deepEqual(counts.totals, want.totals);
      assert.deepEqual(bySexAgeOf(counts.bySexAge.arrived ?? []), want.arrivedBySexAge);
      assert.equal(counts.byCategory?.arrived?.combatant, want.combatantsArrived);
      const convoys = await app.inject({ method: 'GET', url: `/api/operations/${first.operationId}/convoys`, headers: { cookie } });
      assert.equal((JSON.parse(convoys.body) as unknown[]).length, first.scenario.truth.totals.convoys);
      const verified = await verifyCounts(db.kysely, keys, first.operationId);
      assert.deepEqual(verified.differences, []);
    });

    test('the suspension of 16 December shows on the turned-back convoy: its halt, incidents, overdue alert and casualties', async () => {
      const coordinator = first.accounts.find((a) => a.role === 'coordinator')!;
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: coordinator.username, password: coordinator.password },
      });
      const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0] as string;
      const get = async (url: string) => {
        const r = await app.inject({ method: 'GET', url: `/api/operations/${first.operationId}${url}`, headers: { cookie } });
        assert.equal(r.statusCode, 200, r.body);
        return JSON.parse(r.body);
      };
      const stopped = first.scenario.convoys.find((c) => c.outcome === 'turned_back');
      assert.ok(stopped, 'the scenario turns a convoy back');
      const timeline = await get(`/convoys/${stopped.id}/timeline`);
      const kinds = timeline.entries.map((e: { kind: string }) => e.kind);
      assert.deepEqual([kinds[0], kinds[kinds.length - 1]], ['departed', 'turned_back']);
      assert.ok(
        timeline.entries.some((e: { kind: string; reason: string }) => e.kind === 'halted' && e.reason === 'ceasefire_suspended'),
        'halted for the suspension',
      );
      assert.ok(timeline.entries.some((e: { incident: { incidentKind: string } | null }) => e.incident?.incidentKind === 'halt'));
      // The watch, run over those days, raised an alert when the convoy was not seen at the next
      // checkpoint, and resolved it when the convoy was turned back.
      const alerts = (await get('/convoy-alerts')) as { convoyId: string; status: string; nextSiteId: string }[];
      const mine = alerts.filter((a) => a.convoyId === stopped.id);
      assert.equal(mine.length, 1, JSON.stringify(alerts));
      assert.equal(mine[0]!.status, 'resolved');
      // Every incident of the scenario is listed, and its casualties are in the counts.
      const incidents = await get('/incidents');
      const scenarioIncidents = first.scenario.facts.filter((f) => f.kind === 'incident');
      assert.equal(incidents.incidents.length, scenarioIncidents.length);
      const sum = (k: 'injured' | 'killed' | 'detained') =>
        scenarioIncidents.reduce((n, f) => n + ((f.payload as { [m in typeof k]?: number })[k] ?? 0), 0);
      const counts = await get('/counts');
      assert.deepEqual(counts.casualties, { injured: sum('injured'), killed: sum('killed'), detained: sum('detained') });
      assert.deepEqual(incidents.totals, counts.casualties);
    });

    test('the reconciliation desk lists only the offline phones’ boarding conflicts: the turned-back convoy’s people boarding again on 18 December are a new departure', async () => {
      const coordinator = first.accounts.find((a) => a.role === 'coordinator')!;
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: coordinator.username, password: coordinator.password },
      });
      const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0] as string;
      const r = await app.inject({
        method: 'GET',
        url: `/api/operations/${first.operationId}/reconciliation?kind=boarding_conflict`,
        headers: { cookie },
      });
      assert.equal(r.statusCode, 200, r.body);
      type Side = { factId: string; vehicleId: string };
      const body = JSON.parse(r.body) as {
        total: number;
        items: { personIds: string[]; details: { standing: Side; superseded: Side } }[];
        summary: { operation: Record<string, number> };
      };
      // They did board twice: on the convoy turned back at the crossing, and again after the suspension.
      const s = first.scenario;
      const stopped = s.convoys.find((c) => c.outcome === 'turned_back')!;
      const later = new Set(
        s.convoys.filter((c) => c !== stopped).flatMap((c) => c.vehicles.flatMap((v) => v.manifest.map((m) => m.personId))),
      );
      const again = stopped.vehicles.flatMap((v) => v.manifest).filter((m) => later.has(m.personId));
      assert.ok(again.length > 10, `${again.length} people of ${stopped.label} board again`);
      // A handful, each an offline phone's boarding on another bus; the officer's seat stands (was one per re-boarded person too).
      const phones = s.facts.filter(isPhoneBoarding);
      assert.ok(phones.length >= 1 && phones.length <= 5, `${phones.length} phone boardings`);
      assert.equal(body.total, phones.length, r.body.slice(0, 500));
      assert.equal(body.summary.operation.boarding_conflict, phones.length);
      const seatOf = new Map(s.convoys.flatMap((c) => c.vehicles.flatMap((v) => v.manifest.map((m) => [m.personId, v.id] as const))));
      assert.deepEqual(
        body.items.map((i) => [i.personIds[0], i.details.superseded.vehicleId, i.details.standing.vehicleId]).sort(),
        phones.map((f) => [f.personId, f.vehicleId, seatOf.get(f.personId!)]).sort(),
      );
    });

    test('a demo person’s record tells their journey: registration, boarding, departure, checkpoints, arrival, check-in; routes have Arabic names', async () => {
      const registrar = first.accounts.find((a) => a.role === 'registrar')!;
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: registrar.username, password: registrar.password },
      });
      assert.equal(login.statusCode, 200, login.body);
      const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0] as string;
      const get = async (url: string) => {
        const r = await app.inject({ method: 'GET', url: `/api/operations/${first.operationId}${url}`, headers: { cookie } });
        assert.equal(r.statusCode, 200, r.body);
        return JSON.parse(r.body);
      };
      const arrived = (await get('/persons?status=arrived&limit=5')) as { id: string }[];
      assert.equal(arrived.length, 5, 'the Arrived card’s list has the demo’s arrivals');
      for (const p of arrived) {
        const kinds = new Set(
          ((await get(`/persons/${p.id}/timeline`)).entries as { kind: string; personId: string | null }[]).map((e) => e.kind),
        );
        for (const k of ['registered', 'boarded', 'departed', 'passed_checkpoint', 'arrived', 'checked_in'])
          assert.ok(kinds.has(k), `${p.id}: ${k} in ${[...kinds].join(', ')}`);
      }
      const routes = ((await get('/routes')) as { id: string; nameAr: string | null }[]).sort((a, b) => a.id.localeCompare(b.id));
      assert.deepEqual(
        routes.map((r) => [r.id, r.nameAr]),
        [...first.scenario.routes].sort((a, b) => a.id.localeCompare(b.id)).map((r) => [r.id, r.nameAr]),
      );
      assert.ok(routes.every((r) => /[\u0600-\u06FF]/.test(r.nameAr ?? '')));
    });

    test('makes every tracing request of the scenario and proposes the duplicates for review', async () => {
      const s = first.scenario;
      const requests = await db.kysely
        .selectFrom('tracing_requests')
        .select(['id', 'created_at'])
        .where('operation_id', '=', first.operationId)
        .execute();
      assert.equal(requests.length, s.tracingRequests.length);
      assert.ok(s.truth.duplicates.length > 0, 'the scenario has duplicates');
      const reviews = await db.kysely
        .selectFrom('duplicate_reviews')
        .select(['person_a', 'person_b'])
        .where('operation_id', '=', first.operationId)
        .execute();
      const proposed = new Set(reviews.map((r) => [r.person_a, r.person_b].sort().join('|')));
      const found = s.truth.duplicates.filter((pair) => proposed.has([...pair].sort().join('|'))).length;
      assert.ok(
        found >= s.truth.duplicates.length / 2,
        `most true duplicates are in the review queue (${found} of ${s.truth.duplicates.length})`,
      );
    });

    test('the field lead registers a device of each field role in the demo operation; a registrar still cannot', async () => {
      const cookieOf = async (label: string) => {
        const a = first.accounts.find((x) => x.label === label)!;
        const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: a.username, password: a.password } });
        assert.equal(login.statusCode, 200, login.body);
        return String([login.headers['set-cookie']].flat()[0]).split(';')[0] as string;
      };
      const lead = first.accounts.find((a) => a.label === 'lead')!;
      assert.match(lead.username, /^demo-lead-[0-9a-f]{10}$/);
      assert.deepEqual(lead.roles, ['admin', ...deviceRoles]);
      const register = (cookie: string, role: string) =>
        app.inject({
          method: 'POST',
          url: `/api/operations/${first.operationId}/devices`,
          headers: { cookie, 'idempotency-key': ulid() },
          payload: { name: `Phone of the ${role}`, role, siteId: first.scenario.sites[0]!.id },
        });
      const leadCookie = await cookieOf('lead');
      for (const role of deviceRoles) {
        const r = await register(leadCookie, role);
        assert.equal(r.statusCode, 201, `${role}: ${r.body}`);
        assert.match((JSON.parse(r.body) as { token: string }).token, new RegExp(`^cdv_${role}\\.`));
      }
      const refused = await register(await cookieOf('registrar'), 'registrar');
      assert.equal(refused.statusCode, 403, refused.body);
    });

    test('leaves an audit chain that verifies', async () => {
      const v = await verifyAudit(db.kysely);
      assert.equal(v.ok, true, JSON.stringify(v.firstBreak));
    });

    test('loading again creates nothing new', async () => {
      const before = await rowCounts(db);
      const again = await loadDemo(db, keys, { adminId, people: PEOPLE });
      assert.equal(again.loaded, false);
      assert.deepEqual(again.accounts, []);
      assert.deepEqual(await rowCounts(db), before);
    });
  });
}

describe('the full Aleppo 2016 scenario as the loader sends it', () => {
  const s = generateScenario({ seed: 2016 });

  test('every fact, with its device, is a valid movement fact as generated', () => {
    const bad = s.facts.filter((f) => !movementFactSchema.safeParse(f).success);
    assert.deepEqual(bad.slice(0, 3), []);
  });

  test('every tracing request is a valid tracing request input', () => {
    const bad = s.tracingRequests.filter((r) => {
      try {
        return !tracingRequestInput.safeParse(tracingInputOf(s, r)).success;
      } catch {
        return true;
      }
    });
    assert.deepEqual(bad.slice(0, 3), []);
  });
});
