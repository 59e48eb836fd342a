/** Login, logout and "who am I". */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import { changePassword } from '../../services/accounts/life-cycle.js';
import { enableSecondFactor, setUpSecondFactor } from '../../services/accounts/second-factor.js';
import * as api from '../../domain/api/auth.js';
import { permissionsOf, phoneNamesPermissions } from '../../domain/policy.js';
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
    const r = await login(ctx.db, body, ctx.now, settings, { ip: req.ip, throttleKey: ctx.keys.throttleKey(), keys: ctx.keys });
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
      pending: c.pending ?? null,
      secondFactor: c.secondFactor ?? { enabled: false, required: false },
    };
  });

  // Only accounts whose desks keep names on a phone (registration, reception, the convoy board) get the key; one that
  // holds no such role (or lost it) is answered `key: null`, and its phone wipes its vault on that
  // answer (web/api/vault.ts). Any logged-in account may ask: the answer says what it is owed.
  defineRoute(app, env, api.vaultKey, async (ctx, _input, req, reply) => {
    const c = userCaller(req);
    const holdsNames = [...c.roles.values()].some((roles) => {
      const held = permissionsOf(roles);
      return phoneNamesPermissions.some((p) => held.has(p));
    });
    void reply.header('cache-control', 'no-store');
    if (!holdsNames) return { key: null, wipeAfterHours: api.PHONE_VAULT_HOURS };
    return { key: ctx.keys.phoneVaultKey(c.id).toString('base64url'), wipeAfterHours: api.PHONE_VAULT_HOURS };
  });

  defineRoute(app, env, api.changePassword, async (ctx, { body }, req) => {
    await changePassword(ctx.db, { id: ctx.actor.id, sessionToken: userCaller(req).token }, body, ctx.now);
    return undefined;
  });

  defineRoute(app, env, api.setUpSecondFactor, async (ctx, _input, req) =>
    setUpSecondFactor(ctx.db, ctx.keys, { id: userCaller(req).id, username: userCaller(req).name }),
  );

  defineRoute(app, env, api.enableSecondFactor, async (ctx, { body }, req) =>
    enableSecondFactor(ctx.db, ctx.keys, userCaller(req).id, body.code, ctx.now),
  );
}

/** The account of a user's session (a device token has no password nor second factor). */
function userCaller(req: FastifyRequest) {
  if (req.caller?.kind !== 'user') throw new AppError('auth.forbidden', 'Only an account logged in with its password can do this.');
  return req.caller;
}
