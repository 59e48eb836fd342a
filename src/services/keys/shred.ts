/**
 * Crypto-shredding an operation: its data key is destroyed, and with it every name, note and
 * stored answer sealed under it — in the database, in dumps, in backups — without finding and
 * overwriting each copy. What is removed besides the key, and why:
 *
 * - `person_keys`, the keyed hashes of normalised name parts. Without the key nobody can compute
 *   a hash to look one up, but the hashes still show which people share a name part and how
 *   often each part occurs; on a large operation, frequency is enough to guess the common
 *   names (the most frequent given-name hash is almost surely Mohammed). They go.
 * - Every person's category and vulnerabilities (sealed, or in clear on rows not sealed yet),
 *   and their share of the counts by category and vulnerability: the counts are recomputed with
 *   everyone as category 'unknown' without flags (`recountWithheld`), so totals, sex, age,
 *   site, status and hours stay and `counts verify` still agrees.
 * - Nothing else. Sealed columns stay as they are: without the key they are noise, and
 *   deleting rows would break the counts, the merges and the audit history that must outlive
 *   the names. Duplicate-review and tracing explanations hold levels and weights, never names.
 *
 * Shredding is idempotent: run again, it removes keyed hashes a write racing with the first run
 * may have added (such a write's ciphertext is sealed under the destroyed key, so it is noise too).
 */
import { appendAudit } from '../../db/queries/audit.js';
import type { Executor } from '../../db/queries/executor.js';
import { findOperationKeyForUpdate } from '../../db/queries/keys.js';
import { vacuumOperationKeys } from '../../db/queries/maintenance.js';
import { destroyOperationKey, findOperation, findOperationByCode } from '../../db/queries/operations.js';
import { countPersons, deleteOperationPersonKeys } from '../../db/queries/persons.js';
import { deleteOperationDuplicateChecks } from '../../db/queries/duplicate-checks.js';
import { AppError } from '../../domain/errors.js';
import { recountWithheld } from '../counts/recount-withheld.js';

export interface ShredResult {
  operationId: string;
  code: string;
  shreddedAt: Date;
  /** False when the key had been destroyed before (the run only swept keyed hashes). */
  destroyedNow: boolean;
  keyedHashesRemoved: number;
}

/** Finds an operation by id or by code (operators know the code). */
export async function findOperationByIdOrCode(db: Executor, idOrCode: string) {
  return (await findOperation(db, idOrCode)) ?? findOperationByCode(db, idOrCode);
}

/** How many people an operation has (the confirmation prompt names what will become unreadable). */
export async function countPeopleOf(db: Executor, operationId: string): Promise<number> {
  return countPersons(db, operationId);
}

/**
 * Vacuums operation_keys, where the destroyed key's previous row version stays in the table's
 * file until then. Best effort: on PostgreSQL only the owner may vacuum (a refusal is ignored),
 * and copies remain in WAL and backups anyway.
 */
export async function vacuumShreddedKeys(db: Executor): Promise<void> {
  await vacuumOperationKeys(db).catch(() => undefined);
}

/** Destroys the operation's data key and its keyed hashes, and records it; run in one transaction. */
export async function shredOperation(
  db: Executor,
  operationId: string,
  at: Date,
  opts: { reason?: 'retention' } = {},
): Promise<ShredResult> {
  const op = await findOperation(db, operationId);
  if (!op) throw new AppError('operation.not_found');
  // Row lock: a concurrent rotation or shred of the same key waits for this one.
  const key = await findOperationKeyForUpdate(db, operationId);
  if (!key) throw new AppError('operation.not_found');
  const destroyedNow = key.wrapped_key !== null;
  await recountWithheld(db, operationId, at);
  if (destroyedNow) await destroyOperationKey(db, operationId, at);
  const keyedHashesRemoved = await deleteOperationPersonKeys(db, operationId);
  await deleteOperationDuplicateChecks(db, operationId);
  const shreddedAt = destroyedNow ? at : new Date(key.destroyed_at as Date | string);
  await appendAudit(db, {
    operationId,
    actorId: null,
    actorKind: 'system',
    action: 'operation.shred',
    subjectKind: 'operation',
    subjectId: operationId,
    at,
    details: {
      keyDestroyed: destroyedNow,
      keyedHashesRemoved,
      ...(opts.reason ? { reason: opts.reason } : {}),
      ...(destroyedNow ? {} : { shreddedBefore: shreddedAt.toISOString() }),
    },
  });
  return { operationId, code: op.code, shreddedAt, destroyedNow, keyedHashesRemoved };
}
