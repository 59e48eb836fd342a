/**
 * Changing a manifest before departure: people taken off a vehicle, the flags and split reasons
 * of the household members who stay, a head count removed. The manifest is the current plan and
 * changes in place; what happened stays in the movement facts (corrections) and the audit log.
 */
import { anyOf } from './any-of.js';
import type { Executor } from './executor.js';

export async function deleteManifestEntries(
  db: Executor,
  operationId: string,
  convoyId: string,
  personIds: readonly string[],
): Promise<number> {
  if (personIds.length === 0) return 0;
  const r = await db
    .deleteFrom('manifest_entries')
    .where('operation_id', '=', operationId)
    .where('convoy_id', '=', convoyId)
    .where('person_id', '=', anyOf(personIds))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** New flags and (sealed) split reasons for entries that stay. */
export async function updateManifestEntries(
  db: Executor,
  operationId: string,
  convoyId: string,
  rows: readonly { personId: string; flags: string[]; splitReason: Buffer | null }[],
) {
  for (const r of rows) {
    await db
      .updateTable('manifest_entries')
      .set({ flags: r.flags, split_reason: r.splitReason })
      .where('operation_id', '=', operationId)
      .where('convoy_id', '=', convoyId)
      .where('person_id', '=', r.personId)
      .execute();
  }
}

export async function clearHeadCount(db: Executor, operationId: string, vehicleId: string) {
  await db.updateTable('vehicles').set({ head_count: null }).where('operation_id', '=', operationId).where('id', '=', vehicleId).execute();
}
