/** Routes (ordered site ids) and movement (ceasefire) windows of an operation. */
import type { Executor } from './executor.js';

export async function insertRoute(
  db: Executor,
  r: { operationId: string; id: string; name: string | null; siteIds: string[]; at: Date; by: string },
) {
  await db
    .insertInto('routes')
    .values({
      operation_id: r.operationId,
      id: r.id,
      name: r.name,
      site_ids: r.siteIds,
      created_at: r.at,
      created_by: r.by,
    })
    .execute();
}

export async function findRoute(db: Executor, operationId: string, id: string) {
  return db.selectFrom('routes').selectAll().where('operation_id', '=', operationId).where('id', '=', id).executeTakeFirst();
}

export async function listRoutes(db: Executor, operationId: string) {
  return db.selectFrom('routes').selectAll().where('operation_id', '=', operationId).orderBy('created_at').orderBy('id').execute();
}

export async function insertWindow(
  db: Executor,
  w: { operationId: string; id: string; start: string; end: string; note: string | null; at: Date; by: string },
) {
  await db
    .insertInto('movement_windows')
    .values({
      operation_id: w.operationId,
      id: w.id,
      starts_at: w.start,
      ends_at: w.end,
      note: w.note,
      created_at: w.at,
      created_by: w.by,
    })
    .execute();
}

export async function listWindows(db: Executor, operationId: string) {
  return db.selectFrom('movement_windows').selectAll().where('operation_id', '=', operationId).orderBy('starts_at').execute();
}
