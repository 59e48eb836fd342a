/**
 * Why this module exists: scoring a registration's duplicate candidates needs their opened,
 * prepared names, and reading and opening sixty sealed rows a registration was a third of its SQL
 * time. This is the one place those prepared names live in memory: a least-recently-used cache
 * with a fixed bound over all operations (so an operation of 100k–1M people keeps its busy part
 * warm instead of being cleared whole when full), each entry stamped with the operation key it was
 * opened with and with its row's state (the columns it is made of and the head of its sealed
 * names), so a changed person or a rotated key is a miss, never a stale answer. Shredding, merging
 * and editing a person forget them here at once (`forgetPeople`): a shredded name must not stay in
 * memory. Other processes serving the same database never serve stale names either (the stamp
 * changes with the row), and drop theirs as they age out.
 */
import { LRUCache } from 'lru-cache';
import type { OperationKeys } from '../../crypto/envelope.js';
import type { PreparedRecord } from '../../domain/matching/index.js';

/**
 * People kept. A prepared person is ~0.8 KB with its stamp and slot (measured on the scenario's
 * names: 91k people, 70 MB; their name values are shared through the value memo), so 150k people
 * stay near 115 MB: the whole of a 100k operation with room to grow, and the busy part of a 1M one
 * (registrations meet the holders of the common names again and again; the rare ones age out).
 */
export const CACHED_PEOPLE = 150_000;

interface Entry {
  /** Which operation key opened it: another key (rotation) is a miss, and no key object is held. */
  keyId: number;
  stamp: string;
  prepared: PreparedRecord;
}

const memory = new LRUCache<string, Entry>({ max: CACHED_PEOPLE });
const keyIds = new WeakMap<OperationKeys, number>();
let nextKeyId = 1;

function keyIdOf(keys: OperationKeys): number {
  let id = keyIds.get(keys);
  if (id === undefined) keyIds.set(keys, (id = nextKeyId++));
  return id;
}

const slot = (operationId: string, personId: string) => `${operationId}\u0000${personId}`;

/** The person's prepared record if it was prepared from this key and this very row state. */
export function recallPrepared(keys: OperationKeys, operationId: string, personId: string, stamp: string): PreparedRecord | undefined {
  const e = memory.get(slot(operationId, personId));
  if (e === undefined) return undefined;
  if (e.keyId !== keyIdOf(keys) || e.stamp !== stamp) {
    memory.delete(slot(operationId, personId));
    return undefined;
  }
  return e.prepared;
}

export function keepPrepared(keys: OperationKeys, operationId: string, personId: string, stamp: string, prepared: PreparedRecord) {
  memory.set(slot(operationId, personId), { keyId: keyIdOf(keys), stamp, prepared });
}

/** Hooks run by `forgetPeople` (the candidates' name-value memo clears itself when someone is shredded). */
const forgetHooks: ((reason: 'changed' | 'shredded') => void)[] = [];
export function onForget(hook: (reason: 'changed' | 'shredded') => void) {
  forgetHooks.push(hook);
}

/** Drops these people's prepared names from memory (their names changed, they were merged, or shredded). */
export function forgetPeople(operationId: string, personIds: readonly string[], reason: 'changed' | 'shredded' = 'changed') {
  for (const id of personIds) memory.delete(slot(operationId, id));
  for (const hook of forgetHooks) hook(reason);
}

/** Whether a person's names are in memory (tests). */
export function holdsPerson(operationId: string, personId: string): boolean {
  return memory.has(slot(operationId, personId));
}

/** People in memory now (tests, measurements). */
export function peopleInMemory(): number {
  return memory.size;
}
