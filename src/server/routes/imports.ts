/**
 * Imports from the web page. The dry run and the saved mappings are ordinary calls; starting an
 * import plans it and opens its run in the request's transaction, answers 202 with the run, and
 * only once that answer has gone out (the run committed) writes the households chunk by chunk,
 * each chunk a transaction of its own, so the desks go on registering meanwhile.
 */
import type { FastifyInstance } from 'fastify';
import * as api from '../../domain/api/imports.js';
import * as mappings from '../../services/import/mappings.js';
import * as imports from '../../services/import/requests.js';
import { writeImport } from '../../services/import/write.js';
import { defineRoute, type RouteEnv } from '../route.js';

export function importRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, api.previewImport, async (ctx, { body }) => imports.previewImport(ctx, body));
  defineRoute(app, env, api.getImport, async (ctx, { params }) => imports.getImportRun(ctx, params.importId));
  defineRoute(app, env, api.listImportMappings, async (ctx) => mappings.listMappings(ctx));
  defineRoute(app, env, api.saveImportMapping, async (ctx, { params, body }) => mappings.saveMapping(ctx, params.name, body.mapping));
  defineRoute(app, env, api.startImport, async (ctx, { body }, _req, reply) => {
    const { plan, run } = await imports.startImportRun(ctx, body);
    const { db: _db, now: _now, ...actor } = ctx;
    reply.raw.once('finish', () => {
      if (reply.statusCode !== 202) return;
      writeImport(
        {
          db: env.db,
          clock: env.clock,
          ...(env.afterWrite ? { afterWrite: env.afterWrite } : {}),
          ...(env.giveWay ? { giveWay: env.giveWay } : {}),
        },
        actor,
        run.id,
        plan,
        { allOrNothing: body.allOrNothing },
      ).catch((err: unknown) => app.log.error({ err, importId: run.id }, 'import failed'));
    });
    return run;
  });
}
