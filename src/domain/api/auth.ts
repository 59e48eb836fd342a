/** Health, login, logout and "who am I". */
import { z } from 'zod';
import { loginInput } from '../schemas/operations.js';
import { endpoint } from './endpoint.js';
import { permissionView, roleView } from './views.js';

export const sessionUserView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  isAdmin: z.boolean(),
  locale: z.string(),
});

export const health = endpoint({
  method: 'GET',
  path: '/api/health',
  access: 'public',
  tag: 'system',
  summary: 'Is the server up',
  response: z.object({ ok: z.boolean() }),
});

export const login = endpoint({
  method: 'POST',
  path: '/api/auth/login',
  access: 'public',
  tag: 'auth',
  summary: 'Log in with username and password; sets the session cookie',
  body: loginInput,
  idempotent: false,
  commitOnError: true,
  status: 200,
  response: z.object({ user: sessionUserView, expiresAt: z.string() }),
});

export const logout = endpoint({
  method: 'POST',
  path: '/api/auth/logout',
  access: 'authenticated',
  tag: 'auth',
  summary: 'End this session',
  idempotent: false,
  status: 204,
  response: z.void(),
});

export const me = endpoint({
  method: 'GET',
  path: '/api/auth/me',
  access: 'authenticated',
  tag: 'auth',
  summary: 'The account behind this session, with its roles and permissions per operation',
  response: z.object({
    kind: z.string(),
    id: z.string(),
    name: z.string(),
    isAdmin: z.boolean(),
    locale: z.string(),
    operations: z.array(z.object({ operationId: z.string(), roles: z.array(roleView), permissions: z.array(permissionView) })),
  }),
});
