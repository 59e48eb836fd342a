/** Login, logout and "who am I". */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { loginInput } from '../../domain/schemas/operations.js';
import { permissionsOf } from '../../domain/policy.js';
import { login, logout } from '../../services/auth.js';
import { SESSION_COOKIE } from '../plugins/auth.js';
import { defineRoute, type RouteEnv } from '../route.js';
import type { SessionSettings } from '../../services/auth.js';

export function authRoutes(
  app: FastifyInstance,
  env: RouteEnv,
  settings: SessionSettings & { secureCookies: 'auto' | 'always' | 'never' },
) {
  defineRoute(app, env, {
    method: 'GET',
    url: '/api/health',
    tag: 'system',
    summary: 'Is the server up',
    handler: async () => ({ ok: true }),
  });

  defineRoute(app, env, {
    method: 'POST',
    url: '/api/auth/login',
    tag: 'auth',
    summary: 'Log in with username and password; sets the session cookie',
    body: loginInput,
    idempotent: false,
    commitOnError: true,
    status: 200,
    handler: async (ctx, { body }, req, reply) => {
      const r = await login(ctx.db, body, ctx.now, settings, { ip: req.ip, throttleKey: ctx.keys.throttleKey() });
      const secure = settings.secureCookies === 'always' || (settings.secureCookies === 'auto' && req.protocol === 'https');
      reply.setCookie(SESSION_COOKIE, r.token, { httpOnly: true, sameSite: 'strict', secure, path: '/', expires: r.expiresAt });
      return { user: r.user, expiresAt: r.expiresAt.toISOString() };
    },
  });

  defineRoute(app, env, {
    method: 'POST',
    url: '/api/auth/logout',
    tag: 'auth',
    summary: 'End this session',
    idempotent: false,
    status: 204,
    handler: async (ctx, _input, req, reply) => {
      if (req.caller?.kind === 'user') await logout(ctx.db, req.caller.token, req.caller.id, ctx.now);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return undefined;
    },
  });

  defineRoute(app, env, {
    method: 'GET',
    url: '/api/auth/me',
    tag: 'auth',
    summary: 'The account behind this session, with its roles and permissions per operation',
    response: z.object({
      kind: z.string(),
      id: z.string(),
      name: z.string(),
      isAdmin: z.boolean(),
      locale: z.string(),
      operations: z.array(z.object({ operationId: z.string(), roles: z.array(z.string()), permissions: z.array(z.string()) })),
    }),
    handler: async (_ctx, _input, req) => {
      const c = req.caller!;
      return {
        kind: c.kind,
        id: c.id,
        name: c.name,
        isAdmin: c.isAdmin,
        locale: c.locale,
        operations: [...c.roles.entries()].map(([operationId, roles]) => ({ operationId, roles, permissions: [...permissionsOf(roles)] })),
      };
    },
  });
}
