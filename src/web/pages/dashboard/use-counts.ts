/**
 * The operation's live counts: read once, then kept current by the server-sent events of
 * /counts/stream (`event: counts`). `live` says whether the stream is open; when it drops the
 * browser's EventSource reconnects by itself. When the session ends (logout, timeout, role
 * withdrawn, device revoked) the server sends `event: end` and closes: the stream is closed here
 * too, so the browser stops reconnecting, and `ended` tells the page. A stream the browser gave
 * up on without that event (its reconnect answered 401) is checked against /api/auth/me.
 */
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/errors.js';
import { read } from '../../api/read.js';
import * as api from '../../api/endpoints.js';
import type { Counts } from '../../api/types.js';
import type { countMetrics } from '../../../domain/counts/model.js';

export type Metric = (typeof countMetrics)[number];
export type { Counts };

export function useCounts(operationId: string) {
  const [counts, setCounts] = useState<Counts>();
  const [error, setError] = useState<unknown>();
  const [live, setLive] = useState(false);
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    read<Counts>(api.urlOf(api.counts.getCounts, { operationId })).then(setCounts, setError);
    const es = new EventSource(api.urlOf(api.counts.streamCounts, { operationId }), { withCredentials: true });
    let done = false;
    const end = () => {
      done = true;
      es.close();
      setLive(false);
      setEnded(true);
    };
    es.addEventListener('counts', (e) => {
      setCounts(JSON.parse((e as MessageEvent<string>).data) as Counts);
      setLive(true);
    });
    es.addEventListener('end', end);
    es.onopen = () => setLive(true);
    es.onerror = () => {
      setLive(false);
      if (done || es.readyState !== EventSource.CLOSED) return;
      read(api.urlOf(api.auth.me)).catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) end();
      });
    };
    return () => {
      done = true;
      es.close();
    };
  }, [operationId]);
  return { counts, error, live, ended };
}
