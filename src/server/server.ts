/**
 * Starts Corridor: boots storage, builds the app, serves the web app and the API, and says
 * where. The only module that listens.
 */
import type { Config } from '../config.js';
import { startHousekeeping } from '../services/jobs/embedded-housekeeping.js';
import { startIdempotencyRetention } from '../services/jobs/idempotency-retention.js';
import { startDataAtRestJob } from '../services/jobs/data-at-rest.js';
import { buildApp } from './app.js';
import { boot } from './boot.js';
import { serveWeb } from './web.js';

export interface ServerHooks {
  /** After storage is ready, before the app listens (e.g. setting the demo operation up). */
  afterBoot?: (b: Awaited<ReturnType<typeof boot>>) => Promise<void>;
  /** Operations whose roles need no second factor: the demo operation on a demo database. */
  secondFactorExemptOperations?: string[];
  /** Once the app listens and has said where (e.g. loading the demo while serving). */
  afterListen?: (b: Awaited<ReturnType<typeof boot>>, address: string) => Promise<void>;
}

export async function startServer(config: Config, hooks: ServerHooks = {}) {
  const booted = await boot(config);
  const { db, keys } = booted;
  const app = await buildApp({
    db,
    keys,
    logLevel: config.logLevel,
    sessionIdleMinutes: config.sessionIdleMinutes,
    sessionMaxHours: config.sessionMaxHours,
    secureCookies: config.secureCookies,
    trustProxy: config.trustProxy,
    tileUrl: config.tileUrl,
    rateLimits: config.rateLimits,
    smsSecret: config.smsSecret,
    secondFactor: { requiredFor: config.secondFactorRoles, exemptOperationIds: hooks.secondFactorExemptOperations ?? [] },
    extend: (a) => serveWeb(a, { tileUrl: config.tileUrl }),
  });
  const log = (line = '') => process.stdout.write(line + '\n');
  if (db.dialect === 'pglite') {
    log(
      `Database: embedded PGlite in ${config.dataDir} — fsync is OFF: fine for a laptop or a demo; an operation that cannot lose data runs on PostgreSQL (DATABASE_URL).`,
    );
  } else {
    log('Database: PostgreSQL (DATABASE_URL).');
  }
  if (booted.masterKeyMovedFrom)
    log(
      `Master key moved from ${booted.masterKeyMovedFrom} (inside the data folder, where earlier versions kept it) to ${config.masterKeyFile}: a copy of the data folder alone no longer opens the names. Back the key up apart from the data.`,
    );
  if (booted.masterKeyCreated)
    log(
      `Master key created in ${config.masterKeyFile} (mode 0600). Back it up, apart from the data: without it no name in this database can be read.`,
    );
  if (hooks.afterBoot) await hooks.afterBoot(booted);
  if (booted.firstAdmin) {
    log('');
    log('First start: an administrator was created. This password is shown only once:');
    log(`  username: ${booted.firstAdmin.username}`);
    log(`  password: ${booted.firstAdmin.password}`);
    log('');
  }
  // Stored answers of writes are kept for the retention period, then pruned: at start and every hour.
  const retention = startIdempotencyRetention(db.kysely, {
    retentionDays: config.idempotencyRetentionDays,
    onError: (err) => app.log.error({ err }, 'pruning stored answers failed'),
    onPruned: (r) => app.log.info({ deleted: r.deleted, before: r.before.toISOString() }, 'pruned stored answers of writes'),
  });
  // PGlite has no autovacuum (nor a PostgreSQL with it turned off): tables that have doubled are
  // analyzed (or vacuumed) every 5 minutes.
  const housekeeping = startHousekeeping(db, {
    onError: (err) => app.log.error({ err }, 'housekeeping of the database failed'),
    onDone: (actions) => app.log.info({ actions }, 'database statistics refreshed'),
    onNotice: (message) => app.log.warn(message),
  });
  // Protection data at rest, at start and every hour: what older versions stored in clear is
  // sealed; closed operations past their retention period are shredded.
  const dataAtRest = startDataAtRestJob(db.kysely, booted.keys, {
    onError: (err) => app.log.error({ err }, 'upkeep of protection data at rest failed'),
    onDone: (r) => {
      if (r.sealed.persons + r.sealed.counted > 0) app.log.info({ sealed: r.sealed }, 'sealed fields stored in clear by an older version');
      for (const s of r.shredded)
        app.log.warn({ operationId: s.operationId, code: s.code }, 'operation shredded: its retention period ran out');
    },
  });
  const close = async () => {
    await dataAtRest.stop();
    await housekeeping.stop();
    await retention.stop();
    await app.close();
    await db.close();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void close().then(() => process.exit(0));
    });
  }
  const address = await app.listen({ host: config.host, port: config.port });
  log(`Corridor is serving at ${address.replace('127.0.0.1', 'localhost')}/  (API docs at /api/docs)`);
  if (hooks.afterListen) await hooks.afterListen(booted, address);
  return { app, db, address, close };
}
