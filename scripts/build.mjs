// Builds what `npm start` needs, skipping what is already up to date: the server (tsc → dist/)
// and, when the web app exists, the browser bundle (vite → dist/web/).
import { existsSync, readdirSync, statSync, cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const force = process.argv.includes('--force');

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const s = statSync(full);
    t = Math.max(t, s.isDirectory() ? newest(full) : s.mtimeMs);
  }
  return t;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const srcTime = Math.max(newest(join(root, 'src')), statSync(join(root, 'package.json')).mtimeMs);
const serverStamp = join(root, 'dist', 'cli', 'main.js');
if (force || !existsSync(serverStamp) || statSync(serverStamp).mtimeMs < srcTime) {
  process.stdout.write('Building the server…\n');
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
  mkdirSync(join(root, 'dist', 'db', 'migrations'), { recursive: true });
  cpSync(join(root, 'src', 'db', 'migrations'), join(root, 'dist', 'db', 'migrations'), { recursive: true });
  for (const data of ['domain/matching/params.json']) {
    if (existsSync(join(root, 'src', data))) cpSync(join(root, 'src', data), join(root, 'dist', data));
  }
}

const webSrc = join(root, 'src', 'web');
const webStamp = join(root, 'dist', 'web', 'index.html');
if (existsSync(join(root, 'vite.config.ts')) && existsSync(webSrc)) {
  if (force || !existsSync(webStamp) || statSync(webStamp).mtimeMs < srcTime) {
    process.stdout.write('Building the web app…\n');
    run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn']);
  }
}
