/**
 * `corridor dedupe --csv` at 1M records (issue 18: ≤ 10 min on this 2-core machine). The bench
 * writes a file of synthetic registrations (generateMatchingSet: Arabic and Latin spellings,
 * duplicates with typos, missing and shifted parts, in families; made in slices of ~36,000 people
 * with their own seeds, so the generator never holds the whole set), then runs the command's
 * function in a process of its own (bench/dedupe-csv-child.ts) for its wall time, CPU and peak
 * memory:
 * - the figure: the scan engine (the default) on the whole file — streamed, blocked on the
 *   registration's keys, scored in two worker threads;
 * - the baseline, in the same run: the previous file path (`--engine pairwise`, the whole file in
 *   memory, the matcher's own blocking) on the first 10,000 and 20,000 rows, extrapolated to 1M
 *   with the growth measured between the two, and the scan engine on the same 20,000 rows;
 * - link F1 and recall with review of both engines on those 20,000 rows (their true pairs known).
 * Records per core-minute are set beside Splink's published ~1M records a minute on 4 cores.
 * Run alone: npx tsx bench/dedupe-csv.ts [rows]
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './lib.js';
import { generateMatchingSet, type MatchingRecordRow } from '../src/demo/scenario/matching-set.js';

const SLICE_PEOPLE = 36_000;
const COLUMNS = ['id', 'given_name', 'father_name', 'grandfather_name', 'family_name', 'sex', 'birth_year'] as const;
const SMALL = 10_000;
const BASE = 20_000;

const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Writes `rows` synthetic records; returns the true pairs of the first `truthOf` rows. */
export async function writeFile(path: string, rows: number, truthOf: number): Promise<Set<string>> {
  const out = createWriteStream(path);
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(`${COLUMNS.join(',')}\n`);
  const truth = new Set<string>();
  let written = 0;
  for (let slice = 0; written < rows; slice++) {
    const set = generateMatchingSet({ seed: 1000 + slice, people: SLICE_PEOPLE });
    const prefix = `s${slice}-`;
    const take: MatchingRecordRow[] = set.records.slice(0, rows - written);
    const taken = new Set<string>();
    for (const r of take) {
      if (written < truthOf) taken.add(r.id);
      await write(`${COLUMNS.map((c) => cell(c === 'id' ? prefix + r.id : r[c])).join(',')}\n`);
      written++;
    }
    for (const [a, b] of set.truePairs) if (taken.has(a) && taken.has(b)) truth.add(`${prefix}${a} ${prefix}${b}`);
  }
  out.end();
  await once(out, 'finish');
  return truth;
}

/** The first `rows` data rows of a CSV file (with its header) into another. */
function head(from: string, to: string, rows: number): void {
  const text = readFileSync(from, 'utf8');
  let at = 0;
  for (let i = 0; i <= rows && at >= 0; i++) at = text.indexOf('\n', at + 1);
  writeFileSync(to, text.slice(0, at + 1));
}

interface ChildRun {
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  summary: { records: number; candidatePairs: number; links: number; reviews: number; engine: string };
}

function run(csv: string, out: string, engine: 'scan' | 'pairwise'): ChildRun {
  const child = fileURLToPath(new URL('./dedupe-csv-child.ts', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', child, csv, out, engine], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=6144' },
  });
  if (r.status !== 0) throw new Error(`dedupe ${engine} on ${csv} failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ChildRun;
}

/** Link F1 and recall with review of an output file against the true pairs. */
function quality(out: string, truth: Set<string>) {
  const links = new Set<string>();
  const any = new Set<string>();
  for (const line of readFileSync(out, 'utf8').trim().split('\n').slice(1)) {
    const [a = '', b = '', , decision] = line.split(',');
    const key = a < b ? `${a} ${b}` : `${b} ${a}`;
    any.add(key);
    if (decision === 'link') links.add(key);
  }
  const tp = [...links].filter((k) => truth.has(k)).length;
  const precision = links.size === 0 ? 0 : tp / links.size;
  const recall = truth.size === 0 ? 0 : tp / truth.size;
  return {
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    recallReview: truth.size === 0 ? 0 : [...any].filter((k) => truth.has(k)).length / truth.size,
  };
}

export async function runDedupeCsvBench(opts: { rows?: number } = {}): Promise<BenchRow[]> {
  const rows = opts.rows ?? 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'corridor-bench-dedupe-'));
  try {
    const full = join(dir, 'full.csv');
    const t0 = performance.now();
    const truth = await writeFile(full, rows, BASE);
    const generatedS = (performance.now() - t0) / 1000;
    const small = join(dir, 'small.csv');
    const base = join(dir, 'base.csv');
    head(full, small, SMALL);
    head(full, base, BASE);
    const pwSmall = run(small, join(dir, 'pw-small.out'), 'pairwise');
    const pwBase = run(base, join(dir, 'pw-base.out'), 'pairwise');
    const scanBase = run(base, join(dir, 'scan-base.out'), 'scan');
    const scanFull = run(full, join(dir, 'scan-full.out'), 'scan');
    const qPw = quality(join(dir, 'pw-base.out'), truth);
    const qScan = quality(join(dir, 'scan-base.out'), truth);

    const exponent = Math.max(1, Math.log(pwBase.ms / pwSmall.ms) / Math.log(BASE / SMALL));
    const pwAt1M = (pwBase.ms / 60_000) * (1_000_000 / BASE) ** exponent;
    const scanMin = scanFull.ms / 60_000;
    const scanAt1M = scanMin * (1_000_000 / rows);
    const perCoreMinute = scanFull.summary.records / (scanFull.cpuMs / 60_000);
    const group = `dedupe --csv ${(rows / 1000).toLocaleString('en')}k records (machine shared with other work)`;
    const r = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
    const previous = {
      label: `previous file path (pairwise), ${BASE / 1000}k rows extrapolated to 1M (growth ^${r(exponent)})`,
      value: r(pwAt1M, 1),
    };
    return [
      { group, figure: 'file written (synthetic, generated in the bench)', target: 'none', value: r(generatedS, 1), unit: 's' },
      {
        group,
        figure: `scan engine, whole file${rows === 1_000_000 ? '' : ', scaled to 1M linearly'}`,
        target: 'none',
        value: r(scanAt1M, 1),
        unit: 'min',
        baseline: previous,
        goal: '≤ 10 min for 1M on 2 cores',
        pass: scanAt1M <= 10,
      },
      {
        group,
        figure: 'scan engine, peak memory (one process, workers included)',
        target: 'none',
        value: Math.round(scanFull.maxRssMb),
        unit: 'MB',
        baseline: { label: `pairwise on ${BASE / 1000}k rows`, value: Math.round(pwBase.maxRssMb) },
      },
      {
        group,
        figure: 'scan engine, records per core-minute (CPU time)',
        target: 'none',
        value: Math.round(perCoreMinute),
        unit: 'records/core-min',
        baseline: { label: 'Splink published: ~1M records/min on 4 cores', value: 250_000 },
      },
      {
        group,
        figure: 'scan engine, candidate pairs per record',
        target: 'none',
        value: r(scanFull.summary.candidatePairs / scanFull.summary.records, 1),
        unit: 'pairs',
      },
      {
        group,
        figure: 'scan engine, pairs proposed (link + review)',
        target: 'none',
        value: scanFull.summary.links + scanFull.summary.reviews,
        unit: 'pairs',
      },
      {
        group,
        figure: `scan engine, ${BASE / 1000}k rows`,
        target: 'none',
        value: r(scanBase.ms / 1000, 1),
        unit: 's',
        baseline: { label: `pairwise, same ${BASE / 1000}k rows`, value: r(pwBase.ms / 1000, 1) },
      },
      {
        group,
        figure: `scan engine, link F1 on ${BASE / 1000}k rows (true pairs known)`,
        target: 'none',
        value: r(qScan.f1, 3),
        unit: 'F1',
        baseline: { label: 'pairwise, same rows', value: r(qPw.f1, 3) },
      },
      {
        group,
        figure: `scan engine, recall with review on ${BASE / 1000}k rows`,
        target: 'none',
        value: r(qScan.recallReview, 3),
        unit: 'recall',
        baseline: { label: 'pairwise, same rows', value: r(qPw.recallReview, 3) },
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  console.table(await runDedupeCsvBench(rows === undefined ? {} : { rows }));
}
