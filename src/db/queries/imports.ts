/**
 * Imports: the saved column mappings of an operation, the runs of imports with their progress,
 * and the identities of the households already imported (keyed hashes), which make an import
 * idempotent and resumable.
 */
import { sql, type Insertable } from 'kysely';
import type { ImportsTable } from '../schema.js';
import type { Executor } from './executor.js';

export async function listImportMappings(db: Executor, operationId: string) {
  return db.selectFrom('import_mappings').selectAll().where('operation_id', '=', operationId).orderBy('name').execute();
}

export async function findImportMapping(db: Executor, operationId: string, name: string) {
  return db.selectFrom('import_mappings').selectAll().where('operation_id', '=', operationId).where('name', '=', name).executeTakeFirst();
}

/** Saves a mapping under its name, replacing the one saved before under that name. */
export async function saveImportMapping(db: Executor, row: { operationId: string; name: string; mapping: unknown; by: string; at: Date }) {
  const values = { mapping: JSON.stringify(row.mapping), saved_by: row.by, saved_at: row.at };
  await db
    .insertInto('import_mappings')
    .values({ operation_id: row.operationId, name: row.name, ...values })
    .onConflict((oc) => oc.columns(['operation_id', 'name']).doUpdateSet(values))
    .execute();
}

export async function insertImport(db: Executor, row: Insertable<ImportsTable>) {
  await db.insertInto('imports').values(row).execute();
}

export async function findImport(db: Executor, operationId: string, id: string) {
  return db.selectFrom('imports').selectAll().where('operation_id', '=', operationId).where('id', '=', id).executeTakeFirst();
}

/** Adds a chunk's figures to the run's progress. */
export async function addImportProgress(
  db: Executor,
  operationId: string,
  id: string,
  d: { done: number; skipped: number; invalid: number; people: number; at: Date },
) {
  await db
    .updateTable('imports')
    .set((eb) => ({
      households_done: eb('households_done', '+', d.done),
      households_skipped: eb('households_skipped', '+', d.skipped),
      households_invalid: eb('households_invalid', '+', d.invalid),
      people: eb('people', '+', d.people),
      updated_at: d.at,
    }))
    .where('operation_id', '=', operationId)
    .where('id', '=', id)
    .execute();
}

export async function finishImport(
  db: Executor,
  operationId: string,
  id: string,
  d: { status: 'done' | 'failed'; at: Date; failure?: string },
) {
  await db
    .updateTable('imports')
    .set({ status: d.status, finished_at: d.at, updated_at: d.at, failure: d.failure ?? null })
    .where('operation_id', '=', operationId)
    .where('id', '=', id)
    .execute();
}

/** Of these identities, the ones already imported, with the household each became. */
export async function findImportedIdentities(db: Executor, operationId: string, hashes: readonly Buffer[]) {
  if (hashes.length === 0) return [];
  return db
    .selectFrom('import_rows')
    .select(['identity_hash', 'household_id'])
    .where('operation_id', '=', operationId)
    .where('identity_hash', 'in', hashes)
    .execute();
}

/** The identities of a chunk's households, as arrays unnested in one statement (an import's chunk has hundreds). */
export async function insertImportedIdentities(
  db: Executor,
  rows: readonly { operationId: string; identityHash: Buffer; householdId: string; importId: string }[],
) {
  if (rows.length === 0) return;
  await sql`insert into import_rows (operation_id, identity_hash, household_id, import_id)
    select * from unnest(${rows.map((r) => r.operationId)}::text[], ${rows.map((r) => r.identityHash)}::bytea[],
      ${rows.map((r) => r.householdId)}::text[], ${rows.map((r) => r.importId)}::text[])`.execute(db);
}

/**
 * This transaction's commit does not wait for its WAL to reach the disk. For an import's chunk
 * only: a crash can lose the last chunks committed (never half of one), and running the import
 * again writes them, as it does for any import cut short.
 */
export async function commitWithoutFlush(db: Executor) {
  await sql`set local synchronous_commit = off`.execute(db);
}

/**
 * Fresh planner statistics for the tables an import grows. Plans cached while a table was
 * small (a foreign key's check among them) keep reading it whole until its statistics change.
 */
export async function analyzeRegistry(db: Executor) {
  await sql`analyze households, persons, person_keys, import_rows`.execute(db);
}
