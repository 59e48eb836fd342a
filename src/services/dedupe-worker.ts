/**
 * A worker thread of the batch duplicate scan: gets the decrypted records and the shared block
 * index once, then selects or scores the ranges of records the main thread hands it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine, type EngineInput } from './dedupe-engine.js';

export type WorkerRequest = { phase: 'select' | 'score'; from: number; to: number };

const engine = createEngine(workerData as EngineInput);
parentPort?.on('message', (m: WorkerRequest) => {
  if (m.phase === 'select') {
    engine.select(m.from, m.to);
    parentPort?.postMessage({ from: m.from, to: m.to, results: [], pairs: 0, bounded: 0 });
  } else {
    parentPort?.postMessage({ from: m.from, to: m.to, ...engine.score(m.from, m.to) });
  }
});
