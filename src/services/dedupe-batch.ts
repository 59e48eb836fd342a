/**
 * The batch duplicate scan of one operation as a pipeline: the unmerged people are read in
 * pages and decrypted once each; the blocking keys are read already grouped into blocks, in
 * key order, in pages (a key shared by more than `maxBlockSize` people is compared in windows
 * of people close in birth year; one shared by more than `maxKeySize` is skipped, counted);
 * each record's candidates are chosen from the blocks
 * and the pairs scored, in worker threads on a large operation; results are handed to the
 * caller chunk by chunk, so proposals are written while the scan goes on.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { openJson, type OperationKeys } from '../crypto/envelope.js';
import type { Executor } from '../db/queries/executor.js';
import { listKeyBlocks, listPersonsForMatching } from '../db/queries/matching.js';
import { buildBlockIndex, windowsOf } from '../domain/matching/batch.js';
import type { MatchRecord, MatchResult } from '../domain/matching/index.js';
import { toMatchRecord } from './candidates.js';
import { createEngine, type EngineInput } from './dedupe-engine.js';
import type { WorkerRequest } from './dedupe-worker.js';
import type { PersonPii } from './persons.js';

export interface ScanProgress {
  phase: 'read' | 'select' | 'score';
  done: number;
  total: number;
  proposed: number;
}

export interface ScanOptions {
  /** Worker threads; by default up to 2 (never more than the cores) when there are 20,000 people or more, none below. */
  workers?: number;
  /** Candidates kept per record (default 60, as the registration-time check). */
  k?: number;
  /** Keys shared by more people than this are cut into windows by birth year (default 1000). */
  maxBlockSize?: number;
  /** Keys shared by more people than this are skipped (default 100,000). */
  maxKeySize?: number;
  /** Score every candidate pair in full, without the weight bound (for checking it). */
  exhaustive?: boolean;
  onProgress?: (p: ScanProgress) => void;
  /** Receives the link and review results, chunk by chunk, one call at a time; returns how many it proposed. */
  onResults: (results: MatchResult[]) => Promise<number>;
}

export interface ScanStats {
  people: number;
  blocks: number;
  skippedBlocks: number;
  /** Keys too common to compare everyone sharing them, compared by windows of birth year instead. */
  windowedBlocks: number;
  candidatePairs: number;
  /** Of the candidate pairs, those the weight bound ruled out without comparing name chains (pair-bound.ts). */
  boundedPairs: number;
  proposed: number;
  /** Time spent reading and decrypting; choosing candidates; scoring (writes overlap it); writing; ms. */
  readMs: number;
  selectMs: number;
  scoreMs: number;
  writeMs: number;
}

const CHUNK = 2000;

async function readRecords(db: Executor, keys: OperationKeys, operationId: string, progress: (n: number) => void) {
  const records: MatchRecord[] = [];
  let after = '';
  for (;;) {
    const page = await listPersonsForMatching(db, operationId, after, 5000);
    for (const r of page) {
      const pii = openJson<PersonPii>(keys, r.pii, `person:${r.id}:pii`);
      records.push(toMatchRecord(r.id, { names: pii.names, sex: r.sex, birthYear: r.birth_year, birthYearEstimated: r.age_estimated, householdId: r.household_id }));
    }
    progress(records.length);
    if (page.length < 5000) return records;
    after = page[page.length - 1]!.id;
  }
}

/** The members of one key as the blocks to compare: itself, or windows by birth year when it is too large. */
export function blocksOfKey(members: readonly number[], birthYear: (i: number) => number, maxBlockSize: number): Int32Array[] {
  return members.length > maxBlockSize ? windowsOf(Int32Array.from(members), birthYear, Math.floor(maxBlockSize / 2)) : [Int32Array.from(members)];
}

async function readBlocks(db: Executor, operationId: string, records: readonly MatchRecord[], index: Map<string, number>, maxBlockSize: number, maxKeySize: number) {
  const blocks: Int32Array[] = [];
  const keySizes: number[] = [];
  let skipped = 0;
  let windowed = 0;
  let after: { kind: string; hash: Buffer } | null = null;
  const birthYear = (i: number) => records[i]?.birthYear ?? 0;
  for (;;) {
    const page = await listKeyBlocks(db, operationId, after, 5000, maxKeySize);
    for (const b of page) {
      if (b.members === null) {
        skipped++;
        continue;
      }
      const members: number[] = [];
      for (const id of b.members) {
        const i = index.get(id);
        if (i !== undefined) members.push(i);
      }
      if (members.length < 2) continue;
      const parts = blocksOfKey(members, birthYear, maxBlockSize);
      if (parts.length > 1) windowed++;
      for (const part of parts) {
        blocks.push(part);
        keySizes.push(members.length);
      }
    }
    if (page.length < 5000) return { blocks, keySizes, skipped, windowed };
    const last = page[page.length - 1]!;
    after = { kind: last.kind, hash: last.key_hash };
  }
}

function startWorker(input: EngineInput): Worker {
  const js = new URL('./dedupe-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData: input });
  // Run from the sources (tsx, tests): the worker is the .ts file and needs the tsx loader too.
  const ts = JSON.stringify(new URL('./dedupe-worker.ts', import.meta.url).href);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${ts}); })`, { eval: true, workerData: input });
}

type ChunkResult = { from: number; to: number; results: MatchResult[]; pairs: number; bounded: number };

/** Runs one phase over all records in chunks, on the workers or in this thread. */
async function runPhase(phase: WorkerRequest['phase'], n: number, workers: Worker[], engine: ReturnType<typeof createEngine> | null, onChunk: (r: ChunkResult) => void): Promise<void> {
  if (engine !== null) {
    for (let from = 0; from < n; from += CHUNK) {
      const to = Math.min(n, from + CHUNK);
      if (phase === 'select') {
        engine.select(from, to);
        onChunk({ from, to, results: [], pairs: 0, bounded: 0 });
      } else {
        onChunk({ from, to, ...engine.score(from, to) });
      }
      // Let I/O (and a server's other requests) through between chunks.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return;
  }
  let next = 0;
  await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
    const give = () => {
      if (next >= n) {
        w.off('message', onMessage);
        w.off('error', reject);
        resolve();
        return;
      }
      const from = next;
      next = Math.min(n, next + CHUNK);
      w.postMessage({ phase, from, to: next } satisfies WorkerRequest);
    };
    const onMessage = (r: ChunkResult) => {
      onChunk(r);
      give();
    };
    w.on('message', onMessage);
    w.on('error', reject);
    give();
  })));
}

export async function scanOperation(db: Executor, keys: OperationKeys, operationId: string, opts: ScanOptions): Promise<ScanStats> {
  const t0 = performance.now();
  const progress = opts.onProgress ?? (() => undefined);
  const records = await readRecords(db, keys, operationId, (done) => progress({ phase: 'read', done, total: done, proposed: 0 }));
  const index = new Map(records.map((r, i) => [r.id, i]));
  const { blocks, keySizes, skipped, windowed } = await readBlocks(db, operationId, records, index, opts.maxBlockSize ?? 1000, opts.maxKeySize ?? 100_000);
  const readMs = performance.now() - t0;
  const stats = await scanRecords(records, blocks, keySizes, opts);
  return { ...stats, skippedBlocks: skipped, windowedBlocks: windowed, readMs };
}

/**
 * The compute of the scan over records already read, and their blocks (lists of record
 * indexes, `keySizes` the size of the whole key of each): choosing candidates, then scoring,
 * results handed to `opts.onResults` chunk by chunk. `blocks` is emptied.
 */
export async function scanRecords(records: MatchRecord[], blocks: Int32Array[], keySizes: readonly number[], opts: ScanOptions): Promise<Omit<ScanStats, 'skippedBlocks' | 'windowedBlocks' | 'readMs'>> {
  const k = opts.k ?? 60;
  const progress = opts.onProgress ?? (() => undefined);
  const n = records.length;
  const workerCount = Math.min(opts.workers ?? (n >= 20_000 ? 2 : 0), availableParallelism());
  const alloc = workerCount > 0 ? (bytes: number) => new SharedArrayBuffer(bytes) : undefined;
  const input: EngineInput = { records, index: buildBlockIndex(n, blocks, alloc, keySizes), top: new Int32Array(alloc ? alloc(4 * n * k) : new ArrayBuffer(4 * n * k)), k, exhaustive: opts.exhaustive === true };
  blocks.length = 0;
  const workers = Array.from({ length: workerCount }, () => startWorker(input));
  const engine = workerCount === 0 ? createEngine(input) : null;
  let pairs = 0;
  let bounded = 0;
  let proposed = 0;
  let done = 0;
  let writing = Promise.resolve();
  let writeMs = 0;
  const t1 = performance.now();
  let t2 = t1;
  try {
    await runPhase('select', n, workers, engine, (r) => {
      done += r.to - r.from;
      progress({ phase: 'select', done, total: n, proposed });
    });
    done = 0;
    t2 = performance.now();
    await runPhase('score', n, workers, engine, (r) => {
      pairs += r.pairs;
      bounded += r.bounded;
      done += r.to - r.from;
      const at = done;
      // Writes go one after the other, while the workers keep scoring.
      writing = writing.then(async () => {
        const w0 = performance.now();
        if (r.results.length) proposed += await opts.onResults(r.results);
        writeMs += performance.now() - w0;
        progress({ phase: 'score', done: at, total: n, proposed });
      });
      // Marked handled here; the failure itself surfaces at `await writing` below.
      writing.catch(() => undefined);
    });
    await writing;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { people: n, blocks: input.index.blockStart.length - 1, candidatePairs: pairs, boundedPairs: bounded, proposed, selectMs: t2 - t1, scoreMs: performance.now() - t2, writeMs };
}
