/**
 * Rate limits on every request (@fastify/rate-limit, audit finding 4), counted in fixed windows
 * of one minute, in this process's memory:
 *
 * - per client address (IPv6 by its /64), on every request, before the session is looked up —
 *   so a flood costs no database query;
 * - per account (a user's session or a device's token), after it is resolved — so one account
 *   cannot take the server from everyone, from however many addresses;
 * - logins per address, tighter: each costs an argon2 hash (about 50 ms of a core), which is
 *   what made other users wait in the audit.
 *
 * Over a limit: 429 `request.rate_limited` with `Retry-After` (seconds to the window's end) and
 * nothing else done. The defaults (config.ts) are far above what a busy registration desk,
 * a checkpoint phone's queue or the demo replay sends; behind a reverse proxy `trustProxy` must
 * be on, or every client shares the proxy's address. Several server processes count apart.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { login } from '../../domain/api/auth.js';
import { AppError } from '../../domain/errors.js';
import { throttleAddressOf } from '../../domain/login-throttle.js';

export interface RateLimits {
  /** Requests per minute from one address (0: no limit). */
  perAddress: number;
  /** Requests per minute of one account or device (0: no limit). */
  perAccount: number;
  /** Login attempts per minute from one address (0: no limit). */
  loginsPerAddress: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perAddress: 3000, perAccount: 3000, loginsPerAddress: 60 };

const WINDOW_MS = 60_000;

type Check = (req: FastifyRequest) => Promise<{ isAllowed: boolean; isExceeded?: boolean; ttlInSeconds?: number; max?: number }>;

function refuseOver(check: Check, which: 'address' | 'account' | 'logins') {
  return async (req: FastifyRequest) => {
    const r = await check(req);
    if (r.isAllowed || !r.isExceeded) return;
    const retryAfterSeconds = Math.max(1, r.ttlInSeconds ?? 60);
    throw new AppError('request.rate_limited', undefined, { retryAfterSeconds, limit: r.max, per: which, windowSeconds: WINDOW_MS / 1000 });
  };
}

/** Adds the address limit now; returns the hook for the account limit, to add once callers are resolved. */
export async function registerRateLimits(app: FastifyInstance, limits: RateLimits) {
  await app.register(rateLimit, { global: false, timeWindow: WINDOW_MS });
  // IPv6 clients by their /64, as the login throttle counts them: one host holds a whole /64.
  const address = (prefix: string) => (req: FastifyRequest) => `${prefix}:${throttleAddressOf(req.ip)}`;
  if (limits.perAddress > 0)
    app.addHook('onRequest', refuseOver(app.createRateLimit({ max: limits.perAddress, keyGenerator: address('address') }), 'address'));
  if (limits.loginsPerAddress > 0) {
    const logins = refuseOver(app.createRateLimit({ max: limits.loginsPerAddress, keyGenerator: address('login') }), 'logins');
    app.addHook('onRequest', async (req) => {
      if (req.method === 'POST' && req.url.split('?')[0] === login.path) await logins(req);
    });
  }
  const perAccount =
    limits.perAccount > 0
      ? refuseOver(
          app.createRateLimit({
            max: limits.perAccount,
            keyGenerator: (req) => `account:${req.caller?.kind}:${req.caller?.id}`,
            allowList: (req) => !req.caller,
          }),
          'account',
        )
      : undefined;
  return { afterAuth: () => perAccount && app.addHook('onRequest', perAccount) };
}
