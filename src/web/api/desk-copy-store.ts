/**
 * Where the checkpoint desk keeps its copy (lib/checkpoint-copy.ts) on the phone: an IndexedDB
 * database of its own (`corridor-desk-copy`, apart from the outbox's), one record per account and
 * operation. The session deletes the copies of every other account when someone logs in, and all
 * copies when they log out or the server says nobody is logged in, so the copy on a phone is only
 * ever that of the account last logged in on it. Each time the server says who is logged in, the
 * copies of operations where that account no longer logs checkpoints (a role taken away) go too.
 * Where IndexedDB cannot be opened there is no copy (the desk then needs the network, as the
 * other desks do).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { copyKey, type DeskCopy } from '../lib/checkpoint-copy.js';

const DB_NAME = 'corridor-desk-copy';

interface Schema extends DBSchema {
  copies: { key: string; value: DeskCopy };
}

let db: Promise<IDBPDatabase<Schema> | null> | undefined;

function open(): Promise<IDBPDatabase<Schema> | null> {
  db ??= openDB<Schema>(DB_NAME, 1, {
    upgrade(d) {
      d.createObjectStore('copies', { keyPath: 'key' });
    },
  }).catch(() => null);
  return db;
}

export async function saveCopy(copy: DeskCopy): Promise<void> {
  await (await open())?.put('copies', copy);
}

export async function loadCopy(userId: string, operationId: string): Promise<DeskCopy | undefined> {
  return (await open())?.get('copies', copyKey(userId, operationId));
}

/** Every copy on this phone, newest first (the session's offline start reads whose they are). */
export async function allCopies(): Promise<DeskCopy[]> {
  const all = (await (await open())?.getAll('copies')) ?? [];
  return all.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
}

/**
 * Deletes every copy but those of `keep.userId` for the operations in `keep.operationIds` (all of
 * them when `keep` is null).
 */
export async function deleteCopies(keep: { userId: string; operationIds: ReadonlySet<string> } | null): Promise<void> {
  const d = await open();
  if (!d) return;
  const tx = d.transaction('copies', 'readwrite');
  for (const c of await tx.store.getAll()) {
    if (c.userId !== keep?.userId || !keep.operationIds.has(c.operation.id)) await tx.store.delete(c.key);
  }
  await tx.done;
}
