/**
 * Master-key rotation in the database (the command line around it is in test/cli-keys.test.ts):
 * all or nothing when one data key does not open; a server still running with the old key answers
 * a clear 503 instead of failing inside; a server with the new key reads people and replays the
 * stored answers of system-wide writes; and a server with the old key cannot start.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { newDataKey, wrapKey } from '../../src/crypto/envelope.js';
import { verifyAudit } from '../../src/db/queries/audit.js';
import { buildApp } from '../../src/server/app.js';
import { assertCurrentMasterKey, rotateMasterKey, RotationError } from '../../src/services/keys/key-rotation.js';
import { KeyRing, masterKeyFingerprint } from '../../src/services/keys/keyring.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, TEST_PASSWORD, type Client, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`master-key rotation (${dialect.name})`, () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    let h: Harness;
    let desk: Client;
    let op: string;
    let person: string;
    const userWrite = { key: ulid(), body: { username: 'replayed-user', displayName: 'Replayed', password: TEST_PASSWORD } };

    before(async () => {
      h = await startHarness(await dialect.open(), { masterKey: oldKey });
      op = (await setUpOperation(h, 'rotate-op')).id;
      await setUpOperation(h, 'rotate-other');
      desk = await h.userWithRoles(op, ['registrar'], 'rotate-desk');
      const r = await desk.post(`/api/operations/${op}/households`, {
        siteId: 'amiriyah',
        members: [{ names: { lat: { given: 'Wrapped', family: 'Twice' } }, sex: 'male', estimatedAge: 50 }],
      });
      assert.equal(r.status, 201);
      person = r.body.members[0].id;
      assert.equal((await h.admin.post('/api/users', userWrite.body, { key: userWrite.key })).status, 201);
    });
    after(async () => h.close());

    test('a data key the current master key does not open stops the rotation, and nothing changes', async () => {
      const stray = (await setUpOperation(h, 'stray-op')).id;
      const original = await h.db.kysely
        .selectFrom('operation_keys')
        .select('wrapped_key')
        .where('operation_id', '=', stray)
        .executeTakeFirstOrThrow();
      await h.db.kysely
        .updateTable('operation_keys')
        .set({ wrapped_key: wrapKey(randomBytes(32), newDataKey(), stray) })
        .where('operation_id', '=', stray)
        .execute();
      const before = await h.db.kysely.selectFrom('operation_keys').selectAll().orderBy('operation_id').execute();
      const audits = (await verifyAudit(h.db.kysely)).entries;
      await assert.rejects(
        h.db.kysely.transaction().execute((trx) => rotateMasterKey(trx, oldKey, newKey, new Date())),
        (err: Error) => err instanceof RotationError && err.message.includes(stray) && /nothing was changed/.test(err.message),
      );
      assert.deepEqual(await h.db.kysely.selectFrom('operation_keys').selectAll().orderBy('operation_id').execute(), before);
      assert.equal((await verifyAudit(h.db.kysely)).entries, audits, 'no audit entry for a rotation that did not happen');
      await h.db.kysely
        .updateTable('operation_keys')
        .set({ wrapped_key: original.wrapped_key })
        .where('operation_id', '=', stray)
        .execute();
    });

    test('after rotating, the server still running with the old key answers 503 keys.master_key_mismatch', async () => {
      assert.equal((await desk.get(`/api/operations/${op}/persons/${person}`)).status, 200, 'the old server has the keys in memory');
      const report = await h.db.kysely.transaction().execute((trx) => rotateMasterKey(trx, oldKey, newKey, new Date()));
      assert.equal(report.operations, 3);
      assert.equal(report.from, masterKeyFingerprint(oldKey));
      assert.equal(report.to, masterKeyFingerprint(newKey));
      assert.ok(report.replays >= 1, 'the stored answer of the user creation was sealed again');
      const r = await desk.get(`/api/operations/${op}/persons/${person}`);
      assert.equal(r.status, 503, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'keys.master_key_mismatch');
      assert.match(r.body.error.message, /restart|start Corridor with the new key/i);
    });

    test('a server with the new key reads people and replays a system-wide stored answer', async () => {
      const app = await buildApp({ db: h.db, keys: new KeyRing(newKey), logLevel: 'silent' });
      try {
        const login = async (username: string) => {
          const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: TEST_PASSWORD } });
          assert.equal(r.statusCode, 200);
          return String([r.headers['set-cookie']].flat()[0]).split(';')[0]!;
        };
        const read = await app.inject({
          method: 'GET',
          url: `/api/operations/${op}/persons/${person}`,
          headers: { cookie: await login('rotate-desk') },
        });
        assert.equal(read.statusCode, 200, read.body);
        assert.equal(JSON.parse(read.body).names.lat.family, 'Twice');
        const replay = await app.inject({
          method: 'POST',
          url: '/api/users',
          payload: userWrite.body,
          headers: { cookie: await login('root'), 'idempotency-key': userWrite.key },
        });
        assert.equal(replay.statusCode, 201, replay.body);
        assert.equal(replay.headers['idempotent-replayed'], 'true');
        assert.equal(JSON.parse(replay.body).username, 'replayed-user');
      } finally {
        await app.close();
      }
    });

    test('the old key is refused as replaced; the new one is current; the audit log records the rotation', async () => {
      await assert.rejects(assertCurrentMasterKey(h.db.kysely, oldKey), /was replaced by `corridor keys rotate-master`/);
      await assert.rejects(assertCurrentMasterKey(h.db.kysely, randomBytes(32)), /is not this database's/);
      await assertCurrentMasterKey(h.db.kysely, newKey);
      const entry = await h.db.kysely
        .selectFrom('audit_log')
        .select(['stream', 'subject_id', 'details'])
        .where('action', '=', 'keys.rotate_master')
        .executeTakeFirstOrThrow();
      assert.equal(entry.stream, 'system');
      assert.equal(entry.subject_id, masterKeyFingerprint(newKey));
      assert.equal((await verifyAudit(h.db.kysely)).ok, true);
      await assert.rejects(
        h.db.kysely.transaction().execute((trx) => rotateMasterKey(trx, oldKey, randomBytes(32), new Date())),
        /was replaced/,
      );
    });
  });
}
