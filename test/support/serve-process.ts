/**
 * A `corridor serve` child process watched until it is serving: what the tests that start the real
 * command (the demo's first start, start-up on PostgreSQL) share.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

export interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
}

/** Resolves once the child prints its URL and its output matches `until`; rejects if it exits first or the time runs out. */
export function servingUntil(child: ChildProcessWithoutNullStreams, until: RegExp, timeoutMs: number): Promise<Started> {
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${until} within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      const m = /serving at (http:\/\/\S+?)\/?\s/.exec(out);
      if (m && until.test(out)) {
        clearTimeout(timer);
        resolve({ child, url: m[1] as string, output: () => out });
      }
    };
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      check();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
}
