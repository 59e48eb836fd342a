/**
 * One `corridor dedupe --csv` run in a process of its own, so that its peak memory (worker
 * threads included) and CPU are its own: prints one JSON line with wall time, CPU time, peak
 * resident memory and the summary. Used by bench/dedupe-csv.ts.
 * Run: npx tsx bench/dedupe-csv-child.ts IN.csv OUT.csv scan|pairwise
 */
import { dedupeCsv } from '../src/cli/commands/dedupe.js';

const [csv, out, engine] = process.argv.slice(2);
if (csv === undefined || out === undefined || (engine !== 'scan' && engine !== 'pairwise'))
  throw new Error('usage: dedupe-csv-child.ts IN.csv OUT.csv scan|pairwise');
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const summary = await dedupeCsv({ csv, out, engine });
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, summary })}\n`,
);
