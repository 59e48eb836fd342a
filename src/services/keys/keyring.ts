/**
 * Holds the master key and the unwrapped keys of the operations in use. Each transaction that
 * uses an operation's keys reads its stored key first (one primary-key read), so a key destroyed
 * by another process (`corridor operation shred`) stops this one at its next transaction: the
 * keys in memory are dropped and the caller gets `operation.shredded`. A key re-wrapped under
 * another master key (`corridor keys rotate-master`) that this process cannot open is
 * `keys.master_key_mismatch`.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { deriveOperationKeys, KeyError, newDataKey, open, seal, unwrapKey, wrapKey, type OperationKeys } from '../../crypto/envelope.js';
import { findWrappedKey } from '../../db/queries/operations.js';
import type { Executor } from '../../db/queries/executor.js';
import { createAuditKeyRow, findAuditKeyRow, type AuditHead, type AuditKey, type AuditKeyRow } from '../../db/queries/audit.js';
import { canonicalJson } from '../../domain/canonical-json.js';
import { AppError } from '../../domain/errors.js';

/** Not a valid operation id (those are ULIDs), so it cannot collide with one in the cache. */
const SYSTEM = 'corridor:system';

/** Keys for what belongs to no operation, derived from a master key (see KeyRing.system). */
export function systemKeysOf(masterKey: Buffer): OperationKeys {
  return deriveOperationKeys(SYSTEM, masterKey);
}

/**
 * A short name for a master key, safe to print and to audit: it tells two keys apart and
 * confirms which file holds the current one, and says nothing about the key itself.
 */
export function masterKeyFingerprint(masterKey: Buffer): string {
  return createHmac('sha256', masterKey).update('corridor:master-key-fingerprint').digest('hex').slice(0, 16);
}

/**
 * The audit key is wrapped with its id and the heads of when keying began as associated data:
 * someone who edits the list (to pass an unkeyed entry off as older) gets a key that does not open.
 */
function auditKeyAad(id: string, legacyHeads: readonly AuditHead[]): string {
  return `corridor:audit-key:${id}:${createHash('sha256').update(canonicalJson(legacyHeads)).digest('hex')}`;
}

export function wrapAuditKey(masterKey: Buffer, key: Buffer, id: string, legacyHeads: readonly AuditHead[]): Buffer {
  return seal(masterKey, key, auditKeyAad(id, legacyHeads));
}

/** The audit key of a stored row, or a KeyError when the master key does not open it (another key, or the row was altered). */
export function unwrapAuditKey(masterKey: Buffer, row: AuditKeyRow): Buffer {
  return open(masterKey, row.wrapped, auditKeyAad(row.id, row.legacyHeads));
}

interface Cached {
  /** The wrapped form these keys came from: a different stored form means a rotation. */
  wrapped: Buffer;
  keys: OperationKeys;
}

export class KeyRing {
  readonly #master: Buffer;
  readonly #cache = new Map<string, Cached>();
  /** Keys already checked in a transaction: one read of the stored key per transaction is enough. */
  readonly #checkedIn = new WeakMap<Executor, Map<string, OperationKeys>>();
  #system: OperationKeys | undefined;
  /** The audit key as last opened, under what it was opened from (the wrapped key, its id and heads). */
  #audit: { from: string; key: AuditKey } | undefined;
  #throttle: Buffer | undefined;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('master key must be 32 bytes');
    this.#master = masterKey;
  }

  get fingerprint(): string {
    return masterKeyFingerprint(this.#master);
  }

  /** A new data key for a new operation: the wrapped form to store, the usable keys to cache. */
  create(operationId: string): Buffer {
    const dataKey = newDataKey();
    const wrapped = wrapKey(this.#master, dataKey, operationId);
    this.#cache.set(operationId, { wrapped, keys: deriveOperationKeys(operationId, dataKey) });
    return wrapped;
  }

  async forOperation(db: Executor, operationId: string): Promise<OperationKeys> {
    const checked = db.isTransaction ? this.#checkedIn.get(db)?.get(operationId) : undefined;
    if (checked) return checked;
    const keys = await this.#check(db, operationId);
    if (db.isTransaction) {
      let inTrx = this.#checkedIn.get(db);
      if (!inTrx) this.#checkedIn.set(db, (inTrx = new Map()));
      inTrx.set(operationId, keys);
    }
    return keys;
  }

  async #check(db: Executor, operationId: string): Promise<OperationKeys> {
    const row = await findWrappedKey(db, operationId);
    if (!row?.wrapped_key) {
      // Whatever was in memory goes with the key (the candidates' name cache is keyed by it).
      this.#cache.delete(operationId);
      throw new AppError(row ? 'operation.shredded' : 'operation.not_found');
    }
    const wrapped = Buffer.from(row.wrapped_key);
    const cached = this.#cache.get(operationId);
    if (cached?.wrapped.equals(wrapped)) return cached.keys;
    let dataKey: Buffer;
    try {
      dataKey = unwrapKey(this.#master, wrapped, operationId);
    } catch (err) {
      if (!(err instanceof KeyError)) throw err;
      this.#cache.delete(operationId);
      throw new AppError(
        'keys.master_key_mismatch',
        `The master key (fingerprint ${this.fingerprint}) does not open the data key of operation ${operationId}. ` +
          'If `corridor keys rotate-master` was run, start Corridor with the new key (CORRIDOR_MASTER_KEY or CORRIDOR_MASTER_KEY_FILE); otherwise this is not the key this database was created with.',
      );
    }
    const derived = deriveOperationKeys(operationId, dataKey);
    // Same data key under a new wrapping: keep the same object, so caches keyed by it stay warm.
    const keys = cached && cached.keys.encryptionKey.equals(derived.encryptionKey) ? cached.keys : derived;
    this.#cache.set(operationId, { wrapped, keys });
    return keys;
  }

  /**
   * Keys for what belongs to no operation (stored answers of system-wide writes), derived
   * from the master key so that nothing sealed with them is readable without it.
   */
  system(): OperationKeys {
    this.#system ??= systemKeysOf(this.#master);
    return this.#system;
  }

  /**
   * The key of the login throttle's HMACs (of usernames and client addresses): derived from
   * the master key, so the throttle table alone tells nobody who tried to log in from where.
   * A rotated master key starts the counters again, which is harmless.
   */
  throttleKey(): Buffer {
    this.#throttle ??= createHmac('sha256', this.#master).update('corridor:login-throttle').digest();
    return this.#throttle;
  }

  /**
   * The key of an account's phone vault (docs/decisions/021-phone-vault.md): derived from the
   * master key and the account, so nothing is stored for it and a phone's vault opens only while
   * the server releases it to that account. A rotated master key makes the phones' vaults
   * unreadable, which only loses what a phone still held unsent (and is said in the decision).
   */
  phoneVaultKey(userId: string): Buffer {
    return createHmac('sha256', this.#master).update('corridor:phone-vault:v1').update('\u0000').update(userId).digest();
  }

  /**
   * The audit key (AuditKeySource, bound to the database by `bindAuditKey`): 32 random bytes
   * wrapped by the master key, made by the first keyed append. Not derived from the master key,
   * so that a rotation re-wraps it and every keyed entry stays verifiable with the new master key.
   */
  async auditKey(db: Executor, create: boolean): Promise<AuditKey | undefined> {
    let row = await findAuditKeyRow(db);
    if (!row && create) {
      await createAuditKeyRow(
        db,
        (legacyHeads) => {
          const id = randomBytes(8).toString('hex');
          return { id, wrapped: wrapAuditKey(this.#master, randomBytes(32), id, legacyHeads) };
        },
        new Date(),
      );
      row = await findAuditKeyRow(db);
    }
    if (!row) return undefined;
    return this.auditKeyOfRow(row);
  }

  /** The audit key of a stored row (AuditKeySource): reopened whenever anything it was wrapped with changed. */
  auditKeyOfRow(row: AuditKeyRow): AuditKey {
    // An altered list of heads must not open.
    const from = `${row.wrapped.toString('base64')}:${auditKeyAad(row.id, row.legacyHeads)}`;
    if (this.#audit?.from === from) return this.#audit.key;
    let key: Buffer;
    try {
      key = unwrapAuditKey(this.#master, row);
    } catch (err) {
      if (!(err instanceof KeyError)) throw err;
      throw new AppError(
        'keys.master_key_mismatch',
        `The master key (fingerprint ${this.fingerprint}) does not open the audit key: it is not this database's master key, or the stored audit key (audit_keys) was altered.`,
      );
    }
    const audit = { id: row.id, key, legacyHeads: row.legacyHeads };
    this.#audit = { from, key: audit };
    return audit;
  }

  forget(operationId: string): void {
    this.#cache.delete(operationId);
  }
}
