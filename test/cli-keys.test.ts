/**
 * The key and audit-anchor commands as an operator runs them, in child processes, on a PGlite
 * data folder and (with TEST_DATABASE_URL) on a PostgreSQL database of its own:
 * `audit head` → `operation shred` → `keys rotate-master` (refusals, dry run, the real thing) →
 * the server started with the new key reads people and with the old key refuses → `audit verify
 * --against` finds a history rewritten consistently in SQL, and entries removed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig, type Config } from '../src/config.js';
import { unwrapKey } from '../src/crypto/envelope.js';
import { parseMasterKey } from '../src/crypto/master-key.js';
import { openDb, type Db } from '../src/db/connection.js';
import { entryHash } from '../src/db/queries/audit.js';
import { buildApp } from '../src/server/app.js';
import { boot } from '../src/server/boot.js';
import { runCorridor, type Run } from './support/cli.js';
import { setUpOperation, startHarness, TEST_PASSWORD } from './support/harness.js';

interface Target {
  name: 'pglite' | 'postgres';
  dir: string;
  url?: string;
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  config(extra?: Record<string, string>): Config;
  open(): Promise<Db>;
  drop(): Promise<void>;
}

function corridor(t: Target, args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return runCorridor(args, { env: t.env(opts.env), ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}) });
}

async function makeTarget(name: 'pglite' | 'postgres'): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'corridor-keys-'));
  let url: string | undefined;
  let dbName: string | undefined;
  if (name === 'postgres') {
    dbName = `corridor_k_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const u = new URL(process.env.TEST_DATABASE_URL as string);
    u.pathname = `/${dbName}`;
    url = u.toString();
  }
  const env = (extra: Record<string, string> = {}) => {
    const e: NodeJS.ProcessEnv = { ...process.env, CORRIDOR_DATA_DIR: dir, LOG_LEVEL: 'warn', CORRIDOR_DEMO: '0', ...extra };
    delete e.CORRIDOR_MASTER_KEY;
    if (url) e.DATABASE_URL = url;
    else delete e.DATABASE_URL;
    return e;
  };
  return {
    name,
    dir,
    ...(url ? { url } : {}),
    env,
    config: (extra) => loadConfig(env(extra)),
    open: () => openDb(url ? { kind: 'postgres', url, poolSize: 2 } : { kind: 'pglite', dataDir: dir }),
    async drop() {
      rmSync(dir, { recursive: true, force: true });
      rmSync(`${dir}-keys`, { recursive: true, force: true });
      if (dbName) {
        const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await admin.connect();
        await admin.query(`drop database if exists ${dbName} with (force)`);
        await admin.end();
      }
    },
  };
}

/** After the rotation the configured key file holds the replaced key: commands that check keyed audit entries get the current one. */
function currentKey(t: Target): { env: Record<string, string> } {
  return { env: { CORRIDOR_MASTER_KEY_FILE: join(t.dir, 'new.key') } };
}

async function withDb<T>(t: Target, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await t.open();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/**
 * Whether a stored copy of the operation's wrapped data key, anywhere in the data folder (tables,
 * WAL), opens with this master key. A wrapped key is 61 bytes (format 1, IV, tag, key); PostgreSQL
 * stores such a short bytea after a one-byte length header (0x7d), in its tables and its WAL alike,
 * which keeps the scan to a second.
 */
function dataKeyOnDisk(dir: string, masterKey: Buffer, operationId: string): boolean {
  const marker = Buffer.from([0x7d, 0x01]);
  for (const f of filesUnder(dir)) {
    const b = readFileSync(f);
    for (let i = b.indexOf(marker) + 1; i > 0 && i + 61 <= b.length; i = b.indexOf(marker, i) + 1) {
      try {
        unwrapKey(masterKey, b.subarray(i, i + 61), operationId);
        return true;
      } catch {
        /* not it */
      }
    }
  }
  return false;
}

/** Rewrites a stream from entry `fromN` on with recomputed hashes and head: what an owner who disabled the trigger can do. */
async function rewriteConsistently(
  db: Db,
  stream: string,
  fromN: number,
  edit: (details: Record<string, unknown>) => Record<string, unknown>,
) {
  await sql`alter table audit_log disable trigger user`.execute(db.kysely);
  const rows = await db.kysely.selectFrom('audit_log').selectAll().where('stream', '=', stream).orderBy('n').execute();
  let prev = rows.find((r) => r.n === fromN - 1)?.hash ?? '';
  for (const r of rows.filter((x) => x.n >= fromN)) {
    const details = r.n === fromN ? edit(r.details as Record<string, unknown>) : r.details;
    const hash = entryHash(prev, { ...r, at: new Date(r.at as Date), details });
    await db.kysely
      .updateTable('audit_log')
      .set({ details: JSON.stringify(details), prev_hash: prev, hash })
      .where('seq', '=', r.seq)
      .execute();
    prev = hash;
  }
  await db.kysely.updateTable('audit_heads').set({ hash: prev }).where('stream', '=', stream).execute();
  await sql`alter table audit_log enable trigger user`.execute(db.kysely);
}

const targets: ('pglite' | 'postgres')[] = ['pglite', ...(process.env.TEST_DATABASE_URL ? ['postgres' as const] : [])];

for (const name of targets) {
  describe(`keys, shredding and audit anchors on the command line (${name})`, () => {
    let t: Target;
    let oldKey: Buffer;
    let live: string;
    let gone: string;
    let person: string;
    let anchorFile: string;

    before(async () => {
      t = await makeTarget(name);
      // As `corridor serve` starts: migrations, and the key file made with mode 0600.
      const booted = await boot(t.config(), { createAdmin: false });
      oldKey = parseMasterKey(readFileSync(join(`${t.dir}-keys`, 'master.key'), 'utf8'));
      const h = await startHarness(booted.db, { masterKey: oldKey });
      try {
        live = (await setUpOperation(h, 'live-op')).id;
        gone = (await setUpOperation(h, 'gone-op')).id;
        for (const [op, who] of [
          [live, 'live-desk'],
          [gone, 'gone-desk'],
        ] as const) {
          const desk = await h.userWithRoles(op, ['registrar'], who);
          const r = await desk.post(`/api/operations/${op}/households`, {
            siteId: 'amiriyah',
            members: [
              { names: { lat: { given: 'Rotated', family: 'Keyholder' }, ar: { given: 'مدور' } }, sex: 'female', estimatedAge: 41 },
            ],
          });
          assert.equal(r.status, 201, JSON.stringify(r.body));
          if (op === live) person = r.body.members[0].id;
        }
        // A system-wide write with a stored answer, sealed with a key derived from the master key.
        assert.equal(
          (await h.admin.post('/api/users', { username: 'late-user', displayName: 'Late', password: TEST_PASSWORD })).status,
          201,
        );
      } finally {
        await h.close();
      }
      anchorFile = join(t.dir, 'anchor.json');
    });
    after(async () => t.drop());

    test('audit head prints the head of every stream as JSON', async () => {
      const r = await corridor(t, ['audit', 'head']);
      assert.equal(r.code, 0, r.stderr);
      const anchor = JSON.parse(r.stdout) as { format: string; streams: { stream: string; n: number; hash: string }[] };
      assert.equal(anchor.format, 'corridor.audit-head.v1');
      assert.deepEqual(anchor.streams.map((s) => s.stream).sort(), [live, gone, 'system'].sort());
      const heads = await withDb(t, (db) => db.kysely.selectFrom('audit_heads').selectAll().execute());
      for (const s of anchor.streams)
        assert.deepEqual({ n: s.n, hash: s.hash }, (({ n, hash }) => ({ n, hash }))(heads.find((x) => x.stream === s.stream)!));
      writeFileSync(anchorFile, r.stdout);
    });

    test('operation shred asks for the operation code and changes nothing without it', async () => {
      const r = await corridor(t, ['operation', 'shred', '--operation', 'gone-op'], { stdin: 'live-op\n' });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /Type the operation code \(gone-op\)/);
      assert.match(r.stderr, /Not confirmed: nothing was changed/);
      const key = await withDb(t, (db) =>
        db.kysely.selectFrom('operation_keys').select('wrapped_key').where('operation_id', '=', gone).executeTakeFirstOrThrow(),
      );
      assert.ok(key.wrapped_key);
    });

    test('operation shred with the code typed destroys the key and the keyed hashes, audited', async () => {
      const r = await corridor(t, ['operation', 'shred', '--operation', gone], { stdin: 'gone-op\n' });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /Operation gone-op shredded at .*keyed name hashes removed/);
      assert.match(r.stdout, /rotate the master key/);
      await withDb(t, async (db) => {
        const key = await db.kysely.selectFrom('operation_keys').selectAll().where('operation_id', '=', gone).executeTakeFirstOrThrow();
        assert.equal(key.wrapped_key, null);
        assert.equal((await db.kysely.selectFrom('person_keys').select('kind').where('operation_id', '=', gone).execute()).length, 0);
        assert.ok(
          await db.kysely
            .selectFrom('audit_log')
            .select('seq')
            .where('stream', '=', gone)
            .where('action', '=', 'operation.shred')
            .executeTakeFirst(),
        );
      });
      if (t.name === 'pglite') {
        // The key is gone from the table, but the write-ahead log still holds the row as it was
        // inserted, and so would a backup: with the master key of that time it still opens. Only
        // rotating the master key and destroying the old one makes such copies useless (below).
        assert.equal(dataKeyOnDisk(t.dir, oldKey, gone), true, 'a copy of the shredded key is still in the WAL');
      }
      const again = await corridor(t, ['operation', 'shred', '--operation', 'gone-op', '--yes']);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /already shredded/);
    });

    test('keys rotate-master refuses a key file others can read, a missing key, and the current key', async () => {
      const loose = join(t.dir, 'loose.key');
      writeFileSync(loose, randomBytes(32).toString('hex'));
      chmodSync(loose, 0o644);
      const r1 = await corridor(t, ['keys', 'rotate-master', '--new-key-file', loose]);
      assert.equal(r1.code, 1);
      assert.match(r1.stderr, /can be read by other users \(mode 644\).*chmod 600/);
      const r2 = await corridor(t, ['keys', 'rotate-master']);
      assert.equal(r2.code, 1);
      assert.match(r2.stderr, /exactly one of --new-key-file PATH or --generate PATH/);
      const same = join(t.dir, 'same.key');
      writeFileSync(same, oldKey.toString('base64'), { mode: 0o600 });
      const r3 = await corridor(t, ['keys', 'rotate-master', '--new-key-file', same]);
      assert.equal(r3.code, 1);
      assert.match(r3.stderr, /is the current one: nothing to rotate/);
    });

    if (name === 'postgres') {
      test('keys rotate-master refuses while another session uses the database', async () => {
        const other = new pg.Client({ connectionString: t.url });
        await other.connect();
        try {
          const r = await corridor(t, ['keys', 'rotate-master', '--generate', join(t.dir, 'never.key')]);
          assert.equal(r.code, 1);
          assert.match(r.stderr, /1 other session is connected to this database.*Stop every Corridor server first/);
          assert.equal(existsSync(join(t.dir, 'never.key')), false, 'no key file is written when the rotation is refused');
        } finally {
          await other.end();
        }
      });
    }

    test('keys rotate-master --dry-run verifies everything and changes nothing', async () => {
      const before = await withDb(t, (db) =>
        db.kysely.selectFrom('operation_keys').select(['operation_id', 'wrapped_key']).orderBy('operation_id').execute(),
      );
      const r = await corridor(t, ['keys', 'rotate-master', '--generate', join(t.dir, 'dry.key'), '--dry-run']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        /Dry run \(nothing was changed\): 1 data key re-wrapped and opened again under the new key; 1 shredded operation skipped; [3-9] stored answers of system-wide writes sealed again/,
      );
      assert.equal(existsSync(join(t.dir, 'dry.key')), false);
      const after = await withDb(t, (db) =>
        db.kysely.selectFrom('operation_keys').select(['operation_id', 'wrapped_key']).orderBy('operation_id').execute(),
      );
      assert.deepEqual(after, before);
    });

    test('keys rotate-master --generate writes a 0600 key, re-wraps every data key under it, audited', async () => {
      const newFile = join(t.dir, 'new.key');
      const r = await corridor(t, ['keys', 'rotate-master', '--generate', newFile]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(statSync(newFile).mode & 0o777, 0o600);
      const newKey = parseMasterKey(readFileSync(newFile, 'utf8'));
      assert.match(r.stdout, /Master key rotated: [0-9a-f]{16} → [0-9a-f]{16}/);
      assert.match(r.stdout, /Verified after the commit: all 1 stored data keys open under the new key/);
      assert.match(r.stdout, /CORRIDOR_MASTER_KEY_FILE=/);
      const fp = await corridor(t, ['keys', 'fingerprint', '--key-file', newFile]);
      assert.match(r.stdout, new RegExp(`→ ${fp.stdout.trim()}`));
      await withDb(t, async (db) => {
        const row = await db.kysely
          .selectFrom('operation_keys')
          .select('wrapped_key')
          .where('operation_id', '=', live)
          .executeTakeFirstOrThrow();
        assert.ok(unwrapKey(newKey, row.wrapped_key!, live));
        assert.throws(() => unwrapKey(oldKey, row.wrapped_key!, live));
        const entry = await db.kysely
          .selectFrom('audit_log')
          .select(['details', 'subject_id'])
          .where('action', '=', 'keys.rotate_master')
          .executeTakeFirstOrThrow();
        assert.equal(entry.subject_id, fp.stdout.trim());
        assert.equal((entry.details as { operations: number }).operations, 1);
      });
      if (t.name === 'pglite') {
        // The scan finds a live data key on disk under the new master key (so it can see one) and
        // none of the shredded operation's, under the new key; rotation is what makes old copies useless.
        assert.equal(dataKeyOnDisk(t.dir, newKey, live), true, "the scan finds the live operation's key");
        assert.equal(dataKeyOnDisk(t.dir, newKey, gone), false, 'the shredded key is on disk under the new master key');
      }
    });

    test('the server started with the new key reads people; with the old key it refuses clearly', async () => {
      const newFile = join(t.dir, 'new.key');
      const booted = await boot(t.config({ CORRIDOR_MASTER_KEY_FILE: newFile }), { createAdmin: false });
      const app = await buildApp({ db: booted.db, keys: booted.keys, logLevel: 'silent' });
      try {
        const login = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'live-desk', password: TEST_PASSWORD },
        });
        assert.equal(login.statusCode, 200, login.body);
        const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0]!;
        const r = await app.inject({ method: 'GET', url: `/api/operations/${live}/persons/${person}`, headers: { cookie } });
        assert.equal(r.statusCode, 200, r.body);
        assert.equal(JSON.parse(r.body).names.lat.family, 'Keyholder');
        const gl = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'gone-desk', password: TEST_PASSWORD },
        });
        const goneCookie = String([gl.headers['set-cookie']].flat()[0]).split(';')[0]!;
        const g = await app.inject({ method: 'GET', url: `/api/operations/${gone}/persons?q=Rotated`, headers: { cookie: goneCookie } });
        assert.equal(g.statusCode, 410);
      } finally {
        await app.close();
        await booted.db.close();
      }
      await assert.rejects(
        boot(t.config(), { createAdmin: false }),
        /replaced by `corridor keys rotate-master` on .*Start Corridor with the current key/,
      );
      const serve = await corridor(t, ['serve', '--port', '0']);
      assert.equal(serve.code, 1);
      assert.match(serve.stderr, /This master key \(fingerprint [0-9a-f]{16}\) was replaced by `corridor keys rotate-master`/);
    });

    test('audit verify --against the anchor: intact with entries appended since', async () => {
      const r = await corridor(t, ['audit', 'verify', '--against', anchorFile], currentKey(t));
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /intact.*\n.*matches the anchor of .*every one of its 3 streams/);
    });

    test('audit verify --against refuses a file that is not an anchor, naming the field', async () => {
      const bad = join(t.dir, 'bad.json');
      writeFileSync(
        bad,
        JSON.stringify({
          format: 'corridor.audit-head.v1',
          at: new Date().toISOString(),
          streams: [{ stream: 'system', n: 0, hash: 'xyz' }],
        }),
      );
      const r = await corridor(t, ['audit', 'verify', '--against', bad]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /streams\.0\.n: .*streams\.0\.hash: a SHA-256 hash/);
      const missing = await corridor(t, ['audit', 'verify', '--against', join(t.dir, 'nowhere.json')]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /Cannot read the anchor file .*ENOENT/);
    });

    test('a history rewritten consistently in SQL (hashes recomputed without the audit key) is named by the chain and the anchor', async () => {
      await withDb(t, (db) => rewriteConsistently(db, live, 2, (d) => ({ ...d, rewritten: true })));
      const chain = await corridor(t, ['audit', 'verify'], currentKey(t));
      assert.equal(chain.code, 2, 'the keyed chain sees it: ' + chain.stdout + chain.stderr);
      assert.match(chain.stdout, new RegExp(`BROKEN at entry seq \\d+ \\(stream ${live}, #2\\): edited`));
      const r = await corridor(t, ['audit', 'verify', '--against', anchorFile], currentKey(t));
      assert.equal(r.code, 2, r.stdout + r.stderr);
      const anchored = (JSON.parse(readFileSync(anchorFile, 'utf8')) as { streams: { stream: string; n: number }[] }).streams.find(
        (s) => s.stream === live,
      )!;
      assert.match(r.stdout, new RegExp(`stream ${live} entry #${anchored.n} has another hash \\(the history up to it was rewritten\\)`));
      assert.doesNotMatch(r.stdout, /intact/);
    });

    test('entries removed from the anchor on, head moved back, are named as missing', async () => {
      const anchored = (JSON.parse(readFileSync(anchorFile, 'utf8')) as { streams: { stream: string; n: number }[] }).streams.find(
        (s) => s.stream === 'system',
      )!;
      await withDb(t, async (db) => {
        await sql`alter table audit_log disable trigger user`.execute(db.kysely);
        await db.kysely.deleteFrom('audit_log').where('stream', '=', 'system').where('n', '>=', anchored.n).execute();
        const last = await db.kysely
          .selectFrom('audit_log')
          .select(['n', 'hash'])
          .where('stream', '=', 'system')
          .orderBy('n', 'desc')
          .limit(1)
          .executeTakeFirstOrThrow();
        await db.kysely.updateTable('audit_heads').set({ n: last.n, hash: last.hash }).where('stream', '=', 'system').execute();
        await sql`alter table audit_log enable trigger user`.execute(db.kysely);
      });
      const r = await corridor(t, ['audit', 'verify', '--against', anchorFile], currentKey(t));
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stdout, new RegExp(`stream system no longer has entry #${anchored.n} \\(entries were removed\\)`));
    });

    test('audit head refuses to vouch for a broken chain', async () => {
      await withDb(t, async (db) => {
        await sql`alter table audit_log disable trigger user`.execute(db.kysely);
        await sql`update audit_log set details = '{"edited":true}'::jsonb where seq = (select min(seq) from audit_log)`.execute(db.kysely);
        await sql`alter table audit_log enable trigger user`.execute(db.kysely);
      });
      const r = await corridor(t, ['audit', 'head'], currentKey(t));
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /BROKEN at entry seq \d+ .*edited; no head printed/);
    });
  });
}
