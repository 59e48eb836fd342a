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
  mustChangePassword: z.boolean(),
  secondFactor: z.boolean(),
});

const userParams = z.object({ userId: z.string().max(64) });

export const disableUser = endpoint({
  method: 'POST',
  path: '/api/users/:userId/disable',
  access: 'system_admin',
  tag: 'admin',
  summary: 'Disable an account: its sessions end, its device tokens stop',
  params: userParams,
  status: 200,
  response: z.object({ id: z.string(), disabled: z.boolean() }),
});

export const enableUser = endpoint({
  method: 'POST',
  path: '/api/users/:userId/enable',
  access: 'system_admin',
  tag: 'admin',
  summary: 'Enable a disabled account again',
  params: userParams,
  status: 200,
  response: z.object({ id: z.string(), disabled: z.boolean() }),
});

export const resetUserPassword = endpoint({
  method: 'POST',
  path: '/api/users/:userId/reset-password',
  access: 'system_admin',
  tag: 'admin',
  summary: 'A new random password, shown once; the user must change it at the next login; their sessions end',
  params: userParams,
  status: 200,
  response: z.object({ id: z.string(), temporaryPassword: z.string() }),
});

export const resetUserSecondFactor = endpoint({
  method: 'POST',
  path: '/api/users/:userId/reset-second-factor',
  access: 'system_admin',
  tag: 'admin',
  summary: 'Turn the second factor off (a lost phone): set up again at the next login; their sessions end',
  params: userParams,
  status: 200,
  response: z.object({ id: z.string(), secondFactor: z.boolean() }),
});

export const endUserSessions = endpoint({
  method: 'POST',
  path: '/api/users/:userId/end-sessions',
  access: 'system_admin',
  tag: 'admin',
  summary: "End all of an account's sessions",
  params: userParams,
  status: 200,
  response: z.object({ id: z.string(), sessionsEnded: z.number() }),
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
  response: userView.omit({ disabled: true, mustChangePassword: true, secondFactor: true }),
});

export const verifyAudit = endpoint({
  method: 'GET',
  path: '/api/audit/verify',
  access: 'system_admin',
  tag: 'admin',
  summary: 'Walk the hash chain of the audit log, checking keyed entries with the audit key',
  response: z.object({
    ok: z.boolean(),
    entries: z.number(),
    streams: z.number(),
    /** Entries checked with the audit key; the others were written before keying began. */
    keyed: z.number(),
    firstBreak: z
      .object({
        stream: z.string(),
        seq: z.number(),
        n: z.number(),
        problem: z.enum(['edited', 'removed_or_reordered', 'head_mismatch', 'not_keyed']),
      })
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
