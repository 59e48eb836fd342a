/**
 * Anchors of the audit log: the head (position and hash) of every stream, printed by
 * `corridor audit head` to be kept outside the database — a printed sitrep, a partner's inbox.
 * The chain alone cannot show a history rewritten consistently by someone who can also rewrite
 * the heads; checked against an anchor, such a rewrite of anything up to the anchored entry, or
 * the removal of the anchored entry (and so of everything after it), or of a whole stream, is
 * named. Entries written after the anchor are guarded by the chain and by the next anchor.
 * The chain's own walk and the operation's recent entries are read here too.
 */
import { z } from 'zod';
import {
  bindAuditKey,
  checkAuditAnchor,
  listAudit,
  listAuditHeads,
  verifyAudit,
  type AnchorBreak,
  type AuditVerification,
} from '../../db/queries/audit.js';
import type { Executor } from '../../db/queries/executor.js';
import { requireOperation, type Ctx } from '../context.js';
import type { KeyRing } from '../keys/keyring.js';

/**
 * Keys the audit log written and verified through `db` with the key ring's audit key (finding 16):
 * the server, the command line and a restore bind their connection once they hold the master key.
 */
export function keyAuditWith(db: Executor, keys: KeyRing): void {
  bindAuditKey(db, keys);
}

export const ANCHOR_FORMAT = 'corridor.audit-head.v1';

const anchorSchema = z
  .object({
    format: z.literal(ANCHOR_FORMAT),
    at: z.string().datetime(),
    streams: z
      .array(
        z
          .object({
            stream: z.string().min(1).max(200),
            n: z.number().int().min(1),
            hash: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hash in lower-case hex'),
          })
          .strict(),
      )
      .min(1, 'an anchor names at least one stream'),
  })
  .strict();

export type AuditAnchor = z.infer<typeof anchorSchema>;

export async function takeAuditAnchor(db: Executor, at: Date): Promise<AuditAnchor> {
  return { format: ANCHOR_FORMAT, at: at.toISOString(), streams: await listAuditHeads(db) };
}

/** Parses an anchor file's text; a bad file is an Error naming each field that is wrong. */
export function parseAuditAnchor(text: string): AuditAnchor {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('The anchor file is not JSON (it is what `corridor audit head` printed).');
  }
  const r = anchorSchema.safeParse(json);
  if (!r.success) {
    throw new Error(
      `The anchor file is not valid: ${r.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}.`,
    );
  }
  const seen = new Set<string>();
  for (const s of r.data.streams) {
    if (seen.has(s.stream)) throw new Error(`The anchor file is not valid: stream ${s.stream} is named twice.`);
    seen.add(s.stream);
  }
  return r.data;
}

export interface AnchoredVerification extends AuditVerification {
  anchorBreaks: AnchorBreak[];
}

/** The chain, and each anchored head still at its position. */
export async function verifyAuditAgainst(db: Executor, anchor: AuditAnchor): Promise<AnchoredVerification> {
  const chain = await verifyAudit(db);
  const anchorBreaks = await checkAuditAnchor(db, anchor.streams);
  return { ...chain, ok: chain.ok && anchorBreaks.length === 0, anchorBreaks };
}

/** Walks the hash chain of every stream of the audit log. */
export async function verifyAuditChain(db: Executor): Promise<AuditVerification> {
  return verifyAudit(db);
}

/** The request's operation's audit entries, newest first. */
export async function listAuditEntries(ctx: Ctx, query: { limit: number; before?: number; subjectId?: string }) {
  return (await listAudit(ctx.db, requireOperation(ctx), query)).map((r) => ({
    seq: Number(r.seq),
    at: new Date(r.at).toISOString(),
    actorId: r.actor_id,
    actorKind: r.actor_kind,
    action: r.action,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    details: r.details,
  }));
}
