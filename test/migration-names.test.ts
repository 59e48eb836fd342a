/**
 * Migration file names: a name is a migration's identity in every database that applied it, so
 * the order must be clear from the number alone. 0006 is taken twice (see docs/database.md) and
 * stays so; no other number may be.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listMigrations } from '../src/db/migrate.js';

test('each migration number is used once, except the two 0006 files that databases already record', () => {
  const names = listMigrations();
  assert.ok(
    names.every((n) => /^\d{4}_[a-z0-9_]+\.sql$/.test(n)),
    names.join(', '),
  );
  const byNumber = new Map<string, string[]>();
  for (const n of names) byNumber.set(n.slice(0, 4), [...(byNumber.get(n.slice(0, 4)) ?? []), n]);
  const shared = [...byNumber.values()].filter((v) => v.length > 1);
  assert.deepEqual(shared, [['0006_alert_outcomes_idempotency_retention.sql', '0006_counts_notify.sql']]);
});
