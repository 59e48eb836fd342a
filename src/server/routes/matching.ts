/** Duplicate candidates and review (merge, reject, undo), and the tracing desk. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  draftCandidatesInput,
  mergeInput,
  tracingOutcomeInput,
  tracingRequestInput,
  tracingStatuses,
} from '../../domain/schemas/tracing.js';
import * as dup from '../../services/duplicates.js';
import * as tracing from '../../services/tracing.js';
import { defineRoute, type RouteEnv } from '../route.js';

const op = z.object({ operationId: z.string().max(64) });
const review = op.extend({ reviewId: z.string().max(64) });
const request = op.extend({ requestId: z.string().max(64) });

export function matchingRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/persons/candidates',
    tag: 'duplicates',
    status: 200,
    idempotent: false,
    summary: 'Possible duplicates of a registration not yet saved, with explanations (a read; names stay out of the URL)',
    params: op,
    body: draftCandidatesInput,
    handler: async (ctx, { body }) => dup.candidatesForDraft(ctx, body),
  });

  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/duplicates',
    tag: 'duplicates',
    summary: 'The duplicate review queue, strongest first (audited)',
    params: op,
    query: z
      .object({
        status: z.enum(['open', 'merged', 'rejected', 'undone']).default('open'),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      })
      .strict(),
    handler: async (ctx, { query }) => dup.listReviews(ctx, query),
  });

  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/duplicates/scan',
    tag: 'duplicates',
    status: 200,
    summary: 'Batch: block and score every person of the operation, propose pairs for review',
    params: op,
    handler: async (ctx) => dup.dedupeOperation(ctx),
  });

  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/duplicates/:reviewId/merge',
    tag: 'duplicates',
    status: 200,
    summary: 'Confirm a pair: the other record is merged into `keep` (kept, never deleted)',
    params: review,
    body: mergeInput,
    handler: async (ctx, { params, body }) => dup.confirmMerge(ctx, params.reviewId, body.keep),
  });

  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/duplicates/:reviewId/reject',
    tag: 'duplicates',
    status: 200,
    summary: 'Reject a pair: they are different people',
    params: review,
    handler: async (ctx, { params }) => dup.rejectPair(ctx, params.reviewId),
  });

  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/duplicates/:reviewId/undo',
    tag: 'duplicates',
    status: 200,
    summary: 'Undo a merge',
    params: review,
    handler: async (ctx, { params }) => dup.undoMerge(ctx, params.reviewId),
  });

  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/tracing',
    tag: 'tracing',
    summary: 'Tracing requests (audited)',
    params: op,
    query: z.object({ status: z.enum(tracingStatuses).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }).strict(),
    handler: async (ctx, { query }) => tracing.listTracingRequests(ctx, query),
  });

  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/tracing',
    tag: 'tracing',
    summary: 'Open a tracing request; candidates are proposed at once',
    params: op,
    body: tracingRequestInput,
    handler: async (ctx, { body }) => tracing.createTracingRequest(ctx, body),
  });

  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/tracing/from-missing',
    tag: 'tracing',
    summary: 'Open a case for a person reconciliation found missing in transit',
    params: op,
    body: z.object({ personId: z.string().min(1).max(64) }).strict(),
    handler: async (ctx, { body }) => tracing.openFromMissing(ctx, body.personId),
  });

  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/tracing/:requestId',
    tag: 'tracing',
    summary: 'A request with ranked candidates, explanations and what may be disclosed (every candidate viewed is audited)',
    params: request,
    handler: async (ctx, { params }) => tracing.getTracingRequest(ctx, params.requestId),
  });

  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/tracing/:requestId/rematch',
    tag: 'tracing',
    status: 200,
    summary: 'Look for candidates again (new registrations arrive all the time)',
    params: request,
    handler: async (ctx, { params }) => tracing.rematch(ctx, params.requestId),
  });

  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/tracing/:requestId/outcome',
    tag: 'tracing',
    status: 200,
    summary: 'Record an outcome: found (consent-aware), reunited, not found, consent refused, closed',
    params: request,
    body: tracingOutcomeInput,
    handler: async (ctx, { params, body }) => tracing.recordOutcome(ctx, params.requestId, body),
  });
}
