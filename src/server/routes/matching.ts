/** Duplicate candidates and review (merge, reject, undo), and the tracing desk. */
import type { FastifyInstance } from 'fastify';
import * as api from '../../domain/api/matching.js';
import * as dup from '../../services/matching/duplicate-reviews.js';
import * as tracing from '../../services/tracing/tracing.js';
import { defineRoute, type RouteEnv } from '../route.js';

export function matchingRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, api.draftCandidates, async (ctx, { body }) => dup.candidatesForDraft(ctx, body));
  defineRoute(app, env, api.listDuplicates, async (ctx, { query }) => dup.listReviews(ctx, query));
  defineRoute(app, env, api.duplicateSummary, async (ctx) => dup.reviewSummary(ctx));
  defineRoute(app, env, api.scanDuplicates, async (ctx) => dup.dedupeOperation(ctx));
  defineRoute(app, env, api.mergeDuplicate, async (ctx, { params, body }) => dup.confirmMerge(ctx, params.reviewId, body.keep));
  defineRoute(app, env, api.rejectDuplicate, async (ctx, { params }) => dup.rejectPair(ctx, params.reviewId));
  defineRoute(app, env, api.undoDuplicate, async (ctx, { params }) => dup.undoMerge(ctx, params.reviewId));

  defineRoute(app, env, api.listTracing, async (ctx, { query }) => tracing.listTracingRequests(ctx, query));
  defineRoute(app, env, api.createTracing, async (ctx, { body }) => tracing.createTracingRequest(ctx, body));
  defineRoute(app, env, api.tracingFromMissing, async (ctx, { body }) => tracing.openFromMissing(ctx, body.personId));
  defineRoute(app, env, api.getTracing, async (ctx, { params }) => tracing.getTracingRequest(ctx, params.requestId));
  defineRoute(app, env, api.searchTracingElsewhere, async (ctx, { params }) => tracing.searchElsewhere(ctx, params.requestId));
  defineRoute(app, env, api.rematchTracing, async (ctx, { params }) => tracing.rematch(ctx, params.requestId));
  defineRoute(app, env, api.recordTracingOutcome, async (ctx, { params, body }) => tracing.recordOutcome(ctx, params.requestId, body));
}
