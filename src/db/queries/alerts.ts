/**
 * Protection alerts: raising one (the fact writer, when an unaccompanied or separated child is
 * checked in), listing them by status and acknowledgement, acknowledging one, closing one with
 * its outcome and sealed note. Each change is a conditional update, so two officers acting at once cannot
 * both succeed: the loser's update finds no row and the service says why.
 */
import type { Executor } from './executor.js';

export async function insertProtectionAlert(db: Executor, a: { operationId: string; id: string; personId: string; siteId: string; factId: string; kind: string; at: Date }) {
  await db.insertInto('protection_alerts').values({
    operation_id: a.operationId, id: a.id, person_id: a.personId, site_id: a.siteId, fact_id: a.factId, kind: a.kind, raised_at: a.at,
  }).onConflict((oc) => oc.doNothing()).execute();
}

export interface AlertFilter {
  status?: 'open' | 'closed';
  acknowledged?: boolean;
  personId?: string;
}

export async function listAlerts(db: Executor, operationId: string, filter: AlertFilter = {}, limit = 500) {
  let q = db.selectFrom('protection_alerts').selectAll().where('operation_id', '=', operationId);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.acknowledged !== undefined) q = q.where('acknowledged_at', filter.acknowledged ? 'is not' : 'is', null);
  if (filter.personId) q = q.where('person_id', '=', filter.personId);
  return q.orderBy('raised_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function findAlert(db: Executor, operationId: string, id: string) {
  return db.selectFrom('protection_alerts').selectAll().where('operation_id', '=', operationId).where('id', '=', id).executeTakeFirst();
}

/** Marks an open, unacknowledged alert acknowledged; undefined when it is not (any more). */
export async function acknowledgeAlert(db: Executor, operationId: string, id: string, by: string, at: Date) {
  return db.updateTable('protection_alerts').set({ acknowledged_at: at, acknowledged_by: by })
    .where('operation_id', '=', operationId).where('id', '=', id)
    .where('status', '=', 'open').where('acknowledged_at', 'is', null)
    .returningAll().executeTakeFirst();
}

/** Closes an open alert (acknowledging it too if nobody had); undefined when it is not open. */
export async function closeAlert(db: Executor, operationId: string, id: string, c: { by: string; at: Date; outcome: string; note: Uint8Array }) {
  return db.updateTable('protection_alerts')
    .set((eb) => ({
      status: 'closed', closed_at: c.at, closed_by: c.by, outcome: c.outcome, note: c.note,
      acknowledged_at: eb.fn.coalesce('acknowledged_at', eb.val(c.at)),
      acknowledged_by: eb.fn.coalesce('acknowledged_by', eb.val(c.by)),
    }))
    .where('operation_id', '=', operationId).where('id', '=', id).where('status', '=', 'open')
    .returningAll().executeTakeFirst();
}
