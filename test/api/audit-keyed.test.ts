/**
 * Keyed audit entries (security audit finding 16). Whoever holds the database role can write
 * rows; before, they could append an entry whose hash they computed themselves (a SHA-256 of the
 * previous hash and the entry) and `audit verify` called the chain intact. Entries now carry an
 * HMAC under the audit key, which only the master key opens: a forged append — computed exactly
 * as someone without the key can, and with the stream head moved on — is named. Entries written
 * before keying began still verify; a master-key rotation keeps everything verifiable; the
 * heads of when keying began cannot be moved to pass a forged entry off as older.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { appendAudit, entryHash, verifyAudit } from '../../src/db/queries/audit.js';
import type { Executor } from '../../src/db/queries/executor.js';
import { keyAuditWith } from '../../src/services/audit/audit-anchor.js';
import { rotateMasterKey } from '../../src/services/keys/key-rotation.js';
import { KeyRing } from '../../src/services/keys/keyring.js';
import { dialects, type TestDb } from '../support/db.js';
import { setUpOperation, startHarness, type Harness } from '../support/harness.js';

/** Appends an entry the way someone with only the database role can: the plain hash, the head moved on. */
async function forgeAppend(db: Executor, stream: string, extra: { key_id?: string } = {}): Promise<number> {
  const head = await db.selectFrom('audit_heads').select(['n', 'hash']).where('stream', '=', stream).executeTakeFirstOrThrow();
  const row = {
    stream,
    n: head.n + 1,
    at: new Date(Math.floor(Date.now())),
    actor_id: 'nobody-real',
    actor_kind: 'user',
    operation_id: stream === 'system' ? null : stream,
    action: 'person.read',
    subject_kind: 'person',
    subject_id: 'cover-story',
    details: {},
  };
  const hash = entryHash(head.hash, row);
  const inserted = await sql<{ seq: string }>`
    insert into audit_log (stream, n, at, actor_id, actor_kind, operation_id, action, subject_kind, subject_id, details, prev_hash, hash, key_id)
    values (${row.stream}, ${row.n}, ${row.at}, ${row.actor_id}, ${row.actor_kind}, ${row.operation_id}, ${row.action},
            ${row.subject_kind}, ${row.subject_id}, '{}'::jsonb, ${head.hash}, ${hash}, ${extra.key_id ?? null})
    returning seq`.execute(db);
  await sql`update audit_heads set n = ${row.n}, hash = ${hash} where stream = ${stream}`.execute(db);
  return Number(inserted.rows[0]!.seq);
}

class Rollback extends Error {}

/** Runs `change` and `check` in one transaction, then rolls everything back. */
async function rolledBack<T>(db: TestDb, change: (trx: Executor) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await db.kysely
    .transaction()
    .execute(async (trx) => {
      result = await change(trx);
      throw new Rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Rollback)) throw err;
    });
  return result as T;
}

for (const dialect of dialects) {
  describe(`keyed audit entries (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    const masterKey = randomBytes(32);

    before(async () => {
      h = await startHarness(await dialect.open(), { masterKey });
      op = (await setUpOperation(h, 'keyed-audit-op')).id;
    });
    after(async () => h.close());

    test('entries are keyed, and the chain verifies', async () => {
      const v = await verifyAudit(h.db.kysely);
      assert.equal(v.ok, true, JSON.stringify(v));
      assert.ok(v.entries > 0);
      assert.equal(v.keyed, v.entries, 'every entry written by the server carries the audit key');
      const ids = await h.db.kysely.selectFrom('audit_log').select('key_id').distinct().execute();
      assert.equal(ids.length, 1);
      assert.match(String(ids[0]!.key_id), /^[0-9a-f]{16}$/);
    });

    test('an entry appended through SQL with the chain hash computed without the key is named, by the CLI path and the API', async () => {
      const r = await rolledBack(h.db, async (trx) => {
        const seq = await forgeAppend(trx, op);
        return { seq, v: await verifyAudit(trx) };
      });
      assert.equal(r.v.ok, false);
      assert.equal(r.v.firstBreak?.seq, r.seq);
      assert.equal(r.v.firstBreak?.problem, 'not_keyed');

      // Committed this time (the API reads outside any transaction of the test): the check the admin runs.
      const seq = await forgeAppend(h.db.kysely, 'system');
      const api = await h.admin.get('/api/audit/verify');
      assert.equal(api.status, 200);
      assert.equal(api.body.ok, false);
      assert.deepEqual(api.body.firstBreak, { stream: 'system', seq, n: api.body.firstBreak.n, problem: 'not_keyed' });
    });

    test('a forged entry claiming the audit key id is named as edited', async () => {
      const keyId = (await h.db.kysely.selectFrom('audit_keys').select('id').executeTakeFirstOrThrow()).id;
      const r = await rolledBack(h.db, async (trx) => {
        const seq = await forgeAppend(trx, op, { key_id: keyId });
        return { seq, v: await verifyAudit(trx) };
      });
      assert.equal(r.v.ok, false);
      assert.deepEqual(r.v.firstBreak, { stream: op, seq: r.seq, n: r.v.firstBreak?.n, problem: 'edited' });
    });
  });

  describe(`keyed audit entries: before keying, and after a master-key rotation (${dialect.name})`, () => {
    let db: TestDb;
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const at = () => new Date(Math.floor(Date.now()));

    before(async () => {
      db = await dialect.open();
      // Written before keying began (an older version, or a command without the master key).
      for (let i = 0; i < 3; i++)
        await appendAudit(db.kysely, { operationId: null, actorId: null, actorKind: 'system', action: 'old.entry', at: at() });
      await appendAudit(db.kysely, { operationId: 'legacy-stream', actorId: null, actorKind: 'system', action: 'old.entry', at: at() });
    });
    after(async () => db.close());

    test('entries from before keying still verify, and keying begins at the next entry', async () => {
      assert.equal((await verifyAudit(db.kysely)).ok, true);
      keyAuditWith(db.kysely, new KeyRing(oldKey));
      await appendAudit(db.kysely, { operationId: null, actorId: null, actorKind: 'system', action: 'new.entry', at: at() });
      const v = await verifyAudit(db.kysely);
      assert.equal(v.ok, true, JSON.stringify(v));
      assert.equal(v.entries, 5);
      assert.equal(v.keyed, 1);
    });

    test('an unkeyed entry appended to a stream that had only entries from before keying is named', async () => {
      const r = await rolledBack(db, async (trx) => {
        const seq = await forgeAppend(trx, 'legacy-stream');
        return { seq, v: await verifyAudit(trx) };
      });
      assert.deepEqual(r.v.firstBreak, { stream: 'legacy-stream', seq: r.seq, n: 2, problem: 'not_keyed' });
    });

    test('moving the heads of when keying began (to pass a forged entry off as older) makes the audit key unreadable', async () => {
      await assert.rejects(
        rolledBack(db, async (trx) => {
          await forgeAppend(trx, 'legacy-stream');
          await sql`update audit_keys set legacy_heads = (select jsonb_agg(jsonb_build_object('stream', stream, 'n', n, 'hash', hash)) from audit_heads)`.execute(
            trx,
          );
          return verifyAudit(trx);
        }),
        /does not open the audit key/,
      );
    });

    test('after a master-key rotation the audit key is re-wrapped: everything verifies with the new key, a forged append is still named', async () => {
      await db.kysely.transaction().execute((trx) => rotateMasterKey(trx, oldKey, newKey, at()));
      keyAuditWith(db.kysely, new KeyRing(newKey));
      await appendAudit(db.kysely, { operationId: null, actorId: null, actorKind: 'system', action: 'after.rotation', at: at() });
      const v = await verifyAudit(db.kysely);
      assert.equal(v.ok, true, JSON.stringify(v));
      assert.equal(v.keyed, 3, 'the entry before the rotation, the rotation, the one after');
      const r = await rolledBack(db, async (trx) => {
        const seq = await forgeAppend(trx, 'system');
        return { seq, v: await verifyAudit(trx) };
      });
      assert.deepEqual(r.v.firstBreak, { stream: 'system', seq: r.seq, n: 7, problem: 'not_keyed' });
      // The old master key no longer opens it.
      keyAuditWith(db.kysely, new KeyRing(oldKey));
      await assert.rejects(verifyAudit(db.kysely), /does not open the audit key/);
      keyAuditWith(db.kysely, new KeyRing(newKey));
    });
  });
}
