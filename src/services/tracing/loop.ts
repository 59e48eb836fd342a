/**
 * Tracing closes the loop (issue 18). A request is not only matched once, when it is opened:
 *
 * - every new or corrected registration (a desk's, an offline queue's, an import's) is scored
 *   against the open requests whose sought person shares a blocking key with it — one index
 *   lookup on the keys each request keeps (tracing_request_keys), so a registration with no
 *   request in sight pays one query — and a person who consented to tracing and scores as a
 *   possible match is proposed as a candidate of that request;
 * - a check-in of someone a request proposes is news for that request (where they are now);
 * - two requests whose names answer each other (one seeks the other's enquirer) are linked:
 *   two relatives looking for each other.
 *
 * Each of these is a tracing event on the request and sets its `attention_at`, which puts it at
 * the top of the tracing desk until an officer opens it. Nothing is disclosed by any of this: a
 * candidate is a proposal, and the found / confirm steps are unchanged.
 */
import { sealJson, type OperationKeys } from '../../crypto/envelope.js';
import * as tracingDb from '../../db/queries/tracing.js';
import { requireOperation, type Ctx } from '../context.js';
import { newId } from '../ids.js';
import { keyedBlockingKeys, scoreDescriptions, type Description } from '../matching/candidates.js';
import { publishTracingNews } from './news.js';
import { describeEnquirer, describeSought, requestKeyRows, unsealRequests, unsealRow, type TracingPii } from './request-pii.js';

export interface RegisteredForTracing {
  id: string;
  consentTracing: boolean;
  description: Description;
  /** The person's keyed blocking keys, as written to person_keys. */
  keys: readonly { kind: string; hash: Buffer }[];
}

async function event(ctx: Ctx, keys: OperationKeys, requestId: string, kind: string, personId: string | null, note?: string) {
  const id = newId(ctx.now);
  await tracingDb.insertTracingEvent(ctx.db, {
    operation_id: requireOperation(ctx),
    request_id: requestId,
    id,
    kind,
    person_id: personId,
    at: ctx.now,
    actor_id: ctx.actor.id ?? 'system',
    pii: note ? sealJson(keys, { note }, `tracing-event:${id}`) : null,
  });
}

/** Puts requests at the top of the desk, and tells the open desks (news.ts). */
async function markNews(ctx: Ctx, requestIds: readonly string[]) {
  if (requestIds.length === 0) return;
  const operationId = requireOperation(ctx);
  await tracingDb.markAttention(ctx.db, operationId, requestIds, ctx.now);
  publishTracingNews(operationId);
}

/** Keeps a new request's keys (its sought person's and its enquirer's). */
export async function keepRequestKeys(ctx: Ctx, keys: OperationKeys, requestId: string, pii: TracingPii) {
  const operationId = requireOperation(ctx);
  const enquirer = await describeEnquirer(ctx.db, keys, operationId, pii.enquirer);
  await tracingDb.insertRequestKeys(ctx.db, operationId, requestId, requestKeyRows(keys, describeSought(pii.sought, ctx.now), enquirer));
  return enquirer;
}

/**
 * New or corrected registrations against the open requests: returns how many candidates were
 * proposed. Only people who consented to tracing are proposed (as at the request's opening).
 */
export async function answerRequests(ctx: Ctx, keys: OperationKeys, people: readonly RegisteredForTracing[]): Promise<number> {
  const operationId = requireOperation(ctx);
  const consenting = people.filter((p) => p.consentTracing);
  if (consenting.length === 0) return 0;
  const allKeys = new Map<string, { kind: string; hash: Buffer }>();
  for (const p of consenting) for (const k of p.keys) allKeys.set(`${k.kind}:${k.hash.toString('hex')}`, k);
  const requestIds = await tracingDb.openRequestsSharingKeys(ctx.db, operationId, 'sought', [...allKeys.values()]);
  if (requestIds.length === 0) return 0;
  let proposed = 0;
  for (const { r, pii } of await unsealRequests(ctx, keys, requestIds)) {
    const sought = describeSought(pii.sought, ctx.now);
    const already = await tracingDb.candidatesOf(ctx.db, operationId, r.id);
    const fresh: string[] = [];
    for (const p of consenting) {
      if (already.has(p.id) || p.id === pii.enquirer.personId) continue;
      const result = scoreDescriptions(sought, p.description);
      if (result.decision === 'none') continue;
      await tracingDb.upsertTracingCandidate(ctx.db, {
        operationId,
        requestId: r.id,
        personId: p.id,
        weight: result.weight,
        probability: result.probability,
        decision: result.decision,
        explanation: JSON.stringify(result.explanation),
        at: ctx.now,
      });
      await event(ctx, keys, r.id, 'candidate_proposed', p.id);
      fresh.push(p.id);
    }
    if (fresh.length > 0) await markNews(ctx, [r.id]);
    proposed += fresh.length;
  }
  return proposed;
}

/** People checked in at a site: news for every request that proposes one of them. */
export async function candidatesCheckedIn(ctx: Ctx, keys: OperationKeys, personIds: readonly string[], siteId: string) {
  const operationId = requireOperation(ctx);
  const hits = await tracingDb.lookingRequestsWithCandidates(ctx.db, operationId, personIds);
  for (const h of hits) await event(ctx, keys, h.request_id, 'candidate_checked_in', h.person_id, siteId);
  await markNews(ctx, [...new Set(hits.map((h) => h.request_id))]);
  return hits.length;
}

/**
 * A new request against the other open requests: linked when its sought person may be another
 * request's enquirer, or its enquirer another request's sought person (both: mutual).
 */
export async function linkRequest(ctx: Ctx, keys: OperationKeys, requestId: string, pii: TracingPii, enquirer: Description | null) {
  const operationId = requireOperation(ctx);
  const sought = describeSought(pii.sought, ctx.now);
  const theirEnquirers = await tracingDb.openRequestsSharingKeys(ctx.db, operationId, 'enquirer', keyedBlockingKeys(keys, sought), {
    excludeId: requestId,
  });
  const theirSought = enquirer
    ? await tracingDb.openRequestsSharingKeys(ctx.db, operationId, 'sought', keyedBlockingKeys(keys, enquirer), { excludeId: requestId })
    : [];
  const others = [...new Set([...theirEnquirers, ...theirSought])];
  if (others.length === 0) return 0;
  let linked = 0;
  for (const o of await unsealRequests(ctx, keys, others)) {
    const theirEnquirer = await describeEnquirer(ctx.db, keys, operationId, o.pii.enquirer);
    // Our sought person is their enquirer / our enquirer is their sought person.
    const a = theirEnquirer ? scoreDescriptions(sought, theirEnquirer) : null;
    const b = enquirer ? scoreDescriptions(enquirer, describeSought(o.pii.sought, ctx.now)) : null;
    const aHolds = a !== null && a.decision !== 'none';
    const bHolds = b !== null && b.decision !== 'none';
    if (!aHolds && !bHolds) continue;
    const probability = Math.max(aHolds ? a.probability : 0, bHolds ? b.probability : 0);
    const ours = aHolds && bHolds ? 'mutual' : aHolds ? 'their_enquirer_is_sought' : 'they_seek_our_enquirer';
    const theirs =
      ours === 'mutual' ? 'mutual' : ours === 'their_enquirer_is_sought' ? 'they_seek_our_enquirer' : 'their_enquirer_is_sought';
    await tracingDb.upsertLinks(
      ctx.db,
      operationId,
      [
        { requestId, otherRequestId: o.r.id, direction: ours, probability },
        { requestId: o.r.id, otherRequestId: requestId, direction: theirs, probability },
      ],
      ctx.now,
    );
    await event(ctx, keys, requestId, 'request_linked', null, o.r.id);
    await event(ctx, keys, o.r.id, 'request_linked', null, requestId);
    await markNews(ctx, [requestId, o.r.id]);
    linked++;
  }
  return linked;
}

/** Requests opened before their keys were kept get them (a few at a time, on the desk's next look). */
export async function keepMissingRequestKeys(ctx: Ctx, keys: OperationKeys, limit = 200) {
  const operationId = requireOperation(ctx);
  for (const r of await tracingDb.requestsWithoutKeys(ctx.db, operationId, limit))
    await keepRequestKeys(ctx, keys, r.id, unsealRow(keys, r).pii);
}
