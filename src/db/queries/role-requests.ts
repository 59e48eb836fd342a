/** Roles granted only with a second admin's approval: the open requests and their decisions. */
import type { Executor } from './executor.js';

export async function rolesOfUserIn(db: Executor, operationId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('role_grants')
    .select('role')
    .where('operation_id', '=', operationId)
    .where('user_id', '=', userId)
    .execute();
  return rows.map((r) => r.role);
}

export async function addRoles(db: Executor, operationId: string, userId: string, roles: string[], by: string, at: Date) {
  if (roles.length === 0) return;
  await db
    .insertInto('role_grants')
    .values(roles.map((role) => ({ operation_id: operationId, user_id: userId, role, granted_by: by, granted_at: at })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function removeRoles(db: Executor, operationId: string, userId: string, roles: string[]) {
  if (roles.length === 0) return;
  await db
    .deleteFrom('role_grants')
    .where('operation_id', '=', operationId)
    .where('user_id', '=', userId)
    .where('role', 'in', roles)
    .execute();
}

export async function insertRoleRequest(
  db: Executor,
  r: { operationId: string; id: string; userId: string; role: string; by: string; at: Date },
): Promise<boolean> {
  const out = await db
    .insertInto('role_requests')
    .values({ operation_id: r.operationId, id: r.id, user_id: r.userId, role: r.role, requested_by: r.by, requested_at: r.at })
    .onConflict((oc) => oc.columns(['operation_id', 'user_id', 'role']).where('decided_at', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  return out !== undefined;
}

export async function listOpenRoleRequests(db: Executor, operationId: string, userId?: string) {
  let q = db
    .selectFrom('role_requests as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .innerJoin('users as by', 'by.id', 'r.requested_by')
    .select([
      'r.id',
      'r.user_id',
      'r.role',
      'r.requested_by',
      'r.requested_at',
      'u.username',
      'u.display_name',
      'by.username as requested_by_username',
    ])
    .where('r.operation_id', '=', operationId)
    .where('r.decided_at', 'is', null);
  if (userId) q = q.where('r.user_id', '=', userId);
  return q.orderBy('r.requested_at').orderBy('r.id').execute();
}

export async function findRoleRequest(db: Executor, operationId: string, id: string) {
  return db
    .selectFrom('role_requests')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function decideRoleRequest(
  db: Executor,
  operationId: string,
  id: string,
  d: { by: string; at: Date; outcome: 'approved' | 'rejected' | 'withdrawn' },
): Promise<boolean> {
  const r = await db
    .updateTable('role_requests')
    .set({ decided_by: d.by, decided_at: d.at, outcome: d.outcome })
    .where('operation_id', '=', operationId)
    .where('id', '=', id)
    .where('decided_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
