/**
 * Export of the demo operation (the Aleppo 2016 scenario, 34,000 people by default; set
 * BENCH_EXPORT_PEOPLE for fewer): the people who consented to tracing as PFIF 1.4, everyone as
 * XLSX, and the HXL count table, each through the export use case a download calls (reading,
 * opening names, writing the file, digest and audit). Seconds per file, with rows and size; the
 * demo load itself is reported beside them as the baseline the export is weighed against.
 */
import { permissions } from '../src/domain/policy.js';
import type { ExportInput } from '../src/domain/schemas/exports.js';
import type { Ctx } from '../src/services/context.js';
import { countedCells } from '../src/services/counts/counts.js';
import { exportList } from '../src/services/exports/exports.js';
import type { BenchRow } from './lib.js';
import { openDemo } from './demo.js';
import { benchTargets } from './targets.js';

export async function runExportBench(): Promise<BenchRow[]> {
  const people = Number(process.env.BENCH_EXPORT_PEOPLE ?? 34_000);
  const rows: BenchRow[] = [];
  for (const target of benchTargets()) {
    const { db, keys, adminId, operationId, loadSeconds } = await openDemo(target, people);
    try {
      const group = `export ${people.toLocaleString('en')} people`;
      // The coordinator's context both the count catch-up and every export run in.
      const context = (trx: typeof db.kysely): Ctx => ({
        db: trx,
        keys,
        now: new Date('2016-12-23T12:00:00Z'),
        roles: ['coordinator'],
        permissions: new Set(permissions),
        actor: { kind: 'user', id: adminId, name: 'bench', isAdmin: true },
        operationId,
      });
      const once = async (input: Omit<ExportInput, 'purpose' | 'recipient'>) => {
        const t0 = performance.now();
        const file = await db.kysely
          .transaction()
          .execute((trx) => exportList(context(trx), { ...input, purpose: 'benchmark', recipient: 'benchmark' }));
        return { seconds: (performance.now() - t0) / 1000, file };
      };
      const baseline = { label: 'demo load', value: loadSeconds };
      // A running server counts the load as it goes (its projector); here the counts are brought
      // up to date first, timed apart, so the count table's figure is the export's own.
      const c0 = performance.now();
      await db.kysely.transaction().execute((trx) => countedCells(context(trx)));
      rows.push({
        group,
        figure: 'counting the loaded demo (what the server projector does as it loads)',
        target: target.name,
        value: (performance.now() - c0) / 1000,
        unit: 's',
        baseline,
      });
      for (const [label, input] of [
        ['PFIF 1.4 (consented to tracing)', { what: 'people', format: 'pfif' }],
        ['XLSX (everyone)', { what: 'people', format: 'xlsx' }],
        ['HXL count table', { what: 'counts', format: 'hxl' }],
      ] as const) {
        const { seconds, file } = await once(input);
        rows.push({
          group,
          figure: `${label}: ${file.rows.toLocaleString('en')} rows, ${(file.bytes.length / 1e6).toFixed(1)} MB`,
          target: target.name,
          value: seconds,
          unit: 's',
          baseline,
          goal: 'measured (no goal set)',
        });
      }
    } finally {
      await db.close();
    }
  }
  return rows;
}
