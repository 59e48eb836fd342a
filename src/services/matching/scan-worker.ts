/**
 * A worker thread of the batch duplicate scan. While the main thread reads the database it
 * gets the operation's people page by page, names still sealed, and opens them itself (with
 * the operation's encryption key, given at start, held in memory only and dropped once the
 * last page is open); or, from a caller with records in memory, the records as they are.
 * Then it gets the shared block index once, and selects or scores the ranges of records the
 * main thread hands it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BlockIndex } from '../../domain/matching/batch.js';
import type { MatchRecord } from '../../domain/matching/index.js';
import { createEngine, openPage, type SealedPage } from './scan-engine.js';

export interface WorkerInit {
  operationId: string;
  /** The operation's field encryption key; null when records come in open. */
  encryptionKey: Uint8Array | null;
  k: number;
  exhaustive: boolean;
}

export type WorkerRequest =
  | { kind: 'sealed'; page: SealedPage }
  | { kind: 'records'; records: MatchRecord[] }
  | { kind: 'index'; index: BlockIndex; top: Int32Array }
  | { kind: 'select' | 'score'; from: number; to: number };

const init = workerData as WorkerInit;
let keys: { operationId: string; encryptionKey: Buffer } | null =
  init.encryptionKey === null
    ? null
    : {
        operationId: init.operationId,
        encryptionKey: Buffer.from(init.encryptionKey.buffer, init.encryptionKey.byteOffset, init.encryptionKey.byteLength),
      };
const records: MatchRecord[] = [];
let engine: ReturnType<typeof createEngine> | null = null;

parentPort?.on('message', (m: WorkerRequest) => {
  switch (m.kind) {
    case 'sealed':
      if (keys === null) throw new Error('a sealed page reached a scan worker that has no key');
      openPage(keys, m.page, records);
      return;
    case 'records':
      for (const r of m.records) records.push(r);
      return;
    case 'index':
      // Every page is open: the key is no longer needed here.
      keys?.encryptionKey.fill(0);
      keys = null;
      engine = createEngine({ records, index: m.index, top: m.top, k: init.k, exhaustive: init.exhaustive });
      // The engine has prepared every record: the records as opened are no longer needed (at 1M
      // people they are gigabytes a worker holds twice otherwise).
      records.length = 0;
      return;
    default: {
      if (engine === null) throw new Error('a scan worker was asked to work before it had the block index');
      if (m.kind === 'select') {
        engine.select(m.from, m.to);
        parentPort?.postMessage({ from: m.from, to: m.to, results: [], pairs: 0, bounded: 0 });
      } else {
        parentPort?.postMessage({ from: m.from, to: m.to, ...engine.score(m.from, m.to) });
      }
    }
  }
});
