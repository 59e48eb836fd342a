/**
 * Registration through the API — validation, encryption, keyed hashes, idempotency store and
 * audit, in one transaction per request — with a population already registered, beside the
 * floor: a plain single-row insert of the same person rows, measured in the same run. Also a
 * desk's offline queue sent as one batch (`POST …/households/batch`, DEVICE_BATCH households a
 * request, each at the time the desk registered it), in person rows a second beside the floor's
 * rows a second (issue 17: goal ≥ 0.10×).
 */
import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { buildApp } from '../src/server/app.js';
import { KeyRing } from '../src/services/keys/keyring.js';
import { createUser } from '../src/services/accounts/auth.js';
import { keyedHash, sealJson } from '../src/crypto/envelope.js';
import { blockingKeys } from '../src/domain/names/index.js';
import { encodeTag, formatTag } from '../src/domain/tags.js';
import { generateScenario } from '../src/demo/scenario/index.js';
import type { Db } from '../src/db/connection.js';
import { findCandidates } from '../src/services/matching/candidates.js';
import { findPersonIdsByKeys } from '../src/db/queries/persons.js';
import { countPendingDuplicateChecks } from '../src/db/queries/duplicate-checks.js';
import { deskAccount } from './accounts.js';
import { percentile, type BenchRow } from './lib.js';
import { benchTargets } from './targets.js';

/**
 * People with realistic Syrian names and their real frequency skew (the scenario generator's),
 * so candidate lookups meet common names as they would in the field.
 */
let pool: { names: { ar?: Record<string, string>; lat?: Record<string, string> }; sex: string; estimatedAge: number }[] = [];
export function ensurePool(size: number) {
  if (pool.length >= size) return;
  const scenario = generateScenario({ seed: 7, people: Math.ceil(size * 1.15) });
  pool = scenario.households
    .flatMap((h) => h.members)
    .map((m) => ({
      names: m.names as { ar?: Record<string, string>; lat?: Record<string, string> },
      sex: m.sex,
      estimatedAge: m.estimatedAge ?? (m.dateOfBirth ? 2016 - Number(m.dateOfBirth.slice(0, 4)) : 30),
    }));
}
export function person(i: number) {
  const p = pool[i % pool.length]!;
  return { names: p.names, sex: p.sex, estimatedAge: Math.max(0, p.estimatedAge), relationship: 'head' };
}

export async function preload(db: Db, keys: KeyRing, operationId: string, count: number, userId: string) {
  const opKeys = await keys.forOperation(db.kysely, operationId);
  const now = new Date();
  for (let start = 0; start < count; start += 1000) {
    const households = [];
    const persons = [];
    const keyRows = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const id = ulid();
      const p = person(i);
      households.push({ operation_id: operationId, id: `h${id}`, site_id: 'desk', pii: null, registered_at: now, registered_by: userId });
      persons.push({
        operation_id: operationId,
        id,
        household_id: `h${id}`,
        relationship: 'head',
        sex: p.sex,
        birth_year: 2026 - p.estimatedAge,
        age_estimated: true,
        age_band: '18-59',
        vulnerabilities: [],
        category: 'unknown',
        consent_tracing: true,
        consent_disclosure: false,
        tag_code: null,
        site_id: 'desk',
        pii: sealJson(opKeys, { names: p.names }, `person:${id}:pii`),
        medical: null,
        registered_at: now,
        registered_by: userId,
        updated_at: now,
      });
      const seen = new Set<string>();
      for (const k of blockingKeys({ names: p.names, sex: p.sex, birthYear: 2026 - p.estimatedAge })) {
        if (seen.has(k.kind + k.value)) continue;
        seen.add(k.kind + k.value);
        keyRows.push({ operation_id: operationId, kind: k.kind, key_hash: keyedHash(opKeys, k.kind, k.value), person_id: id });
      }
    }
    await db.kysely.insertInto('households').values(households).execute();
    await db.kysely.insertInto('persons').values(persons).execute();
    await db.kysely
      .insertInto('person_keys')
      .values(keyRows)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** Households in one batch of a desk's queue: what the demo replay sends (at most 100; the route takes up to 200). */
export const DEVICE_BATCH = 100;

export async function runRegistrationBench(opts: { preload: number; requests: number; batches?: number }): Promise<BenchRow[]> {
  const batches = opts.batches ?? 10;
  const rows: BenchRow[] = [];
  ensurePool(opts.preload + opts.requests + batches * DEVICE_BATCH);
  for (const target of benchTargets()) {
    const db = await target.open();
    try {
      const keys = new KeyRing(randomBytes(32));
      const app = await buildApp({ db, keys, logLevel: 'warn' });
      await app.ready();
      await db.kysely
        .transaction()
        .execute((trx) =>
          createUser(
            trx,
            { username: 'bench', displayName: 'Bench', password: 'bench-password-123', isAdmin: true },
            { id: null, kind: 'system' },
            new Date(),
          ),
        );
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'bench', password: 'bench-password-123' },
      });
      const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0] as string;
      const post = (url: string, payload: object) =>
        app.inject({ method: 'POST', url, payload, headers: { cookie, 'idempotency-key': ulid() } });
      const op = JSON.parse((await post('/api/operations', { code: 'bench', nameEn: 'Bench' })).body).id as string;
      await post(`/api/operations/${op}/sites`, { id: 'desk', kind: 'assembly_point', nameEn: 'Desk' });
      const range = JSON.parse(
        (await post(`/api/operations/${op}/tag-ranges`, { count: opts.requests + batches * DEVICE_BATCH + 10, siteId: 'desk' })).body,
      );
      process.stderr.write(`  registration/${target.name}: preloading ${opts.preload} people…\n`);
      await preload(db, keys, op, opts.preload, JSON.parse(login.body).user.id);
      // Duplicate candidates for one new registration (keyed-hash lookup, decrypt, score) beside the
      // plain blocking-key lookup alone, on the same population.
      {
        const opKeys = await keys.forOperation(db.kysely, op);
        const full: number[] = [];
        const plain: number[] = [];
        for (let i = 0; i < 300; i++) {
          const p = person((i * 7919) % opts.preload);
          const subject = { names: p.names, sex: p.sex, birthYear: 2026 - p.estimatedAge, birthYearEstimated: true };
          const hashes = blockingKeys(subject).map((k) => ({ kind: k.kind, hash: keyedHash(opKeys, k.kind, k.value) }));
          let s = performance.now();
          await findPersonIdsByKeys(db.kysely, op, hashes, 200);
          plain.push(performance.now() - s);
          s = performance.now();
          await findCandidates(db.kysely, opKeys, op, subject, { limit: 5 });
          full.push(performance.now() - s);
        }
        full.sort((a, b) => a - b);
        plain.sort((a, b) => a - b);
        const g = `duplicate candidates, one registration (${opts.preload.toLocaleString('en')} people)`;
        rows.push(
          {
            group: g,
            figure: 'p50',
            target: target.name,
            value: percentile(full, 50),
            unit: 'ms',
            baseline: { label: 'blocking-key lookup p50', value: percentile(plain, 50) },
          },
          {
            group: g,
            figure: 'p95',
            target: target.name,
            value: percentile(full, 95),
            unit: 'ms',
            baseline: { label: 'blocking-key lookup p95', value: percentile(plain, 95) },
            goal: '≤ 50 ms',
            pass: percentile(full, 95) <= 50,
          },
        );
      }
      // The desk: a registrar's account, given its role by the admin (nobody gives a role to themselves).
      const cookie2 = (await deskAccount(app, db, op, cookie, ['registrar'])).cookie;

      const apiLatencies: number[] = [];
      const t0 = performance.now();
      for (let i = 0; i < opts.requests; i++) {
        const payload = { siteId: 'desk', members: [{ ...person(opts.preload + i), tag: formatTag(encodeTag(range.firstSerial + i)) }] };
        const s = performance.now();
        const r = await app.inject({
          method: 'POST',
          url: `/api/operations/${op}/households`,
          payload,
          headers: { cookie: cookie2, 'idempotency-key': ulid() },
        });
        apiLatencies.push(performance.now() - s);
        if (r.statusCode !== 201) throw new Error(`registration failed: ${r.statusCode} ${r.body}`);
      }
      const apiSeconds = (performance.now() - t0) / 1000;

      // A desk's queue recorded offline, sent as the phone sends it: DEVICE_BATCH households (one
      // member each, as above, so rows compare with the floor's) a request, each at its desk time.
      const queuedAt = Date.now() - 3_600_000;
      const t2 = performance.now();
      for (let b = 0; b < batches; b++) {
        const households = Array.from({ length: DEVICE_BATCH }, (_, j) => {
          const i = opts.requests + b * DEVICE_BATCH + j;
          return {
            siteId: 'desk',
            registeredAt: new Date(queuedAt + i * 1000).toISOString(),
            members: [{ ...person(opts.preload + i), tag: formatTag(encodeTag(range.firstSerial + i)) }],
          };
        });
        const r = await app.inject({
          method: 'POST',
          url: `/api/operations/${op}/households/batch`,
          payload: { households },
          headers: { cookie: cookie2, 'idempotency-key': ulid() },
        });
        if (r.statusCode !== 201) throw new Error(`batch registration failed: ${r.statusCode} ${r.body.slice(0, 300)}`);
      }
      const batchSeconds = (performance.now() - t2) / 1000;
      // The duplicate checks behind the desk (services/matching/duplicate-checks.ts): how many were
      // still waiting when the last batch was answered, how long they took to catch up, none lost.
      const behind = await countPendingDuplicateChecks(db.kysely, op);
      const tc = performance.now();
      await app.duplicateChecker.flush();
      const catchUpMs = performance.now() - tc;
      const left = await countPendingDuplicateChecks(db.kysely, op);
      if (left !== 0) throw new Error(`${left} registrations were never checked for duplicates`);

      const floorLatencies: number[] = [];
      const opKeys = await keys.forOperation(db.kysely, op);
      const sealed = sealJson(opKeys, { names: person(0).names }, 'x');
      const t1 = performance.now();
      for (let i = 0; i < opts.requests; i++) {
        const id = ulid();
        const s = performance.now();
        await db.kysely
          .insertInto('persons')
          .values({
            operation_id: op,
            id,
            household_id: `floor`,
            relationship: 'head',
            sex: 'male',
            birth_year: 1990,
            age_estimated: true,
            age_band: '18-59',
            vulnerabilities: [],
            category: 'unknown',
            consent_tracing: true,
            consent_disclosure: false,
            tag_code: null,
            site_id: 'desk',
            pii: sealed,
            medical: null,
            registered_at: new Date(),
            registered_by: 'bench',
            updated_at: new Date(),
          })
          .execute()
          .catch(async (e: unknown) => {
            // The floor needs its household once.
            if ((e as { code?: string }).code !== '23503') throw e;
            await db.kysely
              .insertInto('households')
              .values({ operation_id: op, id: 'floor', site_id: 'desk', pii: null, registered_at: new Date(), registered_by: 'bench' })
              .execute();
            await db.kysely
              .insertInto('persons')
              .values({
                operation_id: op,
                id,
                household_id: `floor`,
                relationship: 'head',
                sex: 'male',
                birth_year: 1990,
                age_estimated: true,
                age_band: '18-59',
                vulnerabilities: [],
                category: 'unknown',
                consent_tracing: true,
                consent_disclosure: false,
                tag_code: null,
                site_id: 'desk',
                pii: sealed,
                medical: null,
                registered_at: new Date(),
                registered_by: 'bench',
                updated_at: new Date(),
              })
              .execute();
          });
        floorLatencies.push(performance.now() - s);
      }
      const floorSeconds = (performance.now() - t1) / 1000;
      await app.close();
      apiLatencies.sort((a, b) => a - b);
      floorLatencies.sort((a, b) => a - b);
      const group = `registration (${opts.preload.toLocaleString('en')} already registered)`;
      rows.push(
        {
          group,
          figure: 'throughput, API (encrypt+HMAC+audit)',
          target: target.name,
          value: opts.requests / apiSeconds,
          unit: 'req/s',
          baseline: { label: 'plain single-row insert', value: opts.requests / floorSeconds },
        },
        {
          group,
          figure: 'latency p50',
          target: target.name,
          value: percentile(apiLatencies, 50),
          unit: 'ms',
          baseline: { label: 'plain insert p50', value: percentile(floorLatencies, 50) },
        },
        {
          group,
          figure: 'latency p95',
          target: target.name,
          value: percentile(apiLatencies, 95),
          unit: 'ms',
          baseline: { label: 'plain insert p95', value: percentile(floorLatencies, 95) },
          goal: '≤ 25 ms',
          pass: percentile(apiLatencies, 95) <= 25,
        },
        {
          group,
          figure: `device batch (${batches} × ${DEVICE_BATCH} households, …/households/batch)`,
          target: target.name,
          value: (batches * DEVICE_BATCH) / batchSeconds,
          unit: 'rows/s',
          baseline: { label: 'plain single-row insert', value: opts.requests / floorSeconds },
          goal: '≥ 0.10× plain insert',
          pass: (batches * DEVICE_BATCH) / batchSeconds / (opts.requests / floorSeconds) >= 0.1,
        },
        {
          group,
          figure: 'duplicate checks after commit: catch-up after the last batch (0 left unchecked)',
          target: target.name,
          value: catchUpMs,
          unit: 'ms',
          baseline: { label: 'registrations then waiting', value: behind },
        },
      );
    } finally {
      await db.close();
    }
  }
  return rows;
}
