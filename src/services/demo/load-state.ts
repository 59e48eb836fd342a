/**
 * What the demo load (src/demo) reads and the one thing it writes outside a use case: which of the
 * scenario's records a load cut short already wrote (so it resumes), whether the demo operation is
 * there or loaded, the accounts it acts with, and the planner statistics it refreshes as the tables
 * fill. Everything else the load writes goes through the other services, as in the field. The demo
 * never imports the storage layer's queries (lint): it comes here.
 */
import type { Executor } from '../../db/queries/executor.js';
import * as demoDb from '../../db/queries/demo.js';
import { analyzeTables } from '../../db/queries/maintenance.js';
import * as operationsDb from '../../db/queries/operations.js';
import { listOutsideSources } from '../../db/queries/sitrep.js';
import { countTracingRequests } from '../../db/queries/tracing.js';
import * as usersDb from '../../db/queries/users.js';

/** The database handle the demo passes on (a transaction, usually), as a use case receives it. */
export type { Executor };

/** Which of these households exist already; asks in slices of 5,000 ids. */
export async function existingHouseholdIds(db: Executor, operationId: string, ids: readonly string[]): Promise<Set<string>> {
  const present = new Set<string>();
  for (let i = 0; i < ids.length; i += 5000) {
    for (const r of await demoDb.listExistingHouseholdIds(db, operationId, ids.slice(i, i + 5000))) present.add(r.id);
  }
  return present;
}

export async function convoyExists(db: Executor, operationId: string, convoyId: string): Promise<boolean> {
  return (await demoDb.findConvoyId(db, operationId, convoyId)) !== undefined;
}

export async function vehicleIdsOfConvoy(db: Executor, operationId: string, convoyId: string): Promise<Set<string>> {
  return new Set((await demoDb.listVehicleIdsOfConvoy(db, operationId, convoyId)).map((v) => v.id));
}

/** The people already on the convoy's manifest. */
export async function manifestPersonIdsOfConvoy(db: Executor, operationId: string, convoyId: string): Promise<Set<string>> {
  return new Set((await demoDb.listManifestPersonIdsOfConvoy(db, operationId, convoyId)).map((r) => r.person_id));
}

/** The convoy's vehicles whose head count is recorded. */
export async function headCountedVehicleIds(db: Executor, operationId: string, convoyId: string): Promise<Set<string>> {
  return new Set((await demoDb.listHeadCountedVehicleIds(db, operationId, convoyId)).map((v) => v.id));
}

export const countTracingRequestsOf = (db: Executor, operationId: string): Promise<number> => countTracingRequests(db, operationId);

export async function hasOutsideSources(db: Executor, operationId: string): Promise<boolean> {
  return (await listOutsideSources(db, operationId)).length > 0;
}

/** Whether the audit log holds this action for the operation (the load's `demo.loaded`). */
export async function hasAuditAction(db: Executor, operationId: string, action: string): Promise<boolean> {
  return (await demoDb.findAuditAction(db, operationId, action)) !== undefined;
}

/**
 * The whole days the demo operation's times were moved by when it was set up (its `demo.prepared`
 * entry); 0 for a demo set up before the demo had a timeline of its own (its December 2016 dates).
 */
export async function preparedShiftDays(db: Executor, operationId: string, action: string): Promise<number> {
  const row = await demoDb.findAuditDetails(db, operationId, action);
  const details = (typeof row?.details === 'string' ? JSON.parse(row.details) : row?.details) as { shiftDays?: unknown } | null | undefined;
  const days = details?.shiftDays;
  return typeof days === 'number' && Number.isInteger(days) && days >= 0 ? days : 0;
}

export async function operationExists(db: Executor, operationId: string): Promise<boolean> {
  return (await operationsDb.findOperation(db, operationId)) !== undefined;
}

/** True when the database holds no operation at all (a fresh install). */
export async function hasNoOperation(db: Executor): Promise<boolean> {
  return (await operationsDb.findAnyOperation(db)) === undefined;
}

/** The operation's staff: each grant with the account's id and username. */
export async function staffOf(db: Executor, operationId: string): Promise<{ id: string; username: string; role: string }[]> {
  return (await operationsDb.listStaff(db, operationId)).map((s) => ({ id: s.id, username: s.username, role: s.role }));
}

/** The operation's wristband ranges, in serial order. */
export async function tagRangesOf(db: Executor, operationId: string): Promise<{ site_id: string | null; first_serial: number }[]> {
  return operationsDb.listTagRanges(db, operationId);
}

export async function findUser(db: Executor, userId: string): Promise<{ id: string; username: string; is_admin: boolean } | undefined> {
  return usersDb.findUserById(db, userId);
}

/** The first administrator made, still enabled: the one who sets the demo operation up. */
export async function firstActiveAdminId(db: Executor): Promise<string | undefined> {
  return (await usersDb.findFirstActiveAdmin(db))?.id;
}

/** A demo account's new password hash (a resumed load shows new passwords; the caller audits it). */
export async function setDemoPassword(db: Executor, userId: string, passwordHash: string): Promise<void> {
  await usersDb.setPassword(db, userId, passwordHash);
}

/** PGlite has no autovacuum: the load refreshes the planner's statistics of the tables it fills. */
export async function refreshStatistics(db: Executor, tables: readonly string[]): Promise<void> {
  await analyzeTables(db, tables);
}
