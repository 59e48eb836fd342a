// Builds what `npm start` needs, skipping what is already up to date: the server (tsc → dist/)
// and, when the web app exists, the browser bundle (vite → dist/web/).
import { existsSync, readdirSync, statSync, cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import lockfile from 'proper-lockfile';

const root = new URL('..', import.meta.url).pathname;
const force = process.argv.includes('--force');
// `--no-check`: the compiler only emits; for runs that typecheck beside the build (npm test).
const noCheck = process.argv.includes('--no-check');

function newest(dir, skip = new Set()) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (skip.has(full)) continue;
    const s = statSync(full);
    t = Math.max(t, s.isDirectory() ? newest(full, skip) : s.mtimeMs);
  }
  return t;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// One build at a time: test runs started side by side would otherwise write dist/ together.
mkdirSync(join(root, 'dist'), { recursive: true });
const release = await lockfile.lock(join(root, 'dist'), {
  lockfilePath: join(root, 'dist', '.build.lock'),
  retries: { retries: 600, minTimeout: 500, maxTimeout: 1000 },
  stale: 120_000,
});
// Released at the end; a build that fails exits with the lock held, and proper-lockfile removes
// it as the process exits. (Released from an 'exit' listener of our own, the lock stayed behind
// whenever the build had taken over a stale one — a build killed half-way leaves one — so from
// then on every start waited two minutes for it to go stale, and left it again.)

const pkgTime = statSync(join(root, 'package.json')).mtimeMs;
// The server does not depend on the web app; the web app bundles src/web and the pure domain.
const srcTime = Math.max(newest(join(root, 'src'), new Set([join(root, 'src', 'web')])), pkgTime);
const webTime = Math.max(
  newest(join(root, 'src', 'web')),
  newest(join(root, 'src', 'domain')),
  pkgTime,
  existsSync(join(root, 'vite.config.ts')) ? statSync(join(root, 'vite.config.ts')).mtimeMs : 0,
);
const serverStamp = join(root, 'dist', 'cli', 'main.js');
if (force || !existsSync(serverStamp) || statSync(serverStamp).mtimeMs < srcTime) {
  process.stdout.write('Building the server…\n');
  run(process.execPath, [
    join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-p',
    'tsconfig.build.json',
    ...(noCheck ? ['--noCheck'] : []),
  ]);
  mkdirSync(join(root, 'dist', 'db', 'migrations'), { recursive: true });
  cpSync(join(root, 'src', 'db', 'migrations'), join(root, 'dist', 'db', 'migrations'), { recursive: true });
  for (const data of ['domain/matching/params.json']) {
    if (existsSync(join(root, 'src', data))) cpSync(join(root, 'src', data), join(root, 'dist', data));
  }
}

const webSrc = join(root, 'src', 'web');
const webStamp = join(root, 'dist', 'web', 'index.html');
if (existsSync(join(root, 'vite.config.ts')) && existsSync(webSrc)) {
  if (force || !existsSync(webStamp) || statSync(webStamp).mtimeMs < webTime) {
    process.stdout.write('Building the web app…\n');
    run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn']);
  }
}

await release();
