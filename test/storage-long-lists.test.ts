/**
 * Queries over long lists of ids: a reception site's reconciliation reads the manifest entries
 * of everyone checked in there (13,000 people in the demo, 67,000 ids in one statement with
 * their households and convoys). Written as `in (…)`, each id was a parameter, and past 65,535
 * the statement failed on both databases; as one array parameter there is no limit.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as factsDb from '../src/db/queries/facts.js';
import * as personsDb from '../src/db/queries/persons.js';
import * as reconciliationDb from '../src/db/queries/reconciliation.js';
import { dialects } from './support/db.js';

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

for (const dialect of dialects) {
  describe(`queries over long lists (${dialect.name})`, () => {
    test('lists of more than 65,535 ids are read in one statement', async () => {
      const db = await dialect.open();
      try {
        const people = ids('p', 40_000);
        const households = ids('h', 20_000);
        const convoys = ids('c', 10_000);
        assert.deepEqual(
          await reconciliationDb.manifestEntries(db.kysely, 'op', { personIds: people, householdIds: households, convoyIds: convoys }),
          [],
        );
        assert.deepEqual(await personsDb.findHouseholdsByIds(db.kysely, 'op', ids('h', 70_000)), []);
        assert.deepEqual(await factsDb.findFacts(db.kysely, 'op', ids('f', 70_000)), []);
      } finally {
        await db.close();
      }
    });
  });
}
