/**
 * The offline outbox. A command that may wait (a movement fact, a check-in: see commands.ts)
 * is written to the outbox (IndexedDB) before it is sent, with its client id and the device's
 * time; then the outbox is sent in order. When the server answers, the command leaves the
 * outbox and the page gets the answer. When it cannot be reached (no network, a timeout, a
 * server error, an expired session), the command stays and the page is told, honestly, "saved
 * on this phone, will be sent"; the outbox is sent again when the browser says it is online,
 * when the tab comes back to the foreground, on a timer with backoff (5 s doubling to 5 min)
 * and when the user presses "send now". Every re-send carries the same client id, so the
 * server's idempotency turns a command that had in fact arrived into a replay, never a second
 * write. A copy the server is still processing (409 `request.in_progress`: the first send arrived
 * and is not finished) is waiting, not refused: it is sent again, no sooner than its Retry-After,
 * and then gets the first send's answer. A refusal (4xx) is not retried: the page that is waiting shows it, or, when the command
 * was sent later, it stays in the outbox marked refused until the user has read it.
 *
 * One tab sends at a time (Web Locks where the browser has them); tabs tell each other that the
 * outbox changed (BroadcastChannel). Commands belong to the account that made them and are sent
 * only while that account is logged in.
 */
import { ApiError, networkError } from './errors.js';
import * as store from './outbox-store.js';
import type { OutboxItem } from './outbox-store.js';
import { send, type WriteMethod } from './send.js';
import { openFor, openIfOpen, sealFor, unlockVault, VaultLocked, wipeVaults } from './vault.js';

export type { OutboxItem };

/** What a queueable command answers when it could not be sent now. */
export interface Queued {
  queued: true;
  clientId: string;
  queuedAt: string;
}

export function isQueued(x: unknown): x is Queued {
  return typeof x === 'object' && x !== null && (x as { queued?: unknown }).queued === true;
}

export interface OutboxState {
  /** This account's commands, oldest first: waiting ones and refused ones. */
  items: OutboxItem[];
  /** Commands made by another account on this device, waiting for it to log in. */
  others: number;
  sending: boolean;
  /** Why the last send did not go through: `offline`, `network`, `server`, `session`. */
  lastError: string | undefined;
  lastErrorAt: string | undefined;
  persistent: boolean;
}

export type OutboxEvent = { type: 'sent'; clientId: string; result: unknown } | { type: 'refused'; clientId: string; error: ApiError };

const TIMEOUT_MS = 20_000;
const BASE_DELAY_MS = 5_000;
const MAX_DELAY_MS = 300_000;

let user: string | null = null;
let state: OutboxState = { items: [], others: 0, sending: false, lastError: undefined, lastErrorAt: undefined, persistent: true };
const listeners = new Set<() => void>();
const eventListeners = new Set<(e: OutboxEvent) => void>();
type Outcome = { kind: 'sent'; value: unknown } | { kind: 'refused'; error: ApiError } | { kind: 'waiting' };
const waiters = new Map<string, (o: Outcome) => void>();
let failures = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let running: Promise<void> | null = null;
let again = false;
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('corridor-outbox');

function setState(patch: Partial<OutboxState>) {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export function subscribeOutbox(fn: () => void): () => void {
  listeners.add(fn);
  return () => {
    listeners.delete(fn);
  };
}
export const outboxState = (): OutboxState => state;

/** Pages that queued something hear here when it was sent (or refused) later. */
export function onOutboxEvent(fn: (e: OutboxEvent) => void): () => void {
  eventListeners.add(fn);
  return () => {
    eventListeners.delete(fn);
  };
}

async function refresh() {
  const all = (await store.allItems()).sort((a, b) => a.seq! - b.seq!);
  setState({
    items: all.filter((i) => i.userId === user),
    others: all.filter((i) => i.userId !== user && !i.refused).length,
    persistent: store.persistent,
  });
}

function changed() {
  channel?.postMessage('changed');
  return refresh();
}

/** The session tells the outbox who is logged in; that account's commands are then sent. */
export function setOutboxUser(id: string | null) {
  if (id === user) return;
  user = id;
  void refresh().then(() => {
    if (id) void flushOutbox();
  });
}

/** A refusal the user has read leaves the outbox. */
export async function dismissRefused(seq: number) {
  await store.deleteItem(seq);
  await changed();
}

/**
 * Keeps the command in the outbox, then sends the outbox. Resolves with the server's answer
 * when it was sent now, with a Queued answer when it has to wait; rejects with the refusal.
 */
export async function submit<T>(cmd: {
  method: WriteMethod;
  path: string;
  body?: unknown;
  clientId: string;
  kind: string;
  /** Names inside: kept sealed to the phone vault, never in clear in the outbox. */
  seal?: boolean;
}): Promise<T | Queued> {
  const queuedAt = new Date().toISOString();
  if (cmd.seal && !user) throw new VaultLocked('no_vault');
  const sealed = cmd.seal ? await sealFor(user!, cmd.body, cmd.clientId) : undefined;
  await store.addItem({
    clientId: cmd.clientId,
    method: cmd.method,
    path: cmd.path,
    ...(sealed ? { sealed } : { body: cmd.body }),
    kind: cmd.kind,
    queuedAt,
    userId: user,
    attempts: 0,
  });
  await changed();
  const outcome = new Promise<Outcome>((resolve) => waiters.set(cmd.clientId, resolve));
  void flushOutbox();
  const o = await outcome;
  if (o.kind === 'sent') return o.value as T;
  if (o.kind === 'refused') throw o.error;
  return { queued: true, clientId: cmd.clientId, queuedAt };
}

/** Sends this account's waiting commands in order; one run at a time, another run follows if asked meanwhile. */
export function flushOutbox(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  clearTimeout(timer);
  timer = undefined;
  running = (async () => {
    do {
      again = false;
      await exclusively(sendWaiting);
    } while (again);
  })().finally(() => {
    running = null;
    for (const [id, resolve] of waiters) {
      waiters.delete(id);
      resolve({ kind: 'waiting' });
    }
    if (state.items.some((i) => !i.refused)) schedule();
  });
  return running;
}

function exclusively(fn: () => Promise<void>): Promise<void> {
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  return locks ? locks.request('corridor-outbox', fn) : fn();
}

const transient = (e: ApiError) =>
  e.status === 0 || e.status === 401 || e.status === 408 || e.status === 429 || e.status >= 500 || e.code === 'request.in_progress';
/** The server's Retry-After of the last transient answer, in ms: the next send waits at least this long. */
let retryAfterMs = 0;
const reason = (e: ApiError) => (e.status === 0 ? 'network' : e.status === 401 ? 'session' : 'server');

async function sendWaiting() {
  // Read the store again inside the lock: another tab may have sent some meanwhile.
  await refresh();
  if (!user) return;
  if (typeof navigator !== 'undefined' && navigator.onLine === false) {
    if (state.items.some((i) => !i.refused)) setState({ lastError: 'offline', lastErrorAt: new Date().toISOString() });
    return;
  }
  const waiting = state.items.filter((i) => !i.refused);
  // Names wait sealed: the server is asked for the vault's key first, at every contact, so an
  // account that lost its role has the phone wiped before anything is opened (decision 021).
  if (waiting.some((i) => i.sealed)) {
    try {
      await unlockVault(user);
    } catch (err) {
      if (err instanceof VaultLocked && err.why === 'refused') return wipePhoneNames(null);
      if (err instanceof VaultLocked && err.why === 'unreachable') {
        failures++;
        setState({ lastError: 'network', lastErrorAt: new Date().toISOString() });
        return;
      }
    }
  }
  for (const item of waiting) {
    setState({ sending: true });
    try {
      const body = item.sealed ? await openSealed(item) : item.body;
      const value = await send<unknown>({ method: item.method, path: item.path, body, clientId: item.clientId }, TIMEOUT_MS);
      await store.deleteItem(item.seq!);
      failures = 0;
      setState({ lastError: undefined, lastErrorAt: undefined });
      settle(item.clientId, { kind: 'sent', value });
      emit({ type: 'sent', clientId: item.clientId, result: value });
    } catch (err) {
      const e = err instanceof ApiError ? err : networkError(err);
      if (transient(e)) {
        await store.putItem({ ...item, attempts: item.attempts + 1, lastError: reason(e) });
        failures++;
        const after = e.details.retryAfterSeconds;
        retryAfterMs = typeof after === 'number' && after > 0 ? after * 1000 : 0;
        setState({ lastError: reason(e), lastErrorAt: new Date().toISOString() });
        break; // keep the order: nothing later goes before this one
      }
      if (e.code === 'vault.wiped') {
        // Wiped with the rest of what the phone held for this account: nothing left to keep.
        settle(item.clientId, { kind: 'refused', error: e });
        emit({ type: 'refused', clientId: item.clientId, error: e });
        continue;
      }
      if (waiters.has(item.clientId)) {
        // The page that made it is waiting and shows the refusal itself.
        await store.deleteItem(item.seq!);
        settle(item.clientId, { kind: 'refused', error: e });
      } else {
        await store.putItem({
          ...item,
          attempts: item.attempts + 1,
          refused: { status: e.status, code: e.code, message: e.message, at: new Date().toISOString() },
        });
        emit({ type: 'refused', clientId: item.clientId, error: e });
      }
    } finally {
      await changed();
      setState({ sending: false });
    }
  }
}

/**
 * A sealed command's body, opened to be sent. The vault's key comes from the server: unreachable,
 * the command waits like any other; refused (the account lost the role), everything the phone
 * holds for it is wiped; a box no key opens any more is refused here, shown, never sent blind.
 */
async function openSealed(item: OutboxItem): Promise<unknown> {
  try {
    return await openFor(item.userId ?? '', item.sealed!, item.clientId);
  } catch (err) {
    if (err instanceof VaultLocked && err.why === 'unreachable') throw networkError(err);
    if (err instanceof VaultLocked && err.why === 'refused') {
      await wipePhoneNames(null);
      throw new ApiError(403, 'vault.wiped', 'This account no longer registers people: what it held on this phone was wiped.');
    }
    throw new ApiError(422, 'vault.unreadable', 'This phone can no longer open what it kept (its key changed); register again.');
  }
}

/**
 * Wipes the names this phone holds: the sealed commands and the vaults of every account but
 * `keepUserId` (all when null) — at logout, on a refused key, after too long offline.
 */
export async function wipePhoneNames(keepUserId: string | null): Promise<void> {
  for (const i of await store.allItems()) if (i.sealed && i.userId !== keepUserId) await store.deleteItem(i.seq!);
  await wipeVaults(keepUserId);
  await changed();
}

/** This account's sealed commands of a kind, opened if the vault's key is in memory (no network asked). */
export async function heldBodies<T>(kind: string): Promise<{ clientId: string; queuedAt: string; body: T | undefined }[]> {
  const mine = (await store.allItems()).filter((i) => i.userId === user && i.kind === kind && i.sealed && !i.refused);
  return Promise.all(
    mine.map(async (i) => ({ clientId: i.clientId, queuedAt: i.queuedAt, body: await openIfOpen<T>(user!, i.sealed!, i.clientId) })),
  );
}

function settle(clientId: string, o: Outcome) {
  const resolve = waiters.get(clientId);
  waiters.delete(clientId);
  resolve?.(o);
}

function emit(e: OutboxEvent) {
  for (const l of eventListeners) l(e);
}

function schedule() {
  if (timer) return;
  const backoff = Math.min(BASE_DELAY_MS * 2 ** Math.max(0, failures - 1), MAX_DELAY_MS) * (0.75 + Math.random() * 0.5);
  const delay = Math.max(backoff, retryAfterMs);
  timer = setTimeout(() => {
    timer = undefined;
    void flushOutbox();
  }, delay);
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => {
    failures = 0;
    void flushOutbox();
  });
  window.addEventListener('offline', () => setState({ lastError: 'offline', lastErrorAt: new Date().toISOString() }));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void flushOutbox();
  });
  channel?.addEventListener('message', () => {
    void refresh();
  });
}
