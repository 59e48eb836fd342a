/**
 * Reads from the API (GET). Reads are safe to repeat and never queued; writes go through
 * write.ts instead.
 */
import { ApiError, networkError, toApiError } from './errors.js';

export async function read<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw networkError(err);
  }
  if (!res.ok) throw await toApiError(res);
  return (await res.json()) as T;
}

export { ApiError };
