/**
 * The situation report of the demo operation (the Aleppo 2016 scenario, 34,000 people by
 * default; BENCH_SITREP_PEOPLE sets another size): producing the PDF in English and in Arabic
 * (one recomputation of the count as of now, counts verify over the same load, rendering), and
 * `sitrep verify` of each (recomputation again, audit head, rendering again to compare). Goal
 * ≤ 3 s for a report of the 34k demo. The 1M figure is not run here: loading a 1M demo through
 * the services takes far longer than a bench run (see docs/benchmarks.md); the recomputation it
 * rests on is measured at 1M by the evacuation bench's "full recomputation".
 */
import { randomBytes } from 'node:crypto';
import { loadDemo } from '../src/demo/load.js';
import { findUserByUsername } from '../src/db/queries/users.js';
import { ensureFirstAdmin } from '../src/services/accounts/auth.js';
import { KeyRing } from '../src/services/keys/keyring.js';
import { produceReportFile, verifyReportFile } from '../src/services/sitrep/report-file.js';
import type { BenchRow } from './lib.js';
import { benchTargets } from './targets.js';

export async function runSitrepBench(): Promise<BenchRow[]> {
  const people = Number(process.env.BENCH_SITREP_PEOPLE ?? 34_000);
  const rows: BenchRow[] = [];
  for (const target of benchTargets()) {
    const db = await target.open();
    try {
      const keys = new KeyRing(randomBytes(32));
      await db.kysely.transaction().execute((trx) => ensureFirstAdmin(trx, new Date()));
      const adminId = (await findUserByUsername(db.kysely, 'admin'))!.id;
      const loaded = await loadDemo(db, keys, { adminId, people, seed: 1 });
      const group = `sitrep ${people.toLocaleString('en')} people`;
      const baseline = { label: 'demo load', value: loaded.seconds };
      for (const lang of ['en', 'ar'] as const) {
        let t0 = performance.now();
        const { file } = await db.kysely
          .transaction()
          .execute((trx) => produceReportFile(trx, keys, loaded.operationId, { now: new Date(), format: 'pdf', lang }));
        const produce = (performance.now() - t0) / 1000;
        rows.push({
          group,
          figure: `report PDF (${lang}), ${(file.length / 1e3).toFixed(0)} kB`,
          target: target.name,
          value: produce,
          unit: 's',
          baseline,
          goal: '≤ 3 s',
          pass: produce <= 3,
        });
        t0 = performance.now();
        const v = await db.kysely.transaction().execute((trx) => verifyReportFile(trx, keys, loaded.operationId, file));
        const verify = (performance.now() - t0) / 1000;
        rows.push({
          group,
          figure: `sitrep verify (${lang}): ${v.ok ? 'verified' : `FAILED ${v.problems.join(', ')}`}`,
          target: target.name,
          value: verify,
          unit: 's',
          baseline,
          goal: 'verified',
          pass: v.ok,
        });
      }
    } finally {
      await db.close();
    }
  }
  return rows;
}
