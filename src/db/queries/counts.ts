/**
 * The maintained counters: upserts of signed deltas (`n = n + excluded.n`), the per-operation
 * head row that makes maintenance take turns, and the reads the counts endpoint serves from.
 */
import { sql } from 'kysely';
import type { Executor } from './executor.js';
import type { CountersTable } from '../schema.js';

/** A counter as read back: the row of `counters` without its operation. */
export type CounterCell = Omit<CountersTable, 'operation_id'>;

/**
 * Takes the operation's count lock (the head row, held until commit) and bumps its version.
 * Everything read after this sees the facts of every transaction that counted before.
 */
export async function lockCounts(db: Executor, operationId: string, at: Date): Promise<number> {
  const r = await db.insertInto('count_heads').values({ operation_id: operationId, version: 1, updated_at: at })
    .onConflict((oc) => oc.column('operation_id').doUpdateSet((eb) => ({ version: eb('count_heads.version', '+', 1), updated_at: at })))
    .returning('version').executeTakeFirstOrThrow();
  return Number(r.version);
}

export async function countVersion(db: Executor, operationId: string): Promise<number> {
  const r = await db.selectFrom('count_heads').select('version').where('operation_id', '=', operationId).executeTakeFirst();
  return r ? Number(r.version) : 0;
}

const CHUNK = 2000;

export async function addToCounters(db: Executor, operationId: string, cells: readonly Omit<CounterCell, never>[]) {
  for (let i = 0; i < cells.length; i += CHUNK) {
    const rows = cells.slice(i, i + CHUNK).map((c) => ({ operation_id: operationId, ...c }));
    await db.insertInto('counters').values(rows)
      .onConflict((oc) => oc.columns(['operation_id', 'metric', 'sex', 'age_band', 'category', 'site_id', 'vulnerability', 'hour'])
        .doUpdateSet((eb) => ({ n: eb('counters.n', '+', eb.ref('excluded.n')) })))
      .execute();
  }
}

export async function addToCounterHours(db: Executor, operationId: string, cells: readonly { metric: string; hour: string; n: number }[]) {
  for (let i = 0; i < cells.length; i += CHUNK) {
    const rows = cells.slice(i, i + CHUNK).map((c) => ({ operation_id: operationId, ...c }));
    await db.insertInto('counter_hours').values(rows)
      .onConflict((oc) => oc.columns(['operation_id', 'metric', 'hour']).doUpdateSet((eb) => ({ n: eb('counter_hours.n', '+', eb.ref('excluded.n')) })))
      .execute();
  }
}

/** Current cells (hour '*'), zero cells left out. */
export async function currentCells(db: Executor, operationId: string) {
  return db.selectFrom('counters').select(['metric', 'sex', 'age_band', 'category', 'site_id', 'vulnerability', 'n'])
    .where('operation_id', '=', operationId).where('hour', '=', '*').where('n', '<>', 0).execute();
}

export async function hourlyFlows(db: Executor, operationId: string) {
  return db.selectFrom('counter_hours').select(['metric', 'hour', 'n']).where('operation_id', '=', operationId).where('n', '<>', 0)
    .orderBy('hour').execute();
}

/** Every non-zero cell, for verification. */
export async function allCells(db: Executor, operationId: string): Promise<CounterCell[]> {
  const rows = await db.selectFrom('counters').select(['metric', 'sex', 'age_band', 'category', 'site_id', 'vulnerability', 'hour', 'n'])
    .where('operation_id', '=', operationId).where('n', '<>', 0).execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

export async function allHourCells(db: Executor, operationId: string) {
  const rows = await db.selectFrom('counter_hours').select(['metric', 'hour', 'n']).where('operation_id', '=', operationId).where('n', '<>', 0).execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** Arrived now at a site (every subject, vulnerability '*'): what shelter capacity is checked against. */
export async function arrivedAt(db: Executor, operationId: string, siteId: string): Promise<number> {
  const r = await sql<{ n: number | null }>`select sum(n)::int as n from counters where operation_id = ${operationId} and metric = 'arrived'
    and site_id = ${siteId} and vulnerability = '*' and hour = '*'`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

export async function operationIdsWithCounts(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('operations').select('id').orderBy('created_at').execute();
  return rows.map((r) => r.id);
}

/** People as counting knows them (clear fields only), with the merges that join records. */
export async function registryRows(db: Executor, operationId: string, ids?: readonly string[]) {
  let q = db.selectFrom('persons').select(['id', 'sex', 'age_band', 'category', 'vulnerabilities', 'site_id', 'registered_at', 'merged_into'])
    .where('operation_id', '=', operationId);
  if (ids) {
    if (ids.length === 0) return [];
    q = q.where('id', 'in', [...ids]);
  }
  return q.execute();
}

/** Merge links touching these ids: records merged into them, and where they were merged. */
export async function mergeLinks(db: Executor, operationId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('persons').select(['id', 'merged_into']).where('operation_id', '=', operationId).where('merged_into', 'is not', null)
    .where((eb) => eb.or([eb('id', 'in', [...ids]), eb('merged_into', 'in', [...ids])])).execute();
}
