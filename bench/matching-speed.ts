/**
 * Matching speed: batch deduplication in memory with matchRecords (prepare, block, compare,
 * score with the shipped model, no EM) on synthetic Arabic/Latin registrations from
 * generateMatchingSet, at two sizes. Reported: records per second at the larger size and
 * the time extrapolated to 1M records, both linearly and with the growth exponent measured
 * between the two sizes (blocks grow with the population, so the work is not linear).
 * Single-threaded; the goal is ≤ 10 min for 1M on 2 cores (Splink: ~1M in ~1 min on 4 cores).
 * Then the same over the database (bench/matching-db.ts), at the full size: duplicate
 * candidates for one registration beside the plain key lookup, and the batch scan of the
 * operation (`corridor dedupe --operation`, 2 worker threads) projected to 1M.
 * Run alone: npx tsx bench/matching-speed.ts [people]
 */
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './lib.js';
import { runMatchingDbBench } from './matching-db.js';
import { matchRecords } from '../src/domain/matching/index.js';
import type { MatchRecord } from '../src/domain/matching/index.js';
import { toMatchRecord } from '../scripts/fit/fit-weights.js';
import { generateMatchingSet } from '../src/demo/scenario/matching-set.js';

const SEED = 7;

function records(people: number): MatchRecord[] {
  return generateMatchingSet({ seed: SEED, people }).records.map(toMatchRecord);
}

function timeBatch(recs: MatchRecord[]): { ms: number; pairs: number; proposals: number } {
  const t0 = performance.now();
  const out = matchRecords(recs, { estimate: false });
  return { ms: performance.now() - t0, pairs: out.candidatePairs.length, proposals: out.results.length };
}

/** Default sizes finish in well under two minutes; `people` from bench/run.ts is capped. */
export async function runMatchingSpeed(opts: { people?: number } = {}): Promise<BenchRow[]> {
  return [...runInMemory(opts), ...(await runMatchingDbBench({ people: opts.people ?? 100_000 }))];
}

function runInMemory(opts: { people?: number }): BenchRow[] {
  const large = Math.min(opts.people ?? 12_000, 12_000);
  const small = Math.max(1000, Math.floor(large / 4));
  const rs = records(small);
  const rl = records(large);
  timeBatch(rs.slice(0, 500)); // warm-up
  const s = timeBatch(rs);
  const l = timeBatch(rl);
  const perSecond = rl.length / (l.ms / 1000);
  const exponent = Math.log(l.ms / s.ms) / Math.log(rl.length / rs.length);
  const linearMin = 1_000_000 / perSecond / 60;
  const scaledMin = (l.ms / 1000 / 60) * (1_000_000 / rl.length) ** Math.max(1, exponent);
  const group = 'matching speed (batch dedupe, in memory)';
  const r = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
  const splink = { label: 'Splink ~1M records in ~1 min on 4 cores (published, not measured here)', value: 1 };
  return [
    { group, figure: `records (${rs.length} and ${rl.length})`, target: 'none', value: rl.length, unit: 'records' },
    { group, figure: 'candidate pairs per record', target: 'none', value: r(l.pairs / rl.length, 1), unit: 'pairs' },
    { group, figure: 'throughput, 1 thread', target: 'none', value: Math.round(perSecond), unit: 'records/s' },
    { group, figure: 'growth exponent of time with size', target: 'none', value: r(exponent), unit: 'exponent' },
    { group, figure: '1M records, linear extrapolation, 1 thread', target: 'none', value: r(linearMin, 1), unit: 'min', baseline: splink },
    {
      group,
      figure: '1M records, extrapolated with measured growth, 1 thread',
      target: 'none',
      value: r(scaledMin, 1),
      unit: 'min',
      baseline: splink,
      goal: '≤ 10 min on 2 cores',
      pass: scaledMin / 2 <= 10,
    },
  ];
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const people = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  console.table(await runMatchingSpeed(people === undefined ? {} : { people }));
}
