/**
 * Stored answers to writes (idempotency): every write made with a client id keeps its answer, so a
 * copy sent again (a phone retrying its queue) gets the first answer instead of writing twice. The
 * key is scoped by the actor and the operation. The answers can hold names and one-time device
 * tokens, so they are sealed at rest with the operation's key (crypto-shredding covers them) or,
 * outside an operation, with the system key. Used by every route's registration (src/server/route.ts);
 * old answers are pruned by jobs/idempotency-retention.ts.
 */
import type { Executor } from '../db/queries/executor.js';
import { insertIdempotent, lockClientIdAndFind, type IdempotencyScope, type StoredAnswerRow } from '../db/queries/idempotency.js';
import { openJson, sealJson } from '../crypto/envelope.js';
import type { KeyRing } from './keys/keyring.js';

export type { IdempotencyScope };

export interface StoredAnswer {
  requestHash: string;
  status: number;
  /** The answer as first sent; opened only when the replay is of the same request (another request learns nothing from it). */
  response: unknown;
}

const keysOf = (db: Executor, keys: KeyRing, scope: IdempotencyScope) =>
  scope.operationId ? keys.forOperation(db, scope.operationId) : keys.system();
const aadOf = (scope: IdempotencyScope) => `replay:${scope.clientId}`;

/**
 * Takes the key for the rest of the transaction — a copy of the same write still in flight holds
 * it until it commits, and is waited for at most `waitMs` — then reads the answer stored under it,
 * opened when `requestHash` is the stored request's; in one round trip a try (what every write
 * does first). `taken` false when the key did not come free in time.
 */
export async function takeClientIdAndFindAnswer(
  db: Executor,
  keys: KeyRing,
  scope: IdempotencyScope,
  requestHash: string,
  waitMs: number,
): Promise<{ taken: false } | { taken: true; prior: StoredAnswer | undefined }> {
  const r = await lockClientIdAndFind(db, scope, waitMs);
  if (!r.taken) return r;
  return { taken: true, prior: r.prior ? await openStored(db, keys, scope, r.prior, requestHash) : undefined };
}

async function openStored(
  db: Executor,
  keys: KeyRing,
  scope: IdempotencyScope,
  prior: StoredAnswerRow,
  requestHash: string,
): Promise<StoredAnswer> {
  const sealed = (prior.response as { sealed?: unknown } | null)?.sealed;
  const response =
    prior.request_hash === requestHash && typeof sealed === 'string'
      ? openJson(await keysOf(db, keys, scope), Buffer.from(sealed, 'base64'), aadOf(scope))
      : prior.response;
  return { requestHash: prior.request_hash, status: prior.status, response };
}

/** Stores a write's answer, sealed, under its key (in the write's transaction). */
export async function storeAnswer(
  db: Executor,
  keys: KeyRing,
  scope: IdempotencyScope,
  a: { route: string; requestHash: string; status: number; response: unknown; at: Date },
): Promise<void> {
  const sealed = sealJson(await keysOf(db, keys, scope), a.response ?? null, aadOf(scope)).toString('base64');
  await insertIdempotent(db, { ...scope, route: a.route, requestHash: a.requestHash, status: a.status, response: { sealed }, at: a.at });
}
