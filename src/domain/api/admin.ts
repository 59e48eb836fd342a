/** System administration: accounts and the audit chain; an operation's audit entries. */
import { z } from 'zod';
import { userInput } from '../schemas/operations.js';
import { endpoint } from './endpoint.js';
import { operationParams } from './views.js';

export const userView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  isAdmin: z.boolean(),
  locale: z.string(),
  disabled: z.boolean(),
});

export const listUsers = endpoint({
  method: 'GET',
  path: '/api/users',
  access: 'system_admin',
  tag: 'admin',
  summary: 'All accounts',
  response: z.array(userView),
});

export const createUser = endpoint({
  method: 'POST',
  path: '/api/users',
  access: 'system_admin',
  tag: 'admin',
  summary: 'Create an account',
  body: userInput,
  response: userView.omit({ disabled: true }),
});

export const verifyAudit = endpoint({
  method: 'GET',
  path: '/api/audit/verify',
  access: 'system_admin',
  tag: 'admin',
  summary: 'Walk the hash chain of the audit log',
  response: z.object({
    ok: z.boolean(),
    entries: z.number(),
    streams: z.number(),
    firstBreak: z
      .object({ stream: z.string(), seq: z.number(), n: z.number(), problem: z.enum(['edited', 'removed_or_reordered', 'head_mismatch']) })
      .optional(),
  }),
});

export const listAudit = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/audit',
  access: 'audit.read',
  tag: 'admin',
  summary: 'Recent audit entries of the operation',
  params: operationParams,
  query: z.object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    before: z.coerce.number().int().min(1).optional(),
    subjectId: z.string().max(64).optional(),
  }),
  response: z.array(
    z.object({
      seq: z.number(),
      at: z.string(),
      actorId: z.string().nullable(),
      actorKind: z.string(),
      action: z.string(),
      subjectKind: z.string().nullable(),
      subjectId: z.string().nullable(),
      // Audit details hold ids, codes and counts by design (never a name: docs/decisions/003).
      details: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
});
