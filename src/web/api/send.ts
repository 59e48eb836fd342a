/**
 * One HTTP attempt of a write command: the client id as `Idempotency-Key`, JSON in and out, the
 * answer parsed or turned into an ApiError (status 0, code `network`, when the server was not
 * reached or did not answer in time). Used by write.ts for direct writes and by the outbox for
 * sending and re-sending queued ones; pages use neither directly.
 */
import { networkError, toApiError } from './errors.js';

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Request {
  method: WriteMethod;
  path: string;
  body?: unknown;
  clientId: string | null;
}

/** Every write attempt this tab made, newest last (for tests and the outbox view). */
export const sentLog: { clientId: string | null; method: WriteMethod; path: string; status: number }[] = [];

export async function send<T>(req: Request, timeoutMs?: number): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  if (req.clientId) headers['idempotency-key'] = req.clientId;
  let res: Response;
  try {
    res = await fetch(req.path, {
      method: req.method,
      credentials: 'same-origin',
      headers,
      ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
      ...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
    });
  } catch (err) {
    sentLog.push({ clientId: req.clientId, method: req.method, path: req.path, status: 0 });
    throw networkError(err);
  }
  sentLog.push({ clientId: req.clientId, method: req.method, path: req.path, status: res.status });
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
