/** System administration: accounts and the audit chain. */
import type { FastifyInstance } from 'fastify';
import * as api from '../../domain/api/admin.js';
import { listAuditEntries, verifyAuditChain } from '../../services/audit/audit-anchor.js';
import { createUser, listAccounts } from '../../services/accounts/auth.js';
import { defineRoute, type RouteEnv } from '../route.js';

export function adminRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, api.listUsers, async (ctx) => listAccounts(ctx.db));

  defineRoute(app, env, api.createUser, async (ctx, { body }) => createUser(ctx.db, body, { id: ctx.actor.id, kind: 'user' }, ctx.now));

  defineRoute(app, env, api.verifyAudit, async (ctx) => verifyAuditChain(ctx.db));

  defineRoute(app, env, api.listAudit, async (ctx, { query }) => listAuditEntries(ctx, query));
}
