/**
 * Who is calling: a user with a session cookie, or a field device with its bearer token.
 * Resolved once per request; routes then check the access their endpoint declares (src/domain/api).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/connection.js';
import { resolveDeviceToken, resolveSession, type AccountPending, type SessionSettings } from '../../services/accounts/auth.js';
import type { Role } from '../../domain/policy.js';
import { MAX_REPORTED_OUTBOX, OUTBOX_SIZE_HEADER, WATCH_HEADER } from '../../domain/api/endpoint.js';
import type { ErrorCode } from '../../domain/errors.js';

export const SESSION_COOKIE = 'corridor_session';

export interface Caller {
  kind: 'user' | 'device';
  id: string;
  name: string;
  isAdmin: boolean;
  locale: string;
  /** Roles per operation id. */
  roles: Map<string, Role[]>;
  token: string;
  /** A user whose account must first change its password or set up a second factor (only that is answered). */
  pending?: AccountPending | undefined;
  secondFactor?: { enabled: boolean; required: boolean };
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
    /**
     * Resolves the caller again from the same cookie or token, without counting as use: a
     * long-lived response (the counts stream) asks whether its session or device still stands.
     */
    recheckCaller?: () => Promise<Caller | undefined>;
    /**
     * Why a device token that matched a device is not a caller: revoked (or its maker disabled,
     * or no longer holding its role) — the device wipes what it holds — or expired.
     */
    deviceRefusal?: Extract<ErrorCode, 'device.revoked' | 'device.expired'> | undefined;
  }
}

/** The outbox size a device reports (a whole number up to the maximum), or undefined. */
function reportedOutbox(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string' || !/^[0-9]{1,7}$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return n <= MAX_REPORTED_OUTBOX ? n : undefined;
}

async function resolveDevice(
  db: Db,
  token: string,
  now: Date,
  contact?: { heldWrites: number | undefined },
): Promise<Caller | { refusal: 'device.revoked' | 'device.expired' } | undefined> {
  const device = await resolveDeviceToken(db.kysely, token, now, contact);
  if (!device || 'refusal' in device) return device;
  return {
    kind: 'device',
    id: device.id,
    name: device.name,
    isAdmin: false,
    locale: 'en',
    roles: new Map([[device.operationId, [device.role]]]),
    token,
  };
}

export function registerAuth(app: FastifyInstance, db: Db, settings: SessionSettings, clock: () => Date = () => new Date()) {
  app.decorateRequest('caller', undefined);
  app.decorateRequest('recheckCaller', undefined);
  app.decorateRequest('deviceRefusal', undefined);
  const resolveUser = async (token: string, touch: boolean): Promise<Caller | undefined> => {
    // The app's clock, as logins use it: sessions time out by the same time they were made by.
    const user = await resolveSession(db.kysely, token, clock(), settings, { touch });
    return user
      ? {
          kind: 'user',
          id: user.id,
          name: user.username,
          isAdmin: user.isAdmin,
          locale: user.locale,
          roles: user.roles,
          token,
          pending: user.pending,
          secondFactor: user.secondFactor,
        }
      : undefined;
  };
  app.addHook('onRequest', async (req: FastifyRequest) => {
    if (!req.url.startsWith('/api/')) return;
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer cdv_')) {
      const token = header.slice(7).trim();
      const resolved = await resolveDevice(db, token, clock(), { heldWrites: reportedOutbox(req.headers[OUTBOX_SIZE_HEADER]) });
      if (resolved && 'refusal' in resolved) req.deviceRefusal = resolved.refusal;
      else req.caller = resolved;
      req.recheckCaller = async () => {
        const again = await resolveDevice(db, token, clock());
        return again && 'refusal' in again ? undefined : again;
      };
      return;
    }
    const token = req.cookies[SESSION_COOKIE];
    if (!token || token.length > 64) return;
    // A desk's background read (WATCH_HEADER) is not use: it does not keep an unattended session alive.
    req.caller = await resolveUser(token, req.headers[WATCH_HEADER] !== '1');
    req.recheckCaller = () => resolveUser(token, false);
  });
}
