/**
 * The batch duplicate scan's compute alone, without a database: the scenario population of
 * bench/matching-db.ts is built in memory (records as the scan decrypts them, blocks as
 * person_keys groups them), then `scanRecords` chooses and scores in worker threads, as
 * `corridor dedupe` does after reading. Quick to repeat while tuning the scoring, and it
 * prints a digest of every proposed pair and decision, so two versions of the engine can be
 * shown to decide alike.
 * Run alone: npx tsx bench/matching-scan.ts [people] [workers] [--dump file]
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MatchRecord, MatchResult } from '../src/domain/matching/index.js';
import { blockingKeys } from '../src/domain/names/index.js';
import { generateScenarioChunks } from '../src/demo/scenario/index.js';
import { toMatchRecord } from '../src/services/matching/candidates.js';
import { KeyBlocks } from '../src/services/matching/key-blocks.js';
import { scanRecords } from '../src/services/matching/scan.js';

const REFERENCE_YEAR = 2016;

/** Moved to the sources (the CSV dedupe uses it); re-exported for the benchmarks that import it from here. */
export { KeyBlocks };

/** The scenario people (seed 7, as matching-db.ts) as records, and their blocks, in id order. */
export function buildPopulation(people: number, maxBlockSize = 1000, maxKeySize = 100_000) {
  const records: MatchRecord[] = [];
  const keys = new KeyBlocks();
  const chunks = generateScenarioChunks({ seed: 7, people: Math.ceil(people * 1.2) });
  for (let step = chunks.next(); !step.done && records.length < people; step = chunks.next()) {
    for (const h of step.value.households) {
      if (records.length >= people) break;
      for (const m of h.members) {
        const i = records.length;
        const birthYear = m.dateOfBirth ? Number(m.dateOfBirth.slice(0, 4)) : REFERENCE_YEAR - (m.estimatedAge ?? 30);
        records.push(
          toMatchRecord(`p${String(i).padStart(8, '0')}`, {
            names: m.names,
            sex: m.sex,
            birthYear,
            birthYearEstimated: !m.dateOfBirth,
            householdId: h.id,
          }),
        );
        keys.add(i, blockingKeys({ names: m.names, sex: m.sex, birthYear }));
      }
    }
  }
  return { records, ...keys.blocks((i) => records[i]?.birthYear ?? 0, maxBlockSize, maxKeySize) };
}

export async function runScan(people: number, workers: number, dump?: string, exhaustive = false) {
  const t0 = performance.now();
  const pop = buildPopulation(people);
  const buildMs = performance.now() - t0;
  const found: MatchResult[] = [];
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const stats = await scanRecords(pop.records, pop.blocks, pop.keySizes, {
    workers,
    exhaustive,
    onResults: async (r) => {
      found.push(...r);
      return r.length;
    },
  });
  const ms = performance.now() - t1;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const lines = found.map((r) => `${r.idA} ${r.idB} ${r.decision} ${r.weight.toFixed(9)} ${JSON.stringify(r.explanation)}`).sort();
  const digest = createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
  if (dump !== undefined) writeFileSync(dump, lines.join('\n') + '\n');
  return {
    people: stats.people,
    buildMs,
    ms,
    cpuMs,
    stats,
    digest,
    link: found.filter((r) => r.decision === 'link').length,
    review: found.filter((r) => r.decision === 'review').length,
  };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--dump');
  const dump = at >= 0 ? args.splice(at, 2)[1] : undefined;
  // --check: the same scan again with every pair scored in full; the digests must be equal.
  const check = args.includes('--check');
  if (check) args.splice(args.indexOf('--check'), 1);
  const people = args[0] === undefined ? 100_000 : Number(args[0]);
  const workers = args[1] === undefined ? 2 : Number(args[1]);
  const r = await runScan(people, workers, dump);
  const s = r.stats;
  console.log(`${r.people.toLocaleString('en')} people, ${workers} workers (built in ${(r.buildMs / 1000).toFixed(1)} s)`);
  console.log(
    `  candidate pairs ${s.candidatePairs.toLocaleString('en')} (${(s.candidatePairs / s.people).toFixed(1)} per record, ${((100 * s.boundedPairs) / Math.max(1, s.candidatePairs)).toFixed(1)} % ruled out by the bound), blocks ${s.blocks.toLocaleString('en')}`,
  );
  console.log(`  proposed ${s.proposed} (link ${r.link}, review ${r.review}), digest ${r.digest}`);
  if (check) {
    const full = await runScan(people, workers, undefined, true);
    console.log(
      `  exhaustive: digest ${full.digest} (${full.digest === r.digest ? 'the same' : 'DIFFERENT'}), CPU ${(full.cpuMs / 1000).toFixed(1)} s`,
    );
    if (full.digest !== r.digest) process.exitCode = 1;
  }
  console.log(
    `  select ${(s.selectMs / 1000).toFixed(1)} s, score ${(s.scoreMs / 1000).toFixed(1)} s, total ${(r.ms / 1000).toFixed(1)} s → 1M ≈ ${((r.ms / 1000 / 60) * (1_000_000 / r.people)).toFixed(1)} min (compute only, linear); CPU ${(r.cpuMs / 1000).toFixed(1)} s`,
  );
}
