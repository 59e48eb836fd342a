/**
 * The `corridor` command as the tests run it, in a child process: the compiled CLI
 * (dist/cli/main.js) with plain Node when the build is up to date with the sources — under
 * `npm test` it always is, the run builds first — else the TypeScript source through tsx (a
 * single file run after an edit, without a build). tsx pays its loader and transpiling on every
 * command, a few seconds each on this machine, and the command-line files run dozens of commands.
 * Up to date means what scripts/build.mjs means by it: dist/cli/main.js newer than every file of
 * src (the web app aside) and package.json.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const built = join(root, 'dist', 'cli', 'main.js');

function newest(dir: string, skip: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (full === skip) continue;
    const s = statSync(full);
    t = Math.max(t, s.isDirectory() ? newest(full, skip) : s.mtimeMs);
  }
  return t;
}

let argv: string[] | undefined;
/** The arguments of `node` that start the command (before the command's own). */
export function corridorArgv(): string[] {
  if (argv) return argv;
  const fresh =
    existsSync(built) &&
    statSync(built).mtimeMs >= Math.max(newest(join(root, 'src'), join(root, 'src', 'web')), statSync(join(root, 'package.json')).mtimeMs);
  argv = fresh ? [built] : ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')];
  return argv;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts `corridor <args>` (from the project's folder unless `cwd` says otherwise). */
export function spawnCorridor(args: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string }): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [...corridorArgv(), ...args], { cwd: opts.cwd ?? root, env: opts.env });
}

/** Runs `corridor <args>` to its end with `stdin` (default empty) on its standard input. */
export function runCorridor(args: string[], opts: { env: NodeJS.ProcessEnv; stdin?: string; cwd?: string }): Promise<Run> {
  const child = spawnCorridor(args, opts);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdin.end(opts.stdin ?? '');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The same, waiting synchronously. */
export function runCorridorSync(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [...corridorArgv(), ...args], {
    cwd: opts.cwd ?? root,
    env: opts.env ?? process.env,
    encoding: 'utf8',
  });
}
