/**
 * Master-key rotation: every operation's data key is unwrapped with the current master key and
 * wrapped again under the new one, and the stored answers of system-wide writes (sealed with
 * keys derived from the master key) are sealed again — all in the caller's transaction, so the
 * database is entirely under the old key or entirely under the new one. Before returning, every
 * re-wrapped key is read back and must open under the new key to the same data key; otherwise
 * the call throws and the transaction rolls back. Data keys do not change: no person's row is
 * touched, and shredded operations stay shredded.
 */
import { openJson, sealJson, unwrapKey, wrapKey } from '../../crypto/envelope.js';
import {
  appendAudit,
  findAuditKeyRow,
  findLastMasterKeyRotation,
  findRotationAwayFrom,
  updateAuditKeyWrapping,
} from '../../db/queries/audit.js';
import type { Db } from '../../db/connection.js';
import type { Executor } from '../../db/queries/executor.js';
import { listSystemStoredAnswers, updateStoredAnswer } from '../../db/queries/idempotency.js';
import { countOtherSessions } from '../../db/queries/maintenance.js';
import {
  findAnyLiveOperationKey,
  listLiveOperationKeys,
  listOperationKeys,
  lockOperationKeys,
  updateWrappedKey,
} from '../../db/queries/keys.js';
import { masterKeyFingerprint, systemKeysOf, unwrapAuditKey, wrapAuditKey, type KeyRing } from './keyring.js';

export interface RotationReport {
  from: string;
  to: string;
  /** Data keys re-wrapped (and verified under the new key). */
  operations: number;
  /** Operations whose key was destroyed: nothing to re-wrap. */
  shredded: number;
  /** Stored answers of system-wide writes sealed again under the new master key. */
  replays: number;
  /** Stored system-wide answers that did not open under the current key either: left as they were. */
  unreadableReplays: number;
}

export class RotationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RotationError';
  }
}

export async function rotateMasterKey(db: Executor, oldKey: Buffer, newKey: Buffer, at: Date): Promise<RotationReport> {
  const from = masterKeyFingerprint(oldKey);
  const to = masterKeyFingerprint(newKey);
  if (from === to) throw new RotationError('The new master key is the current one: nothing to rotate.');
  // No operation is created, shredded or re-wrapped by anyone else until this commits.
  await lockOperationKeys(db);
  await assertCurrentMasterKey(db, oldKey);
  const rows = await listOperationKeys(db);
  const dataKeys = new Map<string, Buffer>();
  let shredded = 0;
  for (const row of rows) {
    if (!row.wrapped_key) {
      shredded++;
      continue;
    }
    let dataKey: Buffer;
    try {
      dataKey = unwrapKey(oldKey, row.wrapped_key, row.operation_id);
    } catch {
      throw new RotationError(
        `The current master key (fingerprint ${from}) does not open the data key of operation ${row.operation_id}: nothing was changed.`,
      );
    }
    dataKeys.set(row.operation_id, dataKey);
    await updateWrappedKey(db, row.operation_id, wrapKey(newKey, dataKey, row.operation_id));
  }

  // Stored answers outside an operation are sealed with keys derived from the master key (route.ts).
  const oldSystem = systemKeysOf(oldKey);
  const newSystem = systemKeysOf(newKey);
  let replays = 0;
  let unreadableReplays = 0;
  const stored = await listSystemStoredAnswers(db);
  for (const r of stored) {
    const sealed = (r.response as { sealed?: unknown } | null)?.sealed;
    if (typeof sealed !== 'string') continue;
    const aad = `replay:${r.client_id}`;
    let value: unknown;
    try {
      value = openJson(oldSystem, Buffer.from(sealed, 'base64'), aad);
    } catch {
      unreadableReplays++;
      continue;
    }
    const resealed = sealJson(newSystem, value, aad).toString('base64');
    await updateStoredAnswer(
      db,
      { clientId: r.client_id, actorId: r.actor_id, operationId: r.operation_id },
      JSON.stringify({ sealed: resealed }),
    );
    replays++;
  }

  await verifyWrappedKeys(db, newKey, dataKeys);
  await appendAudit(db, {
    // The subject is the new key's fingerprint: the last such entry names the current key (assertCurrentMasterKey).
    operationId: null,
    actorId: null,
    actorKind: 'system',
    action: 'keys.rotate_master',
    subjectKind: 'master_key',
    subjectId: to,
    at,
    details: { from, to, operations: dataKeys.size, shredded, replays, unreadableReplays },
  });
  await rewrapAuditKey(db, oldKey, newKey);
  return { from, to, operations: dataKeys.size, shredded, replays, unreadableReplays };
}

/**
 * The audit key is re-wrapped, not replaced, so every keyed entry stays verifiable under the new
 * master key (a key derived from the master key would die with the old one). Done after the
 * rotation's own entry, which is keyed like any other; read back and checked before the commit.
 */
async function rewrapAuditKey(db: Executor, oldKey: Buffer, newKey: Buffer): Promise<void> {
  const row = await findAuditKeyRow(db);
  if (!row) return;
  let key: Buffer;
  try {
    key = unwrapAuditKey(oldKey, row);
  } catch {
    throw new RotationError(
      `The current master key (fingerprint ${masterKeyFingerprint(oldKey)}) does not open the audit key: nothing was changed.`,
    );
  }
  await updateAuditKeyWrapping(db, wrapAuditKey(newKey, key, row.id, row.legacyHeads));
  const back = await findAuditKeyRow(db);
  let reopened: Buffer | undefined;
  try {
    reopened = back && unwrapAuditKey(newKey, back);
  } catch {
    reopened = undefined;
  }
  if (!reopened?.equals(key)) throw new RotationError('The re-wrapped audit key does not open under the new master key.');
}

/**
 * Reads every stored data key back and opens it with `masterKey`. With `expected`, each must
 * give the same data key and no operation may be missing; without, each must merely open.
 * Returns how many opened.
 */
export async function verifyWrappedKeys(db: Executor, masterKey: Buffer, expected?: Map<string, Buffer>): Promise<number> {
  const rows = await listLiveOperationKeys(db);
  let opened = 0;
  for (const row of rows) {
    let dataKey: Buffer;
    try {
      dataKey = unwrapKey(masterKey, row.wrapped_key as Buffer, row.operation_id);
    } catch {
      throw new RotationError(
        `The data key of operation ${row.operation_id} does not open under the master key ${masterKeyFingerprint(masterKey)}.`,
      );
    }
    const want = expected?.get(row.operation_id);
    if (expected && (!want || !want.equals(dataKey)))
      throw new RotationError(`The data key of operation ${row.operation_id} changed during the rotation.`);
    opened++;
  }
  if (expected && opened !== expected.size)
    throw new RotationError(`${expected.size - opened} re-wrapped data keys are missing after the rotation.`);
  return opened;
}

/**
 * Refuses a master key that a rotation replaced. The last rotation's audit entry names the
 * current key by fingerprint; a database never rotated has no such entry, and then only the
 * data keys themselves can tell (boot opens one).
 */
export async function assertCurrentMasterKey(db: Executor, masterKey: Buffer): Promise<void> {
  const last = await findLastMasterKeyRotation(db);
  const mine = masterKeyFingerprint(masterKey);
  if (!last || last.subject_id === mine) return;
  const retired = await findRotationAwayFrom(db, mine);
  const when = (d: Date | string) => new Date(d).toISOString();
  throw new RotationError(
    retired
      ? `This master key (fingerprint ${mine}) was replaced by \`corridor keys rotate-master\` on ${when(retired.at)}: it no longer opens this database. ` +
          `Start Corridor with the current key (fingerprint ${last.subject_id}) in CORRIDOR_MASTER_KEY or CORRIDOR_MASTER_KEY_FILE.`
      : `This master key (fingerprint ${mine}) is not this database's: its current key, set by \`corridor keys rotate-master\` on ${when(last.at)}, has fingerprint ${last.subject_id}.`,
  );
}

/** Other sessions on this PostgreSQL database (PGlite's data folder lock already keeps them out). */
export async function otherSessions(db: Db): Promise<{ n: number; who: string }> {
  if (db.dialect !== 'postgres') return { n: 0, who: '' };
  const r = await countOtherSessions(db.kysely);
  return { n: r?.n ?? 0, who: r?.who ?? '' };
}

/** The master-key check at start: not a replaced key, and it opens a data key (one is enough). */
export async function assertMasterKeyOpensData(db: Executor, keys: KeyRing, masterKey: Buffer): Promise<void> {
  await assertCurrentMasterKey(db, masterKey);
  const one = await findAnyLiveOperationKey(db);
  if (one) await keys.forOperation(db, one.operation_id);
}
