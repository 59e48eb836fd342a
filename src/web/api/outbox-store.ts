/**
 * Where the outbox keeps its commands: an IndexedDB object store (through `idb`), so a reload,
 * a closed tab or a phone that restarts does not lose what a monitor recorded offline. Keys are
 * an auto-increment sequence, so reading the store back gives the commands in the order they
 * were made. Where IndexedDB cannot be opened (some private modes), the commands are kept in
 * memory for this tab only and `persistent` says so.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { WriteMethod } from './send.js';
import type { SealedBox } from '../lib/vault-crypto.js';

export interface OutboxItem {
  seq?: number;
  clientId: string;
  method: WriteMethod;
  path: string;
  body?: unknown;
  /**
   * The body sealed to the account's phone vault (api/vault.ts) instead of `body`, for commands
   * with names in them (registrations): opened only to be sent.
   */
  sealed?: SealedBox | undefined;
  /** What the command is, for the outbox view: `facts`, `check_in`, `registration`. */
  kind: string;
  /** The device's clock when the command was made. */
  queuedAt: string;
  /** The account that made it: only that account's session sends it. */
  userId: string | null;
  attempts: number;
  /** The last reason a send did not go through (network, server error, session expired). */
  lastError?: string | undefined;
  /** The server refused it (4xx): kept and shown until the user has seen it and dismisses it. */
  refused?: { status: number; code: string; message: string; at: string } | undefined;
}

interface Schema extends DBSchema {
  outbox: { key: number; value: OutboxItem };
}

let db: Promise<IDBPDatabase<Schema> | null> | undefined;
const memory = new Map<number, OutboxItem>();
let memorySeq = 0;
export let persistent = true;

function open(): Promise<IDBPDatabase<Schema> | null> {
  db ??= openDB<Schema>('corridor', 1, {
    upgrade(d) {
      d.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
    },
  }).catch(() => {
    persistent = false;
    return null;
  });
  return db;
}

export async function addItem(item: OutboxItem): Promise<number> {
  const d = await open();
  if (!d) {
    const seq = ++memorySeq;
    memory.set(seq, { ...item, seq });
    return seq;
  }
  return d.add('outbox', item);
}

export async function allItems(): Promise<OutboxItem[]> {
  const d = await open();
  return d ? d.getAll('outbox') : [...memory.values()];
}

export async function putItem(item: OutboxItem): Promise<void> {
  const d = await open();
  if (!d) {
    memory.set(item.seq!, item);
    return;
  }
  await d.put('outbox', item);
}

export async function deleteItem(seq: number): Promise<void> {
  const d = await open();
  if (!d) {
    memory.delete(seq);
    return;
  }
  await d.delete('outbox', seq);
}
