/**
 * The situation report that proves its count (issue 16). A report is the figures of an
 * operation as of a moment — one recomputation of the count over the facts received and the
 * people registered by then — with its proof: the last fact it counted, what `counts verify`
 * said when it was made, the operation's audit head, and the SHA-256 of the figures' canonical
 * JSON. `verifySitrep` rebuilds the figures as of the stated moment and compares them whole, and
 * checks that the stated audit head is still in the chain; an edited copy fails.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../domain/canonical-json.js';
import { buildFigures, type SitrepFigures } from '../../domain/sitrep/figures.js';
import type { ReportProof } from '../../domain/sitrep/document.js';
import type { OutsideSource } from '../../domain/sitrep/sources.js';
import { checkAuditAnchor, listAuditHeads, streamOf } from '../../db/queries/audit.js';
import type { Executor } from '../../db/queries/executor.js';
import { findOperation } from '../../db/queries/operations.js';
import * as sitrepDb from '../../db/queries/sitrep.js';
import { drainCounts } from '../counts/count-projector.js';
import { verifyCounts, type CountVerification } from '../counts/counts.js';
import { recountAsOf, type Recount } from '../counts/recount.js';
import type { KeyRing } from '../keys/keyring.js';
import type { SitrepPayload } from './payload.js';

/** The last fact counted, `counts verify` when produced, the operation's audit head (see the domain's document). */
export type SitrepProof = ReportProof;

export interface Sitrep {
  figures: SitrepFigures;
  proof: SitrepProof;
  /** SHA-256 (hex) of the canonical JSON of `figures`. */
  digest: string;
}

export const digestOf = (figures: SitrepFigures): string => createHash('sha256').update(canonicalJson(figures)).digest('hex');

const rowToSource = (r: Awaited<ReturnType<typeof sitrepDb.listOutsideSources>>[number]): OutsideSource => ({
  id: r.id,
  source: r.source,
  at: new Date(r.stated_at).toISOString(),
  figure: Number(r.figure),
  qualifier: r.qualifier as OutsideSource['qualifier'],
  claims: r.claims as OutsideSource['claims'],
  ...(r.claim_text !== null ? { claimText: r.claim_text } : {}),
  recordedAt: new Date(r.recorded_at).toISOString(),
});

/** The figures as of `asOf` from the count recomputed as of then (`recountAsOf`). */
export async function figuresAsOf(db: Executor, operationId: string, asOf: Date, recount: Recount): Promise<SitrepFigures> {
  const op = await findOperation(db, operationId);
  if (!op) throw new Error(`no operation ${operationId}`);
  return buildFigures({
    operationId,
    operationCode: op.code,
    timeZone: op.time_zone,
    asOf: asOf.toISOString(),
    counts: recount.counts,
    headCountCounts: recount.headCountCounts,
    facts: recount.figureFacts,
    convoyIds: await sitrepDb.convoyIdsAsOf(db, operationId, asOf),
    openTracingRequests: await sitrepDb.openTracingAt(db, operationId, asOf),
    openProtectionAlerts: await sitrepDb.openAlertsAt(db, operationId, asOf),
    sources: (await sitrepDb.listOutsideSources(db, operationId, asOf)).map(rowToSource),
  });
}

/**
 * Builds the report as of `asOf` (default `now`), after counting whatever the projection had not
 * counted yet, with `counts verify` run in the same transaction. As of now (nothing received or
 * registered after it: `now` is the transaction's clock) one recount serves both.
 */
export async function buildSitrep(db: Executor, keys: KeyRing, operationId: string, opts: { asOf?: Date; now: Date }): Promise<Sitrep> {
  await drainCounts(db, keys, operationId);
  const current = await recountAsOf(db, keys, operationId, null);
  const asOf = opts.asOf ?? opts.now;
  const verification: CountVerification = await verifyCounts(db, keys, operationId, { drained: true, recount: current });
  const whole = await sitrepDb.nothingAfter(db, operationId, asOf);
  const figures = await figuresAsOf(db, operationId, asOf, whole ? current : await recountAsOf(db, keys, operationId, asOf));
  const last = await sitrepDb.lastFactAsOf(db, operationId, asOf);
  const head = (await listAuditHeads(db)).find((h) => h.stream === streamOf(operationId)) ?? null;
  return {
    figures,
    proof: {
      lastFact: last ? { id: last.id, receivedAt: new Date(last.received_at).toISOString() } : null,
      countsVerify: {
        ok: verification.ok,
        cells: verification.cells,
        facts: verification.facts,
        persons: verification.persons,
        differences: verification.differences.length,
      },
      auditHead: head,
      producedAt: opts.now.toISOString(),
    },
    digest: digestOf(figures),
  };
}

export const sitrepProblems = [
  'digest_mismatch',
  'figures_differ',
  'last_fact_differs',
  'audit_head_missing',
  'audit_head_rewritten',
  'other_operation',
  'file_altered',
] as const;
export type SitrepProblem = (typeof sitrepProblems)[number];

export interface SitrepVerification {
  ok: boolean;
  operationId: string;
  asOf: string;
  digest: string;
  problems: SitrepProblem[];
  /** Top-level figures whose recomputed value differs from the report's. */
  differingFigures: string[];
}

/**
 * Checks a report's payload against the database: the digest is the figures' digest, the
 * figures equal a recomputation as of the stated moment (and its last fact is the stated one),
 * and the stated audit head is still in the chain.
 */
export async function verifySitrep(
  db: Executor,
  keys: KeyRing,
  operationId: string,
  payload: SitrepPayload,
): Promise<SitrepVerification & { recomputed?: SitrepFigures }> {
  const figures = payload.figures;
  const problems: SitrepProblem[] = [];
  const differing: string[] = [];
  const asOf = new Date(String(figures.asOf));
  const base = { operationId, asOf: String(figures.asOf), digest: payload.digest };
  if (figures.operationId !== operationId || Number.isNaN(asOf.getTime())) {
    return { ...base, ok: false, problems: ['other_operation'], differingFigures: [] };
  }
  if (digestOf(figures) !== payload.digest) problems.push('digest_mismatch');
  const fresh = await figuresAsOf(db, operationId, asOf, await recountAsOf(db, keys, operationId, asOf));
  for (const key of new Set([...Object.keys(fresh), ...Object.keys(figures)])) {
    const a = canonicalJson((fresh as unknown as Record<string, unknown>)[key]);
    const b = canonicalJson((figures as unknown as Record<string, unknown>)[key]);
    if (a !== b) differing.push(key);
  }
  if (differing.length > 0) problems.push('figures_differ');
  const last = await sitrepDb.lastFactAsOf(db, operationId, asOf);
  const lastId = last?.id ?? null;
  if (lastId !== (payload.proof.lastFact?.id ?? null)) problems.push('last_fact_differs');
  const head = payload.proof.auditHead;
  if (head) {
    const breaks = await checkAuditAnchor(db, [head]);
    if (breaks.some((b) => b.problem === 'anchor_missing')) problems.push('audit_head_missing');
    if (breaks.some((b) => b.problem === 'anchor_rewritten')) problems.push('audit_head_rewritten');
  }
  return { ...base, ok: problems.length === 0, problems, differingFigures: differing.sort(), recomputed: fresh };
}
