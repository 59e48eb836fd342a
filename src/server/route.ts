/**
 * How a route is registered: an endpoint of the shared contract (src/domain/api: method, path,
 * access, zod schemas of params/query/body/response) and one call into a service. This module
 * does the rest the same way for every route: it refuses an endpoint without an access,
 * authenticates and authorises, validates input into field-level 400s, runs the call in one
 * transaction, answers replays of a client id from the idempotency store (the key is scoped by
 * actor and operation; a copy of a write still in flight waits for the first and gets its answer,
 * or after IN_FLIGHT_WAIT_MS a 409 `request.in_progress` with Retry-After), and hands Fastify the
 * endpoint's response schema, whose serializer sends only the keys it names (an allow-list).
 * The OpenAPI document is built from the same endpoints.
 *
 * Requests are validated here rather than by Fastify's validator on purpose: access is decided
 * first (a caller without a role in the operation gets 404 whatever they send, and learns
 * nothing of the schema), then the client id, then the input.
 */
import type { GiveWay } from './plugins/give-way.js';
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Db } from '../db/connection.js';
import { isTransientConflict, isUniqueViolation } from '../db/errors.js';

/** How many times a write that lost a deadlock or a serialization conflict is run. */
const TRANSIENT_TRIES = 4;
import { successStatus, type Access, type Endpoint, type InputOf, type Method } from '../domain/api/endpoint.js';
import { AppError, type FieldIssue } from '../domain/errors.js';
import { fieldIssueOfZod as fieldIssueOf } from '../domain/field-messages.js';
import { isClientId, normaliseClientId } from '../domain/ids.js';
import { permissionsOf, type Role } from '../domain/policy.js';
import type { Ctx } from '../services/context.js';
import type { KeyRing } from '../services/keys/keyring.js';
import { storeAnswer, takeClientIdAndFindAnswer, type IdempotencyScope } from '../services/stored-answers.js';
import { canonicalJson as canonical } from '../domain/canonical-json.js';

/**
 * How long a copy of a write waits for the first copy (same key, still being processed) before it
 * answers 409 `request.in_progress`: long enough for any write Corridor does under load, short of a
 * phone's 20 s timeout.
 */
export const IN_FLIGHT_WAIT_MS = 10_000;

export type Handler<E extends Endpoint> = (ctx: Ctx, input: InputOf<E>, req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export interface RegisteredRoute {
  method: Method;
  url: string;
  access: Access;
  def: Endpoint;
}

export interface RouteEnv {
  db: Db;
  keys: KeyRing;
  clock: () => Date;
  /** Every route this app registered, for the OpenAPI document and the policy tests. */
  routes: RegisteredRoute[];
  /** Called after a write of an operation committed (the count projection counts it). */
  afterWrite?: (operationId: string) => void;
  /** Background work (an import) waits here while requests are being answered (plugins/give-way.ts). */
  giveWay?: GiveWay;
  /** How long a copy of a write in flight waits for the first (default IN_FLIGHT_WAIT_MS; tests shorten it). */
  inFlightWaitMs?: number;
}

function issues(error: z.ZodError, prefix: string): FieldIssue[] {
  // Each with its message key and parameters, so a client says it in its user's language.
  return error.issues.map((i) => fieldIssueOf(i, prefix));
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const r = schema.safeParse(value ?? (where === 'body' ? undefined : {}), { reportInput: true });
  if (!r.success) {
    const fields = issues(r.error, where === 'body' ? '' : where);
    throw new AppError('request.invalid', `${fields[0]?.path || where}: ${fields[0]?.message ?? 'is not valid'}`, { fields });
  }
  return r.data;
}

function authorise(def: Endpoint, req: FastifyRequest, operationId: string | undefined): { roles: Role[] } {
  const access = def.access;
  if (access === 'public') return { roles: [] };
  const caller = req.caller;
  if (!caller) throw new AppError(req.deviceRefusal ?? 'auth.required');
  // An account that must change its password or set up a second factor does only that first.
  if (caller.pending && !def.duringAccountSetup) throw new AppError('auth.account_setup_required', undefined, { pending: caller.pending });
  if (access === 'authenticated') return { roles: [] };
  if (access === 'user') {
    if (caller.kind !== 'user') throw new AppError('auth.forbidden', 'Only an account logged in with its password can do this.');
    return { roles: [] };
  }
  if (access === 'system_admin') {
    if (!caller.isAdmin) throw new AppError('auth.forbidden');
    return { roles: [] };
  }
  if (!operationId) throw new Error(`route needs ${access} but has no :operationId`);
  const roles = caller.roles.get(operationId) ?? [];
  if (roles.length === 0) throw new AppError('operation.not_found');
  if (!permissionsOf(roles).has(access)) throw new AppError('auth.forbidden', `Your role (${roles.join(', ')}) does not allow this.`);
  return { roles };
}

export function defineRoute<E extends Endpoint>(app: FastifyInstance, env: RouteEnv, def: E, handler: Handler<E>) {
  const key = `${def.method} ${def.path}`;
  const access = def.access as Access | undefined;
  if (!access) throw new Error(`route ${key} declares no access (src/domain/api)`);
  if (!def.response) throw new Error(`route ${key} declares no response schema (src/domain/api)`);
  if (env.routes.some((r) => r.method === def.method && r.url === def.path)) throw new Error(`route ${key} is registered twice`);
  env.routes.push({ method: def.method, url: def.path, access, def });
  const isWrite = def.method !== 'GET';
  const needsClientId = isWrite && def.idempotent !== false;
  const status = successStatus(def);
  // The answer goes out through the response schema: keys it does not name are dropped, a
  // value of the wrong shape is a 500. Replays of stored answers go the same way. Errors
  // (4xx/5xx) have no schema here and keep their catalogue shape. A 204 has no body.
  const serialization: Pick<RouteOptions, 'schema' | 'serializerCompiler'> =
    status === 204
      ? {}
      : {
          schema: { response: { [status]: def.response } },
          serializerCompiler: serializerCompiler as NonNullable<RouteOptions['serializerCompiler']>,
        };

  app.route({
    method: def.method,
    url: def.path,
    ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
    ...serialization,
    handler: async (req, reply) => {
      const rawParams = req.params as Record<string, string>;
      const { roles } = authorise(def, req, rawParams.operationId);
      let clientId: string | undefined;
      if (needsClientId) {
        const header = req.headers['idempotency-key'];
        if (typeof header !== 'string' || !isClientId(header)) throw new AppError('request.idempotency_key_missing');
        clientId = normaliseClientId(header);
      }
      const input = {
        params: parse(def.params, rawParams, 'params'),
        query: parse(def.query, req.query, 'query'),
        body: parse(def.body, req.body, 'body'),
      } as InputOf<E>;
      const caller = req.caller;
      const requestHash = clientId
        ? createHash('sha256')
            .update(key)
            .update(canonical(rawParams))
            .update(canonical(req.body ?? null))
            .digest('hex')
        : '';
      const now = env.clock();

      // Another account's or another operation's use of the same client id is another key.
      const scope: IdempotencyScope | undefined = clientId
        ? { actorId: caller?.id ?? 'anonymous', operationId: rawParams.operationId ?? '', clientId }
        : undefined;

      const run = async () => {
        let failure: unknown;
        const out = await env.db.kysely.transaction().execute(async (trx) => {
          if (scope) {
            // A copy of this write still in flight holds the key until it commits: wait for it, then replay its answer.
            // The key taken and its stored answer read in one round trip.
            const taken = await takeClientIdAndFindAnswer(trx, env.keys, scope, requestHash, env.inFlightWaitMs ?? IN_FLIGHT_WAIT_MS);
            if (!taken.taken) throw new AppError('request.in_progress', undefined, { retryAfterSeconds: 1 });
            if (taken.prior) return { replay: taken.prior };
          }
          const ctx: Ctx = {
            db: trx,
            now,
            keys: env.keys,
            roles,
            permissions: permissionsOf(roles),
            actor: caller
              ? { kind: caller.kind, id: caller.id, name: caller.name, isAdmin: caller.isAdmin }
              : { kind: 'user', id: 'anonymous', name: 'anonymous', isAdmin: false },
            ...(rawParams.operationId ? { operationId: rawParams.operationId } : {}),
          };
          try {
            let result = await handler(ctx, input, req, reply);
            // A write's answer is cut to its schema before it is stored for replays (nothing
            // outside it is kept at rest) and inside the transaction (an answer of the wrong
            // shape rolls the write back instead of committing it behind a 500).
            if (isWrite && status !== 204 && result !== undefined) result = def.response.parse(result);
            if (scope) await storeAnswer(trx, env.keys, scope, { route: key, requestHash, status, response: result, at: now });
            return { status, result };
          } catch (err) {
            if (def.commitOnError && err instanceof AppError) {
              failure = err;
              return { status: 0, result: undefined };
            }
            throw err;
          }
        });
        if (failure) throw failure;
        return out;
      };

      let out: Awaited<ReturnType<typeof run>>;
      for (let attempt = 1; ; attempt++) {
        try {
          out = await run();
          break;
        } catch (err) {
          // Two copies of the same write raced: the loser answers as a replay of the winner.
          if (clientId && isUniqueViolation(err, 'idempotency_keys_pkey')) {
            out = await run();
            break;
          }
          // PostgreSQL ended this transaction to break a deadlock with another write (two devices
          // syncing the same household at once) or a serialization conflict: nothing was written,
          // so the request runs again, after a short random wait; after the last try the client
          // gets a 503 with Retry-After (mapDbError) and its outbox sends it again.
          if (isTransientConflict(err) && attempt < TRANSIENT_TRIES) {
            await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
            continue;
          }
          throw err;
        }
      }
      if ('replay' in out && out.replay) {
        const prior = out.replay;
        if (prior.requestHash !== requestHash) throw new AppError('request.idempotency_key_reused');
        reply.header('idempotent-replayed', 'true');
        return reply.status(prior.status).send(prior.response);
      }
      if (isWrite && rawParams.operationId) env.afterWrite?.(rawParams.operationId);
      // A handler that took the connection over (a server-sent-events stream) answers by itself.
      if (reply.sent) return reply;
      const done = out as { status: number; result: unknown };
      reply.status(done.status);
      return done.result === undefined ? reply.send() : reply.send(done.result);
    },
  });
}
