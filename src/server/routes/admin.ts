/** System administration: accounts and the audit chain. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { userInput } from '../../domain/schemas/operations.js';
import { listAuditEntries, verifyAuditChain } from '../../services/audit-anchor.js';
import { createUser, listAccounts } from '../../services/auth.js';
import { defineRoute, type RouteEnv } from '../route.js';

const operationParams = z.object({ operationId: z.string().max(64) });

export function adminRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, {
    method: 'GET',
    url: '/api/users',
    tag: 'admin',
    summary: 'All accounts',
    handler: async (ctx) => listAccounts(ctx.db),
  });

  defineRoute(app, env, {
    method: 'POST',
    url: '/api/users',
    tag: 'admin',
    summary: 'Create an account',
    body: userInput,
    handler: async (ctx, { body }) => createUser(ctx.db, body, { id: ctx.actor.id, kind: 'user' }, ctx.now),
  });

  defineRoute(app, env, {
    method: 'GET',
    url: '/api/audit/verify',
    tag: 'admin',
    summary: 'Walk the hash chain of the audit log',
    handler: async (ctx) => verifyAuditChain(ctx.db),
  });

  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/audit',
    tag: 'admin',
    summary: 'Recent audit entries of the operation',
    params: operationParams,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      before: z.coerce.number().int().min(1).optional(),
      subjectId: z.string().max(64).optional(),
    }),
    handler: async (ctx, { query }) => listAuditEntries(ctx, query),
  });
}
