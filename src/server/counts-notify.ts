/**
 * Count changes made by other server processes, pushed at once. On PostgreSQL every committed
 * move of an operation's count version is notified on channel `corridor_counts` (trigger in
 * migration 0006_counts_notify); this listens and passes each notice to the in-process bus, so
 * live streams read at once instead of at their next poll. PGlite is one process: its
 * in-process bus already hears every writer, and nothing is listened to.
 */
import type { Db } from '../db/connection.js';
import { publishCountsChanged } from '../services/counts/counts-bus.js';

export const COUNTS_CHANNEL = 'corridor_counts';

/** Starts listening when the database can; resolves to a function that stops. */
export async function listenForCountChanges(db: Db, onError: (err: unknown) => void): Promise<() => Promise<void>> {
  if (!db.listen) return async () => undefined;
  return db.listen(
    COUNTS_CHANNEL,
    (operationId) => {
      if (operationId) publishCountsChanged(operationId);
    },
    onError,
  );
}
