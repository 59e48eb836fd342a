/** Duplicate candidates and review (merge, reject, undo), and the tracing desk. */
import { z } from 'zod';
import { draftCandidatesInput, mergeInput, tracingOutcomeInput, tracingRequestInput, tracingStatuses } from '../schemas/tracing.js';
import { text } from '../schemas/common.js';
import { endpoint } from './endpoint.js';
import { matchView, namesView, operationParams as op, personView } from './views.js';

const review = op.extend({ reviewId: z.string().max(64) });
const request = op.extend({ requestId: z.string().max(64) });

export const duplicateReviewView = matchView.extend({
  id: z.string(),
  status: z.enum(['open', 'merged', 'rejected', 'undone']),
  source: z.string(),
  createdAt: z.string(),
  personA: personView.nullable(),
  personB: personView.nullable(),
});

export const tracingSoughtView = z.object({
  names: namesView,
  sex: z.string().optional(),
  ageMin: z.number().optional(),
  ageMax: z.number().optional(),
  lastSeenPlace: z.string().optional(),
  lastSeenOn: z.string().optional(),
  notes: z.string().optional(),
});
const tracingBase = z.object({
  id: z.string(),
  status: z.string(),
  origin: z.string(),
  relation: z.string(),
  enquirer: z.object({
    name: z.string(),
    personId: z.string().optional(),
    phone: z.string().optional(),
    contactNotes: z.string().optional(),
    siteId: z.string().optional(),
  }),
  sought: tracingSoughtView,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const tracingSummaryView = tracingBase.extend({
  candidates: z.number(),
  /** Since when something new waits on this request (a later registration proposed, a candidate checked in, a matching request); null: nothing. */
  attentionAt: z.string().nullable(),
});
export const tracingCandidateView = matchView.extend({
  personId: z.string(),
  person: personView,
  lastCheckIn: z.object({ siteId: z.string().nullable(), at: z.string() }).nullable(),
});
export const tracingDetailView = tracingBase.extend({
  foundPersonId: z.string().nullable(),
  /** A found person waits for confirmation and the caller proposed it: another officer confirms. */
  proposedByYou: z.boolean().optional(),
  disclosure: z.object({ allowed: z.boolean(), siteId: z.string().nullable().optional(), message: z.string() }).nullable(),
  candidates: z.array(tracingCandidateView),
  attentionAt: z.string().nullable(),
  /** Other requests that may be a relative looking for this request's enquirer, or sought by it. */
  linkedRequests: z.array(
    z.object({
      requestId: z.string(),
      direction: z.enum(['mutual', 'their_enquirer_is_sought', 'they_seek_our_enquirer']),
      probability: z.number(),
      status: z.string(),
      proposedAt: z.string(),
    }),
  ),
  events: z.array(
    z.object({ id: z.string(), kind: z.string(), personId: z.string().nullable(), at: z.string(), note: z.string().nullable() }),
  ),
});

export const draftCandidates = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/persons/candidates',
  access: 'person.register',
  tag: 'duplicates',
  status: 200,
  idempotent: false,
  summary: 'Possible duplicates of a registration not yet saved, with explanations (a read; names stay out of the URL)',
  params: op,
  body: draftCandidatesInput,
  response: z.array(matchView.extend({ person: personView })),
});

export const listDuplicates = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/duplicates',
  access: 'person.update',
  tag: 'duplicates',
  summary: 'The duplicate review queue, strongest first (audited)',
  params: op,
  query: z
    .object({
      status: z.enum(['open', 'merged', 'rejected', 'undone']).default('open'),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    })
    .strict(),
  response: z.array(duplicateReviewView),
});

export const duplicateSummary = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/duplicates/summary',
  access: 'person.update',
  tag: 'duplicates',
  summary: 'How many pairs wait for review and how many registrations are still being checked (numbers only, no person)',
  params: op,
  response: z.object({
    /** Pairs still to review. */
    open: z.number(),
    /** Registrations whose duplicate check has not run yet (it runs just after they are saved). */
    checksWaiting: z.number(),
  }),
});

export const scanDuplicates = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/duplicates/scan',
  access: 'person.update',
  tag: 'duplicates',
  status: 200,
  summary: 'Batch: block and score every person of the operation, propose pairs for review',
  params: op,
  response: z.object({
    people: z.number(),
    candidatePairs: z.number(),
    windowedKeys: z.number(),
    skippedKeys: z.number(),
    proposed: z.number(),
    link: z.number(),
    review: z.number(),
    ms: z.object({ read: z.number(), select: z.number(), score: z.number(), write: z.number() }),
  }),
});

export const mergeDuplicate = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/duplicates/:reviewId/merge',
  access: 'person.update',
  tag: 'duplicates',
  status: 200,
  summary: 'Confirm a pair: the other record is merged into `keep` (kept, never deleted)',
  params: review,
  body: mergeInput,
  response: z.object({ id: z.string(), status: z.literal('merged'), kept: z.string(), merged: z.string() }),
});

export const rejectDuplicate = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/duplicates/:reviewId/reject',
  access: 'person.update',
  tag: 'duplicates',
  status: 200,
  summary: 'Reject a pair: they are different people',
  params: review,
  response: z.object({ id: z.string(), status: z.literal('rejected') }),
});

export const undoDuplicate = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/duplicates/:reviewId/undo',
  access: 'person.update',
  tag: 'duplicates',
  status: 200,
  summary: 'Undo a merge',
  params: review,
  response: z.object({ id: z.string(), status: z.literal('undone'), restored: z.string() }),
});

export const listTracing = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/tracing',
  access: 'tracing.manage',
  tag: 'tracing',
  summary:
    'Tracing requests, those with something new first, then newest first, a page at a time: by status, origin, news and words of the names or notes (audited)',
  params: op,
  query: z
    .object({
      attention: z
        .enum(['true', 'false'])
        .transform((v) => v === 'true')
        .optional()
        .describe('true: only the requests with something new since an officer last opened them'),
      status: z.enum(tracingStatuses).optional(),
      origin: z.enum(['enquiry', 'missing_in_transit']).optional(),
      q: text(200).optional().describe('words of the enquirer’s or the sought person’s names, places or notes (any script)'),
      offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
      limit: z.coerce.number().int().min(1).max(200).default(25),
    })
    .strict(),
  response: z.object({
    requests: z.array(tracingSummaryView),
    total: z.number(),
    /** Requests of the operation with something new waiting (whatever the filter). */
    needingAttention: z.number(),
    offset: z.number(),
    limit: z.number(),
  }),
});

export const createTracing = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/tracing',
  access: 'tracing.manage',
  tag: 'tracing',
  summary: 'Open a tracing request; candidates are proposed at once',
  params: op,
  body: tracingRequestInput,
  response: tracingDetailView,
});

export const tracingFromMissing = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/tracing/from-missing',
  access: 'tracing.manage',
  tag: 'tracing',
  summary: 'Open a case for a person reconciliation found missing in transit',
  params: op,
  body: z.object({ personId: z.string().min(1).max(64) }).strict(),
  response: tracingDetailView,
});

export const getTracing = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/tracing/:requestId',
  access: 'tracing.manage',
  tag: 'tracing',
  summary: 'A request with ranked candidates, explanations and what may be disclosed (every candidate viewed is audited)',
  params: request,
  response: tracingDetailView,
});

export const searchTracingElsewhere = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/tracing/:requestId/elsewhere',
  access: 'tracing.manage',
  tag: 'tracing',
  summary:
    'The person sought looked for in the other operations of this deployment where you hold the tracing right too: consenting people only, each look audited in both operations',
  params: request,
  response: z.object({
    operations: z.array(
      z.object({
        operationId: z.string(),
        code: z.string(),
        nameEn: z.string(),
        nameAr: z.string().nullable(),
        candidates: z.array(tracingCandidateView),
      }),
    ),
  }),
});

export const rematchTracing = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/tracing/:requestId/rematch',
  access: 'tracing.manage',
  tag: 'tracing',
  status: 200,
  summary: 'Look for candidates again (new registrations arrive all the time)',
  params: request,
  response: tracingDetailView,
});

export const recordTracingOutcome = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/tracing/:requestId/outcome',
  access: 'tracing.manage',
  tag: 'tracing',
  status: 200,
  summary:
    'Record an outcome: found (proposes the person; nothing disclosed), confirm_found (consent-aware), not_the_person, reunited, not found, consent refused, closed',
  params: request,
  body: tracingOutcomeInput,
  response: tracingDetailView,
});
