/**
 * Matching speed over the database (PGlite file-backed, and PostgreSQL when TEST_DATABASE_URL
 * is set): a population of scenario people (realistic Syrian name frequencies, households,
 * the scenario's own re-registrations) is written straight into the tables, then
 *  - duplicate candidates for one new registration (keyed-hash lookup, decrypt, score), p50/p95,
 *    beside the plain blocking-key lookup alone on the same population in the same run;
 *  - the batch scan `dedupeOperation` over the whole operation: records/s and the time
 *    projected to 1M, beside the in-run figure of the same scan's database reads alone (on
 *    a large operation the worker threads open the sealed names while those reads go on;
 *    what is left of that after the last read counts in choosing).
 * Run alone: npx tsx bench/matching-db.ts [people]
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ulid } from 'ulid';
import { keyedHash, sealJson, type OperationKeys } from '../src/crypto/envelope.js';
import type { Db } from '../src/db/connection.js';
import { insertOperation } from '../src/db/queries/operations.js';
import { findPersonIdsByKeys } from '../src/db/queries/persons.js';
import { permissionsOf } from '../src/domain/policy.js';
import { blockingKeys } from '../src/domain/names/index.js';
import { generateScenarioChunks, type ScenarioPerson } from '../src/demo/scenario/index.js';
import { findCandidates } from '../src/services/matching/candidates.js';
import type { Ctx } from '../src/services/context.js';
import { dedupeOperation } from '../src/services/matching/duplicate-reviews.js';
import { KeyRing } from '../src/services/keys/keyring.js';
import { percentile, type BenchRow } from './lib.js';
import { benchTargets } from './targets.js';

const REFERENCE_YEAR = 2016;

function birthYearOf(p: ScenarioPerson): number {
  return p.dateOfBirth ? Number(p.dateOfBirth.slice(0, 4)) : REFERENCE_YEAR - (p.estimatedAge ?? 30);
}

/** Writes `people` scenario people into a new operation; returns the operation and a sample of subjects. */
export async function preloadPopulation(db: Db, keys: KeyRing, people: number, log = (s: string) => process.stderr.write(s)) {
  const now = new Date();
  const userId = ulid();
  await db.kysely
    .insertInto('users')
    .values({ id: userId, username: `bench-${userId.toLowerCase()}`, display_name: 'Bench', password_hash: 'x' })
    .execute();
  const operationId = ulid();
  await insertOperation(db.kysely, {
    id: operationId,
    code: `bench-${operationId.toLowerCase().slice(-8)}`,
    nameEn: 'Bench',
    nameAr: null,
    originArea: null,
    status: 'active',
    timeZone: 'UTC',
    at: now,
    createdBy: userId,
    wrappedKey: keys.create(operationId),
  });
  await db.kysely
    .insertInto('sites')
    .values({ operation_id: operationId, id: 'desk', kind: 'assembly_point', name_en: 'Desk', created_at: now })
    .execute();
  const opKeys = await keys.forOperation(db.kysely, operationId);
  const subjects: { names: ScenarioPerson['names']; sex: string; birthYear: number }[] = [];
  let written = 0;
  let households: object[] = [];
  let persons: object[] = [];
  let keyRows: object[] = [];
  const flush = async () => {
    if (persons.length === 0) return;
    await db.kysely
      .insertInto('households')
      .values(households as never)
      .execute();
    await db.kysely
      .insertInto('persons')
      .values(persons as never)
      .execute();
    for (let i = 0; i < keyRows.length; i += 5000)
      await db.kysely
        .insertInto('person_keys')
        .values(keyRows.slice(i, i + 5000) as never)
        .onConflict((oc) => oc.doNothing())
        .execute();
    households = [];
    persons = [];
    keyRows = [];
  };
  const chunks = generateScenarioChunks({ seed: 7, people: Math.ceil(people * 1.2) });
  for (let step = chunks.next(); !step.done && written < people; step = chunks.next()) {
    for (const h of step.value.households) {
      if (written >= people) break;
      households.push({ operation_id: operationId, id: h.id, site_id: 'desk', pii: null, registered_at: now, registered_by: userId });
      for (const m of h.members) {
        const id = ulid();
        const birthYear = birthYearOf(m);
        persons.push({
          operation_id: operationId,
          id,
          household_id: h.id,
          relationship: m.relationship,
          sex: m.sex,
          birth_year: birthYear,
          age_estimated: !m.dateOfBirth,
          age_band: 'unknown',
          vulnerabilities: [],
          category: 'unknown',
          consent_tracing: true,
          consent_disclosure: false,
          tag_code: null,
          site_id: 'desk',
          pii: sealJson(opKeys, { names: m.names }, `person:${id}:pii`),
          medical: null,
          registered_at: now,
          registered_by: userId,
          updated_at: now,
        });
        const seen = new Set<string>();
        for (const k of blockingKeys({ names: m.names, sex: m.sex, birthYear })) {
          if (seen.has(k.kind + k.value)) continue;
          seen.add(k.kind + k.value);
          keyRows.push({ operation_id: operationId, kind: k.kind, key_hash: keyedHash(opKeys, k.kind, k.value), person_id: id });
        }
        if (written % 97 === 0 && subjects.length < 2000) subjects.push({ names: m.names, sex: m.sex, birthYear });
        written++;
      }
      if (persons.length >= 2000) {
        await flush();
        if (written % 50_000 < 2000) log(`  preloaded ${written.toLocaleString('en')}\n`);
      }
    }
  }
  await flush();
  return { operationId, opKeys, subjects, written };
}

async function timeCandidates(
  db: Db,
  operationId: string,
  opKeys: OperationKeys,
  subjects: Awaited<ReturnType<typeof preloadPopulation>>['subjects'],
  lookups: number,
) {
  const full: number[] = [];
  const plain: number[] = [];
  for (let i = 0; i < lookups; i++) {
    const p = subjects[i % subjects.length]!;
    const subject = { names: p.names, sex: p.sex, birthYear: p.birthYear, birthYearEstimated: true };
    const hashes = blockingKeys(subject).map((k) => ({ kind: k.kind, hash: keyedHash(opKeys, k.kind, k.value) }));
    let s = performance.now();
    await findPersonIdsByKeys(db.kysely, operationId, hashes, 60);
    plain.push(performance.now() - s);
    s = performance.now();
    await findCandidates(db.kysely, opKeys, operationId, subject, { limit: 5 });
    full.push(performance.now() - s);
  }
  return { full: full.sort((a, b) => a - b), plain: plain.sort((a, b) => a - b) };
}

export async function runMatchingDbBench(opts: { people: number; lookups?: number; batch?: boolean }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const target of benchTargets()) {
    const db = await target.open();
    try {
      const keys = new KeyRing(randomBytes(32));
      process.stderr.write(`  matching-db/${target.name}: preloading ${opts.people.toLocaleString('en')} people…\n`);
      const pop = await preloadPopulation(db, keys, opts.people);
      await db.exec('analyze');
      const g = `duplicate candidates, one registration (${pop.written.toLocaleString('en')} people)`;
      await timeCandidates(db, pop.operationId, pop.opKeys, pop.subjects, 20); // warm-up
      const t = await timeCandidates(db, pop.operationId, pop.opKeys, pop.subjects, opts.lookups ?? 300);
      rows.push(
        {
          group: g,
          figure: 'p50',
          target: target.name,
          value: percentile(t.full, 50),
          unit: 'ms',
          baseline: { label: 'blocking-key lookup p50', value: percentile(t.plain, 50) },
        },
        {
          group: g,
          figure: 'p95',
          target: target.name,
          value: percentile(t.full, 95),
          unit: 'ms',
          baseline: { label: 'blocking-key lookup p95', value: percentile(t.plain, 95) },
          goal: '≤ 50 ms',
          pass: percentile(t.full, 95) <= 50,
        },
      );
      if (opts.batch !== false) {
        const ctx: Ctx = {
          db: db.kysely,
          now: new Date(),
          keys,
          operationId: pop.operationId,
          roles: ['coordinator'],
          permissions: permissionsOf(['coordinator']),
          actor: { kind: 'user', id: 'bench', name: 'bench', isAdmin: true },
        };
        const t0 = performance.now();
        const r = await dedupeOperation(ctx);
        const seconds = (performance.now() - t0) / 1000;
        const perSecond = r.people / seconds;
        const bg = `batch dedupe over the database (${r.people.toLocaleString('en')} people)`;
        rows.push(
          { group: bg, figure: 'candidate pairs per record', target: target.name, value: r.candidatePairs / r.people, unit: 'pairs' },
          { group: bg, figure: 'proposed pairs', target: target.name, value: r.proposed, unit: 'pairs' },
          {
            group: bg,
            figure: 'keys shared by > 1,000 people (compared in birth-year windows)',
            target: target.name,
            value: r.windowedKeys,
            unit: 'keys',
          },
          {
            group: bg,
            figure: 'throughput (read, choose, score in 2 threads, write)',
            target: target.name,
            value: perSecond,
            unit: 'records/s',
            baseline: { label: 'reading alone (the workers decrypt as it goes)', value: r.people / (r.ms.read / 1000) },
          },
          {
            group: bg,
            figure: `time: read ${(r.ms.read / 1000).toFixed(1)} s, choose ${(r.ms.select / 1000).toFixed(1)} s, score ${(r.ms.score / 1000).toFixed(1)} s (writing ${(r.ms.write / 1000).toFixed(1)} s of it)`,
            target: target.name,
            value: seconds,
            unit: 's',
          },
          {
            group: bg,
            figure: '1M records, linear extrapolation',
            target: target.name,
            value: 1_000_000 / perSecond / 60,
            unit: 'min',
            goal: '≤ 10 min on 2 cores',
            pass: 1_000_000 / perSecond / 60 <= 10,
            baseline: { label: 'Splink ~1M in ~1 min on 4 cores (published)', value: 1 },
          },
        );
      }
    } finally {
      await db.close();
    }
  }
  return rows;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const people = process.argv[2] === undefined ? 20_000 : Number(process.argv[2]);
  console.table(await runMatchingDbBench({ people, batch: process.argv[3] !== 'nobatch' }));
}
