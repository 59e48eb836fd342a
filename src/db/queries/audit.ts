/**
 * The audit log: append-only, hash-chained per stream (one stream per operation, one for the
 * system). Appending locks the stream's head row, so concurrent writers take turns and the
 * chain stays a chain. Verification recomputes every hash and names the first entry that was
 * edited, removed or moved.
 */
import { createHash, createHmac } from 'node:crypto';
import { sql, type DialectAdapter } from 'kysely';
import type { Executor } from './executor.js';
import { canonicalJson as canonical } from '../../domain/canonical-json.js';

/** The audit key in use: entries are HMAC-SHA-256 under `key`, marked with `id` (migration 0024). */
export interface AuditKey {
  id: string;
  key: Buffer;
  /** Each stream's head when keying began: entries up to there may be unkeyed (written before). */
  legacyHeads: readonly AuditHead[];
}

/**
 * Opens (and with `create`, first makes) the database's audit key. The key ring implements it:
 * the key is wrapped by the master key, which the database never holds.
 */
export interface AuditKeySource {
  auditKey(db: Executor, create: boolean): Promise<AuditKey | undefined>;
  /** The key of a stored row read by the caller (opened again only when the row changed). */
  auditKeyOfRow(row: AuditKeyRow): AuditKey;
}

/**
 * The audit key source bound to a database connection, found from any transaction on it. Kysely
 * gives a connection and every transaction on it the same dialect adapter, hence the key.
 */
const sources = new WeakMap<DialectAdapter, AuditKeySource>();

/** From now on every audit entry written through `db` (or a transaction on it) is keyed, and `verifyAudit` checks the keys. */
export function bindAuditKey(db: Executor, source: AuditKeySource): void {
  sources.set(db.getExecutor().adapter, source);
}

function sourceOf(db: Executor): AuditKeySource | undefined {
  return sources.get(db.getExecutor().adapter);
}

/**
 * Databases whose audit key row this process has seen: keying never ends (the row is only ever
 * re-wrapped), so from then on an append reads the row in the statement that locks the first
 * stream's head instead of in a statement of its own.
 */
const keyed = new WeakSet<DialectAdapter>();

export interface AuditEntry {
  operationId: string | null;
  actorId: string | null;
  actorKind: 'user' | 'device' | 'system' | 'anonymous';
  action: string;
  subjectKind?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
  at: Date;
}

export function streamOf(operationId: string | null): string {
  return operationId ?? 'system';
}

interface HashedRow {
  stream: string;
  n: number;
  at: Date;
  actor_id: string | null;
  actor_kind: string;
  operation_id: string | null;
  action: string;
  subject_kind: string | null;
  subject_id: string | null;
  details: unknown;
}

function entryBody(row: HashedRow): string {
  return canonical({
    stream: row.stream,
    n: row.n,
    at: row.at.toISOString(),
    actor_id: row.actor_id,
    actor_kind: row.actor_kind,
    operation_id: row.operation_id,
    action: row.action,
    subject_kind: row.subject_kind,
    subject_id: row.subject_id,
    details: row.details ?? {},
  });
}

/** An unkeyed entry's hash (before migration 0024): anyone can compute it. */
export function entryHash(prevHash: string, row: HashedRow): string {
  return createHash('sha256').update(prevHash).update('\n').update(entryBody(row)).digest('hex');
}

/** A keyed entry's hash: the same text under HMAC-SHA-256 with the audit key, which only the master key opens. */
export function keyedEntryHash(key: Buffer, prevHash: string, row: HashedRow): string {
  return createHmac('sha256', key).update(prevHash).update('\n').update(entryBody(row)).digest('hex');
}

export async function appendAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await appendAuditMany(db, [entry]);
}

/** Rows per INSERT: 13 parameters a row, well under PostgreSQL's 65,535. */
const AUDIT_ROWS_PER_INSERT = 2000;

/**
 * Appends entries in the order given, chaining their hashes in JS: per stream one head lock,
 * one multi-row insert (in chunks) and one head update, however many entries. The chain is the
 * one `appendAudit` would have written entry by entry.
 */
export async function appendAuditMany(db: Executor, entries: readonly AuditEntry[]): Promise<void> {
  const byStream = new Map<string, AuditEntry[]>();
  for (const e of entries) {
    const stream = streamOf(e.operationId);
    const mine = byStream.get(stream);
    if (mine) mine.push(e);
    else byStream.set(stream, [e]);
  }
  const source = sourceOf(db);
  const adapter = db.getExecutor().adapter;
  // The key first (made on first use, before any head is locked), then the streams; once this
  // database is known to have its key, the key row comes with the first head.
  let key = source && !keyed.has(adapter) ? await source.auditKey(db, true) : undefined;
  if (key) keyed.add(adapter);
  // Streams in a fixed order, so two writers locking the same two heads never deadlock.
  for (const stream of [...byStream.keys()].sort()) {
    const withKey = source !== undefined && key === undefined && keyed.has(adapter);
    // The head made if missing and locked in one statement: an upsert that changes nothing still
    // takes the row's lock (waiting for a writer holding it) and answers the head as it stands.
    const head = await db
      .insertInto('audit_heads')
      .values({ stream, n: 0, hash: '' })
      .onConflict((oc) => oc.column('stream').doUpdateSet({ n: sql<number>`audit_heads.n` }))
      .returning((eb) => [
        'n',
        'hash',
        ...(withKey
          ? [
              eb.selectFrom('audit_keys').select('id').as('key_id'),
              eb.selectFrom('audit_keys').select('legacy_heads').as('key_legacy_heads'),
              eb.selectFrom('audit_keys').select('wrapped_key').as('key_wrapped'),
            ]
          : []),
      ])
      .executeTakeFirstOrThrow();
    if (withKey) {
      const r = head as typeof head & { key_id: string | null; key_legacy_heads: unknown; key_wrapped: Uint8Array | null };
      // A row that went away (never, but then) is made again as on first use.
      key =
        r.key_id !== null && r.key_wrapped !== null
          ? source.auditKeyOfRow({ id: r.key_id, legacyHeads: r.key_legacy_heads as AuditHead[], wrapped: Buffer.from(r.key_wrapped) })
          : await source.auditKey(db, true);
    }
    let { n, hash } = head;
    const rows = (byStream.get(stream) as AuditEntry[]).map((entry) => {
      // Timestamps are kept to the millisecond so the hash of what is read back equals the one written.
      const row = {
        stream,
        n: n + 1,
        at: new Date(Math.floor(entry.at.getTime())),
        actor_id: entry.actorId,
        actor_kind: entry.actorKind,
        operation_id: entry.operationId,
        action: entry.action,
        subject_kind: entry.subjectKind ?? null,
        subject_id: entry.subjectId ?? null,
        details: entry.details ?? {},
      };
      const prev = hash;
      hash = key ? keyedEntryHash(key.key, prev, row) : entryHash(prev, row);
      n = row.n;
      return { ...row, details: JSON.stringify(row.details), prev_hash: prev, hash, key_id: key?.id ?? null };
    });
    // One VALUES list takes its sequence numbers (seq) in row order, so seq follows n.
    // The last chunk goes with the head's update in one statement (a data-modifying WITH): one
    // round trip for the common case of a request's entry or a batch's few.
    let i = 0;
    for (; rows.length - i > AUDIT_ROWS_PER_INSERT; i += AUDIT_ROWS_PER_INSERT)
      await db
        .insertInto('audit_log')
        .values(rows.slice(i, i + AUDIT_ROWS_PER_INSERT))
        .execute();
    await db
      .with('appended', (w) => w.insertInto('audit_log').values(rows.slice(i)))
      .updateTable('audit_heads')
      .set({ n, hash })
      .where('stream', '=', stream)
      .execute();
  }
}

export interface AuditBreak {
  stream: string;
  seq: number;
  n: number;
  /** `not_keyed`: an entry without the audit key's HMAC past the heads of when keying began (a forged append). */
  problem: 'edited' | 'removed_or_reordered' | 'head_mismatch' | 'not_keyed';
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  streams: number;
  /** Entries checked with the audit key (the others were written before keying began). */
  keyed: number;
  firstBreak?: AuditBreak;
}

export class AuditKeyUnavailableError extends Error {
  constructor() {
    super(
      'The audit log holds keyed entries and the master key is not available to check them: give the master key (CORRIDOR_MASTER_KEY or CORRIDOR_MASTER_KEY_FILE).',
    );
    this.name = 'AuditKeyUnavailableError';
  }
}

/**
 * Walks every stream. Once the database has an audit key, an entry must carry its HMAC unless it
 * lies within the heads of when keying began (entries written before); an entry appended
 * without the key — what someone with only the database role can compute — is `not_keyed`.
 */
export async function verifyAudit(db: Executor): Promise<AuditVerification> {
  const stored = await findAuditKeyRow(db);
  let key: AuditKey | undefined;
  if (stored) {
    const source = sourceOf(db);
    key = source ? await source.auditKey(db, false) : undefined;
    if (!key) throw new AuditKeyUnavailableError();
  }
  const legacy = new Map((key?.legacyHeads ?? []).map((h) => [h.stream, h]));
  let keyed = 0;
  const streams = await db.selectFrom('audit_heads').select(['stream', 'n', 'hash']).execute();
  const logged = await db.selectFrom('audit_log').select('stream').distinct().execute();
  const allStreams = new Set([...streams.map((s) => s.stream), ...logged.map((s) => s.stream)]);
  let entries = 0;
  let firstBreak: AuditBreak | undefined;
  for (const stream of [...allStreams].sort()) {
    let prev = '';
    let expectedN = 1;
    let lastSeq = 0;
    let broke = false;
    // Walk in the order entries were written (seq); n must count up by one and each hash must chain.
    for (let after = 0; ;) {
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('stream', '=', stream)
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(5000)
        .execute();
      if (rows.length === 0) break;
      for (const r of rows) {
        entries++;
        const seq = Number(r.seq);
        after = seq;
        lastSeq = seq;
        if (broke) continue;
        const at = r.at instanceof Date ? r.at : new Date(r.at);
        const row = { ...r, at, details: r.details };
        const before = legacy.get(stream);
        let recomputed: string | undefined;
        if (r.key_id !== null) {
          keyed++;
          // Keyed under another key (or with no key in the database): it cannot be the one written.
          recomputed = key && r.key_id === key.id ? keyedEntryHash(key.key, prev, row) : undefined;
        } else if (!key || (before && r.n <= before.n)) {
          recomputed = entryHash(prev, row);
        }
        if (r.n !== expectedN || r.prev_hash !== prev) {
          firstBreak ??= { stream, seq, n: r.n, problem: 'removed_or_reordered' };
          broke = true;
        } else if (r.key_id === null && key && recomputed === undefined) {
          firstBreak ??= { stream, seq, n: r.n, problem: 'not_keyed' };
          broke = true;
        } else if (recomputed !== r.hash || (before && r.n === before.n && r.hash !== before.hash)) {
          firstBreak ??= { stream, seq, n: r.n, problem: 'edited' };
          broke = true;
        }
        prev = r.hash;
        expectedN++;
      }
    }
    const head = streams.find((s) => s.stream === stream);
    if (!broke && head && (head.n !== expectedN - 1 || head.hash !== prev)) {
      firstBreak ??= { stream, seq: lastSeq, n: head.n, problem: 'head_mismatch' };
    }
  }
  return { ok: !firstBreak, entries, streams: allStreams.size, keyed, ...(firstBreak ? { firstBreak } : {}) };
}

export async function listAudit(db: Executor, operationId: string, opts: { limit: number; before?: number; subjectId?: string }) {
  let q = db
    .selectFrom('audit_log')
    .select(['seq', 'n', 'at', 'actor_id', 'actor_kind', 'action', 'subject_kind', 'subject_id', 'details'])
    .where('stream', '=', streamOf(operationId));
  if (opts.before) q = q.where('seq', '<', opts.before);
  if (opts.subjectId) q = q.where('subject_id', '=', opts.subjectId);
  return q.orderBy('seq', 'desc').limit(opts.limit).execute();
}

export interface AuditHead {
  stream: string;
  n: number;
  hash: string;
}

export interface AuditKeyRow {
  id: string;
  legacyHeads: AuditHead[];
  wrapped: Buffer;
}

/** The wrapped audit key, if keying has begun. */
export async function findAuditKeyRow(db: Executor): Promise<AuditKeyRow | undefined> {
  const row = await db.selectFrom('audit_keys').select(['id', 'legacy_heads', 'wrapped_key']).executeTakeFirst();
  return row ? { id: row.id, legacyHeads: row.legacy_heads as AuditHead[], wrapped: Buffer.from(row.wrapped_key) } : undefined;
}

/**
 * Begins keying, once: with the heads locked (no entry is appended meanwhile), `make` wraps a new
 * key for the heads as they are; a row someone else stored first wins.
 */
export async function createAuditKeyRow(
  db: Executor,
  make: (legacyHeads: AuditHead[]) => { id: string; wrapped: Buffer },
  at: Date,
): Promise<void> {
  if (!db.isTransaction) return db.transaction().execute((trx) => createAuditKeyRow(trx, make, at));
  await sql`lock table audit_heads in share row exclusive mode`.execute(db);
  if (await findAuditKeyRow(db)) return;
  const legacyHeads = await listAuditHeads(db);
  const { id, wrapped } = make(legacyHeads);
  await db
    .insertInto('audit_keys')
    .values({ id, legacy_heads: JSON.stringify(legacyHeads), wrapped_key: wrapped, created_at: at })
    .onConflict((oc) => oc.column('singleton').doNothing())
    .execute();
}

/** Stores the audit key wrapped under another master key (rotation). */
export async function updateAuditKeyWrapping(db: Executor, wrapped: Buffer): Promise<void> {
  await db.updateTable('audit_keys').set({ wrapped_key: wrapped }).execute();
}

/** The head of every stream: what `corridor audit head` prints for keeping outside the database. */
export async function listAuditHeads(db: Executor): Promise<AuditHead[]> {
  const rows = await db.selectFrom('audit_heads').select(['stream', 'n', 'hash']).where('n', '>', 0).orderBy('stream').execute();
  return rows.map((r) => ({ stream: r.stream, n: r.n, hash: r.hash }));
}

export interface AnchorBreak {
  stream: string;
  n: number;
  /** `missing`: the stream no longer reaches the anchored entry; `rewritten`: the entry there has another hash. */
  problem: 'anchor_missing' | 'anchor_rewritten';
}

/**
 * Checks heads kept outside the database against the log: each anchored stream must still hold
 * an entry at the anchored position with the anchored hash. With an intact chain that proves
 * every entry up to the anchor is the one that was there when the head was taken.
 */
export async function checkAuditAnchor(db: Executor, anchored: readonly AuditHead[]): Promise<AnchorBreak[]> {
  const breaks: AnchorBreak[] = [];
  for (const a of [...anchored].sort((x, y) => (x.stream < y.stream ? -1 : x.stream > y.stream ? 1 : 0))) {
    const row = await db.selectFrom('audit_log').select('hash').where('stream', '=', a.stream).where('n', '=', a.n).executeTakeFirst();
    if (!row) breaks.push({ stream: a.stream, n: a.n, problem: 'anchor_missing' });
    else if (row.hash !== a.hash) breaks.push({ stream: a.stream, n: a.n, problem: 'anchor_rewritten' });
  }
  return breaks;
}

/** The last master-key rotation recorded (its subject is the fingerprint of the key it installed). */
export async function findLastMasterKeyRotation(db: Executor) {
  return db
    .selectFrom('audit_log')
    .select(['subject_id', 'at'])
    .where('operation_id', 'is', null)
    .where('subject_kind', '=', 'master_key')
    .where('action', '=', 'keys.rotate_master')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The last rotation away from the key with this fingerprint, if it was ever replaced. */
export async function findRotationAwayFrom(db: Executor, fingerprint: string) {
  return db
    .selectFrom('audit_log')
    .select('at')
    .where('operation_id', 'is', null)
    .where('subject_kind', '=', 'master_key')
    .where('action', '=', 'keys.rotate_master')
    .where(sql<boolean>`details->>'from' = ${fingerprint}`)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** How many entries of this action an operation's chain holds about one subject (a household's wristband prints). */
export async function countAuditEntries(db: Executor, operationId: string, action: string, subjectId: string): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('stream', '=', streamOf(operationId))
    .where('action', '=', action)
    .where('subject_id', '=', subjectId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
