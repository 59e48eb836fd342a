/**
 * buildApp: the whole HTTP application on a given database and key ring, without listening,
 * so tests drive it with `app.inject()`. server.ts only listens.
 */
import { registerGiveWay, type GiveWay } from './plugins/give-way.js';
import { registerSyncLanes } from './plugins/sync-lanes.js';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Db } from '../db/connection.js';
import type { SecondFactorSettings } from '../domain/second-factor.js';
import type { KeyRing } from '../services/keys/keyring.js';
import { keyAuditWith } from '../services/audit/audit-anchor.js';
import { CountProjector } from '../services/counts/count-projector.js';
import { DuplicateChecker } from '../services/matching/duplicate-checks.js';
import { listenForCountChanges } from './counts-notify.js';
import { registerAuth } from './plugins/auth.js';
import { registerErrorHandling } from './plugins/errors.js';
import { allowInlineStyles, registerSecurityHeaders } from './plugins/headers.js';
import { DEFAULT_RATE_LIMITS, registerRateLimits, type RateLimits } from './plugins/rate-limit.js';
import { refuseBadUrl, registerInputGuard } from './plugins/input-guard.js';
import { buildOpenApi } from './openapi.js';
import type { RegisteredRoute, RouteEnv } from './route.js';
import { adminRoutes } from './routes/admin.js';
import { authRoutes } from './routes/auth.js';
import { operationRoutes } from './routes/operations.js';
import { personRoutes } from './routes/persons.js';
import { matchingRoutes } from './routes/matching.js';
import { importRoutes } from './routes/imports.js';
import { convoyRoutes } from './routes/convoys.js';
import { paperRoutes } from './routes/paper.js';
import { factRoutes } from './routes/facts.js';
import { receptionRoutes } from './routes/reception.js';
import { exportRoutes } from './routes/exports.js';
import { countRoutes } from './routes/counts.js';
import { sitrepRoutes } from './routes/sitrep.js';
import { smsRoutes } from './routes/sms.js';
import { endStreams } from './sse.js';
import { convoyOpsRoutes } from './routes/convoy-ops.js';
import { startOverdueJob, type OverdueJob } from '../services/jobs/overdue-job.js';

export interface AppOptions {
  db: Db;
  keys: KeyRing;
  clock?: () => Date;
  /** How long a copy of a write still in flight waits for the first before answering 409 `request.in_progress` (tests). */
  inFlightWaitMs?: number;
  sessionIdleMinutes?: number;
  sessionMaxHours?: number;
  secureCookies?: 'auto' | 'always' | 'never';
  trustProxy?: boolean;
  /** Requests per minute per address, per account, logins per address (src/server/plugins/rate-limit.ts); false: none (tests). */
  rateLimits?: RateLimits | false;
  /** Who must have a second factor (CORRIDOR_2FA_ROLES, default admin, coordinator, tracing officer) and which operation is exempt (the demo's); unset: nobody must (tests). */
  secondFactor?: SecondFactorSettings;
  /** The map's tile URL template: its origin is allowed for images by the Content-Security-Policy. */
  tileUrl?: string | undefined;
  logLevel?: string;
  /** Where logs go (tests capture them to prove no name leaks into them). */
  logStream?: { write(msg: string): void };
  /** How many writes sent from a backlog (device queues, outboxes) run at once (src/server/plugins/sync-lanes.ts); 0: no limit. */
  syncLanes?: number;
  /** The SMS gateway's shared secret (CORRIDOR_SMS_SECRET); unset: the SMS webhook answers 404 `sms.not_configured`. */
  smsSecret?: string | undefined;
  /** How often the overdue watch scans convoys on the road (ms, default a minute). */
  overdueIntervalMs?: number;
  /** Extra routes and static files (the web app), registered after the API. */
  extend?: (app: FastifyInstance, env: RouteEnv) => Promise<void> | void;
}

declare module 'fastify' {
  interface FastifyInstance {
    corridorRoutes: RegisteredRoute[];
    /** Counts what writers noted, after they commit. */
    countProjector: CountProjector;
    duplicateChecker: DuplicateChecker;
    /** Every route Fastify knows (API, docs, static files), for the policy tests. */
    allRoutes: { method: string; url: string }[];
    /** Background work (an import) waits on it while requests are being answered. */
    giveWay: GiveWay;
    /** Raises, escalates and resolves overdue alerts of convoys, on a timer (runNow for tests). */
    overdueWatch: OverdueJob;
  }
}

/** Two lanes: on a small server the database is busy with two batches; the other connections stay for the desks. */
const DEFAULT_SYNC_LANES = 2;

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: opts.logLevel ?? 'info',
      ...(opts.logStream ? { stream: opts.logStream } : {}),
      // Query strings can hold what someone typed into a name search: never log them.
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: req.url.split('?')[0], id: req.id }),
      },
    },
    bodyLimit: 1_048_576,
    trustProxy: opts.trustProxy ?? false,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    frameworkErrors: refuseBadUrl,
  });
  const clock = opts.clock ?? (() => new Date());
  // Every audit entry written through this database from now on carries the audit key's HMAC.
  keyAuditWith(opts.db.kysely, opts.keys);
  // Counts are counted after commit: kicked by every write, swept every second for the rest.
  const projector = new CountProjector(opts.db, opts.keys, {
    clock,
    onBatch: (r) => app.log.debug({ counted: r }, 'counts projected'),
    onError: (err) => app.log.error({ err }, 'count projection failed'),
  });
  app.addHook('onClose', async () => projector.stop());
  // Live count streams never finish by themselves: ended before the server closes, not after the database has.
  app.addHook('preClose', async () => endStreams(app.server));
  // On PostgreSQL, count changes committed by other server processes wake the live streams at once.
  const stopListening = await listenForCountChanges(opts.db, (err) =>
    app.log.warn({ err }, 'count notifications: listener connection failed'),
  );
  app.addHook('onClose', async () => stopListening());
  const overdueWatch = startOverdueJob(opts.db.kysely, {
    clock,
    ...(opts.overdueIntervalMs !== undefined ? { intervalMs: opts.overdueIntervalMs } : {}),
    onError: (err) => app.log.error({ err }, 'overdue watch failed'),
  });
  app.addHook('preClose', async () => overdueWatch.stop());
  app.decorate('overdueWatch', overdueWatch);
  const giveWay = registerGiveWay(app);
  // A desk's registrations are checked for duplicates just after they commit; notes left by a
  // crash or another process are swept up.
  const duplicateChecker = new DuplicateChecker(opts.db.kysely, opts.keys, {
    clock,
    // Desks first: between two people the checker waits for 100 ms with no request (at most 2 s,
    // so it still moves under a steady load, and catches up in the next pause).
    giveWay: () => giveWay(2000, 100),
    onError: (err) => app.log.error({ err }, 'duplicate check failed'),
  });
  app.addHook('onClose', async () => duplicateChecker.stop());
  const env: RouteEnv = {
    db: opts.db,
    keys: opts.keys,
    clock,
    routes: [],
    afterWrite: (operationId) => {
      projector.kick(operationId);
      duplicateChecker.kick(operationId);
    },
    giveWay,
    ...(opts.inFlightWaitMs !== undefined ? { inFlightWaitMs: opts.inFlightWaitMs } : {}),
  };
  app.decorate('countProjector', projector);
  app.decorate('duplicateChecker', duplicateChecker);
  app.decorate('giveWay', giveWay);
  app.decorate('corridorRoutes', env.routes);
  const allRoutes: { method: string; url: string }[] = [];
  app.decorate('allRoutes', allRoutes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) allRoutes.push({ method, url: r.url });
  });
  await app.register(cookie);
  registerErrorHandling(app);
  registerInputGuard(app);
  // The address limit runs before the session is looked up, the account limit right after.
  const limits = opts.rateLimits === false ? undefined : await registerRateLimits(app, opts.rateLimits ?? DEFAULT_RATE_LIMITS);
  const settings = {
    idleMinutes: opts.sessionIdleMinutes ?? 30,
    maxHours: opts.sessionMaxHours ?? 12,
    ...(opts.secondFactor ? { secondFactor: opts.secondFactor } : {}),
  };
  registerAuth(app, opts.db, settings, env.clock);
  limits?.afterAuth();
  registerSyncLanes(app, opts.syncLanes ?? DEFAULT_SYNC_LANES);
  await registerSecurityHeaders(app, { tileUrl: opts.tileUrl });

  authRoutes(app, env, { ...settings, secureCookies: opts.secureCookies ?? 'auto' });
  adminRoutes(app, env);
  operationRoutes(app, env);
  personRoutes(app, env);
  convoyRoutes(app, env);
  paperRoutes(app, env);
  convoyOpsRoutes(app, env);
  factRoutes(app, env);
  receptionRoutes(app, env);
  countRoutes(app, env);
  sitrepRoutes(app, env);
  exportRoutes(app, env);
  matchingRoutes(app, env);
  importRoutes(app, env);
  await smsRoutes(app, env, { secret: opts.smsSecret });

  const document = buildOpenApi(env.routes, '0.1.0');
  await app.register(swagger, { mode: 'static', specification: { document: document as never } });
  // Swagger UI puts <style> elements in its page: its pages (only) may use inline styles; scripts stay 'self'.
  await app.register(swaggerUi, { routePrefix: '/api/docs', transformStaticCSP: allowInlineStyles });
  if (opts.extend) await opts.extend(app, env);
  return app;
}
