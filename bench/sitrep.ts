/**
 * The situation report (issue 16): producing the PDF in English and in Arabic (the count drained,
 * the operation loaded once, one recomputation serving `counts verify` and the figures, rendering)
 * and `sitrep verify` of each (recomputation as of the report's moment, audit head, rendering again
 * to compare), each beside `counts verify` of the same operation timed in the same run (a plain
 * recount of the same data). Goals: ≤ 3 s for 34k people, ≤ 30 s for 1M.
 *
 * Two kinds of operation:
 *   - a large one written straight through the storage layer (bench/sitrep-data.ts), every
 *     person's category and flags sealed as registrations write them (the recount opens each), of
 *     BENCH_SITREP_SIZES people (34000,1000000 by default; 1M on PostgreSQL only unless
 *     BENCH_SITREP_PGLITE_1M=1): what the goals are measured on;
 *   - the demo itself through the services (bench/demo.ts), of BENCH_SITREP_DEMO_PEOPLE people
 *     (400 by default; loading the 34k demo that way takes about 20 min, see docs/benchmarks.md).
 */
import type { Db } from '../src/db/connection.js';
import type { Executor } from '../src/db/queries/executor.js';
import { verifyCounts } from '../src/services/counts/counts.js';
import type { KeyRing } from '../src/services/keys/keyring.js';
import { produceReportFile, verifyReportFile } from '../src/services/sitrep/report-file.js';
import { openBenchDatabase, openDemo } from './demo.js';
import type { BenchRow } from './lib.js';
import { bulkSitrepOperation } from './sitrep-data.js';
import { benchTargets, type BenchTarget } from './targets.js';

const seconds = async <T>(fn: () => Promise<T>): Promise<{ s: number; value: T }> => {
  const t0 = performance.now();
  const value = await fn();
  return { s: (performance.now() - t0) / 1000, value };
};

async function reportRows(
  db: Db,
  keys: KeyRing,
  operationId: string,
  group: string,
  target: BenchTarget,
  goal: number | null,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const tx = <T>(fn: (trx: Executor) => Promise<T>) => db.kysely.transaction().execute(fn);
  const recount = await seconds(() => tx((trx) => verifyCounts(trx, keys, operationId)));
  const baseline = { label: `counts verify (${recount.value.ok ? 'ok' : 'NOT ok'})`, value: recount.s };
  const goalText = goal === null ? 'measured (goal set for 34k and 1M)' : `≤ ${goal} s`;
  for (const lang of ['en', 'ar'] as const) {
    const made = await seconds(() => tx((trx) => produceReportFile(trx, keys, operationId, { now: new Date(), format: 'pdf', lang })));
    const { file } = made.value;
    rows.push({
      group,
      figure: `report PDF (${lang}), ${(file.length / 1e3).toFixed(0)} kB`,
      target: target.name,
      value: made.s,
      unit: 's',
      baseline,
      goal: goalText,
      ...(goal === null ? {} : { pass: made.s <= goal }),
    });
    const v = await seconds(() => tx((trx) => verifyReportFile(trx, keys, operationId, file)));
    rows.push({
      group,
      figure: `sitrep verify (${lang}): ${v.value.ok ? 'verified' : `FAILED ${v.value.problems.join(', ')}`}`,
      target: target.name,
      value: v.s,
      unit: 's',
      baseline,
      goal: goal === null ? 'verified' : `verified, ≤ ${goal} s`,
      pass: v.value.ok && (goal === null || v.s <= goal),
    });
  }
  return rows;
}

const goalFor = (people: number) => (people <= 34_000 ? 3 : people <= 1_000_000 ? 30 : null);

export async function runSitrepBench(): Promise<BenchRow[]> {
  const sizes = (process.env.BENCH_SITREP_SIZES ?? '34000,1000000')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const demoPeople = Number(process.env.BENCH_SITREP_DEMO_PEOPLE ?? 400);
  const rows: BenchRow[] = [];
  for (const target of benchTargets()) {
    for (const people of sizes) {
      if (people > 100_000 && target.name === 'pglite' && process.env.BENCH_SITREP_PGLITE_1M !== '1') continue;
      const { db, keys, adminId } = await openBenchDatabase(target);
      try {
        const bulk = await bulkSitrepOperation(db, keys, adminId, people, 'bulk', { sealed: true });
        const group = `sitrep ${people.toLocaleString('en')} people, categories sealed (${bulk.facts.toLocaleString('en')} facts, written in ${bulk.seconds.toFixed(0)} s)`;
        rows.push(...(await reportRows(db, keys, bulk.operationId, group, target, goalFor(people))));
      } finally {
        await db.close();
      }
    }
    if (demoPeople > 0) {
      const demo = await openDemo(target, demoPeople);
      try {
        const group = `sitrep demo ${demoPeople.toLocaleString('en')} people (loaded in ${demo.loadSeconds.toFixed(0)} s)`;
        rows.push(...(await reportRows(demo.db, demo.keys, demo.operationId, group, target, null)));
      } finally {
        await demo.db.close();
      }
    }
  }
  return rows;
}
