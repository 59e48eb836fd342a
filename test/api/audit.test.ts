/**
 * The audit log: what is recorded (logins, changes, reads of a person, with actor, operation,
 * time and action), that the hash chain verifies when intact, and that each kind of tampering
 * — an edited row, a removed row, two rows swapped, an edit with its hash recomputed — is
 * found and the first broken entry named. Tampering runs in a transaction that is rolled
 * back, so each case starts from the same intact log. On PostgreSQL, the documented grant
 * (docs/audit.md) is shown to refuse UPDATE and DELETE to the application's role.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import {
  appendAudit,
  appendAuditMany,
  entryHash,
  verifyAudit,
  type AuditEntry,
  type AuditVerification,
} from '../../src/db/queries/audit.js';
import type { Executor } from '../../src/db/queries/executor.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, TEST_PASSWORD, type Client, type Harness } from '../support/harness.js';

class Rollback extends Error {}

for (const dialect of dialects) {
  describe(`audit log (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let registrar: Client;
    let personId: string;
    const started = new Date(Date.now() - 1000);

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h, 'audit-op')).id;
      registrar = await h.userWithRoles(op, ['registrar'], 'audit-registrar');
      await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'audit-registrar', password: 'wrong password!' } });
      await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody-here', password: TEST_PASSWORD } });
      const hh = await registrar.post(`/api/operations/${op}/households`, {
        siteId: 'amiriyah',
        members: [{ names: { lat: { given: 'Audit', family: 'Subject' } }, sex: 'female', estimatedAge: 50 }],
      });
      assert.equal(hh.status, 201);
      personId = hh.body.members[0].id;
      assert.equal((await registrar.get(`/api/operations/${op}/persons/${personId}`)).status, 200);
      assert.equal((await registrar.patch(`/api/operations/${op}/persons/${personId}`, { phone: '+963 911 111 111' })).status, 200);
    });
    after(async () => h.close());

    const rows = () => h.db.kysely.selectFrom('audit_log').selectAll().orderBy('seq').execute();

    /** Runs a tampering inside a transaction, verifies there, and rolls everything back. */
    async function tampered(change: (trx: Transaction<Database>) => Promise<void>): Promise<AuditVerification> {
      let result: AuditVerification | undefined;
      await h.db.kysely
        .transaction()
        .execute(async (trx) => {
          await sql`alter table audit_log disable trigger user`.execute(trx);
          await change(trx);
          result = await verifyAudit(trx);
          throw new Rollback();
        })
        .catch((err: unknown) => {
          if (!(err instanceof Rollback)) throw err;
        });
      return result!;
    }

    /** A row in the middle of the operation's stream, and the one after it. */
    async function middleOfStream() {
      const stream = (await rows()).filter((r) => r.stream === op);
      assert.ok(stream.length >= 6, 'the operation stream has entries');
      const i = Math.floor(stream.length / 2);
      return { row: stream[i]!, next: stream[i + 1]! };
    }

    test('logins, failed logins, changes and reads of a person are recorded with actor, operation, time and action', async () => {
      const all = await rows();
      const find = (action: string, pred: (r: (typeof all)[number]) => boolean = () => true) =>
        all.find((r) => r.action === action && pred(r));
      assert.ok(
        find('auth.login', (r) => r.actor_id === registrar.userId),
        'successful login',
      );
      const failed = find('auth.login_failed', (r) => r.actor_id === registrar.userId);
      assert.ok(failed, 'failed login of a known account');
      assert.equal((failed.details as { reason: string }).reason, 'bad_password');
      assert.ok(
        find('auth.login_failed', (r) => r.actor_kind === 'anonymous'),
        'failed login of an unknown username',
      );
      const created = find('household.register', (r) => r.operation_id === op);
      assert.equal(created?.actor_id, registrar.userId);
      const read = find('person.read', (r) => r.subject_id === personId);
      assert.equal(read?.actor_id, registrar.userId);
      assert.equal(read?.operation_id, op);
      const changed = find('person.update', (r) => r.subject_id === personId);
      assert.deepEqual((changed?.details as { fields: string[] }).fields, ['phone']);
      assert.ok(find('operation.create', (r) => r.operation_id === op && r.actor_id === h.admin.userId));
      for (const r of all) {
        const at = new Date(r.at).getTime();
        assert.ok(at >= started.getTime() && at <= Date.now(), `entry ${r.seq} has the time it happened`);
        assert.ok(r.action.length > 0 && r.actor_kind.length > 0);
      }
      assert.equal(JSON.stringify(all).includes('+963 911'), false, 'the audit says which fields changed, not their values');
    });

    test('the multi-row append chains exactly the hashes of one append per entry, across streams', async () => {
      const entries: AuditEntry[] = Array.from({ length: 7 }, (_, i) => ({
        operationId: i % 3 === 0 ? null : op,
        actorId: registrar.userId,
        actorKind: 'user',
        action: `test.entry_${i}`,
        subjectKind: 'thing',
        subjectId: `t${i}`,
        details: { i, nested: { b: 2, a: 1 } },
        at: new Date(Date.parse('2016-12-15T08:00:00.000Z') + i * 1234.5),
      }));
      const written = async (append: (trx: Executor) => Promise<void>) => {
        let out: { stream: string; n: number; hash: string; prev_hash: string }[] = [];
        await h.db.kysely
          .transaction()
          .execute(async (trx) => {
            const last = Number(
              (
                await trx
                  .selectFrom('audit_log')
                  .select((eb) => eb.fn.max('seq').as('m'))
                  .executeTakeFirstOrThrow()
              ).m,
            );
            await append(trx);
            out = await trx
              .selectFrom('audit_log')
              .select(['stream', 'n', 'hash', 'prev_hash'])
              .where('seq', '>', last)
              .orderBy('seq')
              .execute();
            assert.equal((await verifyAudit(trx)).ok, true);
            throw new Rollback();
          })
          .catch((err: unknown) => {
            if (!(err instanceof Rollback)) throw err;
          });
        return out;
      };
      const one = await written(async (trx) => {
        for (const e of entries) await appendAudit(trx, e);
      });
      const many = await written((trx) => appendAuditMany(trx, entries));
      assert.equal(one.length, 7);
      // Grouped by stream (one lock per stream), each stream's chain identical.
      const byStream = (rows: typeof one) => [...new Set(rows.map((r) => r.stream))].sort().map((s) => rows.filter((r) => r.stream === s));
      assert.deepEqual(byStream(many), byStream(one));
    });

    test('an intact log verifies, through the API too', async () => {
      const v = await verifyAudit(h.db.kysely);
      assert.equal(v.ok, true, JSON.stringify(v.firstBreak));
      assert.equal(v.entries, (await rows()).length);
      const api = await h.admin.get('/api/audit/verify');
      assert.equal(api.status, 200);
      assert.equal(api.body.ok, true);
    });

    test('the database refuses to update, delete or truncate audit rows', async () => {
      const { row } = await middleOfStream();
      await assert.rejects(sql`update audit_log set action = 'x' where seq = ${row.seq}`.execute(h.db.kysely), /append-only/);
      await assert.rejects(sql`delete from audit_log where seq = ${row.seq}`.execute(h.db.kysely), /append-only/);
      await assert.rejects(sql`truncate audit_log`.execute(h.db.kysely), /append-only/);
      assert.equal((await verifyAudit(h.db.kysely)).ok, true);
    });

    test('an edited entry is named', async () => {
      const { row } = await middleOfStream();
      const v = await tampered(async (trx) => {
        await sql`update audit_log set details = ${JSON.stringify({ members: ['someone-else'] })}::jsonb where seq = ${row.seq}`.execute(
          trx,
        );
      });
      assert.equal(v.ok, false);
      assert.deepEqual(v.firstBreak, { stream: op, seq: Number(row.seq), n: row.n, problem: 'edited' });
    });

    test('an edit with its own hash recomputed without the audit key is named at the entry', async () => {
      const { row } = await middleOfStream();
      const v = await tampered(async (trx) => {
        const forged = { ...row, at: new Date(row.at), actor_id: 'someone-else' };
        await sql`update audit_log set actor_id = 'someone-else', hash = ${entryHash(row.prev_hash, forged)} where seq = ${row.seq}`.execute(
          trx,
        );
      });
      assert.equal(v.ok, false);
      assert.deepEqual(v.firstBreak, { stream: op, seq: Number(row.seq), n: row.n, problem: 'edited' });
    });

    test('a removed entry is found at the entry after it', async () => {
      const { row, next } = await middleOfStream();
      const v = await tampered(async (trx) => {
        await sql`delete from audit_log where seq = ${row.seq}`.execute(trx);
      });
      assert.equal(v.ok, false);
      assert.deepEqual(v.firstBreak, { stream: op, seq: Number(next.seq), n: next.n, problem: 'removed_or_reordered' });
    });

    test('removing the newest entry is found by the stream head', async () => {
      const last = (await rows()).filter((r) => r.stream === op).at(-1)!;
      const v = await tampered(async (trx) => {
        await sql`delete from audit_log where seq = ${last.seq}`.execute(trx);
      });
      assert.equal(v.ok, false);
      assert.equal(v.firstBreak?.problem, 'head_mismatch');
      assert.equal(v.firstBreak?.stream, op);
    });

    test('two entries swapped are found at the first of them', async () => {
      const { row, next } = await middleOfStream();
      const v = await tampered(async (trx) => {
        const cols = [
          'stream',
          'n',
          'at',
          'actor_id',
          'actor_kind',
          'operation_id',
          'action',
          'subject_kind',
          'subject_id',
          'details',
          'prev_hash',
          'hash',
        ] as const;
        const a = Object.fromEntries(cols.map((c) => [c, c === 'details' ? JSON.stringify(row[c]) : row[c]]));
        const b = Object.fromEntries(cols.map((c) => [c, c === 'details' ? JSON.stringify(next[c]) : next[c]]));
        // (stream, n) is unique: park one row out of the way first.
        await trx.updateTable('audit_log').set({ n: -1 }).where('seq', '=', row.seq).execute();
        await trx.updateTable('audit_log').set(a).where('seq', '=', next.seq).execute();
        await trx.updateTable('audit_log').set(b).where('seq', '=', row.seq).execute();
      });
      assert.equal(v.ok, false);
      assert.deepEqual(v.firstBreak, { stream: op, seq: Number(row.seq), n: next.n, problem: 'removed_or_reordered' });
    });

    if (dialect.name === 'postgres') {
      test('the documented application role can insert and read audit rows but not change or remove them', async () => {
        const role = `corridor_app_${randomBytes(4).toString('hex')}`;
        const c = new pg.Client({ connectionString: h.db.url });
        await c.connect();
        try {
          // The grant of docs/audit.md, statement for statement.
          await c.query(`create role ${role} login`);
          await c.query(`grant usage on schema public to ${role}`);
          await c.query(`grant select, insert, update, delete on all tables in schema public to ${role}`);
          await c.query(`revoke update, delete, truncate on audit_log from ${role}`);
          await c.query(`grant usage on sequence audit_log_seq_seq to ${role}`);
          await c.query('begin');
          await c.query(`set local role ${role}`);
          await c.query(
            `insert into audit_log (stream, n, at, actor_kind, action, prev_hash, hash) values ('role-test', 1, now(), 'system', 'probe', '', 'x')`,
          );
          const seen = await c.query(`select count(*)::int as n from audit_log where stream = 'role-test'`);
          assert.equal(seen.rows[0].n, 1);
          // The chain's heads are the application's to move forward.
          await c.query(`insert into audit_heads (stream, n, hash) values ('role-test', 1, 'x') on conflict (stream) do update set n = 1`);
          for (const statement of [
            `update audit_log set action = 'x' where stream = 'role-test'`,
            `delete from audit_log where stream = 'role-test'`,
            'truncate audit_log',
          ]) {
            await c.query('savepoint s');
            await assert.rejects(
              c.query(statement),
              (err: { code?: string; message: string }) => err.code === '42501' && /permission denied/.test(err.message),
              statement,
            );
            await c.query('rollback to savepoint s');
          }
          await c.query('rollback');
        } finally {
          await c.query('rollback').catch(() => undefined);
          await c.query(`revoke all on all tables in schema public from ${role}`).catch(() => undefined);
          await c.query(`revoke all on sequence audit_log_seq_seq from ${role}`).catch(() => undefined);
          await c.query(`revoke all on schema public from ${role}`).catch(() => undefined);
          await c.query(`drop role if exists ${role}`).catch(() => undefined);
          await c.end();
        }
      });
    }
  });
}
