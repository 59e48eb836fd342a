/**
 * The tracing desk's live news: the live count stream asked for its `tracing` events alone
 * (`only=tracing`). Each tells that the operation's tracing news changed — which requests have
 * news, how many — and names no person; `onNews` re-reads through the audited endpoints. The
 * stream's first event states what the desk has just loaded, so it is passed on only when it
 * differs (`loaded`); every later one, a reconnect's included, is passed on. When the session or
 * the tracing right ends the server sends `end`, and the stream is closed so that the browser
 * stops reconnecting.
 */
import { useEffect, useRef, useState } from 'react';
import * as api from '../../api/endpoints.js';
import type { TracingNews } from '../../api/types.js';

export function useTracingNews(operationId: string, loaded: () => number | undefined, onNews: (news: TracingNews) => void) {
  const latest = useRef({ loaded, onNews });
  latest.current = { loaded, onNews };
  const [live, setLive] = useState(false);
  useEffect(() => {
    const es = new EventSource(api.urlOf(api.counts.streamCounts, { operationId }, { only: 'tracing' }), { withCredentials: true });
    let first = true;
    es.addEventListener('tracing', (e) => {
      const news = JSON.parse((e as MessageEvent<string>).data) as TracingNews;
      setLive(true);
      const skip = first && latest.current.loaded() === news.needingAttention;
      first = false;
      if (!skip) latest.current.onNews(news);
    });
    es.addEventListener('end', () => {
      es.close();
      setLive(false);
    });
    es.onerror = () => setLive(false);
    return () => es.close();
  }, [operationId]);
  return live;
}
