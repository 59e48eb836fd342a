/**
 * What exports read in bulk (every person of an operation, page by page; the tracing requests
 * that found someone) and the PFIF records imported into an operation (migration 0023).
 */
import { anyOf } from './any-of.js';
import type { Executor } from './executor.js';

/** People who stand for themselves (not merged into another record), in id order, `limit` after `afterId`. */
export async function listPersonsPage(db: Executor, operationId: string, afterId: string, limit: number) {
  return db
    .selectFrom('persons')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('merged_into', 'is', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Tracing requests whose outcome names the person found. */
export async function listFoundTracing(db: Executor, operationId: string) {
  return db
    .selectFrom('tracing_requests')
    .select(['id', 'status', 'found_person_id', 'updated_at'])
    .where('operation_id', '=', operationId)
    .where('found_person_id', 'is not', null)
    .where('status', '=', anyOf(['found', 'found_no_contact', 'reunited']))
    .execute();
}

export interface PfifRecordRow {
  record_id: string;
  subject_kind: string;
  subject_id: string;
  sealed: Uint8Array;
}

export async function findPfifRecords(db: Executor, operationId: string, recordIds: readonly string[]): Promise<PfifRecordRow[]> {
  if (recordIds.length === 0) return [];
  return db
    .selectFrom('pfif_records')
    .select(['record_id', 'subject_kind', 'subject_id', 'sealed'])
    .where('operation_id', '=', operationId)
    .where('record_id', '=', anyOf(recordIds))
    .execute();
}

/** The imported person records of registrations (subject ids are person ids). */
export async function listPfifPersonRecords(db: Executor, operationId: string): Promise<PfifRecordRow[]> {
  return db
    .selectFrom('pfif_records')
    .select(['record_id', 'subject_kind', 'subject_id', 'sealed'])
    .where('operation_id', '=', operationId)
    .where('subject_kind', '=', 'person')
    .execute();
}

export async function insertPfifRecords(
  db: Executor,
  rows: readonly {
    operationId: string;
    recordId: string;
    subjectKind: 'person' | 'tracing_request';
    subjectId: string;
    sealed: Buffer;
    at: Date;
    by: string;
  }[],
) {
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('pfif_records')
      .values(
        rows.slice(i, i + 1000).map((r) => ({
          operation_id: r.operationId,
          record_id: r.recordId,
          subject_kind: r.subjectKind,
          subject_id: r.subjectId,
          sealed: r.sealed,
          imported_at: r.at,
          imported_by: r.by,
        })),
      )
      .execute();
  }
}
