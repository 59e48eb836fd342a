/**
 * Background work gives way to requests (issue 15: a 100,000-row import does not stall the
 * desks). An import writes in the server's process, after its start request has been answered;
 * between households and between chunks it asks `giveWay`, which waits while any API request is
 * being answered (at most `maxMs`, so the import still moves under a steady load), then lets the
 * event loop turn once. Event streams (the live counts) stay open for ever and are not counted.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { wantsEventStream } from '../sse.js';

const counted = Symbol('giveWay');

export type GiveWay = (maxMs: number) => Promise<void>;

export function registerGiveWay(app: FastifyInstance): GiveWay {
  let inFlight = 0;
  let waiting: (() => void)[] = [];
  const done = (req: FastifyRequest) => {
    const r = req as FastifyRequest & { [counted]?: boolean };
    if (!r[counted]) return;
    r[counted] = false;
    inFlight--;
    if (inFlight === 0) {
      const wake = waiting;
      waiting = [];
      for (const w of wake) w();
    }
  };
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/') || wantsEventStream(req)) return;
    (req as FastifyRequest & { [counted]?: boolean })[counted] = true;
    inFlight++;
  });
  app.addHook('onResponse', async (req) => done(req));
  app.addHook('onRequestAbort', async (req) => done(req));
  return async (maxMs) => {
    if (inFlight > 0)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, maxMs);
        waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
}
