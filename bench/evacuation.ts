/**
 * The evacuation at scale: a registry bulk-loaded (batched inserts, its counters built by one
 * SQL aggregate, as an import would), then convoys of 50 people moved through every stage by
 * fact batches — boarded, departed, passed checkpoint, arrived, checked in — through the same
 * service the batch endpoint calls (validation, sealing, audit, one transaction per batch).
 *
 * Figures: fact ingest rate with count maintenance, beside the same workload without it (in a
 * second operation: the baseline must not corrupt the first one's counters); the live-count
 * read latency (GET /counts through the whole HTTP stack) beside the full recomputation from
 * facts, measured in the same run; and the recomputation agreeing with the counters.
 * BENCH_EVAC_MOVED sets how many people are moved (default 20,000; the registry is `people`);
 * BENCH_EVAC_FACTS sets how many facts to record (people travel on over further legs to reach it;
 * default: one leg each). The reference: 1M registered, 1M moved, 5M facts.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { ulid } from 'ulid';
import type { Db } from '../src/db/connection.js';
import { permissions, type Permission } from '../src/domain/policy.js';
import { buildApp } from '../src/server/app.js';
import { createUser } from '../src/services/accounts/auth.js';
import type { Ctx } from '../src/services/context.js';
import { loadOperation, verifyCounts } from '../src/services/counts/counts.js';
import { reconcileOperation } from '../src/services/reconciliation/reconciliation.js';
import { recordFactBatch } from '../src/services/facts/facts.js';
import { CountProjector, drainCounts } from '../src/services/counts/count-projector.js';
import { pendingTotals } from '../src/db/queries/counts.js';
import { KeyRing } from '../src/services/keys/keyring.js';
import { autovacuumOff, housekeepOnce } from '../src/services/jobs/embedded-housekeeping.js';
import { createOperation } from '../src/services/operations/operations.js';
import { percentile, type BenchRow } from './lib.js';
import { benchTargets } from './targets.js';

const SEXES = ['female', 'male'] as const;
const BANDS = ['0-4', '5-11', '12-17', '18-59', '18-59', '18-59', '60+'] as const;
const REGISTERED_AT = new Date('2016-12-15T04:00:00Z');

function ctxFor(db: Ctx['db'], keys: KeyRing, userId: string, operationId?: string): Ctx {
  return {
    db,
    now: new Date('2016-12-16T00:00:00Z'),
    keys,
    roles: ['coordinator'],
    permissions: new Set<Permission>(permissions),
    actor: { kind: 'user', id: userId, name: 'bench', isAdmin: true },
    ...(operationId ? { operationId } : {}),
  };
}

/**
 * Sites in a chain — origin, then one reception per leg — with a checkpoint between each pair,
 * and one route per leg: a second leg takes people on from where the first one checked them in
 * (al-Rashidin on to the Idlib camps), as the reference operation did.
 */
async function setUpOperation(db: Db, keys: KeyRing, userId: string, code: string, legs: number): Promise<string> {
  const op = await db.kysely
    .transaction()
    .execute((trx) =>
      createOperation(ctxFor(trx, keys, userId), { code, nameEn: code, timeZone: 'Asia/Damascus', status: 'active' } as never),
    );
  const at = new Date();
  const site = (id: string, kind: string) => ({
    operation_id: op.id,
    id,
    kind,
    name_en: id,
    name_ar: null,
    lat: null,
    lon: null,
    capacity: null,
    created_at: at,
  });
  const sites = [site('origin', 'assembly_point')];
  const routes = [];
  for (let k = 0; k < legs; k++) {
    sites.push(site(checkpointOf(k), 'checkpoint'), site(receptionOf(k), 'reception_centre'));
    routes.push({
      operation_id: op.id,
      id: routeOf(k),
      name: null,
      site_ids: [startOf(k), checkpointOf(k), receptionOf(k)],
      created_at: at,
      created_by: userId,
    });
  }
  await db.kysely.insertInto('sites').values(sites).execute();
  await db.kysely.insertInto('routes').values(routes).execute();
  return op.id;
}

const routeOf = (leg: number) => (leg === 0 ? 'r' : `r${leg}`);
const checkpointOf = (leg: number) => (leg === 0 ? 'checkpoint' : `checkpoint${leg}`);
const receptionOf = (leg: number) => (leg === 0 ? 'reception' : `reception${leg}`);
const startOf = (leg: number) => (leg === 0 ? 'origin' : receptionOf(leg - 1));
const convoyOf = (c: number, leg: number) => (leg === 0 ? `c${c}` : `c${c}-${leg}`);
/** Legs of convoy c when the operation averages `legs` legs a convoy (2.45 → every convoy 2 or 3). */
const legsOf = (c: number, legs: number) => Math.floor((c + 1) * legs + 1e-9) - Math.floor(c * legs + 1e-9);

/** People in batched inserts, then their counters from one aggregate (what `countRegistration` adds per person). */
async function bulkLoadPeople(db: Db, operationId: string, count: number, userId: string): Promise<void> {
  const pii = randomBytes(64);
  const batch = 2000;
  for (let start = 0; start < count; start += batch) {
    const households = [];
    const persons = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      const id = `p${String(i).padStart(8, '0')}`;
      if (i % 5 === 0)
        households.push({
          operation_id: operationId,
          id: `h${id}`,
          site_id: 'origin',
          pii: null,
          registered_at: REGISTERED_AT,
          registered_by: userId,
        });
      persons.push({
        operation_id: operationId,
        id,
        household_id: `h${`p${String(i - (i % 5)).padStart(8, '0')}`}`,
        relationship: 'head',
        sex: SEXES[i % 2] as string,
        birth_year: 1980,
        age_estimated: true,
        age_band: BANDS[i % BANDS.length] as string,
        vulnerabilities: i % 17 === 0 ? ['wounded'] : [],
        category: i % 11 === 0 ? 'combatant' : 'civilian',
        consent_tracing: true,
        consent_disclosure: false,
        tag_code: null,
        site_id: 'origin',
        pii,
        medical: null,
        registered_at: REGISTERED_AT,
        registered_by: userId,
        updated_at: REGISTERED_AT,
      });
    }
    await db.kysely.insertInto('households').values(households).execute();
    await db.kysely.insertInto('persons').values(persons).execute();
  }
  const hour = '2016-12-15T04:00Z';
  for (const h of ['*', hour]) {
    await sql`insert into counters (operation_id, metric, sex, age_band, category, site_id, vulnerability, hour, n)
      select operation_id, 'registered', sex, age_band, category, site_id, '*', ${h}, count(*) from persons where operation_id = ${operationId}
      group by operation_id, sex, age_band, category, site_id`.execute(db.kysely);
    await sql`insert into counters (operation_id, metric, sex, age_band, category, site_id, vulnerability, hour, n)
      select operation_id, 'registered', sex, age_band, category, site_id, v, ${h}, count(*) from persons, unnest(vulnerabilities) v where operation_id = ${operationId}
      group by operation_id, sex, age_band, category, site_id, v`.execute(db.kysely);
  }
  await sql`insert into counter_hours (operation_id, metric, hour, n) select ${operationId}, 'registered', ${hour}, count(*) from persons where operation_id = ${operationId}`.execute(
    db.kysely,
  );
  await sql`insert into count_registry (operation_id, person_id, sex, age_band, category, vulnerabilities, site_id, registered_at, merged_into)
    select operation_id, id, sex, age_band, category, vulnerabilities, site_id, registered_at, merged_into from persons where operation_id = ${operationId}`.execute(
    db.kysely,
  );
  await sql`insert into count_heads (operation_id, version, updated_at) values (${operationId}, 1, now())`.execute(db.kysely);
}

interface IngestRun {
  facts: number;
  seconds: number;
  ingestSeconds: number;
  pendingAtEnd: number;
  projectorBatches: number;
  projectSeconds: number;
}

/**
 * Moves `moved` people (from the first ids) in convoys of 50 through every stage, leg after leg
 * (boarded again where the previous leg checked them in). With counts, the count projector runs
 * beside the ingest as it does in the server (kicked after each committed batch); the clock
 * stops when everything is counted, so `seconds` includes the counting that was still to do
 * when the last batch was accepted.
 */
async function ingest(
  db: Db,
  keys: KeyRing,
  userId: string,
  operationId: string,
  moved: number,
  legs: number,
  range: [number, number],
  project: boolean,
): Promise<IngestRun> {
  const at = new Date();
  const [from, to] = range;
  for (let c = from; c < to; c += 500) {
    const list = Array.from({ length: Math.min(500, to - c) }, (_v, k) => c + k).flatMap((n) =>
      Array.from({ length: legsOf(n, legs) }, (_l, leg) => ({ id: convoyOf(n, leg), leg })),
    );
    await db.kysely
      .insertInto('convoys')
      .values(
        list.map(({ id, leg }) => ({
          operation_id: operationId,
          id,
          route_id: routeOf(leg),
          name: null,
          state: 'planned',
          created_at: at,
          created_by: userId,
          updated_at: at,
        })),
      )
      .execute();
    await db.kysely
      .insertInto('vehicles')
      .values(
        list.map(({ id }) => ({
          operation_id: operationId,
          convoy_id: id,
          id: `${id}-bus`,
          kind: 'bus',
          capacity: 50,
          mode: 'named',
          plate: null,
          head_count: null,
          created_at: at,
        })),
      )
      .execute();
  }
  let batches = 0;
  let projectMs = 0;
  const onBatch = (r: { ms: number }) => {
    batches++;
    projectMs += r.ms;
  };
  const projector = new CountProjector(db, keys, { sweepMs: 0, onBatch });
  const time = (base: number, minutes: number) =>
    new Date(Date.parse('2016-12-15T06:00:00Z') + base * 60_000 + minutes * 60_000).toISOString();
  let facts = 0;
  const t0 = performance.now();
  const send = async (list: Record<string, unknown>[]) => {
    await db.kysely.transaction().execute((trx) => recordFactBatch(ctxFor(trx, keys, userId, operationId), { facts: list }));
    facts += list.length;
    if (project) projector.kick(operationId);
    // Requests arrive as separate events: the server (and its projector) get a turn between them.
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
  for (let c = from; c < to; c++) {
    let people = Array.from({ length: Math.min(50, moved - c * 50) }, (_v, k) => `p${String(c * 50 + k).padStart(8, '0')}`);
    for (let leg = 0; leg < legsOf(c, legs); leg++) {
      const convoyId = convoyOf(c, leg);
      const vehicleId = `${convoyId}-bus`;
      const base = (c % 600) + leg * 1440;
      await send(
        people.map((personId, k) => ({
          id: ulid(),
          kind: 'boarded',
          convoyId,
          vehicleId,
          personId,
          siteId: startOf(leg),
          deviceTime: time(base, k * 0.1),
        })),
      );
      await send([
        { id: ulid(), kind: 'departed', convoyId, siteId: startOf(leg), deviceTime: time(base, 30) },
        {
          id: ulid(),
          kind: 'passed_checkpoint',
          convoyId,
          vehicleId,
          siteId: checkpointOf(leg),
          deviceTime: time(base, 60),
          payload: { observedHeadCount: people.length },
        },
        { id: ulid(), kind: 'arrived', convoyId, siteId: receptionOf(leg), deviceTime: time(base, 120) },
      ]);
      // Everyone but one in fifty is checked in (the others are missing, as in a real convoy);
      // only those checked in go on to the next leg.
      people = people.slice(0, people.length - (people.length >= 50 ? 1 : 0));
      await send(
        people.map((personId, k) => ({
          id: ulid(),
          kind: 'checked_in',
          personId,
          siteId: receptionOf(leg),
          deviceTime: time(base, 130 + k * 0.2),
        })),
      );
    }
  }
  const ingestSeconds = (performance.now() - t0) / 1000;
  const pendingAtEnd = (await pendingTotals(db.kysely, operationId)).facts;
  await projector.flush();
  await drainCounts(db.kysely, keys, operationId, { onBatch });
  const seconds = (performance.now() - t0) / 1000;
  await projector.stop();
  return { facts, seconds, ingestSeconds, pendingAtEnd, projectorBatches: batches, projectSeconds: projectMs / 1000 };
}

export async function runEvacuationBench(opts: { people: number }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const moved = Math.min(opts.people, Number(process.env.BENCH_EVAC_MOVED ?? 20_000));
  // BENCH_EVAC_FACTS asks for that many facts: people then travel on over further legs (a leg of
  // a full convoy is 50 boardings, 3 convoy facts and 49 check-ins, about 2.04 facts a person).
  const wantFacts = Number(process.env.BENCH_EVAC_FACTS ?? 0);
  const legs = wantFacts > 0 ? Math.max(1, wantFacts / (moved * 2.04)) : 1;
  for (const target of benchTargets()) {
    const db = await target.open();
    try {
      const keys = new KeyRing(randomBytes(32));
      const user = await db.kysely
        .transaction()
        .execute((trx) =>
          createUser(
            trx,
            { username: 'bench', displayName: 'Bench', password: 'bench-password-123', isAdmin: true },
            { id: null, kind: 'system' },
            new Date(),
          ),
        );
      const userId = user.id;
      const maxLegs = Math.ceil(legs - 1e-9);
      const opA = await setUpOperation(db, keys, userId, 'evac-bench', maxLegs);
      const opB = await setUpOperation(db, keys, userId, 'evac-baseline', maxLegs);
      process.stderr.write(`  evacuation/${target.name}: bulk-loading ${opts.people.toLocaleString('en')} people…\n`);
      const tl = performance.now();
      await bulkLoadPeople(db, opA, opts.people, userId);
      const loadSeconds = (performance.now() - tl) / 1000;
      await bulkLoadPeople(db, opB, moved, userId);
      process.stderr.write(
        `  evacuation/${target.name}: moving ${moved.toLocaleString('en')} people over ${legs.toFixed(2)} legs on average (with counts and the baseline without, in alternating rounds)…\n`,
      );
      // Alternating rounds, so warm-up and a busy machine weigh on both sides alike.
      const withCounts: IngestRun = { facts: 0, seconds: 0, ingestSeconds: 0, pendingAtEnd: 0, projectorBatches: 0, projectSeconds: 0 };
      const without: IngestRun = { ...withCounts };
      const convoys = Math.ceil(moved / 50);
      // Rounds of about 100,000 facts (at least 4), so a machine busy for a few minutes weighs on both sides.
      const rounds = Math.max(4, Math.min(convoys, Math.round((convoys * legs) / 1000)));
      // What the server's housekeeping does every 5 minutes where nothing else refreshes statistics
      // (PGlite; PostgreSQL with autovacuum off): between rounds here, outside the timed ingest.
      const housekeep = target.name === 'pglite' || (await autovacuumOff(db));
      for (let r = 0; r < rounds; r++) {
        if (housekeep) await housekeepOnce(db);
        const range: [number, number] = [Math.floor((convoys * r) / rounds), Math.floor((convoys * (r + 1)) / rounds)];
        for (const [run, op, counted] of [
          [withCounts, opA, true],
          [without, opB, false],
        ] as const) {
          const one = await ingest(db, keys, userId, op, moved, legs, range, counted);
          run.facts += one.facts;
          run.seconds += one.seconds;
          run.ingestSeconds += one.ingestSeconds;
          run.pendingAtEnd = Math.max(run.pendingAtEnd, one.pendingAtEnd);
          run.projectorBatches += one.projectorBatches;
          run.projectSeconds += one.projectSeconds;
        }
      }

      const app = await buildApp({ db, keys, logLevel: 'warn' });
      await app.ready();
      await db.kysely
        .insertInto('role_grants')
        .values({ operation_id: opA, user_id: userId, role: 'viewer', granted_by: userId, granted_at: new Date() })
        .onConflict((oc) => oc.doNothing())
        .execute();
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'bench', password: 'bench-password-123' },
      });
      const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0] as string;
      const latencies: number[] = [];
      for (let i = 0; i < 200; i++) {
        const s = performance.now();
        const r = await app.inject({ method: 'GET', url: `/api/operations/${opA}/counts`, headers: { cookie } });
        latencies.push(performance.now() - s);
        if (r.statusCode !== 200) throw new Error(`counts: ${r.statusCode} ${r.body}`);
      }
      await app.close();
      latencies.sort((a, b) => a - b);
      const tv = performance.now();
      const verification = await verifyCounts(db.kysely, keys, opA);
      const recomputeMs = performance.now() - tv;
      // Reconciliation of the whole operation (what the coordinator's list needs), beside loading alone.
      const tl2 = performance.now();
      await loadOperation(db.kysely, keys, opA);
      const loadMs = performance.now() - tl2;
      const tr = performance.now();
      const rec = await reconcileOperation(ctxFor(db.kysely, keys, userId, opA), {});
      const reconcileMs = performance.now() - tr;

      const legNote = legs > 1 ? `, ${legs.toFixed(2)} legs each` : '';
      const group = `evacuation (${opts.people.toLocaleString('en')} registered, ${moved.toLocaleString('en')} moved${legNote}, ${withCounts.facts.toLocaleString('en')} facts)`;
      const rateWith = withCounts.facts / withCounts.seconds;
      const rateWithout = without.facts / without.seconds;
      const slowdown = (rateWithout / rateWith - 1) * 100;
      rows.push(
        {
          group,
          figure: 'bulk load of the registry (+ counters)',
          target: target.name,
          value: opts.people / loadSeconds,
          unit: 'people/s',
        },
        {
          group,
          figure: 'fact ingest, counted (clock stops when all is counted)',
          target: target.name,
          value: rateWith,
          unit: 'facts/s',
          baseline: {
            label: "same facts, no projection running (both pay the fact's transaction-id column and index)",
            value: rateWithout,
          },
        },
        {
          group,
          figure: "count lag: most facts not yet counted when a round's last batch was accepted",
          target: target.name,
          value: withCounts.pendingAtEnd,
          unit: 'facts',
          baseline: {
            label: `${withCounts.projectorBatches} projector batches; seconds to accept (vs to count)`,
            value: withCounts.ingestSeconds,
          },
        },
        {
          group,
          figure: 'ingest slowdown from maintaining counts',
          target: target.name,
          value: slowdown,
          unit: '%',
          goal: '≤ 15 %',
          pass: slowdown <= 15,
        },
        {
          group,
          figure: 'time spent counting, per fact',
          target: target.name,
          value: (withCounts.projectSeconds * 1000) / withCounts.facts,
          unit: 'ms/fact',
          baseline: { label: 'ingest without counts, per fact', value: (without.seconds * 1000) / without.facts },
        },
        {
          group,
          figure: 'live counts read p95 (GET /counts)',
          target: target.name,
          value: percentile(latencies, 95),
          unit: 'ms',
          baseline: { label: 'full recomputation from facts', value: recomputeMs },
          goal: '≤ 50 ms',
          pass: percentile(latencies, 95) <= 50,
        },
        {
          group,
          figure: `reconciliation of the operation (${rec.items.length.toLocaleString('en')} items)`,
          target: target.name,
          value: reconcileMs,
          unit: 'ms',
          baseline: { label: 'loading the registry and facts alone', value: loadMs },
        },
        {
          group,
          figure: 'maintained counters equal recomputation',
          target: target.name,
          value: verification.differences.length,
          unit: 'differences',
          goal: '0',
          pass: verification.ok,
        },
      );
    } finally {
      await db.close();
    }
  }
  return rows;
}
