/**
 * A maintenance job the server runs on a timer: one run at a time (a run asked for while one is
 * under way waits for it), errors reported, not thrown, and `stop` waits for the run under way.
 * The timer does not keep the process alive.
 */
export interface PeriodicJob<T> {
  /** Runs now, after any run under way; undefined once stopped or when the run failed. */
  runNow(): Promise<T | undefined>;
  stop(): Promise<void>;
}

export function startPeriodicJob<T>(
  run: () => Promise<T>,
  opts: { intervalMs: number; atStart?: boolean; onError?: (err: unknown) => void },
): PeriodicJob<T> {
  let running: Promise<T | undefined> = Promise.resolve(undefined);
  let stopped = false;
  const runNow = () => {
    running = running.then(async () => {
      if (stopped) return undefined;
      try {
        return await run();
      } catch (err) {
        opts.onError?.(err);
        return undefined;
      }
    });
    return running;
  };
  const timer = setInterval(() => void runNow(), opts.intervalMs);
  timer.unref();
  if (opts.atStart) void runNow();
  return {
    runNow,
    async stop() {
      clearInterval(timer);
      await running;
      stopped = true;
    },
  };
}
