/**
 * The count projection at the scale of a batch registration: thousands of notes counted in
 * batches, each batch deleting exactly the notes it read (a note written meanwhile stays).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { sql } from 'kysely';
import * as countsDb from '../../src/db/queries/counts.js';
import * as factsDb from '../../src/db/queries/facts.js';
import { permissions, type Permission } from '../../src/domain/policy.js';
import { CountProjector, drainCounts } from '../../src/services/counts/count-projector.js';
import { KeyRing } from '../../src/services/keys/keyring.js';
import { createOperation } from '../../src/services/operations/operations.js';
import { dialects, type TestDb } from '../support/db.js';

for (const dialect of dialects) {
  describe(`count projection backlog (${dialect.name})`, () => {
    let db: TestDb;
    let operationId: string;
    let userId: string;
    const keys = new KeyRing(randomBytes(32));
    before(async () => {
      db = await dialect.open();
      userId = ulid();
      await db.kysely
        .insertInto('users')
        .values({ id: userId, username: 'backlog', display_name: 'Backlog', password_hash: 'x' })
        .execute();
      const op = await db.kysely.transaction().execute((trx) =>
        createOperation(
          {
            db: trx,
            now: new Date(),
            keys,
            roles: ['coordinator'],
            permissions: new Set<Permission>(permissions),
            actor: { kind: 'user', id: userId, name: 'b', isAdmin: true },
          },
          { code: 'backlog', nameEn: 'Backlog', timeZone: 'UTC', status: 'active' } as never,
        ),
      );
      operationId = op.id;
    });
    after(async () => db.close());

    test('12,000 person notes are counted in batches and every note read is deleted, a later one stays', async () => {
      const ids = Array.from({ length: 12_000 }, (_v, i) => `nobody-${i}`);
      await countsDb.enqueuePersons(db.kysely, operationId, ids, 'first');
      let batches = 0;
      const r = await drainCounts(db.kysely, keys, operationId, {
        limits: { persons: 5_000 },
        onBatch: () => {
          batches++;
        },
      });
      assert.equal(r.persons, 12_000);
      assert.equal(batches, 3);
      assert.equal(await countsDb.hasPending(db.kysely, operationId), false);
      // A second change to a person already noted keeps its own note until it is counted.
      await countsDb.enqueuePersons(db.kysely, operationId, ids.slice(0, 2), 'second');
      const notes = await countsDb.pendingPersons(db.kysely, operationId, 10);
      await countsDb.enqueuePersons(db.kysely, operationId, ids.slice(0, 1), 'third');
      await countsDb.deletePendingPersons(db.kysely, operationId, notes);
      assert.deepEqual(
        (await countsDb.pendingPersons(db.kysely, operationId, 10)).map((n) => `${n.person_id}/${n.token}`),
        ['nobody-0/third'],
      );
    });

    test('flush counts what waits without the pause, also when more is written while it counts', async () => {
      // A pause far longer than the test may take: flush must never sit in one.
      let batches = 0;
      let written = false;
      const projector = new CountProjector(db, keys, {
        delayMs: 600_000,
        sweepMs: 0,
        onBatch: () => {
          batches++;
          // A write commits (and kicks) while the first batch is being counted: the run goes round again.
          if (!written) {
            written = true;
            projector.kick(operationId);
          }
        },
      });
      try {
        await countsDb.enqueuePersons(db.kysely, operationId, ['early-1', 'early-2'], 'early');
        projector.kick(operationId);
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          projector.flush().then(() => 'flushed'),
          new Promise<string>((resolve) => {
            timer = setTimeout(() => resolve('still waiting after 20 s'), 20_000);
          }),
        ]);
        clearTimeout(timer);
        assert.equal(outcome, 'flushed');
        assert.equal(batches, 1);
        assert.equal(await countsDb.hasPending(db.kysely, operationId), false);
      } finally {
        await projector.stop();
      }
    });
    // Last: the fact it writes stays (facts are append-only) and is not a fact the other tests could count.
    test('a request that counts under the count lock and then writes a fact: the fact is still counted after it commits', async () => {
      // A check-in at a site with a capacity takes the count lock (which gives its transaction an id),
      // counts what is waiting, then writes its own fact. PostgreSQL's snapshot of that moment leaves
      // the request's own id out of those in progress: taken as is, the cursor would call the fact counted.
      await countsDb.enqueuePersons(db.kysely, operationId, ['waiting-1'], 'waiting');
      const factId = ulid();
      await db.kysely.transaction().execute(async (trx) => {
        await countsDb.lockCountsQuietly(trx, operationId, new Date());
        const own = (await sql<{ x: string | null }>`select pg_current_xact_id_if_assigned()::text as x`.execute(trx)).rows[0]!.x;
        assert.ok(own !== null, 'the count lock gives the transaction an id');
        // Another transaction, begun later, commits meanwhile (on PostgreSQL; PGlite has one connection).
        // Only then is the request's own id below the snapshot's xmax, where the race hides.
        if (dialect.name === 'postgres') await db.kysely.transaction().execute((other) => sql`select pg_current_xact_id()`.execute(other));
        const snapshot = await countsDb.currentSnapshot(trx);
        const seen = await sql<{ v: boolean }>`select pg_visible_in_snapshot(${own}::xid8, ${snapshot}::pg_snapshot) as v`.execute(trx);
        assert.equal(seen.rows[0]!.v, false, 'its own transaction is in progress in the snapshot it counts with');
        const counted = await drainCounts(trx, keys, operationId);
        assert.ok(counted.persons >= 1, 'the waiting note was counted, so the cursor moved inside the request');
        await factsDb.insertFacts(trx, [
          {
            operation_id: operationId,
            id: factId,
            kind: 'checked_in',
            convoy_id: null,
            vehicle_id: null,
            person_id: 'waiting-1',
            site_id: null,
            voids: null,
            device_time: new Date().toISOString(),
            received_at: new Date(),
            recorded_by: userId,
            payload: JSON.stringify({}),
          },
        ]);
      });
      assert.equal(await countsDb.hasPending(db.kysely, operationId), true, 'the fact written after counting waits to be counted');
    });
  });
}
