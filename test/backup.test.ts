/**
 * `corridor backup` / `corridor restore` (audit finding 9): the archive holds no name and not the
 * master key; restored into an empty database (PGlite, PostgreSQL), `counts verify` and `audit
 * verify` pass and the names read back with the key. A non-empty target, another master key and a
 * tampered archive are refused.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openJson } from '../src/crypto/envelope.js';
import { verifyAudit } from '../src/db/queries/audit.js';
import { restoreBackup, writeBackup } from '../src/services/backup/backup.js';
import { verifyCounts } from '../src/services/counts/counts.js';
import { KeyRing } from '../src/services/keys/keyring.js';
import { dialects, type TestDb } from './support/db.js';
import { setUpOperation, startHarness, type Harness } from './support/harness.js';

for (const dialect of dialects) {
  describe(`backup and restore (${dialect.name})`, () => {
    const masterKey = randomBytes(32);
    let h: Harness;
    let op: string;
    let person: string;
    let archive: Buffer;
    let target: TestDb;

    before(async () => {
      h = await startHarness(await dialect.open(), { masterKey });
      op = (await setUpOperation(h, 'backup-op')).id;
      const desk = await h.userWithRoles(op, ['registrar', 'coordinator'], 'backup-desk');
      const r = await desk.post(`/api/operations/${op}/households`, {
        siteId: 'amiriyah',
        members: [{ names: { lat: { given: 'Backedup', family: 'Qzxwvy' } }, sex: 'female', estimatedAge: 44, category: 'civilian' }],
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      person = r.body.members[0].id;
      assert.equal((await desk.get(`/api/operations/${op}/persons/${person}`)).status, 200);
      await h.settleCounts();
      archive = await writeBackup(h.db.kysely, masterKey, new Date());
      target = await dialect.open();
    });
    after(async () => {
      await h.close();
      await target.close();
    });

    test('the archive holds neither a name nor the master key', () => {
      assert.equal(archive.includes(Buffer.from('Qzxwvy')), false);
      assert.equal(archive.includes(masterKey), false);
      assert.equal(archive.includes(Buffer.from(masterKey.toString('hex'))), false);
      assert.equal(archive.includes(Buffer.from(masterKey.toString('base64'))), false);
    });

    test('another master key and a tampered archive are refused, and nothing is written', async () => {
      await assert.rejects(restoreBackup(target.kysely, randomBytes(32), archive, new Date()), /master key/);
      const bad = Buffer.from(archive);
      bad[bad.length - 5] = bad[bad.length - 5]! ^ 1;
      await assert.rejects(restoreBackup(target.kysely, masterKey, bad, new Date()));
      const users = await target.kysely.selectFrom('users').select('id').execute();
      assert.deepEqual(users, []);
    });

    test('restored into an empty database: counts verify and audit verify pass, names read back with the key', async () => {
      const r = await restoreBackup(target.kysely, masterKey, archive, new Date());
      assert.ok(r.rows > 10);
      const keys = new KeyRing(masterKey);
      assert.deepEqual((await verifyCounts(target.kysely, keys, op)).differences, []);
      const audit = await verifyAudit(target.kysely);
      assert.equal(audit.ok, true, JSON.stringify(audit));
      const row = await target.kysely.selectFrom('persons').selectAll().where('id', '=', person).executeTakeFirstOrThrow();
      const opKeys = await keys.forOperation(target.kysely, op);
      const pii = openJson<{ names: { lat: { family: string } } }>(opKeys, row.pii, `person:${person}:pii`);
      assert.equal(pii.names.lat.family, 'Qzxwvy');
      const counted = await target.kysely
        .selectFrom('counters')
        .select('n')
        .where('operation_id', '=', op)
        .where('metric', '=', 'registered')
        .where('hour', '=', '*')
        .where('vulnerability', '=', '*')
        .execute();
      assert.equal(
        counted.reduce((a, c) => a + Number(c.n), 0),
        1,
      );
    });

    test('a database that is not empty is refused', async () => {
      await assert.rejects(restoreBackup(target.kysely, masterKey, archive, new Date()), /not empty/);
    });
  });
}
