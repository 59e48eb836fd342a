/**
 * A sync storm does not starve the online desks (issue 17). When a hundred phones come back into
 * signal at once, each sending its outbox, their batches would take every database connection
 * and an online desk's request would wait behind all of them (the sync-storm benchmark measured a
 * desk's p95 going from 0.4 s to 45 s). Writes sent from a backlog take turns through a few lanes
 * instead, waiting in the server's memory (holding no connection) for a free one, in arrival
 * order; every other request goes straight on.
 *
 * A write is from a backlog when it is made with a device token (a field phone's queue), or when
 * the sender says its outbox holds more writes than this one (`Corridor-Outbox-Size` ≥ 2). A phone
 * whose batch waits for a lane is only slower; nothing is refused or lost.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { OUTBOX_SIZE_HEADER } from '../../domain/api/endpoint.js';

const held = Symbol('syncLane');

function fromBacklog(req: FastifyRequest): boolean {
  if (req.method === 'GET' || req.method === 'HEAD' || !req.url.startsWith('/api/')) return false;
  if (req.caller?.kind === 'device') return true;
  const said = req.headers[OUTBOX_SIZE_HEADER];
  return typeof said === 'string' && /^[0-9]{1,7}$/.test(said.trim()) && Number(said) >= 2;
}

/** Registered after authentication (it reads the caller). `lanes` ≤ 0: no lanes (every request straight on). */
export function registerSyncLanes(app: FastifyInstance, lanes: number) {
  if (lanes <= 0) return;
  let busy = 0;
  const waiting: (() => void)[] = [];
  const release = (req: FastifyRequest) => {
    const r = req as FastifyRequest & { [held]?: boolean };
    if (!r[held]) return;
    r[held] = false;
    const next = waiting.shift();
    if (next) next();
    else busy--;
  };
  app.addHook('preHandler', async (req) => {
    if (!fromBacklog(req)) return;
    if (busy < lanes) busy++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    (req as FastifyRequest & { [held]?: boolean })[held] = true;
  });
  app.addHook('onResponse', async (req) => release(req));
  app.addHook('onRequestAbort', async (req) => release(req));
}
