/**
 * Background work gives way to requests (issue 15: a 100,000-row import does not stall the
 * desks). An import writes in the server's process, after its start request has been answered;
 * between households and between chunks it asks `giveWay`, which waits while any API request is
 * being answered (at most `maxMs`, so the import still moves under a steady load), then lets the
 * event loop turn once. Event streams (the live counts) stay open for ever and are not counted.
 * The duplicate checker also asks for a quiet moment (`quietMs`): on PGlite one connection serves
 * it and the desks, and a desk sending requests back to back would otherwise meet a lookup now
 * and then.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { wantsEventStream } from '../sse.js';

const counted = Symbol('giveWay');

/**
 * Waits while a request is being answered, and — given `quietMs` — until none has been answered for
 * that long (a pause between a desk's requests, not the gap between two of a burst); at most `maxMs`.
 */
export type GiveWay = (maxMs: number, quietMs?: number) => Promise<void>;

export function registerGiveWay(app: FastifyInstance): GiveWay {
  let inFlight = 0;
  let lastAnswered = 0;
  let waiting: (() => void)[] = [];
  const done = (req: FastifyRequest) => {
    const r = req as FastifyRequest & { [counted]?: boolean };
    if (!r[counted]) return;
    r[counted] = false;
    inFlight--;
    lastAnswered = performance.now();
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
  return async (maxMs, quietMs = 0) => {
    const until = performance.now() + maxMs;
    for (;;) {
      const left = until - performance.now();
      if (left <= 0) break;
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiting.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
        if (quietMs === 0) break;
        continue;
      }
      const quiet = lastAnswered + quietMs - performance.now();
      if (quiet <= 0) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(quiet, left)));
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
}
