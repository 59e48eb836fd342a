/**
 * What the demo load reads to resume where a load cut short stopped: which of the scenario's
 * households, convoys, vehicles, boardings and head counts are already written, and whether the
 * load finished. Writes go through the services, as in the field; only these reads are the
 * demo's own.
 */
import type { Executor } from './executor.js';

/** Which of these households exist already (one statement; the caller passes at most a few thousand ids). */
export async function listExistingHouseholdIds(db: Executor, operationId: string, ids: string[]) {
  return db.selectFrom('households').select('id').where('operation_id', '=', operationId).where('id', 'in', ids).execute();
}

export async function findConvoyId(db: Executor, operationId: string, convoyId: string) {
  return db.selectFrom('convoys').select('id').where('operation_id', '=', operationId).where('id', '=', convoyId).executeTakeFirst();
}

export async function listVehicleIdsOfConvoy(db: Executor, operationId: string, convoyId: string) {
  return db.selectFrom('vehicles').select('id').where('operation_id', '=', operationId).where('convoy_id', '=', convoyId).execute();
}

/** The people on a convoy's manifest. */
export async function listManifestPersonIdsOfConvoy(db: Executor, operationId: string, convoyId: string) {
  return db
    .selectFrom('manifest_entries')
    .select('person_id')
    .where('operation_id', '=', operationId)
    .where('convoy_id', '=', convoyId)
    .execute();
}

/** A convoy's vehicles whose head count is recorded. */
export async function listHeadCountedVehicleIds(db: Executor, operationId: string, convoyId: string) {
  return db
    .selectFrom('vehicles')
    .select('id')
    .where('operation_id', '=', operationId)
    .where('convoy_id', '=', convoyId)
    .where('head_count', 'is not', null)
    .execute();
}

/** The audit entry a finished load writes, if there is one. */
/** The details of the operation's first audit entry with this action (the demo's `demo.prepared`). */
export async function findAuditDetails(db: Executor, operationId: string, action: string) {
  return db
    .selectFrom('audit_log')
    .select('details')
    .where('operation_id', '=', operationId)
    .where('action', '=', action)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
}

export async function findAuditAction(db: Executor, operationId: string, action: string) {
  return db
    .selectFrom('audit_log')
    .select('action')
    .where('operation_id', '=', operationId)
    .where('action', '=', action)
    .limit(1)
    .executeTakeFirst();
}
