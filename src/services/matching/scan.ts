/**
 * The batch duplicate scan of one operation as a pipeline: the unmerged people are read in
 * pages and, on a large operation, handed to the worker threads with their names still
 * sealed, so the workers open them while this thread goes on reading (the people, then the
 * blocking keys); on a small one this thread opens them. The blocking keys are read already
 * grouped into blocks, in key order, in pages (a key shared by more than `maxBlockSize`
 * people is compared in windows of people close in birth year; one shared by more than
 * `maxKeySize` is skipped, counted); each record's candidates are chosen from the blocks and
 * the pairs scored, in the worker threads on a large operation; results are handed to the
 * caller chunk by chunk, so proposals are written while the scan goes on. The workers hold
 * the operation's encryption key in memory only, until their last page is open, and end
 * with the scan, whether it succeeds or fails.
 */
import { availableParallelism } from 'node:os';
import type { OperationKeys } from '../../crypto/envelope.js';
import type { Executor } from '../../db/queries/executor.js';
import { listKeyBlocks, listPersonsForMatching } from '../../db/queries/matching.js';
import { buildBlockIndex } from '../../domain/matching/batch.js';
import type { MatchRecord, MatchResult } from '../../domain/matching/index.js';
import { blocksOfKey, KeyBlocks, scanRecordOf } from './key-blocks.js';
import { createEngine, openPage, packPage, type SealedPage } from './scan-engine.js';
import { WorkerPool } from './scan-pool.js';
import type { WorkerRequest } from './scan-worker.js';

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
  /**
   * Time spent reading (and, without workers, decrypting; with them decrypting overlaps the
   * reads, and what is left of it after the last read counts in choosing); choosing
   * candidates; scoring (writes overlap it); writing; ms.
   */
  readMs: number;
  selectMs: number;
  scoreMs: number;
  writeMs: number;
}

export { blocksOfKey };

const CHUNK = 2000;
const PAGE = 5000;
/** Below this many people the scan stays in this thread (unless told how many workers to use). */
const WORKERS_FROM = 20_000;

async function readBlocks(
  db: Executor,
  operationId: string,
  index: Map<string, number>,
  birthYear: (i: number) => number,
  maxBlockSize: number,
  maxKeySize: number,
) {
  const blocks: Int32Array[] = [];
  const keySizes: number[] = [];
  let skipped = 0;
  let windowed = 0;
  let after: { kind: string; hash: Buffer } | null = null;
  for (;;) {
    const page = await listKeyBlocks(db, operationId, after, PAGE, maxKeySize);
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
    if (page.length < PAGE) return { blocks, keySizes, skipped, windowed };
    const last = page[page.length - 1]!;
    after = { kind: last.kind, hash: last.key_hash };
  }
}

/** Starts the workers with a copy of the operation's encryption key (or none), the copy zeroed once they have theirs. */
function startPool(pool: WorkerPool, count: number, keys: OperationKeys | null, opts: ScanOptions): void {
  const key = keys === null ? null : new Uint8Array(keys.encryptionKey);
  try {
    // workerData is copied into each worker as it starts, so this thread's copy can go at once.
    pool.start(count, { operationId: keys?.operationId ?? '', encryptionKey: key, k: opts.k ?? 60, exhaustive: opts.exhaustive === true });
  } finally {
    key?.fill(0);
  }
}

function workerCountFor(n: number, opts: ScanOptions): number {
  return Math.min(opts.workers ?? (n >= WORKERS_FROM ? 2 : 0), availableParallelism());
}

type ChunkResult = { from: number; to: number; results: MatchResult[]; pairs: number; bounded: number };

/** Runs one phase over all records in chunks, on the workers or in this thread. */
async function runPhase(
  kind: 'select' | 'score',
  n: number,
  pool: WorkerPool,
  engine: ReturnType<typeof createEngine> | null,
  onChunk: (r: ChunkResult) => void,
): Promise<void> {
  if (engine !== null) {
    for (let from = 0; from < n; from += CHUNK) {
      const to = Math.min(n, from + CHUNK);
      if (kind === 'select') {
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
  await pool.race(
    Promise.all(
      pool.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            const give = () => {
              if (next >= n) {
                w.off('message', onMessage);
                resolve();
                return;
              }
              const from = next;
              next = Math.min(n, next + CHUNK);
              w.postMessage({ kind, from, to: next } satisfies WorkerRequest);
            };
            const onMessage = (r: ChunkResult) => {
              onChunk(r);
              give();
            };
            w.on('message', onMessage);
            give();
          }),
      ),
    ),
  );
}

export async function scanOperation(db: Executor, keys: OperationKeys, operationId: string, opts: ScanOptions): Promise<ScanStats> {
  const t0 = performance.now();
  const progress = opts.onProgress ?? (() => undefined);
  const pool = new WorkerPool();
  try {
    const ids: string[] = [];
    let birthYears = new Int32Array(PAGE);
    // Pages kept here until it is known whether workers will open them.
    let held: SealedPage[] = [];
    let started = false;
    if (opts.workers !== undefined && workerCountFor(0, opts) > 0) {
      startPool(pool, workerCountFor(0, opts), keys, opts);
      started = true;
    }
    for (let after = ''; ;) {
      const rows = await pool.race(listPersonsForMatching(db, operationId, after, PAGE));
      const page = packPage(rows);
      if (ids.length + rows.length > birthYears.length) {
        const grown = new Int32Array(Math.max(2 * birthYears.length, ids.length + rows.length));
        grown.set(birthYears);
        birthYears = grown;
      }
      birthYears.set(page.birthYear, ids.length);
      for (const id of page.ids) ids.push(id);
      if (started) {
        pool.post({ kind: 'sealed', page });
      } else {
        held.push(page);
        if (opts.workers === undefined && ids.length >= WORKERS_FROM && workerCountFor(ids.length, opts) > 0) {
          startPool(pool, workerCountFor(ids.length, opts), keys, opts);
          started = true;
          for (const p of held) pool.post({ kind: 'sealed', page: p });
          held = [];
        }
      }
      progress({ phase: 'read', done: ids.length, total: ids.length, proposed: 0 });
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.id;
    }
    const index = new Map(ids.map((id, i) => [id, i]));
    const { blocks, keySizes, skipped, windowed } = await pool.race(
      readBlocks(db, operationId, index, (i) => birthYears[i] ?? 0, opts.maxBlockSize ?? 1000, opts.maxKeySize ?? 100_000),
    );
    let records: MatchRecord[] | null = null;
    if (!started) {
      records = [];
      for (const p of held) openPage(keys, p, records);
      held = [];
    }
    const readMs = performance.now() - t0;
    const stats = await computeScan(ids.length, records, pool, blocks, keySizes, opts);
    return { ...stats, skippedBlocks: skipped, windowedBlocks: windowed, readMs };
  } finally {
    await pool.end();
  }
}

/**
 * The compute of the scan over records already read, and their blocks (lists of record
 * indexes, `keySizes` the size of the whole key of each): choosing candidates, then scoring,
 * results handed to `opts.onResults` chunk by chunk. `blocks` is emptied.
 */
export async function scanRecords(
  records: MatchRecord[],
  blocks: Int32Array[],
  keySizes: readonly number[],
  opts: ScanOptions,
): Promise<Omit<ScanStats, 'skippedBlocks' | 'windowedBlocks' | 'readMs'>> {
  const pool = new WorkerPool();
  try {
    const count = workerCountFor(records.length, opts);
    if (count === 0) return await computeScan(records.length, records, pool, blocks, keySizes, opts);
    startPool(pool, count, null, opts);
    for (let i = 0; i < records.length; i += PAGE) pool.post({ kind: 'records', records: records.slice(i, i + PAGE) });
    return await computeScan(records.length, null, pool, blocks, keySizes, opts);
  } finally {
    await pool.end();
  }
}

/**
 * The scan of records read one at a time (`corridor dedupe --csv`: a file parsed as a stream):
 * each record becomes the scan's record (key-blocks.ts) and its blocking keys are grouped here;
 * on a large file the records go to the worker threads a page at a time as they are read, so
 * this thread keeps only their keys and birth years, not the records. Then the same choosing and
 * scoring as the operation scan, results handed to `opts.onResults` chunk by chunk.
 */
export async function scanRecordStream(source: AsyncIterable<MatchRecord>, opts: ScanOptions): Promise<ScanStats> {
  const t0 = performance.now();
  const progress = opts.onProgress ?? (() => undefined);
  const pool = new WorkerPool();
  try {
    const keys = new KeyBlocks();
    let birthYears = new Int32Array(PAGE);
    let n = 0;
    let page: MatchRecord[] = [];
    let held: MatchRecord[][] = [];
    let started = false;
    const start = (count: number) => {
      startPool(pool, count, null, opts);
      started = true;
      for (const p of held) pool.post({ kind: 'records', records: p });
      held = [];
    };
    if (opts.workers !== undefined && workerCountFor(0, opts) > 0) start(workerCountFor(0, opts));
    const flush = () => {
      if (page.length === 0) return;
      if (started) pool.post({ kind: 'records', records: page });
      else held.push(page);
      page = [];
      if (!started && opts.workers === undefined && n >= WORKERS_FROM && workerCountFor(n, opts) > 0) start(workerCountFor(n, opts));
      progress({ phase: 'read', done: n, total: n, proposed: 0 });
    };
    for await (const r of source) {
      const { record, keys: recordKeys } = scanRecordOf(r);
      keys.add(n, recordKeys);
      if (n >= birthYears.length) {
        const grown = new Int32Array(2 * birthYears.length);
        grown.set(birthYears);
        birthYears = grown;
      }
      birthYears[n] = record.birthYear ?? 0;
      page.push(record);
      n++;
      if (page.length >= PAGE) {
        flush();
        // A worker that failed stops the reading too.
        if (started) await pool.race(new Promise((resolve) => setImmediate(resolve)));
      }
    }
    flush();
    const { blocks, keySizes, skipped, windowed } = keys.blocks(
      (i) => birthYears[i] ?? 0,
      opts.maxBlockSize ?? 1000,
      opts.maxKeySize ?? 100_000,
    );
    const records = started ? null : held.flat();
    held = [];
    const readMs = performance.now() - t0;
    const stats = await computeScan(n, records, pool, blocks, keySizes, opts);
    return { ...stats, skippedBlocks: skipped, windowedBlocks: windowed, readMs };
  } finally {
    await pool.end();
  }
}

/**
 * Choosing and scoring over `n` records: in this thread when `records` is given, else on the
 * pool's workers, which have every record already (or are still opening them). Ends no worker.
 */
async function computeScan(
  n: number,
  records: MatchRecord[] | null,
  pool: WorkerPool,
  blocks: Int32Array[],
  keySizes: readonly number[],
  opts: ScanOptions,
): Promise<Omit<ScanStats, 'skippedBlocks' | 'windowedBlocks' | 'readMs'>> {
  const k = opts.k ?? 60;
  const progress = opts.onProgress ?? (() => undefined);
  const alloc = records === null ? (bytes: number) => new SharedArrayBuffer(bytes) : undefined;
  const index = buildBlockIndex(n, blocks, alloc, keySizes);
  const top = new Int32Array(alloc ? alloc(4 * n * k) : new ArrayBuffer(4 * n * k));
  blocks.length = 0;
  const engine = records === null ? null : createEngine({ records, index, top, k, exhaustive: opts.exhaustive === true });
  if (records === null) pool.post({ kind: 'index', index, top });
  let pairs = 0;
  let bounded = 0;
  let proposed = 0;
  let done = 0;
  let writing = Promise.resolve();
  let writeMs = 0;
  const t1 = performance.now();
  await runPhase('select', n, pool, engine, (r) => {
    done += r.to - r.from;
    progress({ phase: 'select', done, total: n, proposed });
  });
  done = 0;
  const t2 = performance.now();
  await runPhase('score', n, pool, engine, (r) => {
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
  return {
    people: n,
    blocks: index.blockStart.length - 1,
    candidatePairs: pairs,
    boundedPairs: bounded,
    proposed,
    selectMs: t2 - t1,
    scoreMs: performance.now() - t2,
    writeMs,
  };
}
