/**
 * Duplicate registrations: candidates are proposed at registration (a warning inside the same
 * request) and in batch; a registrar confirms or rejects each pair. A confirmed merge keeps
 * both records — the duplicate points at the record it was merged into, and counts skip it —
 * and can be undone. Nothing is ever deleted by a merge.
 */
import * as duplicateChecksDb from '../../db/queries/duplicate-checks.js';
import * as duplicateReviewsDb from '../../db/queries/duplicate-reviews.js';
import * as personsDb from '../../db/queries/persons.js';
import { insertProposals, type ProposalRow } from '../../db/queries/matching.js';
import { AppError } from '../../domain/errors.js';
import type { MatchResult } from '../../domain/matching/index.js';
import type { PersonPii } from '../persons/person-record.js';
import { presentPerson } from '../persons/person-record.js';
import { describeRow, findCandidates, rankCandidatesOfEach, type Description } from './candidates.js';
import type { OperationKeys } from '../../crypto/envelope.js';
import { scanOperation, type ScanOptions } from './scan.js';
import { audit, requireOperation, type Ctx } from '../context.js';
import { countMerge, countUnmerge } from '../counts/counts.js';
import { newId } from '../ids.js';
import type { Executor } from '../../db/queries/executor.js';
import { forgetPeople } from './name-memory.js';

export interface DuplicateWarning {
  personId: string;
  candidateId: string;
  reviewId: string;
  decision: 'link' | 'review';
  probability: number;
  weight: number;
  explanation: MatchResult['explanation'];
}

function ordered(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}

/** A proposal of the pair x, y as duplicate_reviews keeps it (the pair in id order). */
function proposalRow(
  operationId: string,
  x: string,
  y: string,
  r: Pick<MatchResult, 'weight' | 'probability' | 'explanation'>,
  decision: 'link' | 'review',
  source: ProposalRow['source'],
  at: Date,
): ProposalRow {
  const [a, b] = ordered(x, y);
  return {
    operation_id: operationId,
    id: newId(at),
    person_a: a,
    person_b: b,
    weight: r.weight,
    probability: r.probability,
    decision,
    explanation: JSON.stringify(r.explanation),
    source,
    created_at: at,
  };
}

/**
 * Called by registration, after the new people are written: proposes pairs and returns warnings.
 * Each person of the request (a household, a desk's queue) is checked against everyone
 * registered before, not against the others of the same request; the proposals are written in
 * one statement. (One lookup statement for the whole queue was tried: a window over every
 * person's hits made a 100-household queue twice as slow on PGlite as a lookup per person.)
 */
export async function flagNewRegistrations(ctx: Ctx, personIds: string[]): Promise<DuplicateWarning[]> {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const rows = await personsDb.findPersonsByIds(ctx.db, operationId, personIds);
  const flagged = await proposeDuplicates(
    ctx,
    keys,
    rows.map((row) => ({ id: row.id, description: describeRow(keys, row) })),
    personIds,
  );
  if (flagged.audit) await audit(ctx, flagged.audit);
  return flagged.warnings;
}

/**
 * The pairs to propose for these people: each one's candidates among everyone else (the people
 * given are left out of each other's candidates by `rank.excludeIds` or by household), with the
 * warning each pair would give. Nothing is written.
 */
export async function duplicateProposals(
  db: Executor,
  keys: OperationKeys,
  operationId: string,
  at: Date,
  people: readonly { id: string; description: Description }[],
  rank: { excludeIds?: string[]; excludeOwnHousehold?: boolean },
): Promise<{ proposals: ProposalRow[]; warningOf: Map<string, Omit<DuplicateWarning, 'reviewId'>> }> {
  const proposals: ProposalRow[] = [];
  // The warning of each proposal, by the proposal's id (which becomes its review's id once written).
  const warningOf = new Map<string, Omit<DuplicateWarning, 'reviewId'>>();
  const ranked = await rankCandidatesOfEach(
    db,
    keys,
    operationId,
    people.map((p) => p.description),
    { ...rank, limit: 5 },
  );
  for (const [i, person] of people.entries()) {
    for (const c of ranked[i] ?? []) {
      if (c.decision === 'none') continue;
      const proposal = proposalRow(operationId, person.id, c.id, c, c.decision, 'registration', at);
      proposals.push(proposal);
      warningOf.set(proposal.id, {
        personId: person.id,
        candidateId: c.id,
        decision: c.decision,
        probability: c.probability,
        weight: c.weight,
        explanation: c.explanation,
      });
    }
  }
  return { proposals, warningOf };
}

/** The proposals written (a pair proposed before, in any status, is left as it is), as warnings. */
export async function writeProposals(db: Executor, found: Awaited<ReturnType<typeof duplicateProposals>>): Promise<DuplicateWarning[]> {
  const written = found.proposals.length ? await insertProposals(db, found.proposals) : [];
  return written.map((w) => ({ ...found.warningOf.get(w.id)!, reviewId: w.id }));
}

/** The audit entry of duplicate flags, if any pair was proposed. */
export function flagAudit(warnings: readonly DuplicateWarning[]): Parameters<typeof audit>[1] | undefined {
  return warnings.length
    ? { action: 'duplicate.flag', subjectKind: 'person', details: { pairs: warnings.map((w) => [w.personId, w.candidateId]) } }
    : undefined;
}

/**
 * `flagNewRegistrations` for people whose descriptions the caller holds (a bulk load, which has
 * just sealed them): nothing read back, candidates ranked by id (no whole rows), the proposals
 * written; the audit entry is returned for the caller to append with its own (one append).
 * A desk's registration queues its check instead (duplicate-checks.ts).
 */
export async function proposeDuplicates(
  ctx: Ctx,
  keys: OperationKeys,
  people: readonly { id: string; description: Description }[],
  excludeIds: string[] = people.map((p) => p.id),
): Promise<{ warnings: DuplicateWarning[]; audit: Parameters<typeof audit>[1] | undefined }> {
  const found = await duplicateProposals(ctx.db, keys, requireOperation(ctx), ctx.now, people, { excludeIds });
  const warnings = await writeProposals(ctx.db, found);
  return { warnings, audit: flagAudit(warnings) };
}

/** Candidates for a registration not yet saved, with who they are: the registrar sees them before saving. */
export async function candidatesForDraft(
  ctx: Ctx,
  draft: { names: PersonPii['names']; sex?: string; dateOfBirth?: string; estimatedAge?: number },
) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const birthYear = draft.dateOfBirth
    ? Number(draft.dateOfBirth.slice(0, 4))
    : draft.estimatedAge !== undefined
      ? ctx.now.getUTCFullYear() - draft.estimatedAge
      : null;
  const found = await findCandidates(
    ctx.db,
    keys,
    operationId,
    { names: draft.names, ...(draft.sex ? { sex: draft.sex } : {}), birthYear, birthYearEstimated: !draft.dateOfBirth },
    { limit: 5 },
  );
  await audit(ctx, { action: 'person.candidates', subjectKind: 'person', details: { results: found.map((c) => c.row.id) } });
  return found.map((c) => ({
    decision: c.decision,
    probability: c.probability,
    weight: c.weight,
    explanation: c.explanation,
    person: presentPerson(ctx, keys, c.row),
  }));
}

export async function listReviews(ctx: Ctx, query: { status: string; limit: number }) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const reviews = await duplicateReviewsDb.listDuplicateReviews(ctx.db, operationId, query.status, query.limit);
  const persons = new Map(
    (
      await personsDb.findPersonsByIds(
        ctx.db,
        operationId,
        reviews.flatMap((r) => [r.person_a, r.person_b]),
      )
    ).map((p) => [p.id, p]),
  );
  await audit(ctx, { action: 'duplicate.list', subjectKind: 'person', details: { results: [...persons.keys()] } });
  return reviews.map((r) => ({
    id: r.id,
    status: r.status,
    decision: r.decision,
    probability: r.probability,
    weight: r.weight,
    source: r.source,
    explanation: r.explanation,
    createdAt: new Date(r.created_at).toISOString(),
    personA: persons.get(r.person_a) ? presentPerson(ctx, keys, persons.get(r.person_a)!) : null,
    personB: persons.get(r.person_b) ? presentPerson(ctx, keys, persons.get(r.person_b)!) : null,
  }));
}

/**
 * The review desk's poll: how many pairs wait and how many registrations are still to be checked
 * (the check runs just after a registration is saved, duplicate-checks.ts). Numbers only: it
 * names no one, so it is not an access to a record and is not audited.
 */
export async function reviewSummary(ctx: Ctx) {
  const operationId = requireOperation(ctx);
  const open = await duplicateReviewsDb.countDuplicateReviews(ctx.db, operationId, 'open');
  const checksWaiting = await duplicateChecksDb.countPendingDuplicateChecks(ctx.db, operationId);
  return { open, checksWaiting };
}

async function loadReview(ctx: Ctx, reviewId: string) {
  const review = await duplicateReviewsDb.findDuplicateReviewForUpdate(ctx.db, requireOperation(ctx), reviewId);
  if (!review) throw new AppError('duplicate.not_found');
  return review;
}

/** Confirms a pair: `keep` stays, the other record is merged into it. */
export async function confirmMerge(ctx: Ctx, reviewId: string, keep: string) {
  const operationId = requireOperation(ctx);
  const review = await loadReview(ctx, reviewId);
  if (review.status !== 'open') throw new AppError('duplicate.already_decided', undefined, { status: review.status });
  if (keep !== review.person_a && keep !== review.person_b)
    throw new AppError('request.invalid', 'keep must be one of the two people of the review.', {
      fields: [{ path: 'keep', message: 'This record is not one of the pair under review.' }],
    });
  const merged = keep === review.person_a ? review.person_b : review.person_a;
  const rows = await personsDb.findPersonsByIds(ctx.db, operationId, [keep, merged]);
  if (rows.some((r) => r.merged_into))
    throw new AppError('conflict', 'One of these records is already merged into another; undo that first.');
  await countMerge(ctx, merged, keep);
  await personsDb.setPersonMergedInto(ctx.db, operationId, merged, keep, ctx.now);
  // A merged record is no one's candidate any more: its names need not stay in memory.
  forgetPeople(operationId, [merged]);
  await duplicateReviewsDb.insertPersonMerge(ctx.db, {
    operation_id: operationId,
    id: newId(ctx.now),
    kind: 'merge',
    person_id: merged,
    into_id: keep,
    review_id: reviewId,
    at: ctx.now,
    actor_id: ctx.actor.id,
  });
  await duplicateReviewsDb.decideDuplicateReview(ctx.db, operationId, reviewId, { status: 'merged', at: ctx.now, actorId: ctx.actor.id });
  await audit(ctx, { action: 'duplicate.merge', subjectKind: 'person', subjectId: merged, details: { into: keep, reviewId } });
  return { id: reviewId, status: 'merged', kept: keep, merged };
}

export async function rejectPair(ctx: Ctx, reviewId: string) {
  const review = await loadReview(ctx, reviewId);
  if (review.status !== 'open') throw new AppError('duplicate.already_decided', undefined, { status: review.status });
  await duplicateReviewsDb.decideDuplicateReview(ctx.db, review.operation_id, reviewId, {
    status: 'rejected',
    at: ctx.now,
    actorId: ctx.actor.id,
  });
  await audit(ctx, { action: 'duplicate.reject', subjectKind: 'duplicate_review', subjectId: reviewId });
  return { id: reviewId, status: 'rejected' };
}

/** Undoes a merge: the duplicate is a record of its own again, and counted again. */
export async function undoMerge(ctx: Ctx, reviewId: string) {
  const operationId = requireOperation(ctx);
  const review = await loadReview(ctx, reviewId);
  if (review.status !== 'merged') throw new AppError('conflict', 'Only a merged pair can be undone.', { status: review.status });
  const merge = await duplicateReviewsDb.findLatestMergeOfReview(ctx.db, operationId, reviewId);
  await countUnmerge(ctx, merge.person_id, merge.into_id);
  await personsDb.setPersonMergedInto(ctx.db, operationId, merge.person_id, null, ctx.now);
  await duplicateReviewsDb.insertPersonMerge(ctx.db, {
    operation_id: operationId,
    id: newId(ctx.now),
    kind: 'undo',
    person_id: merge.person_id,
    into_id: merge.into_id,
    review_id: reviewId,
    at: ctx.now,
    actor_id: ctx.actor.id,
  });
  await duplicateReviewsDb.decideDuplicateReview(ctx.db, operationId, reviewId, { status: 'undone', at: ctx.now, actorId: ctx.actor.id });
  await audit(ctx, {
    action: 'duplicate.undo',
    subjectKind: 'person',
    subjectId: merge.person_id,
    details: { into: merge.into_id, reviewId },
  });
  return { id: reviewId, status: 'undone', restored: merge.person_id };
}

export interface DedupeSummary {
  people: number;
  candidatePairs: number;
  /** Keys shared by too many people to compare them all: compared by windows of birth year, or (beyond 100,000) skipped; see matching/scan.ts. */
  windowedKeys: number;
  skippedKeys: number;
  proposed: number;
  link: number;
  review: number;
  /** Where the time went, ms: reading and decrypting, choosing candidates, scoring (writing overlaps it), writing. */
  ms: { read: number; select: number; score: number; write: number };
}

/**
 * `corridor dedupe --operation ID`: every unmerged person of the operation, blocked, scored
 * with the registration-time model, proposed for review. Safe to run again: a pair already
 * proposed — open, merged, rejected or undone — is left as it is, so a second run (or a run
 * after an interrupted one) adds only what is new. On a database handle outside a
 * transaction each batch of proposals is committed as it is written.
 */
export async function dedupeOperation(
  ctx: Ctx,
  opts: Pick<ScanOptions, 'workers' | 'k' | 'maxBlockSize' | 'maxKeySize' | 'onProgress'> = {},
): Promise<DedupeSummary> {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  let link = 0;
  const stats = await scanOperation(ctx.db, keys, operationId, {
    ...opts,
    onResults: async (results) => {
      const rows = results.map((r) => proposalRow(operationId, r.idA, r.idB, r, r.decision as 'link' | 'review', 'batch', ctx.now));
      const written = await insertProposals(ctx.db, rows);
      link += written.filter((r) => r.decision === 'link').length;
      return written.length;
    },
  });
  const summary = {
    people: stats.people,
    candidatePairs: stats.candidatePairs,
    windowedKeys: stats.windowedBlocks,
    skippedKeys: stats.skippedBlocks,
    proposed: stats.proposed,
    link,
    review: stats.proposed - link,
    ms: {
      read: Math.round(stats.readMs),
      select: Math.round(stats.selectMs),
      score: Math.round(stats.scoreMs),
      write: Math.round(stats.writeMs),
    },
  };
  const write = (db: Executor) =>
    audit({ ...ctx, db }, { action: 'duplicate.batch', details: { people: stats.people, proposed: stats.proposed } });
  await (ctx.db.isTransaction ? write(ctx.db) : ctx.db.transaction().execute(write));
  return summary;
}
