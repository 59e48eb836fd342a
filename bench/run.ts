/**
 * `npm run bench`: runs every benchmark and prints one table — figure, baseline measured in
 * the same run, ratio, goal, pass/fail — then writes bench/results/latest.json.
 *   --size 100k|1m   population size of the large benchmarks (100k by default; 1m is the reference)
 *   --only NAME      run only the benchmarks whose name contains NAME
 * PostgreSQL runs happen when TEST_DATABASE_URL is set.
 * `dedupe --csv` runs at 1M rows (BENCH_DEDUPE_ROWS to change it).
 * Registration: BENCH_REG_REQUESTS single registrations (2,000) and BENCH_REG_BATCHES desk batches of 100 (10).
 * The sync storm's size: BENCH_SYNC_DEVICES × BENCH_SYNC_WRITES (100 × 1,000 by default).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { BenchRow } from './lib.js';
import { runRegistrationBench } from './registration.js';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const size = arg('--size') ?? '100k';
const only = arg('--only');
const people = size === '1m' ? 1_000_000 : size === '10k' ? 10_000 : 100_000;

const benches: { name: string; run: () => Promise<BenchRow[]> }[] = [
  {
    name: 'registration',
    run: () =>
      runRegistrationBench({
        preload: people,
        requests: Number(process.env.BENCH_REG_REQUESTS ?? 2000),
        batches: Number(process.env.BENCH_REG_BATCHES ?? 10),
      }),
  },
];

async function optional(name: string, path: string, fn: string, ...fnArgs: unknown[]) {
  try {
    const mod = (await import(path)) as Record<string, (...a: unknown[]) => Promise<BenchRow[]>>;
    const f = mod[fn];
    if (f) benches.push({ name, run: () => f(...fnArgs) });
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw err;
  }
}
await optional('matching-quality', './matching-quality.js', 'runMatchingQuality');
await optional('matching-held-out', './matching-held-out.js', 'runMatchingHeldOut');
await optional('matching-speed', './matching-speed.js', 'runMatchingSpeed', { people });
// 1M rows whatever --size says (the goal is stated at 1M); BENCH_DEDUPE_ROWS for a quicker look.
await optional('dedupe-csv', './dedupe-csv.js', 'runDedupeCsvBench', { rows: Number(process.env.BENCH_DEDUPE_ROWS ?? 1_000_000) });
await optional('evacuation', './evacuation.js', 'runEvacuationBench', { people });
await optional('import', './import.js', 'runImportBench', { rows: people });
await optional('web-budget', './web-budget.js', 'runWebBudget');
await optional('first-dashboard', './first-dashboard.js', 'runFirstDashboard');
await optional('dashboard-interactive', './dashboard-interactive.js', 'runDashboardInteractive');
await optional('exports', './exports.js', 'runExportBench');
await optional('sync-storm', './sync-storm.js', 'runSyncStormBench');
await optional('sitrep', './sitrep.js', 'runSitrepBench');

function fmt(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return '';
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en');
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toFixed(4);
}

const all: BenchRow[] = [];
for (const b of benches) {
  if (only && !b.name.includes(only)) continue;
  process.stderr.write(`bench: ${b.name}…\n`);
  const t0 = performance.now();
  try {
    const rows = await b.run();
    for (const r of rows) if (r.baseline && r.baseline.value) r.ratio = r.value / r.baseline.value;
    all.push(...rows);
  } catch (err) {
    process.stderr.write(`bench: ${b.name} FAILED: ${(err as Error).stack}\n`);
    all.push({
      group: b.name,
      figure: 'FAILED',
      target: '-',
      value: Number.NaN,
      unit: '',
      goal: String((err as Error).message).slice(0, 80),
      pass: false,
    });
  }
  process.stderr.write(`bench: ${b.name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

const header = ['benchmark', 'figure', 'db', 'value', 'unit', 'baseline', 'baseline value', 'ratio', 'goal', 'pass'];
const table = all.map((r) => [
  r.group,
  r.figure,
  r.target,
  fmt(r.value),
  r.unit,
  r.baseline?.label ?? '',
  fmt(r.baseline?.value),
  r.ratio === undefined ? '' : r.ratio.toFixed(2),
  r.goal ?? '',
  r.pass === undefined ? '' : r.pass ? 'PASS' : 'FAIL',
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ');
process.stdout.write(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n${table.map(line).join('\n')}\n`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/latest.json', import.meta.url),
  JSON.stringify({ at: new Date().toISOString(), size, rows: all }, null, 2),
);
process.stdout.write(`\nwritten: bench/results/latest.json (size ${size})\n`);
