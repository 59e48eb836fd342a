/**
 * `scripts/build.mjs` (run by `npm start` before serving) takes a lock on dist/ so builds started
 * side by side do not write it together. It must leave no lock behind, whether the build had
 * nothing to do or failed: a lock left behind makes the next start wait two minutes for it to go
 * stale. Each case runs a copy of the script in a folder of its own inside the project (so it
 * finds the project's node_modules), never the project's own dist/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const project = new URL('..', import.meta.url).pathname;

function fakeProject(): string {
  mkdirSync(join(project, 'test-artifacts'), { recursive: true });
  const root = mkdtempSync(join(project, 'test-artifacts', 'build-lock-'));
  mkdirSync(join(root, 'scripts'));
  copyFileSync(join(project, 'scripts', 'build.mjs'), join(root, 'scripts', 'build.mjs'));
  writeFileSync(join(root, 'package.json'), '{}\n');
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'index.ts'), 'export {};\n');
  mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
  writeFileSync(join(root, 'dist', 'cli', 'main.js'), '// built\n');
  return root;
}

const build = (root: string) =>
  spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8', timeout: 60_000 });
const lock = (root: string) => join(root, 'dist', '.build.lock');

test('a build with nothing to do leaves no lock on dist/, twice in a row', () => {
  const root = fakeProject();
  try {
    for (const run of [1, 2]) {
      const r = build(root);
      assert.equal(r.status, 0, `run ${run}: ${r.stderr}`);
      assert.equal(existsSync(lock(root)), false, `run ${run} left its lock behind`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a lock left by a build that was killed is taken over once stale, and removed after', () => {
  const root = fakeProject();
  try {
    mkdirSync(lock(root));
    const stale = new Date(Date.now() - 10 * 60_000);
    utimesSync(lock(root), stale, stale);
    const r = build(root);
    assert.equal(r.status, 0, r.stderr);
    // Before the fix this lock stayed, and every later start waited two minutes for it to go stale.
    assert.equal(existsSync(lock(root)), false, 'the build that took over the stale lock left it behind');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a build that fails leaves no lock on dist/ either', () => {
  const root = fakeProject();
  try {
    // The sources are newer than the server build, so it builds, and without a TypeScript of its own it fails.
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(join(root, 'dist', 'cli', 'main.js'), old, old);
    const r = build(root);
    assert.notEqual(r.status, 0, 'the build was expected to fail');
    assert.match(r.stdout, /Building the server/);
    assert.equal(existsSync(lock(root)), false, 'the failed build left its lock behind');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
