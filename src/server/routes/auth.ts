/** Login, logout and "who am I". */
import type { FastifyInstance } from 'fastify';
import * as api from '../../domain/api/auth.js';
import { permissionsOf } from '../../domain/policy.js';
import { login, logout } from '../../services/accounts/auth.js';
import { SESSION_COOKIE } from '../plugins/auth.js';
import { defineRoute, type RouteEnv } from '../route.js';
import type { SessionSettings } from '../../services/accounts/auth.js';

export function authRoutes(
  app: FastifyInstance,
  env: RouteEnv,
  settings: SessionSettings & { secureCookies: 'auto' | 'always' | 'never' },
) {
  defineRoute(app, env, api.health, async () => ({ ok: true }));

  defineRoute(app, env, api.login, async (ctx, { body }, req, reply) => {
    const r = await login(ctx.db, body, ctx.now, settings, { ip: req.ip, throttleKey: ctx.keys.throttleKey() });
    const secure = settings.secureCookies === 'always' || (settings.secureCookies === 'auto' && req.protocol === 'https');
    reply.setCookie(SESSION_COOKIE, r.token, { httpOnly: true, sameSite: 'strict', secure, path: '/', expires: r.expiresAt });
    return { user: r.user, expiresAt: r.expiresAt.toISOString() };
  });

  defineRoute(app, env, api.logout, async (ctx, _input, req, reply) => {
    if (req.caller?.kind === 'user') await logout(ctx.db, req.caller.token, req.caller.id, ctx.now);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return undefined;
  });

  defineRoute(app, env, api.me, async (_ctx, _input, req) => {
    const c = req.caller!;
    return {
      kind: c.kind,
      id: c.id,
      name: c.name,
      isAdmin: c.isAdmin,
      locale: c.locale,
      operations: [...c.roles.entries()].map(([operationId, roles]) => ({ operationId, roles, permissions: [...permissionsOf(roles)] })),
    };
  });
}
