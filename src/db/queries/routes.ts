/** Routes (ordered site ids) and movement (ceasefire) windows of an operation. */
import type { Executor } from './executor.js';

export async function insertRoute(
  db: Executor,
  r: {
    operationId: string;
    id: string;
    name: string | null;
    nameAr: string | null;
    siteIds: string[];
    legMinutes: number[] | null;
    escalateMinutes: number;
    at: Date;
    by: string;
  },
) {
  await db
    .insertInto('routes')
    .values({
      operation_id: r.operationId,
      id: r.id,
      name: r.name,
      name_ar: r.nameAr,
      site_ids: r.siteIds,
      leg_minutes: r.legMinutes,
      escalate_minutes: r.escalateMinutes,
      created_at: r.at,
      created_by: r.by,
    })
    .execute();
}

export async function findRoute(db: Executor, operationId: string, id: string) {
  return db.selectFrom('routes').selectAll().where('operation_id', '=', operationId).where('id', '=', id).executeTakeFirst();
}

/** Sets the expected leg times of a route (and its escalation delay); false when there is no such route. */
export async function setRouteTiming(
  db: Executor,
  operationId: string,
  id: string,
  t: { legMinutes: number[] | null; escalateMinutes: number },
): Promise<boolean> {
  const r = await db
    .updateTable('routes')
    .set({ leg_minutes: t.legMinutes, escalate_minutes: t.escalateMinutes })
    .where('operation_id', '=', operationId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Renames a route (English and Arabic names); false when there is no such route. */
export async function setRouteNames(
  db: Executor,
  operationId: string,
  id: string,
  names: { name?: string | null; nameAr?: string | null },
): Promise<boolean> {
  const set: { name?: string | null; name_ar?: string | null } = {};
  if (names.name !== undefined) set.name = names.name;
  if (names.nameAr !== undefined) set.name_ar = names.nameAr;
  if (Object.keys(set).length === 0) return (await findRoute(db, operationId, id)) !== undefined;
  const r = await db.updateTable('routes').set(set).where('operation_id', '=', operationId).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function listRoutes(db: Executor, operationId: string) {
  return db.selectFrom('routes').selectAll().where('operation_id', '=', operationId).orderBy('created_at').orderBy('id').execute();
}

export async function insertWindow(
  db: Executor,
  w: { operationId: string; id: string; start: string; end: string; note: string | null; noteAr: string | null; at: Date; by: string },
) {
  await db
    .insertInto('movement_windows')
    .values({
      operation_id: w.operationId,
      id: w.id,
      starts_at: w.start,
      ends_at: w.end,
      note: w.note,
      note_ar: w.noteAr,
      created_at: w.at,
      created_by: w.by,
    })
    .execute();
}

export async function listWindows(db: Executor, operationId: string) {
  return db.selectFrom('movement_windows').selectAll().where('operation_id', '=', operationId).orderBy('starts_at').execute();
}
