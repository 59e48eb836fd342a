/**
 * Crypto-shredding an operation while the server runs (it has the operation's keys in memory):
 * afterwards its counts still answer; every route answers without a 5xx, and those that would
 * show or seal a person's identifiers answer 410 `operation.shredded`; writes change nothing;
 * stored answers no longer replay; keyed name hashes are gone; the audit log records it and
 * still verifies; another operation is untouched. The canary: an attacker holding the master key
 * and every byte of every table recovers the names before the shredding (so the attack works)
 * and nothing after it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { ulid } from 'ulid';
import { deriveOperationKeys, openJson, unwrapKey } from '../../src/crypto/envelope.js';
import { verifyAudit } from '../../src/db/queries/audit.js';
import type { Executor } from '../../src/db/queries/executor.js';
import { roles } from '../../src/domain/policy.js';
import { shredOperation } from '../../src/services/keys/shred.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

const ARABIC = 'ابتثجحخدذرزسشصضطظعغفقكلمنهوي';
const arabicWord = (n: number) => Array.from({ length: n }, () => ARABIC[randomInt(ARABIC.length)]).join('');
const latinWord = (n: number) => 'Q' + Array.from({ length: n - 1 }, () => 'bcdfghjkmnpqrstvwxz'[randomInt(19)]).join('');
const PLACEHOLDER_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/** Every bytea value of every table, as a dump shows it. */
async function allBytes(db: Executor): Promise<Buffer[]> {
  const tables = await sql<{
    t: string;
  }>`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db);
  const out: Buffer[] = [];
  for (const { t } of tables.rows) {
    const rows = await sql<{ j: string }>`select to_jsonb(x)::text as j from ${sql.table(t)} x`.execute(db);
    for (const r of rows.rows) for (const m of r.j.matchAll(/\\\\x([0-9a-f]+)/g)) out.push(Buffer.from(m[1] as string, 'hex'));
  }
  return out;
}

/**
 * What an attacker with the master key and a copy of the database can read: any stored value
 * that opens as an operation's data key opens that operation's people.
 */
async function recoverNames(db: Executor, masterKey: Buffer, operationId: string): Promise<string[]> {
  for (const candidate of await allBytes(db)) {
    let dataKey: Buffer;
    try {
      dataKey = unwrapKey(masterKey, candidate, operationId);
    } catch {
      continue;
    }
    const keys = deriveOperationKeys(operationId, dataKey);
    const people = await db.selectFrom('persons').select(['id', 'pii']).where('operation_id', '=', operationId).execute();
    return people.flatMap((p) => {
      const pii = openJson<{ names: { ar?: Record<string, string>; lat?: Record<string, string> } }>(keys, p.pii, `person:${p.id}:pii`);
      return [...Object.values(pii.names.ar ?? {}), ...Object.values(pii.names.lat ?? {})];
    });
  }
  return [];
}

async function tableCounts(db: Executor): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['persons', 'households', 'person_keys', 'tracing_requests', 'idempotency_keys', 'audit_log', 'operation_keys']) {
    out[t] = (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)}`.execute(db)).rows[0]!.n;
  }
  return out;
}

for (const dialect of dialects) {
  describe(`crypto-shredding an operation (${dialect.name})`, () => {
    const masterKey = randomBytes(32);
    let h: Harness;
    let staff: Client;
    let op: string;
    let other: string;
    let otherPerson: string;
    const ids: Record<string, string> = {};
    const names: string[] = [];
    let recoveredBefore: string[] = [];
    const replay = { key: ulid(), body: {} as Record<string, unknown> };

    before(async () => {
      h = await startHarness(await dialect.open(), { masterKey });
      op = (await setUpOperation(h, 'shred-me')).id;
      other = (await setUpOperation(h, 'keep-me')).id;
      staff = await h.userWithRoles(op, [...roles], 'shred-staff');

      const people = Array.from({ length: 2 }, () => ({
        ar: { given: arabicWord(9), family: arabicWord(10) },
        lat: { given: latinWord(10), family: latinWord(12) },
      }));
      names.push(...people.flatMap((p) => [p.ar.given, p.ar.family, p.lat.given, p.lat.family]));
      replay.body = {
        siteId: 'amiriyah',
        members: people.map((p, i) => ({ names: p, sex: i ? 'female' : 'male', estimatedAge: 30 + i, phone: '+963 944 000 111' })),
      };
      const hh = await staff.post(`/api/operations/${op}/households`, replay.body, { key: replay.key });
      assert.equal(hh.status, 201, JSON.stringify(hh.body));
      ids.householdId = hh.body.id;
      ids.personId = hh.body.members[0].id;
      const tr = await staff.post(`/api/operations/${op}/tracing`, {
        enquirer: { name: latinWord(9) },
        relation: 'sibling',
        sought: { names: { lat: { given: people[0]!.lat.given } } },
      });
      assert.equal(tr.status, 201, JSON.stringify(tr.body));
      ids.requestId = tr.body.id;
      ids.userId = staff.userId;

      const keeper = await h.userWithRoles(other, ['registrar'], 'keep-desk');
      const kept = await keeper.post(`/api/operations/${other}/households`, {
        siteId: 'amiriyah',
        members: [{ names: { lat: { given: 'Kept', family: 'Person' } }, sex: 'male', estimatedAge: 40 }],
      });
      assert.equal(kept.status, 201);
      otherPerson = kept.body.members[0].id;

      // The running server has the keys in memory: it read the person just now.
      assert.equal((await staff.get(`/api/operations/${op}/persons/${ids.personId}`)).status, 200);
      recoveredBefore = await recoverNames(h.db.kysely, masterKey, op);
      await h.settleCounts();
      await h.db.kysely.transaction().execute((trx) => shredOperation(trx, op, new Date()));
    });
    after(async () => h.close());

    test('before shredding, the master key and the database give the names back (the attack works)', () => {
      assert.deepEqual([...recoveredBefore].sort(), [...names].sort());
    });

    test('after shredding, nothing in the database opens with the master key, and no name is in any table', async () => {
      assert.deepEqual(await recoverNames(h.db.kysely, masterKey, op), []);
      const key = await h.db.kysely.selectFrom('operation_keys').selectAll().where('operation_id', '=', op).executeTakeFirstOrThrow();
      assert.equal(key.wrapped_key, null);
      assert.ok(key.destroyed_at);
      const tables = await sql<{
        t: string;
      }>`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(
        h.db.kysely,
      );
      for (const { t } of tables.rows) {
        const text = (await sql<{ j: string }>`select to_jsonb(x)::text as j from ${sql.table(t)} x`.execute(h.db.kysely)).rows
          .map((r) => r.j)
          .join('\n');
        for (const n of names) assert.equal(text.includes(n), false, `a name is in ${t}`);
      }
    });

    if (dialect.name === 'postgres') {
      test('after shredding, nothing in a pg_dump opens with the master key', async () => {
        const dump = spawnSync('pg_dump', ['--no-owner', h.db.url!], { maxBuffer: 256 * 1024 * 1024 });
        assert.equal(dump.status, 0, dump.stderr?.toString());
        const text = dump.stdout.toString('utf8');
        const blobs = [...text.matchAll(/\\\\x([0-9a-f]+)/g)].map((m) => Buffer.from(m[1] as string, 'hex'));
        assert.ok(blobs.length > 5, 'the dump holds sealed values');
        const opened = blobs.filter((b) => {
          try {
            unwrapKey(masterKey, b, op);
            return true;
          } catch {
            return false;
          }
        });
        assert.equal(opened.length, 0);
        for (const n of names) assert.equal(text.includes(n), false, `a name is in the dump: ${n}`);
        const other = await h.db.kysely.selectFrom('operation_keys').select('wrapped_key').where('operation_id', '!=', op).execute();
        assert.ok(
          other.some((k) => k.wrapped_key && text.includes(Buffer.from(k.wrapped_key).toString('hex'))),
          "the dump shows the live operations' keys (the scan sees them)",
        );
      });
    }

    test('counts, the operation, its sites and its audit log still answer', async () => {
      const r = await staff.get(`/api/operations/${op}/counts`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.totals.registered, 2);
      for (const url of [`/api/operations/${op}`, `/api/operations/${op}/sites`]) assert.equal((await staff.get(url)).status, 200, url);
      const audit = await staff.get(`/api/operations/${op}/audit`);
      assert.equal(audit.status, 200);
      assert.ok(JSON.stringify(audit.body).includes('operation.shred'), 'the shredding is listed');
    });

    test('the routes that would show a person answer 410 operation.shredded', async () => {
      for (const url of [
        `/api/operations/${op}/persons/${ids.personId}`,
        `/api/operations/${op}/households/${ids.householdId}`,
        `/api/operations/${op}/persons?q=${encodeURIComponent(names[2]!)}`,
        `/api/operations/${op}/tracing`,
        `/api/operations/${op}/tracing/${ids.requestId}`,
      ]) {
        const r = await staff.get(url);
        assert.equal(r.status, 410, `${url}: ${r.status} ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.code, 'operation.shredded');
        assert.match(r.body.error.message, /shredded/);
      }
    });

    test('every route of the operation answers without a server error', async () => {
      const failures: string[] = [];
      let gone = 0;
      for (const route of h.app.corridorRoutes.filter((r) => r.url.includes(':operationId'))) {
        const url = route.url.replace(/:([A-Za-z]+)/g, (_m, name: string) =>
          encodeURIComponent(name === 'operationId' ? op : (ids[name] ?? PLACEHOLDER_ID)),
        );
        const headers: Record<string, string> = { cookie: staff.cookie };
        if (route.method !== 'GET') headers['idempotency-key'] = ulid();
        // A stream would not end: ask for the counts once, as JSON.
        if (route.url.endsWith('/stream')) headers.accept = 'application/json';
        const r = await h.app.inject({ method: route.method, url, headers, ...(route.def.body ? { payload: {} } : {}) });
        if (r.statusCode >= 500) failures.push(`${route.method} ${route.url}: ${r.statusCode} ${r.body}`);
        if (r.statusCode === 410) gone++;
      }
      assert.deepEqual(failures, []);
      assert.ok(gone >= 5, `the person routes answered 410 (${gone})`);
    });

    test('writes are refused with 410 and change nothing', async () => {
      const before = await tableCounts(h.db.kysely);
      const writes = [
        await staff.post(`/api/operations/${op}/households`, {
          siteId: 'amiriyah',
          members: [{ names: { lat: { given: 'New' } }, sex: 'male', estimatedAge: 9 }],
        }),
        await staff.post(`/api/operations/${op}/households/${ids.householdId}/members`, {
          names: { lat: { given: 'Another' } },
          sex: 'female',
          estimatedAge: 3,
        }),
        await staff.patch(`/api/operations/${op}/persons/${ids.personId}`, { phone: '+963 900 000 000' }),
        await staff.post(`/api/operations/${op}/tracing`, {
          enquirer: { name: 'Someone' },
          relation: 'parent',
          sought: { names: { lat: { given: 'Ali' } } },
        }),
        await staff.post(`/api/operations/${op}/sites`, { id: 'late', kind: 'camp', nameEn: 'Late camp' }),
      ];
      for (const w of writes) {
        assert.equal(w.status, 410, JSON.stringify(w.body));
        assert.equal(w.body.error.code, 'operation.shredded');
      }
      assert.deepEqual(await tableCounts(h.db.kysely), before);
    });

    test('a stored answer (replay of a client id) is no longer readable: 410, never the names', async () => {
      const stored = await h.db.kysely
        .selectFrom('idempotency_keys')
        .select('response')
        .where('client_id', '=', replay.key)
        .executeTakeFirstOrThrow();
      assert.equal(typeof (stored.response as { sealed?: unknown }).sealed, 'string', 'the answer is still stored, sealed');
      const r = await staff.post(`/api/operations/${op}/households`, replay.body, { key: replay.key });
      assert.equal(r.status, 410, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'operation.shredded');
      for (const n of names) assert.equal(JSON.stringify(r.body).includes(n), false);
    });

    test('keyed name hashes are removed; another operation is untouched', async () => {
      const left = await h.db.kysely.selectFrom('person_keys').select('kind').where('operation_id', '=', op).execute();
      assert.equal(left.length, 0);
      const kept = await h.db.kysely.selectFrom('person_keys').select('kind').where('operation_id', '=', other).execute();
      assert.ok(kept.length > 0);
      const keeper = await h.login('keep-desk', 'correct horse battery staple');
      const r = await keeper.get(`/api/operations/${other}/persons/${otherPerson}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.names.lat.given, 'Kept');
    });

    test('the shredding is in the audit log, which still verifies; shredding again sweeps stray keyed hashes', async () => {
      const entries = await h.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'actor_kind', 'details'])
        .where('stream', '=', op)
        .where('action', '=', 'operation.shred')
        .execute();
      assert.equal(entries.length, 1);
      assert.equal(entries[0]!.actor_kind, 'system');
      assert.equal((entries[0]!.details as { keyDestroyed: boolean }).keyDestroyed, true);
      assert.ok((entries[0]!.details as { keyedHashesRemoved: number }).keyedHashesRemoved > 0);

      // A write that raced with the shredding could leave a keyed hash behind.
      await h.db.kysely
        .insertInto('person_keys')
        .values({ operation_id: op, kind: 'given', key_hash: randomBytes(16), person_id: ids.personId! })
        .execute();
      const again = await h.db.kysely.transaction().execute((trx) => shredOperation(trx, op, new Date()));
      assert.equal(again.destroyedNow, false);
      assert.equal(again.keyedHashesRemoved, 1);
      const v = await verifyAudit(h.db.kysely);
      assert.equal(v.ok, true, JSON.stringify(v.firstBreak));
      const n = await h.db.kysely
        .selectFrom('audit_log')
        .select('details')
        .where('stream', '=', op)
        .where('action', '=', 'operation.shred')
        .execute();
      assert.equal(n.length, 2);
    });

    test('an unknown operation cannot be shredded', async () => {
      await assert.rejects(
        h.db.kysely.transaction().execute((trx) => shredOperation(trx, PLACEHOLDER_ID, new Date())),
        { code: 'operation.not_found' },
      );
    });
  });
}
