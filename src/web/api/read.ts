/**
 * Reads from the API (GET). Reads are safe to repeat and never queued; writes go through
 * write.ts instead.
 */
import { WATCH_HEADER } from '../../domain/api/endpoint.js';
import { ApiError, networkError, toApiError } from './errors.js';

/**
 * Reads started ahead of the page that makes them (the operation shell asks for a desk's reads
 * while the operation itself loads); the page's own read takes the answer once, if it is fresh.
 */
const prefetched = new Map<string, { at: number; answer: Promise<unknown> }>();
const FRESH_MS = 10_000;

export function prefetch(path: string): void {
  if (prefetched.has(path)) return;
  const answer = fetchJson(path);
  answer.catch(() => undefined); // the page's own read reports the error
  prefetched.set(path, { at: Date.now(), answer });
}

export function read<T>(path: string, signal?: AbortSignal): Promise<T> {
  const early = prefetched.get(path);
  if (early) {
    prefetched.delete(path);
    // A failed early read (not logged in yet, a network blip) is made again by the page.
    if (Date.now() - early.at < FRESH_MS) return (early.answer as Promise<T>).catch(() => fetchJson<T>(path, signal));
  }
  return fetchJson<T>(path, signal);
}

/**
 * A desk's read in the background, every few seconds while it is open (the duplicate review
 * queue's numbers): marked so that the server does not count it as use, and a desk left open
 * does not keep an unattended session from its idle timeout.
 */
export function watch<T>(path: string, signal?: AbortSignal): Promise<T> {
  return fetchJson<T>(path, signal, { [WATCH_HEADER]: '1' });
}

async function fetchJson<T>(path: string, signal?: AbortSignal, extra: Record<string, string> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...extra },
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw networkError(err);
  }
  if (!res.ok) throw await toApiError(res);
  return (await res.json()) as T;
}

export { ApiError };
