/** Households and people: registration, reading (audited), search, correction. */
import type { FastifyInstance } from 'fastify';
import * as api from '../../domain/api/persons.js';
import * as svc from '../../services/persons/persons.js';
import { shredPerson } from '../../services/persons/shred-person.js';
import { personTimeline } from '../../services/persons/person-timeline.js';
import { defineRoute, type RouteEnv } from '../route.js';

/** A desk's registrations are checked for duplicates just after they commit, not inside the request (duplicate-checks.ts). */
const DESK = { queueDuplicateCheck: true } as const;

export function personRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, api.registerHousehold, async (ctx, { body }) => svc.registerHousehold(ctx, body, DESK));
  defineRoute(app, env, api.registerHouseholdBatch, async (ctx, { body }) => svc.registerHouseholdQueue(ctx, body, DESK));
  defineRoute(app, env, api.getHousehold, async (ctx, { params }) => svc.getHousehold(ctx, params.householdId));
  defineRoute(app, env, api.addMember, async (ctx, { params, body }) => svc.addMember(ctx, params.householdId, body));
  defineRoute(app, env, api.searchPersons, async (ctx, { query }) => svc.searchPersons(ctx, query));
  defineRoute(app, env, api.getPerson, async (ctx, { params }) => svc.getPerson(ctx, params.personId));
  defineRoute(app, env, api.getPersonTimeline, async (ctx, { params }) => personTimeline(ctx, params.personId));
  defineRoute(app, env, api.updatePerson, async (ctx, { params, body }) => svc.updatePerson(ctx, params.personId, body));
  defineRoute(app, env, api.shredPerson, async (ctx, { params }) => shredPerson(ctx, params.personId));
}
