/**
 * The audit log: append-only, hash-chained per stream (one stream per operation, one for the
 * system). Appending locks the stream's head row, so concurrent writers take turns and the
 * chain stays a chain. Verification recomputes every hash and names the first entry that was
 * edited, removed or moved.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from './executor.js';
import { canonicalJson as canonical } from '../../domain/canonical-json.js';

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

export function entryHash(
  prevHash: string,
  row: {
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
  },
): string {
  const body = canonical({
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
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export async function appendAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await appendAuditMany(db, [entry]);
}

/** Rows per INSERT: 10 parameters a row, well under PostgreSQL's 65,535. */
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
    byStream.set(stream, [...(byStream.get(stream) ?? []), e]);
  }
  // Streams in a fixed order, so two writers locking the same two heads never deadlock.
  for (const stream of [...byStream.keys()].sort()) {
    await db
      .insertInto('audit_heads')
      .values({ stream, n: 0, hash: '' })
      .onConflict((oc) => oc.column('stream').doNothing())
      .execute();
    const head = await db
      .selectFrom('audit_heads')
      .select(['n', 'hash'])
      .where('stream', '=', stream)
      .forUpdate()
      .executeTakeFirstOrThrow();
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
      hash = entryHash(prev, row);
      n = row.n;
      return { ...row, details: JSON.stringify(row.details), prev_hash: prev, hash };
    });
    // One VALUES list takes its sequence numbers (seq) in row order, so seq follows n.
    for (let i = 0; i < rows.length; i += AUDIT_ROWS_PER_INSERT)
      await db
        .insertInto('audit_log')
        .values(rows.slice(i, i + AUDIT_ROWS_PER_INSERT))
        .execute();
    await db.updateTable('audit_heads').set({ n, hash }).where('stream', '=', stream).execute();
  }
}

export interface AuditBreak {
  stream: string;
  seq: number;
  n: number;
  problem: 'edited' | 'removed_or_reordered' | 'head_mismatch';
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  streams: number;
  firstBreak?: AuditBreak;
}

export async function verifyAudit(db: Executor): Promise<AuditVerification> {
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
        const recomputed = entryHash(prev, { ...r, at, details: r.details });
        if (r.n !== expectedN || r.prev_hash !== prev) {
          firstBreak ??= { stream, seq, n: r.n, problem: 'removed_or_reordered' };
          broke = true;
        } else if (recomputed !== r.hash) {
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
  return { ok: !firstBreak, entries, streams: allStreams.size, ...(firstBreak ? { firstBreak } : {}) };
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
