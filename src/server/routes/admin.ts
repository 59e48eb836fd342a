/** System administration: accounts and the audit chain. */
import type { FastifyInstance } from 'fastify';
import * as api from '../../domain/api/admin.js';
import { listAuditEntries, verifyAuditChain } from '../../services/audit/audit-anchor.js';
import { createUser, listAccounts } from '../../services/accounts/auth.js';
import { endAllSessions, resetPassword, resetSecondFactor, setAccountDisabled } from '../../services/accounts/life-cycle.js';
import { defineRoute, type RouteEnv } from '../route.js';

export function adminRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, api.listUsers, async (ctx) => listAccounts(ctx.db));

  defineRoute(app, env, api.createUser, async (ctx, { body }) => createUser(ctx.db, body, { id: ctx.actor.id, kind: 'user' }, ctx.now));

  const admin = (ctx: { actor: { id: string } }) => ({ id: ctx.actor.id, kind: 'user' as const });

  defineRoute(app, env, api.disableUser, async (ctx, { params }) => setAccountDisabled(ctx.db, admin(ctx), params.userId, true, ctx.now));

  defineRoute(app, env, api.enableUser, async (ctx, { params }) => setAccountDisabled(ctx.db, admin(ctx), params.userId, false, ctx.now));

  defineRoute(app, env, api.resetUserPassword, async (ctx, { params }) => resetPassword(ctx.db, admin(ctx), params.userId, ctx.now));

  defineRoute(app, env, api.resetUserSecondFactor, async (ctx, { params }) =>
    resetSecondFactor(ctx.db, admin(ctx), params.userId, ctx.now),
  );

  defineRoute(app, env, api.endUserSessions, async (ctx, { params }) => endAllSessions(ctx.db, admin(ctx), params.userId, ctx.now));

  defineRoute(app, env, api.verifyAudit, async (ctx) => verifyAuditChain(ctx.db));

  defineRoute(app, env, api.listAudit, async (ctx, { query }) => listAuditEntries(ctx, query));
}
