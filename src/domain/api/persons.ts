/** Households and people: registration, reading (audited), search, correction. */
import { z } from 'zod';
import { addMemberInput, householdBatchInput, householdInput, personPatch } from '../schemas/persons.js';
import { endpoint } from './endpoint.js';
import { duplicateWarningView, householdView, operationParams as op, personView } from './views.js';

const household = op.extend({ householdId: z.string().max(64) });
const person = op.extend({ personId: z.string().max(64) });

export const registerHousehold = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/households',
  access: 'person.register',
  tag: 'persons',
  summary: 'Register a household with its members',
  params: op,
  body: householdInput,
  response: householdView.extend({ duplicateWarnings: z.array(duplicateWarningView) }),
});

export const registerHouseholdBatch = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/households/batch',
  access: 'person.register',
  tag: 'persons',
  summary: "Register a desk's queue of households recorded offline, each with its registration time (all or none)",
  params: op,
  body: householdBatchInput,
  response: z.object({
    households: z.array(z.object({ id: z.string(), members: z.array(z.string()) })),
    duplicateWarnings: z.array(duplicateWarningView),
  }),
});

export const getHousehold = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/households/:householdId',
  access: 'person.read',
  tag: 'persons',
  summary: 'A household and its members (audited)',
  params: household,
  response: householdView,
});

export const addMember = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/households/:householdId/members',
  access: 'person.register',
  tag: 'persons',
  summary: 'Add a member to a household',
  params: household,
  body: addMemberInput,
  response: personView.extend({ duplicateWarnings: z.array(duplicateWarningView) }),
});

export const searchPersons = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/persons',
  access: 'person.read',
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
  response: z.array(personView),
});

export const getPerson = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/persons/:personId',
  access: 'person.read',
  tag: 'persons',
  summary: "One person's record (audited)",
  params: person,
  response: personView,
});

export const shredPerson = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/persons/:personId/shred',
  access: 'person.erase',
  tag: 'persons',
  status: 200,
  summary: 'Crypto-shred one person: names, notes, medical notes, category, vulnerabilities and tag erased; counts remain (audited)',
  params: person,
  response: z.object({ id: z.string(), shreddedAt: z.string(), shreddedNow: z.boolean() }),
});

export const updatePerson = endpoint({
  method: 'PATCH',
  path: '/api/operations/:operationId/persons/:personId',
  access: 'person.update',
  tag: 'persons',
  summary: "Correct a person's record",
  params: person,
  body: personPatch,
  response: personView,
});
