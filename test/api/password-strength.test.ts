/**
 * Weak passwords (audit finding 12): `password1234` and its kind are refused wherever a password
 * is set — an admin creating an account here; the CLI in test/cli.test.ts; a password change in
 * test/api/account-life-cycle.test.ts — with a 400 naming the field, and nothing written.
 * Passwords Corridor generates itself (the first admin's, the demo accounts') pass.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomPassword } from '../../src/services/accounts/auth.js';
import { estimatePassword } from '../../src/services/accounts/password-strength.js';
import { dialects } from '../support/db.js';
import { startHarness, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`password strength (${dialect.name})`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(await dialect.open());
    });
    after(async () => h.close());

    const users = async () => (await h.admin.get('/api/users')).body.map((u: { username: string }) => u.username) as string[];

    for (const password of ['password1234', 'qwertyuiop123', 'iloveyou2016', 'layla-hassan1', '123456789012']) {
      test(`an admin cannot create an account with the password ${password}`, async () => {
        const before = await users();
        const r = await h.admin.post('/api/users', { username: 'layla-hassan', displayName: 'Layla Hassan', password });
        assert.equal(r.status, 400, JSON.stringify(r.body));
        assert.equal(r.body.error.code, 'user.password_weak');
        assert.equal(r.body.error.details.fields[0].path, 'password');
        assert.match(r.body.error.details.fields[0].message, /too easy to guess/);
        assert.deepEqual(await users(), before, 'no account written');
      });
    }

    test('a strong passphrase is accepted', async () => {
      const r = await h.admin.post('/api/users', { username: 'nour', displayName: 'Nour', password: 'violet kettle under ninety bridges' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    });
  });
}

test('passwords Corridor generates (first admin, demo accounts, resets) always pass', async () => {
  for (let i = 0; i < 20; i++) assert.ok((await estimatePassword(randomPassword(), ['admin'])).ok);
});
