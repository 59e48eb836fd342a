/**
 * Who holds which role in an operation, and how a role is given (audit finding 3: an operation
 * admin could give itself access to people). Three rules:
 *
 * - nobody adds a role to themselves (a system admin neither); removing one's own roles is fine;
 * - a role that reads protection data (names, category, medical notes, tracing: `grantNeedsApproval`
 *   in src/domain/policy.ts), or the admin role, asked for by an operation admin, waits as a role
 *   request until a second admin approves it — not the one who asked, not the account it is for;
 *   a system admin's grant takes effect at once;
 * - other roles (checkpoint monitor, viewer) and every removal take effect at once.
 *
 * Each step is audited: the roles set, each request, its approval or rejection, and a refused
 * self-grant (the endpoint commits the audit of that refusal).
 */
import { newId } from '../ids.js';
import * as operationsDb from '../../db/queries/operations.js';
import * as requestsDb from '../../db/queries/role-requests.js';
import { findUserById } from '../../db/queries/users.js';
import { AppError } from '../../domain/errors.js';
import { grantNeedsApproval, isRole, type Role } from '../../domain/policy.js';
import { audit, requireOperation, type Ctx } from '../context.js';

export async function listStaff(ctx: Ctx) {
  const rows = await operationsDb.listStaff(ctx.db, requireOperation(ctx));
  const byUser = new Map<string, { userId: string; username: string; displayName: string; roles: string[] }>();
  for (const r of rows) {
    const u = byUser.get(r.id) ?? { userId: r.id, username: r.username, displayName: r.display_name, roles: [] };
    u.roles.push(r.role);
    byUser.set(r.id, u);
  }
  return [...byUser.values()];
}

export async function setStaffRoles(ctx: Ctx, userId: string, roles: Role[]) {
  const operationId = requireOperation(ctx);
  if (!(await findUserById(ctx.db, userId))) throw new AppError('user.not_found');
  const wanted = [...new Set(roles)];
  const current = (await requestsDb.rolesOfUserIn(ctx.db, operationId, userId)).filter(isRole);
  const added = wanted.filter((r) => !current.includes(r));
  const removed = current.filter((r) => !wanted.includes(r));
  if (userId === ctx.actor.id && added.length > 0) {
    await audit(ctx, { action: 'staff.self_grant_refused', subjectKind: 'user', subjectId: userId, details: { roles: added } });
    throw new AppError('staff.self_grant');
  }
  const pending = ctx.actor.isAdmin ? [] : added.filter(grantNeedsApproval);
  const now = added.filter((r) => !pending.includes(r));
  await requestsDb.removeRoles(ctx.db, operationId, userId, removed);
  await requestsDb.addRoles(ctx.db, operationId, userId, now, ctx.actor.id, ctx.now);
  // Open requests for roles no longer asked for are withdrawn.
  for (const open of await requestsDb.listOpenRoleRequests(ctx.db, operationId, userId))
    if (!wanted.includes(open.role as Role)) {
      await requestsDb.decideRoleRequest(ctx.db, operationId, open.id, { by: ctx.actor.id, at: ctx.now, outcome: 'withdrawn' });
      await audit(ctx, {
        action: 'staff.role_withdrawn',
        subjectKind: 'role_request',
        subjectId: open.id,
        details: { userId, role: open.role },
      });
    }
  for (const role of pending) {
    const id = newId(ctx.now);
    if (await requestsDb.insertRoleRequest(ctx.db, { operationId, id, userId, role, by: ctx.actor.id, at: ctx.now }))
      await audit(ctx, { action: 'staff.role_requested', subjectKind: 'role_request', subjectId: id, details: { userId, role } });
  }
  const inForce = (await requestsDb.rolesOfUserIn(ctx.db, operationId, userId)).filter(isRole);
  await audit(ctx, {
    action: 'staff.roles_set',
    subjectKind: 'user',
    subjectId: userId,
    details: { roles: inForce, added: now, removed, pending },
  });
  return { userId, roles: inForce, pending };
}

export async function listRoleRequests(ctx: Ctx) {
  return (await requestsDb.listOpenRoleRequests(ctx.db, requireOperation(ctx))).map((r) => ({
    id: r.id,
    userId: r.user_id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    requestedBy: r.requested_by,
    requestedByUsername: r.requested_by_username,
    requestedAt: new Date(r.requested_at).toISOString(),
  }));
}

export async function decideRoleRequest(ctx: Ctx, requestId: string, outcome: 'approved' | 'rejected') {
  const operationId = requireOperation(ctx);
  const r = await requestsDb.findRoleRequest(ctx.db, operationId, requestId);
  if (!r) throw new AppError('role_request.not_found');
  if (r.decided_at) throw new AppError('role_request.decided', undefined, { outcome: r.outcome });
  if (r.requested_by === ctx.actor.id || r.user_id === ctx.actor.id) throw new AppError('role_request.own');
  await requestsDb.decideRoleRequest(ctx.db, operationId, requestId, { by: ctx.actor.id, at: ctx.now, outcome });
  if (outcome === 'approved') await requestsDb.addRoles(ctx.db, operationId, r.user_id, [r.role], ctx.actor.id, ctx.now);
  await audit(ctx, {
    action: outcome === 'approved' ? 'staff.role_approved' : 'staff.role_rejected',
    subjectKind: 'role_request',
    subjectId: requestId,
    details: { userId: r.user_id, role: r.role, requestedBy: r.requested_by },
  });
  return { id: requestId, userId: r.user_id, role: r.role as Role, outcome };
}
