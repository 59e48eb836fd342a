/**
 * The operation's live counts: read once, then kept current by the server-sent events of
 * /counts/stream (`event: counts`). `live` says whether the stream is open; when it drops the
 * browser's EventSource reconnects by itself.
 */
import { useEffect, useState } from 'react';
import { read } from '../../api/read.js';

export type Metric = 'registered' | 'boarded' | 'in_transit' | 'arrived' | 'missing' | 'turned_back';

export interface Counts {
  version: number;
  asOf: string;
  totals: Record<Metric | 'everyone', number>;
  bySexAge: Record<Metric, { sex: string; ageBand: string; n: number }[]>;
  bySite: Record<Metric, Record<string, number>>;
  hourly: Record<Metric, { hour: string; value: number }[]>;
}

export function useCounts(operationId: string) {
  const [counts, setCounts] = useState<Counts>();
  const [error, setError] = useState<unknown>();
  const [live, setLive] = useState(false);
  useEffect(() => {
    const base = `/api/operations/${encodeURIComponent(operationId)}/counts`;
    read<Counts>(base).then(setCounts, setError);
    const es = new EventSource(`${base}/stream`, { withCredentials: true });
    es.addEventListener('counts', (e) => { setCounts(JSON.parse((e as MessageEvent<string>).data) as Counts); setLive(true); });
    es.onopen = () => setLive(true);
    es.onerror = () => setLive(false);
    return () => es.close();
  }, [operationId]);
  return { counts, error, live };
}
