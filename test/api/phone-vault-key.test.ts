/**
 * The phone vault's key (GET /api/auth/vault-key, docs/decisions/021-phone-vault.md): released to
 * a logged-in account whose desks keep names on a phone (registration, reception, the convoy board), the same key
 * each time for that account and another for another account, never cached; refused without a
 * session and to an account that lost those roles (its phone then wipes its vault).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`phone vault key (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h, 'vault-op')).id;
    });
    after(async () => h.close());

    test('a registrar and a reception officer each get their own stable 32-byte key, marked no-store', async () => {
      const registrar = await h.userWithRoles(op, ['registrar'], 'vault-registrar');
      const officer = await h.userWithRoles(op, ['reception_officer'], 'vault-officer');
      const a = await h.app.inject({ method: 'GET', url: '/api/auth/vault-key', headers: { cookie: registrar.cookie } });
      assert.equal(a.statusCode, 200, a.body);
      assert.equal(a.headers['cache-control'], 'no-store');
      const key = a.json<{ key: string; wipeAfterHours: number }>();
      assert.equal(Buffer.from(key.key, 'base64url').length, 32);
      assert.ok(key.wipeAfterHours > 0);
      assert.equal((await registrar.get('/api/auth/vault-key')).body.key, key.key, 'the same key each time');
      const other = await officer.get('/api/auth/vault-key');
      assert.equal(other.status, 200);
      assert.notEqual(other.body.key, key.key, 'another account, another key');
      // The convoy board keeps the households to board sealed on the phone.
      const convoys = await h.userWithRoles(op, ['convoy_officer'], 'vault-convoys');
      const board = await convoys.get('/api/auth/vault-key');
      assert.equal(board.status, 200);
      assert.equal(Buffer.from(board.body.key, 'base64url').length, 32);
    });

    test('refused without a session; an account that keeps no names on a phone gets no key (its phone wipes)', async () => {
      const none = await h.app.inject({ method: 'GET', url: '/api/auth/vault-key' });
      assert.equal(none.statusCode, 401);
      const monitor = await h.userWithRoles(op, ['checkpoint_monitor'], 'vault-monitor');
      const r = await monitor.get('/api/auth/vault-key');
      assert.equal(r.status, 200);
      assert.equal(r.body.key, null);
    });
  });
}
