/** Households and people: registration, reading (audited), search, correction. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addMemberInput, householdBatchInput, householdInput, personPatch } from '../../domain/schemas/persons.js';
import * as svc from '../../services/persons.js';
import { defineRoute, type RouteEnv } from '../route.js';

const op = z.object({ operationId: z.string().max(64) });

export function personRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/households',
    tag: 'persons',
    summary: 'Register a household with its members',
    params: op,
    body: householdInput,
    handler: async (ctx, { body }) => svc.registerHousehold(ctx, body),
  });

  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/households/batch',
    tag: 'persons',
    summary: "Register a desk's queue of households recorded offline, each with its registration time (all or none)",
    params: op,
    body: householdBatchInput,
    handler: async (ctx, { body }) => svc.registerHouseholdQueue(ctx, body),
  });

  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/households/:householdId',
    tag: 'persons',
    summary: 'A household and its members (audited)',
    params: op.extend({ householdId: z.string().max(64) }),
    handler: async (ctx, { params }) => svc.getHousehold(ctx, params.householdId),
  });

  defineRoute(app, env, {
    method: 'POST',
    url: '/api/operations/:operationId/households/:householdId/members',
    tag: 'persons',
    summary: 'Add a member to a household',
    params: op.extend({ householdId: z.string().max(64) }),
    body: addMemberInput,
    handler: async (ctx, { params, body }) => svc.addMember(ctx, params.householdId, body),
  });

  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/persons',
    tag: 'persons',
    summary: 'Find people by name (any script) or tag (audited)',
    params: op,
    query: z
      .object({
        q: z.string().max(200).optional(),
        tag: z.string().max(20).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(20),
      })
      .strict(),
    handler: async (ctx, { query }) => svc.searchPersons(ctx, query),
  });

  defineRoute(app, env, {
    method: 'GET',
    url: '/api/operations/:operationId/persons/:personId',
    tag: 'persons',
    summary: "One person's record (audited)",
    params: op.extend({ personId: z.string().max(64) }),
    handler: async (ctx, { params }) => svc.getPerson(ctx, params.personId),
  });

  defineRoute(app, env, {
    method: 'PATCH',
    url: '/api/operations/:operationId/persons/:personId',
    tag: 'persons',
    summary: "Correct a person's record",
    params: op.extend({ personId: z.string().max(64) }),
    body: personPatch,
    handler: async (ctx, { params, body }) => svc.updatePerson(ctx, params.personId, body),
  });
}
