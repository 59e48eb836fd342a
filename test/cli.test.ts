/**
 * The `corridor` command as an operator runs it, in a child process on a fresh data folder:
 * migrate, create an admin with the password on standard input, verify the audit log, find a
 * tampered entry (exit code 2, entry named), and serve on a free port with the fsync warning.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDb } from '../src/db/connection.js';
import { runCorridor, spawnCorridor, type Run } from './support/cli.js';

function corridor(dataDir: string, args: string[], stdin?: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, CORRIDOR_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.CORRIDOR_MASTER_KEY;
  return runCorridor(args, { env, ...(stdin !== undefined ? { stdin } : {}) });
}

describe('corridor command line (embedded PGlite)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'corridor-cli-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}-keys`, { recursive: true, force: true });
  });

  test('migrate, user add --admin with the password on stdin, and audit verify', async () => {
    const m = await corridor(dir, ['migrate']);
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stdout, /Applied: 0001_foundation\.sql/);
    const again = await corridor(dir, ['migrate']);
    assert.match(again.stdout, /up to date/);

    const weak = await corridor(dir, ['user', 'add', 'weakling'], 'password1234\n');
    assert.notEqual(weak.code, 0, 'a common password is refused');
    assert.match(weak.stderr, /password: is too easy to guess/);
    assert.doesNotMatch(weak.stdout, /Created/);

    const u = await corridor(dir, ['user', 'add', 'alice', '--admin'], 'a long enough password\n');
    assert.equal(u.code, 0, u.stderr);
    assert.match(u.stdout, /Created alice \(admin\)/);
    assert.doesNotMatch(u.stdout, /Password/, 'a piped password is not printed');

    const v = await corridor(dir, ['audit', 'verify']);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /intact/);
  });

  test('audit verify exits with code 2 and names the entry after the data was tampered with', async () => {
    const db = await openDb({ kind: 'pglite', dataDir: dir });
    let seq: number;
    try {
      const row = await db.kysely.selectFrom('audit_log').select('seq').where('action', '=', 'user.create').executeTakeFirstOrThrow();
      seq = Number(row.seq);
      await sql`alter table audit_log disable trigger user`.execute(db.kysely);
      await sql`update audit_log set details = '{"username":"mallory","isAdmin":true}'::jsonb where seq = ${seq}`.execute(db.kysely);
      await sql`alter table audit_log enable trigger user`.execute(db.kysely);
    } finally {
      await db.close();
    }
    const v = await corridor(dir, ['audit', 'verify']);
    assert.equal(v.code, 2, v.stdout + v.stderr);
    assert.match(v.stdout, new RegExp(`BROKEN at entry seq ${seq}\\b.*edited`));
  });

  test('serve on PORT=0 prints its URL and the fsync-off warning, and answers', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CORRIDOR_DATA_DIR: dir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      CORRIDOR_DEMO: '0',
    };
    delete env.DATABASE_URL;
    const child = spawnCorridor(['serve'], { env });
    let out = '';
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL within 30 s:\n${out}`)), 30_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /serving at (http:\/\/\S+?)\/?\s/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.stderr.on('data', (d: Buffer) => {
          out += d.toString();
        });
        child.on('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`serve exited with ${code}:\n${out}`));
        });
      });
      assert.match(out, /fsync is OFF/);
      const health = await fetch(`${url}/api/health`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { ok: true });
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
  });
});
