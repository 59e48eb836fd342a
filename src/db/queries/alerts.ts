/**
 * Protection alerts: raising one (the fact writer, when an unaccompanied or separated child is
 * checked in), listing them by status and acknowledgement, acknowledging one, closing one with
 * its outcome and sealed note. Each change is a conditional update, so two officers acting at once cannot
 * both succeed: the loser's update finds no row and the service says why.
 */
import type { Executor } from './executor.js';

export async function insertProtectionAlert(
  db: Executor,
  a: { operationId: string; id: string; personId: string; siteId: string; factId: string; kind: string; at: Date },
) {
  await db
    .insertInto('protection_alerts')
    .values({
      operation_id: a.operationId,
      id: a.id,
      person_id: a.personId,
      site_id: a.siteId,
      fact_id: a.factId,
      kind: a.kind,
      raised_at: a.at,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export interface AlertFilter {
  status?: 'open' | 'closed';
  acknowledged?: boolean;
  personId?: string;
  kind?: string;
}

/**
 * Alerts with the display names of the accounts that acknowledged and closed them (null when the
 * actor is not an account, e.g. a device), so a desk says who acted rather than an account id.
 */
function selectAlerts(db: Executor, operationId: string) {
  return db
    .selectFrom('protection_alerts as a')
    .leftJoin('users as ack', 'ack.id', 'a.acknowledged_by')
    .leftJoin('users as cls', 'cls.id', 'a.closed_by')
    .selectAll('a')
    .select(['ack.display_name as acknowledged_by_name', 'cls.display_name as closed_by_name'])
    .where('a.operation_id', '=', operationId);
}

export async function listAlerts(db: Executor, operationId: string, filter: AlertFilter = {}, limit = 500) {
  let q = selectAlerts(db, operationId);
  if (filter.status) q = q.where('a.status', '=', filter.status);
  if (filter.acknowledged !== undefined) q = q.where('a.acknowledged_at', filter.acknowledged ? 'is not' : 'is', null);
  if (filter.personId) q = q.where('a.person_id', '=', filter.personId);
  if (filter.kind) q = q.where('a.kind', '=', filter.kind);
  return q.orderBy('a.raised_at', 'desc').orderBy('a.id', 'desc').limit(limit).execute();
}

export async function findAlert(db: Executor, operationId: string, id: string) {
  return selectAlerts(db, operationId).where('a.id', '=', id).executeTakeFirst();
}

/** Marks an open, unacknowledged alert acknowledged; undefined when it is not (any more). */
export async function acknowledgeAlert(db: Executor, operationId: string, id: string, by: string, at: Date) {
  return db
    .updateTable('protection_alerts')
    .set({ acknowledged_at: at, acknowledged_by: by })
    .where('operation_id', '=', operationId)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('acknowledged_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
    .then((r) => r && findAlert(db, operationId, id));
}

/** Closes an open alert (acknowledging it too if nobody had); undefined when it is not open. */
export async function closeAlert(
  db: Executor,
  operationId: string,
  id: string,
  c: { by: string; at: Date; outcome: string; note: Uint8Array },
) {
  return db
    .updateTable('protection_alerts')
    .set((eb) => ({
      status: 'closed',
      closed_at: c.at,
      closed_by: c.by,
      outcome: c.outcome,
      note: c.note,
      acknowledged_at: eb.fn.coalesce('acknowledged_at', eb.val(c.at)),
      acknowledged_by: eb.fn.coalesce('acknowledged_by', eb.val(c.by)),
    }))
    .where('operation_id', '=', operationId)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .returning('id')
    .executeTakeFirst()
    .then((r) => r && findAlert(db, operationId, id));
}
