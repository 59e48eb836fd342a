/**
 * Live tracing news (issue 18): the tracing desks of an operation learn, without reloading, that
 * the loop (loop.ts) recorded news for a request — a candidate proposed by a later registration,
 * import or correction, a proposed person checked in, two requests linked — or that an officer
 * read it. The news is carried on the live count stream (server/sse.ts) as a `tracing` event, to
 * callers holding tracing.manage only, and names no person: the ids of the requests with news and
 * their number. The desk then reads the requests through the audited tracing endpoints.
 *
 * Writers tell the in-process bus (`publishTracingNews`, inside their transaction, before the
 * commit): a stream woken by it reads the summary again shortly after, and polls it anyway, which
 * also catches writes by other server processes.
 */
import { EventEmitter } from 'node:events';
import type { Executor } from '../../db/queries/executor.js';
import { tracingNewsSummary } from '../../db/queries/tracing.js';

/** At most this many request ids in one event; `needingAttention` says how many there are. */
export const NEWS_IDS_LIMIT = 50;

const bus = new EventEmitter();
bus.setMaxListeners(0);

export function publishTracingNews(operationId: string): void {
  bus.emit('news', operationId);
}

export function onTracingNews(listener: (operationId: string) => void): () => void {
  bus.on('news', listener);
  return () => bus.off('news', listener);
}

export interface TracingNews {
  needingAttention: number;
  requests: string[];
  latestNews: string | null;
}

export async function readTracingNews(db: Executor, operationId: string): Promise<TracingNews> {
  const s = await tracingNewsSummary(db, operationId, NEWS_IDS_LIMIT);
  return { needingAttention: s.needingAttention, requests: s.requestIds, latestNews: s.latestNews };
}
