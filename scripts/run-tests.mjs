// Runs every *.test.ts under test/ and src/ with Node's own test runner (through tsx).
// Arguments narrow the run: `npm run test:only -- test/tags` runs the files whose path contains it.
// `--fast`: the domain and API tests only (no browser, no `npm start`, no demo, none of the
// command-line files at the top of test/), without building first: the inner loop.
// `--checks`: also the lint, the format check and the typecheck, run side by side with the build
// (each of them uses one core; one after the other they left the second core idle).
// The many small database files share a few processes (see `groups` below); the others run one
// process each.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
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
  .sort();

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

// A test file alone in its process pays the start of Node, tsx transpiling the app and PGlite's
// WASM start (2 s) before its first test: for most files more than their tests. Files that leave the
// process as they found it therefore share one: a generated entry file imports several of them, so
// their suites register and run one after another as if they were written in one file, and each
// PGlite after the first in a process is a copy of a migrated one (test/support/db.ts). Left alone:
// the browser tests, the files that spawn `corridor` or `npm start` for long stretches or hold a
// data folder lock across processes, and any new file at the top of test/ until it is listed here.
const SHARED_TOP = [
  'connection-loss',
  'csv-injection',
  'dedupe-scan',
  'dedupe-scan-db',
  'demo',
  'demo-replay',
  'embedded-housekeeping',
  'migration-names',
  'pglite-dialect',
  'storage',
  'storage-long-lists',
  'storage-modes',
].map((n) => `test/${n}.test.ts`);
const shares = (f) => ['test/api/', 'test/domain/', 'src/'].some((x) => f.startsWith(x)) || SHARED_TOP.includes(f);
const GROUPS = 4; // with two at a time, enough for the last ones to end close together
const sizeOf = (f) => statSync(join(root, f)).size;
const groups = Array.from({ length: GROUPS }, () => ({ files: [], size: 0 }));
// Largest first into the lightest group (size as a rough stand-in for time), then in path order.
for (const f of files.filter(shares).sort((a, b) => sizeOf(b) - sizeOf(a))) {
  const g = groups.reduce((a, b) => (b.size < a.size ? b : a));
  g.files.push(f);
  g.size += sizeOf(f);
}
// Node 20's runner sorts the files it is given by path and starts them in that order, two at a
// time. To start the longest first (so that none of them starts last and runs alone), each process
// gets an entry file here whose name begins with its place: the two largest files alone (a browser
// file and a command-line file, a minute or more each), then the groups, then the other files alone,
// largest first.
const groupDir = mkdtempSync(join(tmpdir(), 'corridor-tests-'));
const alone = files.filter((f) => !shares(f)).sort((a, b) => sizeOf(b) - sizeOf(a));
const order = [...alone.slice(0, 2).map((f) => [f]), ...groups.map((g) => g.files.sort()), ...alone.slice(2).map((f) => [f])].filter(
  (g) => g.length > 0,
);
const entries = order.map((g, i) => {
  const name = g.length === 1 ? g[0].replace(/[/\\]/g, '_') : `group-of-${g.length}`;
  const entry = join(groupDir, `${String(i + 1).padStart(2, '0')}-${name}.mjs`);
  writeFileSync(
    entry,
    `// Generated by scripts/run-tests.mjs: these test files in one process.\n${g
      .map((f) => `import ${JSON.stringify(pathToFileURL(join(root, f)).href)};\n`)
      .join('')}`,
  );
  if (g.length > 1) console.log(`${entry}: ${g.join(' ')}`);
  return entry;
});

const testsStarted = performance.now();
// The spec reporter, and at the end the slowest files (scripts/slowest-reporter.mjs).
const reporters = [
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  `--test-reporter=${pathToFileURL(join(root, 'scripts', 'slowest-reporter.mjs')).href}`,
  '--test-reporter-destination=stdout',
];
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...reporters, '--test-concurrency=2', ...entries], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ...templateEnv, NODE_ENV: 'test' },
});
console.log(`tests: ${((performance.now() - testsStarted) / 1000).toFixed(1)} s`);
rmSync(groupDir, { recursive: true, force: true });
await dropTemplates(templateEnv, process.env.TEST_DATABASE_URL);
process.exit(result.status ?? 1);
