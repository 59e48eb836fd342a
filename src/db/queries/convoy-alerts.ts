/**
 * Overdue alerts of convoys: raised once per sighting left behind (a second raise of the same one
 * changes nothing), escalated, resolved when the convoy is seen again, acknowledged by a
 * coordinator. Each change is conditional, so the job and a coordinator acting at once cannot
 * undo each other.
 */
import type { Executor } from './executor.js';

export interface NewConvoyAlert {
  operationId: string;
  id: string;
  convoyId: string;
  lastSiteId: string;
  nextSiteId: string;
  lastSeenAt: string;
  dueAt: string;
  escalateAt: string;
  level: 'overdue' | 'escalated';
  at: Date;
}

/** Raises an alert unless this sighting already has one; true when it was new. */
export async function raiseConvoyAlert(db: Executor, a: NewConvoyAlert): Promise<boolean> {
  const r = await db
    .insertInto('convoy_alerts')
    .values({
      operation_id: a.operationId,
      id: a.id,
      convoy_id: a.convoyId,
      kind: 'overdue',
      last_site_id: a.lastSiteId,
      next_site_id: a.nextSiteId,
      last_seen_at: a.lastSeenAt,
      due_at: a.dueAt,
      escalate_at: a.escalateAt,
      level: a.level,
      raised_at: a.at,
      escalated_at: a.level === 'escalated' ? a.at : null,
    })
    .onConflict((oc) => oc.columns(['operation_id', 'convoy_id', 'next_site_id', 'last_seen_at']).doNothing())
    .returning('id')
    .execute();
  return r.length > 0;
}

/** Escalates the open alerts of a sighting still at level overdue; the number escalated. */
export async function escalateConvoyAlert(
  db: Executor,
  operationId: string,
  key: { convoyId: string; nextSiteId: string; lastSeenAt: string },
  at: Date,
): Promise<number> {
  const r = await db
    .updateTable('convoy_alerts')
    .set({ level: 'escalated', escalated_at: at })
    .where('operation_id', '=', operationId)
    .where('convoy_id', '=', key.convoyId)
    .where('next_site_id', '=', key.nextSiteId)
    .where('last_seen_at', '=', new Date(key.lastSeenAt))
    .where('status', '=', 'open')
    .where('level', '=', 'overdue')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function openConvoyAlerts(db: Executor, operationId: string) {
  return db
    .selectFrom('convoy_alerts')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('status', '=', 'open')
    .orderBy('raised_at')
    .orderBy('id')
    .execute();
}

/** Resolves open alerts by id (the convoy was seen again or left the road); the number resolved. */
export async function resolveConvoyAlerts(db: Executor, operationId: string, ids: readonly string[], at: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db
    .updateTable('convoy_alerts')
    .set({ status: 'resolved', resolved_at: at })
    .where('operation_id', '=', operationId)
    .where('id', 'in', [...ids])
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function listConvoyAlerts(db: Executor, operationId: string, opts: { status?: 'open' | 'resolved'; limit?: number } = {}) {
  let q = db
    .selectFrom('convoy_alerts as a')
    .leftJoin('users as ack', 'ack.id', 'a.acknowledged_by')
    .selectAll('a')
    .select('ack.display_name as acknowledged_by_name')
    .where('a.operation_id', '=', operationId);
  if (opts.status) q = q.where('a.status', '=', opts.status);
  return q
    .orderBy('a.raised_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(opts.limit ?? 500)
    .execute();
}

/** Acknowledges an alert not yet acknowledged; false when there is no such alert or it was. */
export async function acknowledgeConvoyAlert(db: Executor, operationId: string, id: string, by: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('convoy_alerts')
    .set({ acknowledged_at: at, acknowledged_by: by })
    .where('operation_id', '=', operationId)
    .where('id', '=', id)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function findConvoyAlert(db: Executor, operationId: string, id: string) {
  return db.selectFrom('convoy_alerts').selectAll().where('operation_id', '=', operationId).where('id', '=', id).executeTakeFirst();
}

/** Operations with a convoy on the road or an open alert: the ones the overdue job looks at. */
export async function operationsToWatch(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('convoys')
    .select('operation_id')
    .where('state', 'in', ['departed', 'moving', 'halted'])
    .union(db.selectFrom('convoy_alerts').select('operation_id').where('status', '=', 'open'))
    .execute();
  return [...new Set(rows.map((r) => r.operation_id))].sort();
}

/**
 * Convoys with their route's timing: those on the road by the board's state, and those with an
 * open alert (to resolve it); `all`: every convoy whose route has leg times (a replay of past hours).
 */
export async function convoysToWatch(db: Executor, operationId: string, opts: { all?: boolean } = {}) {
  let q = db
    .selectFrom('convoys as c')
    .innerJoin('routes as r', (j) => j.onRef('r.operation_id', '=', 'c.operation_id').onRef('r.id', '=', 'c.route_id'))
    .select(['c.id', 'c.route_id', 'r.site_ids', 'r.leg_minutes', 'r.escalate_minutes'])
    .where('c.operation_id', '=', operationId);
  if (opts.all) q = q.where('r.leg_minutes', 'is not', null);
  else
    q = q.where((eb) =>
      eb.or([
        eb('c.state', 'in', ['departed', 'moving', 'halted']),
        eb.exists(
          eb
            .selectFrom('convoy_alerts as a')
            .select('a.id')
            .whereRef('a.operation_id', '=', 'c.operation_id')
            .whereRef('a.convoy_id', '=', 'c.id')
            .where('a.status', '=', 'open'),
        ),
      ]),
    );
  return q.orderBy('c.id').execute();
}

/** How many open alerts there are at each level. */
export async function openAlertLevels(db: Executor, operationId: string): Promise<{ overdue: number; escalated: number }> {
  const rows = await db
    .selectFrom('convoy_alerts')
    .select(['level'])
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('operation_id', '=', operationId)
    .where('status', '=', 'open')
    .groupBy('level')
    .execute();
  const n = (level: string) => Number(rows.find((r) => r.level === level)?.n ?? 0);
  return { overdue: n('overdue'), escalated: n('escalated') };
}
