import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { preloadPopulation } from '../bench/matching-db.js';
import type { MatchResult } from '../src/domain/matching/index.js';
import { scanOperation } from '../src/services/matching/scan.js';
import { KeyRing } from '../src/services/keys/keyring.js';
import { dialects } from './support/db.js';

for (const dialect of dialects) {
  test(`${dialect.name}: the scan proposes the same pairs whether the workers open the sealed names or this thread does, and fails cleanly on a row that does not open`, async () => {
    const db = await dialect.open();
    try {
      const pop = await preloadPopulation(db, new KeyRing(randomBytes(32)), 3000, () => true);
      const scan = async (workers: number) => {
        const found: MatchResult[] = [];
        const phases = new Set<string>();
        const stats = await scanOperation(db.kysely, pop.opKeys, pop.operationId, {
          workers,
          maxBlockSize: 40,
          onProgress: (p) => phases.add(p.phase),
          onResults: async (r) => (found.push(...r), r.length),
        });
        return { stats, phases: [...phases], found: found.map((r) => JSON.stringify(r)).sort() };
      };
      const here = await scan(0);
      const there = await scan(2);
      assert.equal(here.stats.people, pop.written);
      assert.ok(here.found.length > 20, `only ${here.found.length} proposals`);
      assert.deepEqual(there.found, here.found);
      assert.equal(there.stats.candidatePairs, here.stats.candidatePairs);
      assert.equal(there.stats.windowedBlocks, here.stats.windowedBlocks);
      assert.deepEqual(there.phases, ['read', 'select', 'score']);

      // One row sealed under another id (as if moved or tampered): the scan stops with the
      // key error in either thread, and its workers end (else this test process would not exit).
      const [a, b] = (
        await sql<{
          id: string;
          pii: Buffer;
        }>`select id, pii from persons where operation_id = ${pop.operationId} order by id desc limit 2`.execute(db.kysely)
      ).rows;
      await sql`update persons set pii = ${b!.pii} where operation_id = ${pop.operationId} and id = ${a!.id}`.execute(db.kysely);
      await assert.rejects(scan(2), /does not open/);
      await assert.rejects(scan(0), /does not open/);
    } finally {
      await db.close();
    }
  });
}
