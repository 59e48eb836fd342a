/**
 * Count changes committed by another server process reach this one at once on PostgreSQL: the
 * count version's trigger notifies `corridor_counts` on commit, the app listens and wakes its
 * live streams through the in-process bus. The other process is a second connection pool on
 * the same database that writes without this process's bus. On PGlite nothing is listened to
 * (one process), and the trigger in the migration is harmless.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDb, type Db } from '../../src/db/connection.js';
import { onCountsChanged } from '../../src/services/counts/counts-bus.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`count notifications across processes (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let other: Db | undefined;

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h, 'notify')).id;
      if (h.db.url) other = await openDb({ kind: 'postgres', url: h.db.url, poolSize: 1 });
    });
    after(async () => {
      await other?.close();
      await h.close();
    });

    /** A count batch committed elsewhere: the version moves in another pool's transaction. */
    const bumpElsewhere = (db: Db) =>
      db.kysely.transaction().execute(async (trx) => {
        await trx
          .insertInto('count_heads')
          .values({ operation_id: op, version: 1, updated_at: new Date() })
          .onConflict((oc) => oc.column('operation_id').doUpdateSet((eb) => ({ version: eb('count_heads.version', '+', 1) })))
          .execute();
      });

    test(
      'a version moved by another process is heard within moments, after its commit',
      { skip: dialect.name !== 'postgres' },
      async () => {
        const heard: number[] = [];
        const t0 = performance.now();
        const off = onCountsChanged((id) => {
          if (id === op) heard.push(performance.now() - t0);
        });
        try {
          await other!.kysely.transaction().execute(async (trx) => {
            await trx
              .insertInto('count_heads')
              .values({ operation_id: op, version: 1, updated_at: new Date() })
              .onConflict((oc) => oc.column('operation_id').doUpdateSet((eb) => ({ version: eb('count_heads.version', '+', 1) })))
              .execute();
            await new Promise((r) => setTimeout(r, 300));
            assert.deepEqual(heard, [], 'nothing is heard before the commit');
          });
          const deadline = performance.now() + 2000;
          while (heard.length === 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
          assert.equal(heard.length, 1, 'heard once');
        } finally {
          off();
        }
      },
    );

    test('a lock taken without a count change notifies nobody', { skip: dialect.name !== 'postgres' }, async () => {
      await bumpElsewhere(other!);
      await new Promise((r) => setTimeout(r, 300));
      const heard: string[] = [];
      const off = onCountsChanged((id) => heard.push(id));
      try {
        await other!.kysely.updateTable('count_heads').set({ updated_at: new Date() }).where('operation_id', '=', op).execute();
        await new Promise((r) => setTimeout(r, 500));
        assert.deepEqual(heard, []);
      } finally {
        off();
      }
    });

    test("on PGlite the migration's trigger is harmless and nothing listens", { skip: dialect.name !== 'pglite' }, async () => {
      assert.equal(h.db.listen, undefined);
      await bumpElsewhere(h.db);
      const r = await h.db.kysely.selectFrom('count_heads').select('version').where('operation_id', '=', op).executeTakeFirstOrThrow();
      assert.ok(Number(r.version) >= 1);
    });
  });
}
