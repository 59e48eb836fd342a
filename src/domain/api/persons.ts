/** Households and people: registration, reading (audited), search, correction. */
import { z } from 'zod';
import { addMemberInput, householdBatchInput, householdInput, personPatch } from '../schemas/persons.js';
import { endpoint } from './endpoint.js';
import { personStatuses } from '../movements/derive.js';
import { duplicateWarningView, householdView, namesView, operationParams as op, personView } from './views.js';

const household = op.extend({ householdId: z.string().max(64) });
const person = op.extend({ personId: z.string().max(64) });

/**
 * What a registration says of duplicates: a desk's registration is checked just after it commits
 * (`duplicateCheck: 'queued'`; the pairs reach the review queue moments later), a bulk load's at
 * once (`duplicateWarnings`).
 */
const registrationDuplicates = {
  duplicateWarnings: z.array(duplicateWarningView).optional(),
  duplicateCheck: z.literal('queued').optional(),
};

export const registerHousehold = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/households',
  access: 'person.register',
  tag: 'persons',
  summary: 'Register a household with its members',
  params: op,
  body: householdInput,
  response: householdView.extend(registrationDuplicates),
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
    ...registrationDuplicates,
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

/** A search result: the record, where the person stands now (as the counts derive it), how many their household is. */
export const personFoundView = personView.extend({ status: z.enum(personStatuses).nullable(), householdSize: z.number() });

export const searchPersons = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/persons',
  access: 'person.read',
  tag: 'persons',
  summary:
    'Find people by name (any script), tag or where they stand now (status), a page at a time, each with where they stand and the size of their household (audited)',
  params: op,
  query: z
    .object({
      q: z.string().max(200).optional(),
      tag: z.string().max(20).optional(),
      /** Everyone who stands so now (the list behind a dashboard card), most recent registration first. */
      status: z.enum(personStatuses).optional(),
      offset: z.coerce.number().int().min(0).max(10_000).default(0),
      limit: z.coerce.number().int().min(1).max(100).default(20),
    })
    .strict(),
  response: z.array(personFoundView),
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

export const timelineEntryView = z.object({
  at: z.string(),
  kind: z.string(),
  personId: z.string().nullable(),
  by: z.object({ kind: z.enum(['user', 'device']), name: z.string() }).nullable(),
  siteId: z.string().nullable(),
  convoyId: z.string().nullable(),
  convoyName: z.string().nullable(),
  vehicleId: z.string().nullable(),
  vehiclePlate: z.string().nullable(),
  factId: z.string().nullable(),
  details: z.record(z.string(), z.union([z.string(), z.number()])),
});

export const getPersonTimeline = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/persons/:personId/timeline',
  access: 'person.read',
  tag: 'persons',
  summary:
    'Every fact about a person and their household, oldest first, with who recorded it and where: registration, manifest seats, boardings, checkpoints, check-ins, alerts, merges (audited as a read of the record)',
  params: person,
  response: z.object({
    personId: z.string(),
    householdId: z.string(),
    members: z.array(z.object({ id: z.string(), relationship: z.string(), names: namesView, tag: z.string().nullable() })),
    entries: z.array(timelineEntryView),
  }),
});
