import { test } from 'node:test';
import { grantRoles } from '../src/db/queries/operations.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dedupeCsv, PAIRWISE_UP_TO, parseColumnMap } from '../src/cli/commands/dedupe.js';
import { openDb } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { buildApp } from '../src/server/app.js';
import { KeyRing } from '../src/services/keys/keyring.js';
import { createUser } from '../src/services/accounts/auth.js';
import { runCorridorSync } from './support/cli.js';
import { generateMatchingSet } from '../src/demo/scenario/matching-set.js';

const dir = mkdtempSync(join(tmpdir(), 'corridor-dedupe-'));
const input = join(dir, 'in.csv');
writeFileSync(
  input,
  [
    'id,given_name,father_name,grandfather_name,family_name,sex,birth_year',
    'p1,أحمد,محمد,حسن,الحلبي,ذكر,1980',
    'p2,Ahmad,Mohamad,,al-Halabi,m,1981',
    'p3,Omar,Mohammed,Hassan,Halabi,m,1986',
    'p4,Zainab,Khaled,,Qasim,f,',
    'p5,زينب,خالد,,قاسم,f,2001',
  ].join('\n'),
);

test('dedupeCsv writes the linked pairs of a small CSV with score and decision', async () => {
  const out = join(dir, 'pairs.csv');
  const s = await dedupeCsv({ csv: input, out });
  assert.equal(s.records, 5);
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'id_a,id_b,score,decision');
  const decided = (d: string) =>
    lines
      .slice(1)
      .filter((l) => l.endsWith(`,${d}`))
      .map((l) => l.split(',').slice(0, 2).sort().join('-'))
      .sort();
  assert.ok(decided('link').includes('p1-p2'));
  // Same given, father and family names across scripts but no birth year and no
  // grandfather: proposed (the fitted weights may put it at link or review).
  assert.ok([...decided('link'), ...decided('review')].includes('p4-p5'));
  assert.deepEqual(
    decided('link').filter((p) => p !== 'p4-p5'),
    ['p1-p2'],
  );
  assert.ok(!decided('link').includes('p1-p3'), 'brothers must not be linked');
});

test('the scan engine streams a file and decides alike in worker threads and in one; pairwise stays for --link', async () => {
  const set = generateMatchingSet({ seed: 5, people: 700 });
  const csv = join(dir, 'set.csv');
  const cols = ['id', 'given_name', 'father_name', 'grandfather_name', 'family_name', 'sex', 'birth_year'] as const;
  writeFileSync(csv, [cols.join(','), ...set.records.map((r) => cols.map((c) => r[c]).join(','))].join('\n'));
  const pairsOf = (out: string) => readFileSync(out, 'utf8').trim().split('\n').slice(1).sort();
  const one = await dedupeCsv({ csv, out: join(dir, 'one.csv'), workers: 0, engine: 'scan' });
  const two = await dedupeCsv({ csv, out: join(dir, 'two.csv'), workers: 2, engine: 'scan' });
  assert.equal(one.engine, 'scan');
  const small = await dedupeCsv({ csv, out: join(dir, 'default.csv') });
  assert.equal(small.engine, 'pairwise', `a file of up to ${PAIRWISE_UP_TO} lines: pairwise by default`);
  assert.equal(one.records, set.records.length);
  assert.deepEqual(pairsOf(join(dir, 'two.csv')), pairsOf(join(dir, 'one.csv')), 'the workers decide as one thread');
  assert.deepEqual({ ...two, engine: 'scan' }, one);
  // It finds most true duplicates as links, and links few others.
  const truth = new Set(set.truePairs.map(([a, b]) => [a, b].sort().join(' ')));
  const links = pairsOf(join(dir, 'one.csv'))
    .filter((l) => l.endsWith(',link'))
    .map((l) => l.split(',').slice(0, 2).sort().join(' '));
  const right = links.filter((k) => truth.has(k)).length;
  assert.ok(right / links.length > 0.9, `link precision ${right}/${links.length}`);
  assert.ok(right / truth.size > 0.6, `link recall ${right}/${truth.size}`);

  const pairwise = await dedupeCsv({ csv, out: join(dir, 'pairwise.csv'), engine: 'pairwise' });
  assert.equal(pairwise.engine, 'pairwise');
  assert.equal((await dedupeCsv({ csv, link: csv, out: join(dir, 'linked.csv') })).engine, 'pairwise', '--link: pairwise');
  await assert.rejects(dedupeCsv({ csv, link: csv, out: join(dir, 'no.csv'), engine: 'scan' }), /--engine scan does not take --link/);
  await assert.rejects(dedupeCsv({ csv, out: join(dir, 'no.csv'), engine: 'scan', reviewThreshold: -50 }), /review threshold below/);
});

test('the column map reads FEBRL-style headers, extra fields and a year taken from a date', () => {
  const m = parseColumnMap('id=rec_id,given=given_name,family=surname,birth_year=date_of_birth:year,x.ssn=soc_sec_id:code');
  assert.equal(m.core.birth_year?.year, true);
  assert.deepEqual(m.extra['ssn'], { column: 'soc_sec_id', kind: 'code' });
  assert.throws(() => parseColumnMap('given=a'), /id column is required/);
  assert.throws(() => parseColumnMap('id=a,nickname=b'), /unknown target/);
});

test('the command links two files end to end with a column mapping', () => {
  // FEBRL layout: a space after every comma, the header included.
  const a = join(dir, 'a.csv');
  const b = join(dir, 'b.csv');
  writeFileSync(
    a,
    'rec_id, given_name, surname, date_of_birth\nrec-1-org, michaela, neumann, 19151111\nrec-2-org, charles, green, 19480930\n',
  );
  writeFileSync(
    b,
    'rec_id, given_name, surname, date_of_birth\nrec-1-dup-0, micheala, neumann, 19151111\nrec-3-dup-0, vanessa, parr, 19951119\n',
  );
  const out = join(dir, 'link.csv');
  const r = runCorridorSync([
    'dedupe',
    '--csv',
    a,
    '--link',
    b,
    '--out',
    out,
    '--map',
    'id=rec_id,given=given_name,family=surname,birth_year=date_of_birth:year',
    '--no-estimate',
  ]);
  assert.equal(r.status, 0, r.stderr);
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[1] ?? '', /^rec-1-org,rec-1-dup-0,[\d.-]+,(link|review)$/);
});

test('--operation scans an operation in the database, shows its progress, and proposes each pair once however often it runs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'corridor-dedupe-db-'));
  const masterKey = randomBytes(32);
  const db = await openDb({ kind: 'pglite', dataDir: dir });
  await migrate(db);
  const app = await buildApp({ db, keys: new KeyRing(masterKey), logLevel: 'silent' });
  await db.kysely
    .transaction()
    .execute((trx) =>
      createUser(
        trx,
        { username: 'root', displayName: 'Root', password: 'a long enough password', isAdmin: true },
        { id: null, kind: 'system' },
        new Date(),
      ),
    );
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'root', password: 'a long enough password' },
  });
  const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0] as string;
  const post = (url: string, payload?: object) =>
    app.inject({
      method: url.includes('staff') ? 'PUT' : 'POST',
      url,
      ...(payload ? { payload } : {}),
      headers: { cookie, 'idempotency-key': ulid() },
    });
  const op = JSON.parse((await post('/api/operations', { code: 'dedupe-cli', nameEn: 'Dedupe' })).body).id as string;
  // Nobody grants roles to themselves through the API: set up in the database.
  const rootId = JSON.parse(login.body).user.id as string;
  await grantRoles(db.kysely, op, rootId, ['admin', 'registrar'], rootId, new Date());
  const login2 = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'root', password: 'a long enough password' },
  });
  const cookie2 = String([login2.headers['set-cookie']].flat()[0]).split(';')[0] as string;
  const post2 = (url: string, payload: object) =>
    app.inject({ method: 'POST', url, payload, headers: { cookie: cookie2, 'idempotency-key': ulid() } });
  await post2(`/api/operations/${op}/sites`, { id: 'desk', kind: 'assembly_point', nameEn: 'Desk' });
  for (const names of [
    { lat: { given: 'Yousef', father: 'Khaled', grandfather: 'Omar', family: 'al-Shami' } },
    { ar: { given: 'يوسف', father: 'خالد', grandfather: 'عمر', family: 'الشامي' } },
  ]) {
    const r = await post2(`/api/operations/${op}/households`, { siteId: 'desk', members: [{ names, sex: 'male', estimatedAge: 30 }] });
    assert.equal(r.statusCode, 201, r.body);
  }
  // Registration already proposed the pair (checked just after commit); clear the queue so the batch scan has work to do.
  await app.duplicateChecker.flush();
  await db.kysely.deleteFrom('duplicate_reviews').execute();
  await app.close();
  await db.close();
  const env = { ...process.env, CORRIDOR_DATA_DIR: dir, CORRIDOR_MASTER_KEY: masterKey.toString('hex') };
  const run = () => runCorridorSync(['dedupe', '--operation', 'dedupe-cli'], { env });
  const first = run();
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /2 people, .* 1 new pairs? for review/);
  assert.match(first.stderr, /dedupe: scoring 2 \/ 2, 1 new pairs/, 'progress is shown');
  const second = run();
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, / 0 new pairs for review/);
  const unknown = runCorridorSync(['dedupe', '--operation', 'nope'], { env });
  assert.notEqual(unknown.status, 0);
  assert.match(unknown.stderr, /there is no operation nope/);
  rmSync(dir, { recursive: true, force: true });
});
