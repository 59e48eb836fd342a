/**
 * The one module every write goes through. It stamps each command with a client id (a ULID,
 * sent as `Idempotency-Key`) and sends it. Pages never call fetch for writes: they call a named
 * command in commands.ts, which calls `write()` or `writeOrQueue()` here.
 *
 * - `write()` sends now and answers or throws (an ApiError with code `network` when the server
 *   cannot be reached). For commands whose answer the page needs at once.
 * - `writeOrQueue()` keeps the command in the offline outbox (outbox.ts, IndexedDB) and sends it;
 *   when the server cannot be reached it answers `{ queued: true }` — "saved on this device,
 *   will be sent" — and the outbox sends it later, in order, with the same client id. For
 *   facts observed in the field that must not be lost and whose answer the page can do without.
 *
 * A caller that retries after a network failure passes the same `clientId` again; the server
 * answers a replay with the first result instead of doing the write twice.
 */
import { ulid } from 'ulid';
import { submit, type Queued } from './outbox.js';
import { send, type WriteMethod } from './send.js';

export type { WriteMethod };
export { sentLog } from './send.js';
export { isQueued, type Queued } from './outbox.js';

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

export function write<T>(cmd: Command): Promise<T> {
  const clientId = cmd.idempotent === false ? null : (cmd.clientId ?? newClientId());
  return send<T>({ method: cmd.method, path: cmd.path, body: cmd.body, clientId });
}

/** Sends now or keeps it in the outbox; `kind` names the command in the outbox view. */
export function writeOrQueue<T>(cmd: Command & { kind: string; seal?: boolean }): Promise<T | Queued> {
  return submit<T>({
    method: cmd.method,
    path: cmd.path,
    body: cmd.body,
    kind: cmd.kind,
    clientId: cmd.clientId ?? newClientId(),
    ...(cmd.seal ? { seal: true } : {}),
  });
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
