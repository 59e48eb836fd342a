/**
 * Time to first dashboard: `npm start` in a fresh data folder (its build timed apart first) until the dashboard page is served and the counts API shows
 * the Aleppo 2016 operation — beside the same start with CORRIDOR_DEMO=0 (empty database).
 * With BENCH_DEMO_FULL=1 it also waits for the whole operation to be loaded (every count), then
 * for the tracing requests and the duplicate scan that follow it.
 * BENCH_DEMO_PEOPLE sets the population (34,000 by default).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from './lib.js';

const root = new URL('..', import.meta.url).pathname;

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
}

function npmStart(dataDir: string, env: Record<string, string>): Run {
  const full: NodeJS.ProcessEnv = { ...process.env, CORRIDOR_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env };
  delete full.DATABASE_URL;
  delete full.CORRIDOR_MASTER_KEY;
  // Its own process group, so stopping it stops npm and the server it started.
  const child = spawn('npm', ['start', '--silent'], { cwd: root, env: full, detached: true });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return { child, output: () => out, exited: new Promise((r) => child.once('exit', r)) };
}

async function stop(run: Run) {
  if (run.child.exitCode === null && run.child.pid) {
    try {
      process.kill(-run.child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    await run.exited;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, run: Run, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const t0 = performance.now();
  for (;;) {
    if (run.child.exitCode !== null) throw new Error(`npm start exited while waiting for ${what}:\n${run.output().slice(-2000)}`);
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (performance.now() - t0 > timeoutMs) throw new Error(`no ${what} within ${timeoutMs / 1000} s:\n${run.output().slice(-2000)}`);
    await sleep(200);
  }
}

async function servesDashboard(url: string): Promise<boolean | undefined> {
  const r = await fetch(`${url}/`);
  return r.status === 200 && /text\/html/.test(r.headers.get('content-type') ?? '') ? true : undefined;
}

async function login(url: string, username: string, password: string): Promise<string> {
  const r = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status}`);
  return (r.headers.get('set-cookie') ?? '').split(';')[0] as string;
}

async function everyone(url: string, cookie: string): Promise<number | undefined> {
  const r = await fetch(`${url}/api/operations/aleppo-2016/counts`, { headers: { cookie } });
  if (r.status !== 200) return undefined;
  const n = ((await r.json()) as { totals: { everyone: number } }).totals.everyone;
  return n > 0 ? n : undefined;
}

export async function runFirstDashboard(): Promise<BenchRow[]> {
  const people = Number(process.env.BENCH_DEMO_PEOPLE ?? 34_000);
  const full = process.env.BENCH_DEMO_FULL === '1';
  const rows: BenchRow[] = [];
  const group = `first dashboard (npm start, fresh folder, ${people.toLocaleString('en')} people)`;

  // What `npm start` builds first (tsc, vite), reported apart: nothing when up to date.
  const tb = performance.now();
  await new Promise<void>((resolve, reject) => {
    const b = spawn(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
    b.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`build exited with ${code}`))));
  });
  rows.push({
    group,
    figure: 'build before the first start (fresh clone; skipped when up to date)',
    target: 'none',
    value: (performance.now() - tb) / 1000,
    unit: 's',
  });

  // Baseline: the same start on an empty database.
  const emptyDir = mkdtempSync(join(tmpdir(), 'corridor-first-empty-'));
  const empty = npmStart(emptyDir, { CORRIDOR_DEMO: '0' });
  let baseline: number;
  try {
    const t0 = performance.now();
    const url = await until('URL', empty, 180_000, async () => /serving at (http:\/\/\S+?)\/?\s/.exec(empty.output())?.[1]);
    await until('dashboard page', empty, 60_000, () => servesDashboard(url));
    baseline = (performance.now() - t0) / 1000;
  } finally {
    await stop(empty);
    rmSync(emptyDir, { recursive: true, force: true });
  }

  const dir = mkdtempSync(join(tmpdir(), 'corridor-first-demo-'));
  const demo = npmStart(dir, { CORRIDOR_DEMO: '1', CORRIDOR_DEMO_PEOPLE: String(people) });
  try {
    const t0 = performance.now();
    const url = await until('URL', demo, 180_000, async () => /serving at (http:\/\/\S+?)\/?\s/.exec(demo.output())?.[1]);
    const viewer = await until(
      'demo viewer password',
      demo,
      30_000,
      async () => /username: (demo-viewer-[0-9a-f]+)\s+password: (\S+)/.exec(demo.output()) ?? undefined,
    );
    await until('dashboard page', demo, 60_000, () => servesDashboard(url));
    const cookie = await login(url, viewer[1] as string, viewer[2] as string);
    const shown = await until('operation in the counts', demo, 600_000, () => everyone(url, cookie));
    const first = (performance.now() - t0) / 1000;
    rows.push(
      {
        group,
        figure: 'fresh start → dashboard showing the operation',
        target: 'pglite',
        value: first,
        unit: 's',
        baseline: { label: 'same start, CORRIDOR_DEMO=0 (empty)', value: baseline },
        goal: '≤ 90 s',
        pass: first <= 90,
      },
      { group, figure: 'people on the dashboard at that moment', target: 'pglite', value: shown, unit: 'people' },
    );
    if (full) {
      await until('the whole operation', demo, 3_600_000, async () => (/Demo: operation loaded/.test(demo.output()) ? true : undefined));
      const all = (performance.now() - t0) / 1000;
      rows.push({
        group,
        figure: 'fresh start → whole operation loaded (every count complete)',
        target: 'pglite',
        value: all,
        unit: 's',
        goal: '≤ 90 s',
        pass: all <= 90,
      });
      await until('tracing requests and duplicate scan', demo, 3_600_000, async () =>
        /Demo: loaded/.test(demo.output()) ? true : undefined,
      );
      rows.push({
        group,
        figure: 'fresh start → tracing requests made and review queue filled',
        target: 'pglite',
        value: (performance.now() - t0) / 1000,
        unit: 's',
      });
    }
  } finally {
    await stop(demo);
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
