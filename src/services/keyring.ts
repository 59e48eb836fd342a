/**
 * Holds the master key and the unwrapped keys of the operations in use. A destroyed key
 * (crypto-shredded operation) stays destroyed: its people can no longer be read.
 */
import { deriveOperationKeys, newDataKey, unwrapKey, wrapKey, type OperationKeys } from '../crypto/envelope.js';
import { findWrappedKey } from '../db/queries/operations.js';
import type { Executor } from '../db/queries/executor.js';
import { AppError } from '../domain/errors.js';

/** Not a valid operation id (those are ULIDs), so it cannot collide with one in the cache. */
const SYSTEM = 'corridor:system';

export class KeyRing {
  readonly #master: Buffer;
  readonly #cache = new Map<string, OperationKeys>();

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('master key must be 32 bytes');
    this.#master = masterKey;
  }

  /** A new data key for a new operation: the wrapped form to store, the usable keys to cache. */
  create(operationId: string): Buffer {
    const dataKey = newDataKey();
    this.#cache.set(operationId, deriveOperationKeys(operationId, dataKey));
    return wrapKey(this.#master, dataKey, operationId);
  }

  async forOperation(db: Executor, operationId: string): Promise<OperationKeys> {
    const cached = this.#cache.get(operationId);
    if (cached) return cached;
    const row = await findWrappedKey(db, operationId);
    if (!row) throw new AppError('operation.not_found');
    if (!row.wrapped_key) throw new AppError('conflict', 'The key of this operation was destroyed: its people can no longer be read.');
    const keys = deriveOperationKeys(operationId, unwrapKey(this.#master, row.wrapped_key, operationId));
    this.#cache.set(operationId, keys);
    return keys;
  }

  /**
   * Keys for what belongs to no operation (stored answers of system-wide writes), derived
   * from the master key so that nothing sealed with them is readable without it.
   */
  system(): OperationKeys {
    let keys = this.#cache.get(SYSTEM);
    if (!keys) {
      keys = deriveOperationKeys(SYSTEM, this.#master);
      this.#cache.set(SYSTEM, keys);
    }
    return keys;
  }

  forget(operationId: string): void {
    this.#cache.delete(operationId);
  }
}
