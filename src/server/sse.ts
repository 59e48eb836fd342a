/**
 * Server-sent events for the live counts. A stream sends the counts at once, then again each
 * time the operation's count version moves: it is woken by the in-process bus as soon as a
 * writer changes counters (and checks again shortly after, since the notice comes before the
 * commit), and it polls the version every second. On PostgreSQL the bus also carries the
 * notices of count changes committed by other server processes (LISTEN/NOTIFY, counts-notify.ts),
 * so those arrive at once too; the poll stays as the fallback if that connection drops. A comment line every 15 s keeps proxies open.
 * Each check first asks whether the caller still may read (`stillAllowed`: the session not
 * ended, timed out or its user disabled, the device not revoked, the role not withdrawn); when
 * not, the stream says so in an `end` event and closes, and the browser's reconnect gets a 401.
 *
 * A caller holding tracing.manage (asked at every check too) also gets `tracing` events: the
 * operation's tracing news changed (services/tracing/news.ts) — request ids and a count, no
 * person. They are woken by the tracing-news bus and polled like the counts; `only: 'tracing'`
 * (the tracing desk) leaves the counts out.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/connection.js';
import { onCountsChanged } from '../services/counts/counts-bus.js';
import { readCounts, readCountVersion } from '../services/counts/counts.js';
import { onTracingNews, readTracingNews } from '../services/tracing/news.js';
import { tracingNewsEvent } from '../domain/api/counts.js';

export function wantsEventStream(req: FastifyRequest): boolean {
  return (req.headers.accept ?? '').includes('text/event-stream');
}

export function countsEvent(version: number, counts: unknown): string {
  return `event: counts\nid: ${version}\ndata: ${JSON.stringify(counts)}\n\n`;
}

export function tracingEvent(news: unknown): string {
  // Only the fields of the contract leave, whatever the reader returned.
  return `event: tracing\ndata: ${JSON.stringify(tracingNewsEvent.parse(news))}\n\n`;
}

/** What the caller may still be sent: false ends the stream. */
export type StreamAccess = false | { tracing: boolean };

export interface StreamOptions {
  db: Db;
  operationId: string;
  withCategory: boolean;
  clock: () => Date;
  pollMs?: number;
  /** Whether the caller may still read the counts, and the tracing news; asked before every read. */
  stillAllowed: () => Promise<StreamAccess>;
  /** The tracing news alone, no counts (the stream ends when the caller loses the tracing right). */
  only?: 'tracing';
}

/** The open streams of each HTTP server (every plugin of an app shares it), ended when it closes (`endStreams`, a preClose hook in app.ts). */
const openStreams = new WeakMap<object, Set<() => void>>();

/**
 * Ends every open stream of a server about to close: a stream is a request that never finishes,
 * so the server would wait for it, and meanwhile it would poll a database that is going away.
 */
export function endStreams(server: object): void {
  for (const end of openStreams.get(server) ?? []) end();
}

export function streamCounts(req: FastifyRequest, reply: FastifyReply, opts: StreamOptions) {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  raw.write('retry: 3000\n\n');
  let last = -1;
  let lastNews = '';
  let closed = false;
  let chain: Promise<void> = Promise.resolve();
  const check = () => {
    chain = chain
      .then(async () => {
        if (closed) return;
        const access = await opts.stillAllowed();
        if (access === false || (opts.only === 'tracing' && !access.tracing)) {
          if (closed) return;
          raw.write(`event: end\ndata: {"reason":"${access === false ? 'session_ended' : 'not_allowed'}"}\n\n`);
          close();
          raw.end();
          return;
        }
        if (opts.only === undefined) {
          const version = await readCountVersion(opts.db.kysely, opts.operationId);
          if (closed) return;
          if (version !== last) {
            last = version;
            raw.write(countsEvent(version, await readCounts(opts.db.kysely, opts.operationId, opts.withCategory, opts.clock())));
          }
        }
        if (!access.tracing || closed) return;
        const news = await readTracingNews(opts.db.kysely, opts.operationId);
        const key = JSON.stringify(news);
        if (key === lastNews || closed) return;
        lastNews = key;
        raw.write(tracingEvent(news));
      })
      .catch((err: unknown) => {
        req.log.warn({ err }, 'counts stream read failed');
      });
  };
  const timers = new Set<ReturnType<typeof setTimeout>>();
  // A notice comes before its commit: read shortly after it, and again later.
  const wake = (id: string) => {
    if (id !== opts.operationId) return;
    for (const ms of [30, 300, 1500]) {
      const t = setTimeout(() => {
        timers.delete(t);
        check();
      }, ms);
      timers.add(t);
    }
  };
  const offCounts = onCountsChanged(wake);
  const offNews = onTracingNews(wake);
  const unsubscribe = () => {
    offCounts();
    offNews();
  };
  const poll = setInterval(check, opts.pollMs ?? 1000);
  const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
  let streams = openStreams.get(req.server.server);
  if (streams === undefined) openStreams.set(req.server.server, (streams = new Set()));
  const end = () => {
    close();
    raw.end();
  };
  streams.add(end);
  const close = () => {
    closed = true;
    streams.delete(end);
    unsubscribe();
    clearInterval(poll);
    clearInterval(heartbeat);
    for (const t of timers) clearTimeout(t);
  };
  req.raw.on('close', close);
  raw.on('close', close);
  check();
}
