/**
 * Starting Corridor on PostgreSQL as an operator does (issue 22, security audit findings 8 and 18),
 * with real `corridor serve` processes:
 * - the README's production command from a folder with nothing in it (no data folder): it serves,
 *   and its master key is created outside any data folder, folder 0700 and file 0600;
 * - three servers started at the same moment on an empty database with the demo: all three serve,
 *   one admin, one set of demo accounts (printed once, by one server, names not guessable), one
 *   `demo.loaded` and one `duplicate.batch`, and the printed passwords work on every server;
 * - least privilege: as the application role of docs/database.md the server refuses a database
 *   that is behind (run `corridor migrate`); after `corridor migrate` as the owner and the
 *   documented grants it serves, and that role cannot turn the audit trigger off.
 * Runs when TEST_DATABASE_URL is set.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { spawnCorridor } from './support/cli.js';
import { servingUntil, type Started } from './support/serve-process.js';

const base = process.env.TEST_DATABASE_URL;

function urlOf(db: string, user?: string, password?: string): string {
  const u = new URL(base as string);
  u.pathname = `/${db}`;
  if (user) {
    u.username = user;
    u.password = password ?? '';
  }
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>, db?: string): Promise<T> {
  const c = new pg.Client({ connectionString: db ? urlOf(db) : base });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function envFor(databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...extra };
  delete env.CORRIDOR_MASTER_KEY;
  delete env.CORRIDOR_MASTER_KEY_FILE;
  delete env.CORRIDOR_DATA_DIR;
  return env;
}

/** `corridor serve` run from `cwd` (the built command under `npm test`, test/support/cli.ts). */
function serve(cwd: string, env: NodeJS.ProcessEnv, until: RegExp, timeoutMs: number): Promise<Started> {
  const child = spawnCorridor(['serve'], { cwd, env });
  return servingUntil(child, until, timeoutMs);
}

function corridor(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawnCorridor(args, { cwd, env });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function login(url: string, username: string, password: string): Promise<number> {
  const r = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  await r.arrayBuffer();
  return r.status;
}

const mode = (p: string) => statSync(p).mode & 0o777;

describe('starting on PostgreSQL', { skip: !base && 'TEST_DATABASE_URL is not set' }, () => {
  const tag = randomBytes(4).toString('hex');
  const dbs: string[] = [];
  const roles: string[] = [];
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const freshDb = async (owner?: string) => {
    const name = `corridor_s_${tag}_${dbs.length}`;
    dbs.push(name);
    await admin((c) => c.query(`create database ${name}${owner ? ` owner ${owner}` : ''}`));
    return name;
  };
  const freshDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'corridor-pgstart-'));
    dirs.push(d);
    return d;
  };

  after(async () => {
    await Promise.all(children.map(stop));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await admin(async (c) => {
      for (const d of dbs) await c.query(`drop database if exists ${d} with (force)`);
      for (const r of roles) await c.query(`drop role if exists ${r}`);
    });
  });

  test("the README's command from a clone with no data folder serves, with its key outside any data folder (0700/0600)", async () => {
    const cwd = freshDir();
    const s = await serve(cwd, envFor(urlOf(await freshDb()), { CORRIDOR_DEMO: '0' }), /password: \S+/, 60_000);
    children.push(s.child);
    try {
      const password = /username: admin\s+password: (\S+)/.exec(s.output())?.[1] as string;
      assert.ok(password, s.output());
      assert.equal(await login(s.url, 'admin', password), 200);
      assert.deepEqual(readdirSync(cwd), ['data-keys'], 'no data folder: only the key folder');
      assert.equal(mode(join(cwd, 'data-keys')), 0o700);
      assert.equal(mode(join(cwd, 'data-keys', 'master.key')), 0o600);
      assert.equal(existsSync(join(cwd, 'data', 'master.key')), false);
    } finally {
      await stop(s.child);
    }
  });

  test('three servers started at once on an empty database all serve; one admin, one demo load, the printed passwords work', async () => {
    const cwd = freshDir();
    const db = await freshDb();
    const env = envFor(urlOf(db), { CORRIDOR_DEMO: '1', CORRIDOR_DEMO_PEOPLE: '300' });
    const started = await Promise.all([0, 1, 2].map(() => serve(cwd, env, /serving at/, 120_000)));
    children.push(...started.map((s) => s.child));
    try {
      const loader = await new Promise<Started>((resolve, reject) => {
        const t0 = Date.now();
        const poll = setInterval(() => {
          const done = started.find((s) => /Demo: loaded/.test(s.output()));
          if (done) resolve(done);
          else if (Date.now() - t0 > 180_000) reject(new Error(started.map((s) => s.output()).join('\n----\n')));
          if (done || Date.now() - t0 > 180_000) clearInterval(poll);
        }, 250);
      });
      const outputs = started.map((s) => s.output());
      assert.equal(outputs.filter((o) => /username: admin\s+password:/.test(o)).length, 1, 'one first admin');
      assert.equal(outputs.filter((o) => /One demo account per role/.test(o)).length, 1, 'one set of demo accounts');
      assert.equal(outputs.filter((o) => /Demo: loaded/.test(o)).length, 1, 'one load');
      const all = outputs.join('\n');
      const accounts = [...all.matchAll(/username: (demo-[a-z0-9-]+-[0-9a-f]{10})\s+password: (\S+)/g)].map(
        (m) => [m[1], m[2]] as [string, string],
      );
      assert.equal(accounts.length, 9, loader.output());
      const adminPassword = /username: admin\s+password: (\S+)/.exec(all)?.[1] as string;
      for (const s of started) {
        assert.equal((await fetch(`${s.url}/api/health`)).status, 200);
        assert.equal(await login(s.url, 'admin', adminPassword), 200);
        for (const [u, p] of accounts) assert.equal(await login(s.url, u, p), 200, `${u} on ${s.url}`);
      }
      const counts = await admin(
        async (c) =>
          (
            await c.query<{ action: string; n: number }>(
              `select action, count(*)::int as n from audit_log where action in ('demo.loaded', 'duplicate.batch', 'user.password_reset') group by action order by action`,
            )
          ).rows,
        db,
      );
      assert.deepEqual(counts, [
        { action: 'demo.loaded', n: 1 },
        { action: 'duplicate.batch', n: 1 },
      ]);
      const users = await admin(async (c) => (await c.query<{ n: number }>(`select count(*)::int as n from users`)).rows[0]?.n, db);
      assert.equal(users, 10, 'the admin and nine demo accounts (two tracing officers, the field lead)');
    } finally {
      await Promise.all(started.map((s) => stop(s.child)));
    }
  });

  test('as the application role of docs/database.md: refused while behind, serves after `corridor migrate` as the owner', async () => {
    const owner = `corridor_owner_${tag}`;
    const app = `corridor_app_${tag}`;
    const password = randomBytes(12).toString('hex');
    await admin(async (c) => {
      await c.query(`create role ${owner} login password '${password}'`);
      roles.push(owner);
      await c.query(`create role ${app} login password '${password}'`);
      roles.push(app);
    });
    const db = await freshDb(owner);
    const cwd = freshDir();
    const asApp = envFor(urlOf(db, app, password), { CORRIDOR_DEMO: '0' });

    const refused = await corridor(cwd, asApp, ['serve']);
    assert.notEqual(refused.code, 0, refused.out);
    assert.match(refused.out, /behind this version of Corridor: \d+ migrations not applied .*Run `corridor migrate` as the database owner/);

    const migrated = await corridor(cwd, envFor(urlOf(db, owner, password)), ['migrate']);
    assert.equal(migrated.code, 0, migrated.out);
    assert.match(migrated.out, /Applied: 0001_foundation/);
    // The grants of docs/database.md, as the owner.
    await admin(async () => {
      const c = new pg.Client({ connectionString: urlOf(db, owner, password) });
      await c.connect();
      try {
        await c.query(`grant usage on schema public to ${app}`);
        await c.query(`grant select, insert, update, delete on all tables in schema public to ${app}`);
        await c.query(`revoke update, delete, truncate on audit_log from ${app}`);
        await c.query(`grant usage on sequence audit_log_seq_seq to ${app}`);
      } finally {
        await c.end();
      }
    });

    const s = await serve(cwd, asApp, /password: \S+/, 60_000);
    children.push(s.child);
    try {
      const adminPassword = /username: admin\s+password: (\S+)/.exec(s.output())?.[1] as string;
      assert.equal(await login(s.url, 'admin', adminPassword), 200);
      const c = new pg.Client({ connectionString: urlOf(db, app, password) });
      await c.connect();
      try {
        await assert.rejects(c.query('alter table audit_log disable trigger audit_log_no_update'), /must be owner/);
        await assert.rejects(c.query('delete from audit_log'), /permission denied/);
      } finally {
        await c.end();
      }
    } finally {
      await stop(s.child);
    }
  });
});
