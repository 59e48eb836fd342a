/**
 * A PGlite data folder's lock after its holder died (security audit: a restart after kill -9
 * was refused for about 13 s, until the lock went stale): a dead holder's lock is taken over at
 * once; a live holder's, or one whose pid was reused by another process, is judged by pid and
 * process start time.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, openDb } from '../src/db/connection.js';

const root = new URL('..', import.meta.url).pathname;

function ownerFile(dir: string, owner: object) {
  mkdirSync(join(dir, 'corridor.lock'), { recursive: true });
  writeFileSync(join(dir, 'corridor.lock.owner'), JSON.stringify(owner));
}

describe('embedded PGlite data folder lock', () => {
  test('after its holder is killed with SIGKILL, the folder opens again at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corridor-lock-'));
    try {
      const code = `import { openDb } from './src/db/connection.ts';
        await openDb({ kind: 'pglite', dataDir: process.env.LOCK_TEST_DIR });
        console.log('open');
        setInterval(() => {}, 1000);`;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
        cwd: root,
        env: { ...process.env, LOCK_TEST_DIR: dir },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('open') && resolve());
        child.on('exit', (c) => reject(new Error(`the child exited (${c}) before opening`)));
      });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const t = Date.now();
      const db = await openDb({ kind: 'pglite', dataDir: dir });
      const took = Date.now() - t;
      await db.close();
      // Before, the lock refused every open until it went stale (15 s). Taking it over takes
      // milliseconds; what remains is PGlite's own start, slow on a loaded machine.
      assert.ok(took < 10_000, `took ${took} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a lock whose recorded pid now belongs to another process (another start time) is taken over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corridor-lock-'));
    try {
      ownerFile(dir, { pid: process.pid, host: hostname(), token: 'x', start: '1' });
      const db = await openDb({ kind: 'pglite', dataDir: dir });
      await db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a lock held by a live process, or with no owner recorded, is not broken', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corridor-lock-'));
    try {
      const stat = readFileSync(`/proc/${process.pid}/stat`, 'utf8');
      const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
      ownerFile(dir, { pid: process.pid, host: hostname(), token: 'x', start });
      await assert.rejects(openDb({ kind: 'pglite', dataDir: dir }), DataDirLockedError);
      rmSync(join(dir, 'corridor.lock.owner'));
      await assert.rejects(openDb({ kind: 'pglite', dataDir: dir }), DataDirLockedError);
      ownerFile(dir, { pid: 999_999_999, host: 'another-host', token: 'x', start: null });
      await assert.rejects(openDb({ kind: 'pglite', dataDir: dir }), DataDirLockedError, 'another host: left alone');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
