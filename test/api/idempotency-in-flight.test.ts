/**
 * Retries in flight and the scope of idempotency keys (issue 22.4, security audit finding 14):
 * - the same registration (household id made by the client) sent twice at once, as a phone does
 *   when it retries while its first request is still on its way: both copies answer 201 with the
 *   same body, one household is written — 100 times in a row;
 * - a copy that cannot get the first's answer in time answers 409 `request.in_progress` with
 *   Retry-After, and a resend afterwards gets the first answer;
 * - another account's or another operation's use of a client id is a different key: no 409, and
 *   the first account's replay still answers its own write.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ulid } from 'ulid';
import { dialects, type TestDb } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';
import { lockClientId } from '../../src/db/queries/idempotency.js';

const household = (id: string, given: string) => ({
  id,
  siteId: 'amiriyah',
  members: [
    { names: { lat: { given, family: 'Haddad' } }, sex: 'female', estimatedAge: 30, relationship: 'head' },
    { names: { lat: { given: 'Rami', family: 'Haddad' } }, sex: 'male', estimatedAge: 8, relationship: 'child' },
  ],
});

for (const dialect of dialects) {
  describe(`idempotency: retries in flight and key scope (${dialect.name})`, () => {
    let h: Harness;
    let db: TestDb;
    let op: string;
    let other: string;
    let registrar: Client;
    let registrar2: Client;

    before(async () => {
      db = await dialect.open();
      h = await startHarness(db, { inFlightWaitMs: 3000 });
      op = (await setUpOperation(h, 'flight-a')).id;
      other = (await setUpOperation(h, 'flight-b')).id;
      registrar = await h.userWithRoles(op, ['registrar'], 'reg-a');
      await h.admin.put(`/api/operations/${other}/staff/${registrar.userId}`, { roles: ['registrar'] });
      registrar2 = await h.userWithRoles(op, ['registrar'], 'reg-b');
    });
    after(() => h.close());

    const households = async (operationId: string) =>
      Number(
        (
          await h.db.kysely
            .selectFrom('households')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('operation_id', '=', operationId)
            .executeTakeFirstOrThrow()
        ).n,
      );

    test('two copies of one registration sent at once both answer 201 with the same answer, one household written (100 times)', async () => {
      const before = await households(op);
      const statuses: string[] = [];
      for (let i = 0; i < 100; i++) {
        const key = ulid();
        const body = household(ulid(), `Lina${i}`);
        const [a, b] = await Promise.all([
          registrar.post(`/api/operations/${op}/households`, body, { key }),
          registrar.post(`/api/operations/${op}/households`, body, { key }),
        ]);
        statuses.push(`${a.status}/${b.status}`);
        assert.equal(a.status, 201, `try ${i}: ${JSON.stringify(a.body)}`);
        assert.equal(b.status, 201, `try ${i}: ${JSON.stringify(b.body)}`);
        assert.deepEqual(b.body, a.body);
        assert.equal([a, b].filter((r) => r.headers['idempotent-replayed'] === 'true').length, 1, `try ${i}: one is the replay`);
      }
      assert.equal(await households(op), before + 100);
    });

    test('a copy that cannot have the first answer in time gets 409 request.in_progress with Retry-After; the resend gets the answer', async () => {
      const key = ulid();
      const body = household(ulid(), 'Nour');
      // The first copy, still being processed: its transaction holds the key.
      let letGo: () => void = () => undefined;
      const held = new Promise<void>((r) => (letGo = r));
      let taken: () => void = () => undefined;
      const isTaken = new Promise<void>((r) => (taken = r));
      const first = h.db.kysely.transaction().execute(async (trx) => {
        assert.ok(await lockClientId(trx, { actorId: registrar.userId, operationId: op, clientId: key }, 1000));
        taken();
        await held;
      });
      await isTaken;
      if (dialect.name === 'postgres') {
        const r = await registrar.post(`/api/operations/${op}/households`, body, { key });
        assert.equal(r.status, 409, JSON.stringify(r.body));
        assert.equal(r.body.error.code, 'request.in_progress');
        assert.equal(r.headers['retry-after'], '1');
        letGo();
        await first;
      } else {
        // PGlite has one connection: a second transaction waits for the first to end, so the copy never sees the key held.
        letGo();
        await first;
      }
      const a = await registrar.post(`/api/operations/${op}/households`, body, { key });
      const b = await registrar.post(`/api/operations/${op}/households`, body, { key });
      assert.equal(a.status, 201, JSON.stringify(a.body));
      assert.deepEqual(b.body, a.body);
      assert.equal(b.headers['idempotent-replayed'], 'true');
    });

    test("another account's or another operation's use of a client id is another key: no 409, nothing of the first revealed", async () => {
      const key = ulid();
      const mine = await registrar.post(`/api/operations/${op}/households`, household(ulid(), 'Hala'), { key });
      assert.equal(mine.status, 201, JSON.stringify(mine.body));
      const theirs = await registrar2.post(`/api/operations/${op}/households`, household(ulid(), 'Maya'), { key });
      assert.equal(theirs.status, 201, JSON.stringify(theirs.body));
      assert.notEqual(theirs.headers['idempotent-replayed'], 'true');
      assert.notEqual(theirs.body.id, mine.body.id);
      const elsewhere = await registrar.post(`/api/operations/${other}/households`, household(ulid(), 'Dima'), { key });
      assert.equal(elsewhere.status, 201, JSON.stringify(elsewhere.body));
      assert.notEqual(elsewhere.body.id, mine.body.id);
      // Each key still answers its own write, and another body under one's own key is still refused.
      const replay = await registrar.post(`/api/operations/${op}/households`, household(mine.body.id, 'Hala'), { key });
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      assert.deepEqual(replay.body, mine.body);
      const reused = await registrar.post(`/api/operations/${op}/households`, household(ulid(), 'Other'), { key });
      assert.equal(reused.status, 409);
      assert.equal(reused.body.error.code, 'request.idempotency_key_reused');
    });
  });
}
