/**
 * The one module every write goes through. It stamps each command with a client id (a ULID,
 * sent as `Idempotency-Key`) and sends it. Pages never call fetch for writes: they call
 * `write()` (or a named command in commands.ts), so an offline queue can later be put here —
 * keep the command, send it again with the same id — without touching any page.
 *
 * A caller that retries after a network failure passes the same `clientId` again; the server
 * answers a replay with the first result instead of doing the write twice.
 */
import { ulid } from 'ulid';
import { networkError, toApiError } from './errors.js';

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Command {
  method: WriteMethod;
  path: string;
  body?: unknown;
  /** The command's client id; made here when absent. */
  clientId?: string;
  /** Login and logout are not idempotent commands and carry no client id. */
  idempotent?: boolean;
}

export function newClientId(): string {
  return ulid();
}

/** Every write the app made in this tab, newest last (for a future outbox view and for tests). */
export const sentLog: { clientId: string | null; method: WriteMethod; path: string; status: number }[] = [];

export async function write<T>(cmd: Command): Promise<T> {
  const clientId = cmd.idempotent === false ? null : (cmd.clientId ?? newClientId());
  const headers: Record<string, string> = { accept: 'application/json' };
  if (cmd.body !== undefined) headers['content-type'] = 'application/json';
  if (clientId) headers['idempotency-key'] = clientId;
  let res: Response;
  try {
    res = await fetch(cmd.path, {
      method: cmd.method,
      credentials: 'same-origin',
      headers,
      ...(cmd.body !== undefined ? { body: JSON.stringify(cmd.body) } : {}),
    });
  } catch (err) {
    sentLog.push({ clientId, method: cmd.method, path: cmd.path, status: 0 });
    throw networkError(err);
  }
  sentLog.push({ clientId, method: cmd.method, path: cmd.path, status: res.status });
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * A movement fact as a page describes it (what was seen), before it is stamped. The write
 * module stamps it with its client id (the fact's `id`, so a queue sent twice records it once)
 * and the device's clock (`deviceTime`, so a fact sent late is still placed when it happened).
 */
export type FactDraft = Record<string, unknown> & { kind: string; deviceTime?: string };
export type StampedFact = FactDraft & { id: string; deviceTime: string };

export function stampFact(draft: FactDraft, now: Date = new Date()): StampedFact {
  return { ...draft, id: newClientId(), deviceTime: draft.deviceTime ?? now.toISOString() };
}
