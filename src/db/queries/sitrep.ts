/**
 * What the situation report reads besides the count: the last fact known at a moment, the
 * convoys that existed then, the protection alerts and tracing requests open then (counts only),
 * and other sources' figures (migration 0026).
 */
import { sql, type Insertable } from 'kysely';
import type { OutsideSourcesTable } from '../schema.js';
import type { Executor } from './executor.js';

/** The fact received last at or before `at` (ties by id): the last fact a report as of `at` counts. */
export async function lastFactAsOf(db: Executor, operationId: string, at: Date) {
  return db
    .selectFrom('movement_facts')
    .select(['id', 'received_at'])
    .where('operation_id', '=', operationId)
    .where('received_at', '<=', at)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Nothing of the count was recorded after `at`: no fact received, no person registered, no counted
 * field changed, no merge or undo. The count as of `at` is then the count as of now.
 */
export async function nothingAfter(db: Executor, operationId: string, at: Date): Promise<boolean> {
  const r = await sql<{ later: boolean }>`select
    exists (select 1 from movement_facts where operation_id = ${operationId} and received_at > ${at})
    or exists (select 1 from persons where operation_id = ${operationId} and registered_at > ${at})
    or exists (select 1 from person_counted_history where operation_id = ${operationId} and changed_at > ${at})
    or exists (select 1 from person_merges where operation_id = ${operationId} and at > ${at}) as later`.execute(db);
  return !r.rows[0]?.later;
}

export async function convoyIdsAsOf(db: Executor, operationId: string, at: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('convoys')
    .select('id')
    .where('operation_id', '=', operationId)
    .where('created_at', '<=', at)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Protection alerts raised by `at` and not closed by then. */
export async function openAlertsAt(db: Executor, operationId: string, at: Date): Promise<number> {
  const r = await db
    .selectFrom('protection_alerts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('operation_id', '=', operationId)
    .where('raised_at', '<=', at)
    .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>', at)]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Tracing requests made by `at` and still open then: open (or found, waiting for confirmation)
 * now, or changed after `at` (a request keeps no history of its status, so one that changed
 * since is taken as still open then).
 */
export async function openTracingAt(db: Executor, operationId: string, at: Date): Promise<number> {
  const r = await db
    .selectFrom('tracing_requests')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('operation_id', '=', operationId)
    .where('created_at', '<=', at)
    .where((eb) => eb.or([eb('status', 'in', ['open', 'found_pending']), eb('updated_at', '>', at)]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Keeps a person's counted fields as they stood before a change at `at` (migration 0030). */
export async function recordCountedBefore(
  db: Executor,
  operationId: string,
  row: { id: string; sex: string; age_band: string; site_id: string },
  at: Date,
): Promise<void> {
  await db
    .insertInto('person_counted_history')
    .values({ operation_id: operationId, person_id: row.id, changed_at: at, sex: row.sex, age_band: row.age_band, site_id: row.site_id })
    .execute();
}

/**
 * For each person whose counted fields changed after `at`: the fields before the first such
 * change (what they were at `at`). Grouped in SQL: one row per person changed since, not per change.
 */
export async function countedFieldsAt(db: Executor, operationId: string, at: Date) {
  const rows = await sql<{ person_id: string; sex: string; age_band: string; site_id: string }>`
    select distinct on (person_id) person_id, sex, age_band, site_id from person_counted_history
    where operation_id = ${operationId} and changed_at > ${at}
    order by person_id, changed_at, seq`.execute(db);
  return rows.rows;
}

/**
 * For each record merged or unmerged after `at`: whom it was merged into at `at` (null: nobody),
 * read from the first merge or undo after `at` (a merge needs an unmerged record; an undo undoes a merge).
 */
export async function mergedIntoAt(db: Executor, operationId: string, at: Date) {
  const rows = await sql<{ person_id: string; kind: string; into_id: string }>`
    select distinct on (person_id) person_id, kind, into_id from person_merges
    where operation_id = ${operationId} and at > ${at}
    order by person_id, at, id`.execute(db);
  return rows.rows.map((r) => ({ personId: r.person_id, mergedInto: r.kind === 'undo' ? r.into_id : null }));
}

export async function insertOutsideSource(db: Executor, row: Insertable<OutsideSourcesTable>): Promise<void> {
  await db.insertInto('outside_sources').values(row).execute();
}

/** Sources recorded by `at` and not withdrawn by then (all recorded, when `at` is not given), oldest statement first. */
export async function listOutsideSources(db: Executor, operationId: string, at?: Date) {
  let q = db.selectFrom('outside_sources').selectAll().where('operation_id', '=', operationId);
  if (at) q = q.where('recorded_at', '<=', at).where((eb) => eb.or([eb('withdrawn_at', 'is', null), eb('withdrawn_at', '>', at)]));
  return q.orderBy('stated_at').orderBy('id').execute();
}

export async function findOutsideSource(db: Executor, operationId: string, id: string) {
  return db.selectFrom('outside_sources').selectAll().where('operation_id', '=', operationId).where('id', '=', id).executeTakeFirst();
}

export async function withdrawOutsideSource(db: Executor, operationId: string, id: string, by: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('outside_sources')
    .set({ withdrawn_at: at, withdrawn_by: by })
    .where('operation_id', '=', operationId)
    .where('id', '=', id)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
