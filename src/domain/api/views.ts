/**
 * Answer shapes shared by several endpoints: a person as presented, a household, a match and
 * its explanation, manifest entries and warnings. Plain zod objects strip unknown keys, which
 * makes each an allow-list; fields the presenters leave out for some roles are optional.
 */
import { z } from 'zod';
import { roles, permissions } from '../policy.js';
import { convoyStates, convoyEvents } from '../convoys/state-machine.js';
import { vehicleKinds, vehicleModes } from '../convoys/vehicles.js';
import { manifestFlags } from '../convoys/manifest.js';
import { ageBands, carriedEquipment, categories, sexes } from '../schemas/persons.js';

export const operationParams = z.object({ operationId: z.string().max(64) });

export const roleView = z.enum(roles);
export const permissionView = z.enum(permissions);

export const namePartsView = z.object({
  given: z.string().optional(),
  father: z.string().optional(),
  grandfather: z.string().optional(),
  family: z.string().optional(),
});
/** What travels with a person: mobility aids and medical equipment, pieces of luggage, pets. */
export const carriedView = z.object({ equipment: z.array(z.enum(carriedEquipment)), luggage: z.number(), pets: z.number() });

/** What travels with a group of people (a vehicle, the arrivals at a site): each item counted. */
export const carriedTotalsView = z.object({
  people: z.number(),
  equipment: z.object(
    Object.fromEntries(carriedEquipment.map((e) => [e, z.number()])) as Record<(typeof carriedEquipment)[number], z.ZodNumber>,
  ),
  luggage: z.number(),
  pets: z.number(),
});

export const namesView = z.object({ ar: namePartsView.optional(), lat: namePartsView.optional() });

export const personView = z.object({
  id: z.string(),
  householdId: z.string(),
  relationship: z.string(),
  names: namesView,
  sex: z.string(),
  dateOfBirth: z.string().nullable(),
  birthYear: z.number().nullable(),
  ageEstimated: z.boolean(),
  ageBand: z.string(),
  vulnerabilities: z.array(z.string()),
  carried: carriedView.optional(),
  consent: z.object({ tracing: z.boolean(), disclosure: z.boolean() }),
  tag: z.string().nullable(),
  siteId: z.string().nullable(),
  phone: z.string().nullable(),
  documentNumber: z.string().nullable(),
  origin: z.string().nullable(),
  notes: z.string().nullable(),
  registeredAt: z.string(),
  version: z.number(),
  mergedInto: z.string().nullable(),
  /** Only for roles with person.category. */
  category: z.string().optional(),
  /** Only for roles with person.medical. */
  medicalNotes: z.string().nullable().optional(),
});

export const householdView = z.object({
  id: z.string(),
  siteId: z.string(),
  registeredAt: z.string(),
  notes: z.string().nullable(),
  members: z.array(personView),
});

export const fieldExplanationView = z.object({
  field: z.string(),
  level: z.string(),
  code: z.string().optional(),
  weight: z.number(),
  detail: z.string().optional(),
});
export const matchView = z.object({
  decision: z.enum(['link', 'review', 'none']),
  probability: z.number(),
  weight: z.number(),
  explanation: z.array(fieldExplanationView),
});

export const duplicateWarningView = z.object({
  personId: z.string(),
  candidateId: z.string(),
  reviewId: z.string(),
  decision: z.enum(['link', 'review']),
  probability: z.number(),
  weight: z.number(),
  explanation: z.array(fieldExplanationView),
});

export const convoyStateView = z.enum(convoyStates);
export const allowedMoveView = z.object({ event: z.enum(convoyEvents), to: convoyStateView });

export const headCountRowView = z.object({
  sex: z.enum(sexes),
  ageBand: z.enum(ageBands),
  category: z.enum(categories),
  count: z.number(),
});

export const manifestEntryView = z.object({
  personId: z.string(),
  householdId: z.string(),
  vehicleId: z.string(),
  flags: z.array(z.enum(manifestFlags)),
  splitReason: z.string().nullable(),
  /** Seats the person takes: more than one with a wheelchair or a stretcher (absent: one). */
  seats: z.number().optional(),
  /** What travels with them (on the manifest read). */
  carried: carriedView.optional(),
});

/** A manifest warning (domain/convoys/manifest.ts ManifestWarning), told apart by its code. */
export const manifestWarningView = z.union([
  z.object({ code: z.literal('household_split'), householdId: z.string(), vehicleIds: z.array(z.string()), reason: z.string() }),
  z.object({ code: z.enum(manifestFlags), personId: z.string(), vehicleId: z.string() }),
  z.object({ code: z.literal('over_capacity'), vehicleId: z.string(), capacity: z.number(), count: z.number() }),
  z.object({
    code: z.literal('head_count_superseded'),
    vehicleId: z.string(),
    inForce: z.object({ factId: z.string(), at: z.string(), total: z.number() }),
  }),
]);

export const vehicleKindView = z.enum(vehicleKinds);
export const vehicleModeView = z.enum(vehicleModes);
