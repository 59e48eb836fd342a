/**
 * The worker threads of a batch duplicate scan (matching/scan-worker.ts), started from the built
 * .js or, run from the sources, the .ts through tsx; and the first failure of any of them as
 * a promise the scan races against each of its waits, so a worker that throws (a row that
 * does not open, say) stops the scan instead of leaving it waiting.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerInit, WorkerRequest } from './scan-worker.js';

/**
 * The scan's worker threads, and the first failure of any of them (an error, or an exit
 * before they were ended) as a promise the scan races against each of its waits.
 */
export class WorkerPool {
  readonly workers: Worker[] = [];
  readonly failed: Promise<never>;
  private fail: (e: unknown) => void = () => undefined;
  private ending = false;

  constructor() {
    this.failed = new Promise<never>((_, reject) => {
      this.fail = reject;
    });
    // Marked handled here; the failure itself surfaces where the scan races it.
    this.failed.catch(() => undefined);
  }

  start(count: number, init: WorkerInit): void {
    for (let i = 0; i < count; i++) {
      const w = startWorker(init);
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (!this.ending) this.fail(new Error(`a dedupe worker thread stopped (exit code ${code})`));
      });
      this.workers.push(w);
    }
  }

  post(m: WorkerRequest): void {
    for (const w of this.workers) w.postMessage(m);
  }

  /** Waits for `p`, or throws the first failure of a worker if one comes first. */
  race<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.failed]);
  }

  async end(): Promise<void> {
    this.ending = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

function startWorker(init: WorkerInit): Worker {
  const js = new URL('./scan-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData: init });
  // Run from the sources (tsx, tests): the worker is the .ts file and needs the tsx loader too.
  const ts = JSON.stringify(new URL('./scan-worker.ts', import.meta.url).href);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${ts}); })`, { eval: true, workerData: init });
}
