// Runs every *.test.ts under test/ and src/ with Node's own test runner (through tsx).
// Arguments narrow the run: `npm run test:only -- test/tags` runs the files whose path contains it.
// `--fast`: the domain and API tests only (no browser, no `npm start`, no demo, none of the
// command-line files at the top of test/), without building first: the inner loop.
// `--checks`: also the lint, the format check and the typecheck, run side by side with the build
// (each of them uses one core; one after the other they left the second core idle).
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { register } from 'tsx/esm/api';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const fast = args.includes('--fast');
const checks = args.includes('--checks');
const filters = args.filter((a) => !a.startsWith('--'));
const FAST = ['test/domain/', 'test/api/', 'src/'];

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (name.endsWith('.test.ts') || name.endsWith('.test.tsx')) out.push(relative(root, full));
  }
  return out;
}

// The runner starts files in the order given, two at a time. The slowest files — browsers, child
// processes (test/*.test.ts, test/e2e/) — go first, so that none of them starts last and runs alone.
const rank = (f) => (f.startsWith('test/e2e/') || /^test\/[^/]+$/.test(f) ? 0 : f.startsWith('test/api/') ? 1 : 2);
const files = ['test', 'src']
  .flatMap((d) => {
    try {
      return walk(join(root, d), []);
    } catch {
      return [];
    }
  })
  .filter((f) => !fast || FAST.some((x) => f.startsWith(x)))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));

if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

function run(label, cmd, cmdArgs, env = process.env) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env });
    child.on('close', (code) => {
      console.log(`${label}: ${code === 0 ? 'ok' : `FAILED (${code})`} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      resolve(code ?? 1);
    });
  });
}
const bin = (pkg, path) => join(root, 'node_modules', pkg, path);

// Build once before the tests (skipped when up to date), so tests that serve the web app — the
// browser tests and the `npm start` test — find it built and never build it at the same time.
// With --checks the typecheck runs beside it, so the build's compiler only emits (--no-check).
// Meanwhile, with TEST_DATABASE_URL, a migrated PostgreSQL template is made once for the whole run
// (test/support/templates.ts): each test file's database is then a copy of it.
register();
const { createTemplates, dropTemplates } = await import('../test/support/templates.ts');
const started = performance.now();
const [templateEnv, ...codes] = await Promise.all([
  createTemplates(process.env.TEST_DATABASE_URL),
  ...(fast
    ? []
    : [
        run('build', process.execPath, [join(root, 'scripts', 'build.mjs'), ...(checks ? ['--no-check'] : [])], {
          ...process.env,
          NODE_ENV: 'production',
        }),
      ]),
  ...(checks
    ? [
        run('lint', process.execPath, [bin('eslint', 'bin/eslint.js'), '.']),
        run('format', process.execPath, [bin('prettier', 'bin/prettier.cjs'), '--check', '--log-level', 'warn', '.']),
        run('typecheck', process.execPath, [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.json', '--noEmit']),
      ]
    : []),
]);
const failed = codes.find((c) => c !== 0);
if (failed !== undefined) {
  await dropTemplates(templateEnv, process.env.TEST_DATABASE_URL);
  process.exit(failed);
}
console.log(`before the tests: ${((performance.now() - started) / 1000).toFixed(1)} s`);

const testsStarted = performance.now();
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ...templateEnv, NODE_ENV: 'test' },
});
console.log(`tests: ${((performance.now() - testsStarted) / 1000).toFixed(1)} s`);
await dropTemplates(templateEnv, process.env.TEST_DATABASE_URL);
process.exit(result.status ?? 1);
