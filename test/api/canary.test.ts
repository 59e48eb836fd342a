/**
 * Canaries: people registered with names, phone numbers, document numbers and notes that
 * exist nowhere else, then searched for by name. None of those strings may be found in what
 * an attacker with the disk or a database dump would see — `pg_dump` on PostgreSQL, the raw
 * files of a PGlite data folder — nor in the logs. Clear-text markers (an operation's name, a
 * site's Arabic name) are stored in the same run and MUST be found, so a scan that sees
 * nothing cannot pass by accident.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDb } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrate.js';
import { dialects, type TestDb } from '../support/db.js';
import { startHarness, type Harness } from '../support/harness.js';

const ARABIC = 'ابتثجحخدذرزسشصضطظعغفقكلمنهوي';
const arabicWord = (n: number) => Array.from({ length: n }, () => ARABIC[randomInt(ARABIC.length)]).join('');
const latinWord = (n: number) => 'Q' + Array.from({ length: n - 1 }, () => 'bcdfghjkmnpqrstvwxz'[randomInt(19)]).join('');
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

interface Planted {
  /** Must not be found anywhere at rest nor in the logs. */
  secrets: string[];
  /** Stored in clear on purpose: must be found, or the scan proves nothing. */
  controls: string[];
  operationId: string;
}

async function plant(h: Harness): Promise<Planted> {
  const opName = `Marker${randomBytes(6).toString('hex')}`;
  const siteAr = `موقع${arabicWord(10)}`;
  const op = await h.admin.post('/api/operations', {
    code: `canary-${randomBytes(3).toString('hex')}`,
    nameEn: opName,
    timeZone: 'Asia/Damascus',
  });
  assert.equal(op.status, 201, JSON.stringify(op.body));
  const operationId = op.body.id as string;
  const site = await h.admin.post(`/api/operations/${operationId}/sites`, {
    id: 'desk',
    kind: 'assembly_point',
    nameEn: 'Desk',
    nameAr: siteAr,
  });
  assert.equal(site.status, 201, JSON.stringify(site.body));
  const desk = await h.userWithRoles(operationId, ['registrar', 'reception_officer'], 'canary-desk');

  const people = Array.from({ length: 3 }, () => ({
    ar: { given: arabicWord(9), father: arabicWord(8), family: arabicWord(10) },
    lat: { given: latinWord(10), family: latinWord(12) },
    phone: `+963 9${digits(8)}`,
    documentNumber: `N${digits(4)}X${randomBytes(4).toString('hex').toUpperCase()}`,
    notes: `seen near the ${latinWord(9)} bridge`,
    medicalNotes: `insulin ${latinWord(9)} twice daily`,
  }));
  const householdNotes = `household from ${latinWord(11)} street`;
  const r = await desk.post(`/api/operations/${operationId}/households`, {
    siteId: 'desk',
    notes: householdNotes,
    members: people.map((p, i) => ({
      names: { ar: p.ar, lat: p.lat },
      sex: i % 2 ? 'female' : 'male',
      estimatedAge: 20 + i,
      phone: p.phone,
      documentNumber: p.documentNumber,
      notes: p.notes,
      medicalNotes: p.medicalNotes,
    })),
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));

  // The canaries come back through the API to those allowed: they were really stored.
  const first = people[0]!;
  const read = await desk.get(`/api/operations/${operationId}/persons/${r.body.members[0].id}`);
  assert.equal(read.status, 200);
  assert.equal(read.body.names.ar.family, first.ar.family);
  assert.equal(read.body.names.lat.given, first.lat.given);
  assert.equal(read.body.phone, first.phone);
  assert.equal(read.body.documentNumber, first.documentNumber);
  assert.equal(read.body.medicalNotes, first.medicalNotes);
  for (const q of [`${first.lat.given} ${first.lat.family}`, `${first.ar.given} ${first.ar.family}`]) {
    const found = await desk.get(`/api/operations/${operationId}/persons?q=${encodeURIComponent(q)}`);
    assert.equal(found.status, 200);
    assert.ok(
      found.body.some((p: { id: string }) => p.id === r.body.members[0].id),
      `search for ${q} finds the person`,
    );
  }

  const secrets = [
    householdNotes,
    ...people.flatMap((p) => [
      p.ar.given,
      p.ar.father,
      p.ar.family,
      p.lat.given,
      p.lat.family,
      p.lat.given.toLowerCase(),
      p.lat.family.toLowerCase(),
      p.phone,
      p.phone.replace(/\D/g, ''),
      p.documentNumber,
      p.notes,
      p.medicalNotes,
    ]),
  ];
  return { secrets, controls: [opName, siteAr], operationId };
}

/** Byte forms a string may take on disk. */
function forms(s: string): Buffer[] {
  return [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le')];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

function checkLogs(h: Harness, planted: Planted) {
  const logs = h.logs.join('');
  assert.ok(logs.includes(`/api/operations/${planted.operationId}/persons`), 'the logs were captured');
  for (const s of planted.secrets)
    assert.equal(logs.includes(s) || logs.includes(encodeURIComponent(s)), false, `a canary is in the logs: ${s}`);
}

for (const dialect of dialects) {
  describe(`canaries at rest (${dialect.name})`, () => {
    let h: Harness;
    let planted: Planted;
    let dataDir: string | undefined;
    let closed = false;
    const close = async () => {
      if (!closed) {
        closed = true;
        await h.close();
      }
    };

    before(async () => {
      let db: TestDb;
      if (dialect.name === 'pglite') {
        dataDir = mkdtempSync(join(tmpdir(), 'corridor-canary-'));
        db = await openDb({ kind: 'pglite', dataDir });
        await migrate(db);
      } else {
        db = await dialect.open();
      }
      h = await startHarness(db);
      planted = await plant(h);
    });
    after(async () => {
      await close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    test('no canary is in the logs', () => checkLogs(h, planted));

    // Storage may compress long values (TOAST), which hides them from a byte scan of the files:
    // read every row of every table back as text too, as a dump would.
    test('no canary is in any row of any table read back as text', async () => {
      const tables = await sql<{
        t: string;
      }>`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(
        h.db.kysely,
      );
      let text = '';
      for (const { t } of tables.rows) {
        const rows = await sql<{ j: string }>`select to_jsonb(x)::text as j from ${sql.table(t)} x`.execute(h.db.kysely);
        text += rows.rows.map((r) => r.j).join('\n');
      }
      for (const c of planted.controls) assert.ok(text.includes(c), `control marker ${c} is in the tables`);
      for (const s of planted.secrets)
        assert.equal(text.includes(s) || text.includes(JSON.stringify(s).slice(1, -1)), false, `canary in a table: ${s}`);
    });

    if (dialect.name === 'postgres') {
      test('no canary is in a pg_dump of the database; the clear-text markers are', () => {
        const url = h.db.url;
        assert.ok(url, 'the test database has a URL');
        const dump = spawnSync('pg_dump', ['--no-owner', url], { maxBuffer: 256 * 1024 * 1024 });
        assert.equal(dump.status, 0, dump.stderr?.toString());
        const text = dump.stdout as Buffer;
        for (const c of planted.controls) assert.ok(text.includes(Buffer.from(c, 'utf8')), `control marker ${c} is in the dump`);
        for (const s of planted.secrets) for (const b of forms(s)) assert.equal(text.includes(b), false, `canary in pg_dump: ${s}`);
      });
    } else {
      test('no canary is in any file of the PGlite data folder; the clear-text markers are', async () => {
        await close();
        const blobs = filesUnder(dataDir!).map((f) => ({ f, bytes: readFileSync(f) }));
        assert.ok(blobs.length > 10, 'the data folder holds a database');
        for (const c of planted.controls)
          assert.ok(
            blobs.some((b) => b.bytes.includes(Buffer.from(c, 'utf8'))),
            `control marker ${c} reached the disk`,
          );
        for (const s of planted.secrets) {
          for (const form of forms(s)) {
            const hit = blobs.find((b) => b.bytes.includes(form));
            assert.equal(hit, undefined, `canary ${s} is in ${hit?.f}`);
          }
        }
      });
    }
  });
}
