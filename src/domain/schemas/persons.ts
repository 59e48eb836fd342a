/**
 * What a person and a household are when they are registered. Names are written as Arabic
 * naming uses them (given, father's, grandfather's, family name), in Arabic script and/or in
 * Latin letters. The restricted fields (`category`, `medicalNotes`) are accepted only from roles
 * allowed to write them; the server enforces that, this schema only describes the shape.
 */
import { z } from 'zod';
import { ageInYears, entityId, isoDate, isoDateTime, nameParts, text } from './common.js';

export const sexes = ['female', 'male', 'unknown'] as const;
export const categories = ['civilian', 'combatant', 'unknown'] as const;
/**
 * The two vulnerabilities that make a child a protection case: an alert for tracing officers when
 * the child checks in, a flag on the manifest, and shown as alerts wherever the person is. The
 * one list server and browser read.
 */
export const protectedChildFlags = ['unaccompanied_child', 'separated_child'] as const;
export const vulnerabilities = [
  'wounded',
  'sick',
  'chronic_illness',
  'disability',
  'pregnant',
  'lactating',
  'older_person',
  ...protectedChildFlags,
  'single_caregiver',
  'mental_health',
] as const;
export type ProtectedChildFlag = (typeof protectedChildFlags)[number];

export function isProtectedChildFlag(flag: string): flag is ProtectedChildFlag {
  return (protectedChildFlags as readonly string[]).includes(flag);
}

/** Of a person's vulnerabilities (or a manifest entry's flags), the protected-child ones, in the list's order. */
export function protectedChildFlagsOf(flags: readonly string[]): ProtectedChildFlag[] {
  return protectedChildFlags.filter((f) => flags.includes(f));
}

/**
 * What travels with a person: mobility aids and medical equipment, counted pieces of luggage and
 * pets. A wheelchair or a stretcher takes seats in the vehicle (src/domain/convoys/capacity.ts).
 * Kept sealed with the person's category and vulnerabilities: oxygen or a stretcher says a person
 * is ill or wounded.
 */
export const carriedEquipment = ['wheelchair', 'stretcher', 'oxygen', 'walking_aid'] as const;
export type CarriedEquipment = (typeof carriedEquipment)[number];
export const carriedInput = z
  .object({
    equipment: z
      .array(z.enum(carriedEquipment))
      .max(carriedEquipment.length)
      .refine((xs) => new Set(xs).size === xs.length, { message: 'each item once', params: { key: 'each_once' } })
      .default([]),
    luggage: z.number().int().min(0).max(20).default(0).describe('pieces of luggage'),
    pets: z.number().int().min(0).max(10).default(0),
  })
  .strict();
export type Carried = z.output<typeof carriedInput>;
export const nothingCarried: Carried = Object.freeze({ equipment: [], luggage: 0, pets: 0 }) as Carried;

export const relationships = [
  'head',
  'spouse',
  'child',
  'parent',
  'sibling',
  'grandchild',
  'grandparent',
  'other_relative',
  'unrelated',
] as const;
export const ageBands = ['0-4', '5-11', '12-17', '18-59', '60+', 'unknown'] as const;
export type AgeBand = (typeof ageBands)[number];

/** Fields of a person that only some roles may read or write. */
export const restrictedPersonFields = { category: 'person.category', medicalNotes: 'person.medical' } as const;

export const personNames = z.object({ ar: nameParts.optional(), lat: nameParts.optional() }).strict();

export const personInput = z
  .object({
    id: entityId.optional().describe('client-made id; the server makes one when absent'),
    names: personNames,
    sex: z.enum(sexes),
    dateOfBirth: isoDate.optional(),
    estimatedAge: ageInYears.optional(),
    relationship: z.enum(relationships).default('head'),
    vulnerabilities: z.array(z.enum(vulnerabilities)).max(vulnerabilities.length).default([]),
    category: z.enum(categories).optional(),
    carried: carriedInput.optional().describe('mobility aids and medical equipment, pieces of luggage, pets'),
    consent: z.object({ tracing: z.boolean(), disclosure: z.boolean() }).strict().default({ tracing: false, disclosure: false }),
    tag: z.string().max(20).optional(),
    phone: text(40).optional(),
    documentNumber: text(60).optional(),
    origin: text(120).optional(),
    notes: text(2000).optional(),
    medicalNotes: text(2000).optional(),
  })
  .strict()
  .refine((p) => !(p.dateOfBirth && p.estimatedAge !== undefined), {
    message: 'give a date of birth or an estimated age, not both',
    path: ['estimatedAge'],
    params: { key: 'one_age_only' },
  });
export type PersonInput = z.input<typeof personInput>;
export type PersonData = z.output<typeof personInput>;

export const householdInput = z
  .object({
    id: entityId.optional(),
    siteId: entityId,
    notes: text(2000).optional(),
    members: z.array(personInput).min(1, 'a household has at least one member').max(30, 'at most 30 members'),
  })
  .strict();
export type HouseholdInput = z.input<typeof householdInput>;

/** Where a queued registration comes from: the desk's own offline queue, or a paper form entered later. */
export const registrationSources = ['desk', 'paper'] as const;

/**
 * A registration desk's queue, sent when it has signal: households registered offline, each
 * with the time the desk registered it (ages from a date of birth are taken at that time).
 */
export const householdBatchInput = z
  .object({
    households: z
      .array(
        householdInput.extend({
          registeredAt: isoDateTime.optional(),
          /** `paper`: a filled paper form entered later; its `registeredAt` (required) is the time written on the form. */
          source: z.enum(registrationSources).optional(),
        }),
      )
      .min(1, 'send at least one household')
      .max(200, 'at most 200 households per batch'),
  })
  .strict();
export type HouseholdBatchInput = z.output<typeof householdBatchInput>;

export const addMemberInput = personInput;

export const personPatch = z
  .object({
    names: personNames.optional(),
    sex: z.enum(sexes).optional(),
    dateOfBirth: isoDate.nullable().optional(),
    estimatedAge: ageInYears.nullable().optional(),
    relationship: z.enum(relationships).optional(),
    vulnerabilities: z.array(z.enum(vulnerabilities)).max(vulnerabilities.length).optional(),
    category: z.enum(categories).optional(),
    carried: carriedInput.optional(),
    consent: z.object({ tracing: z.boolean(), disclosure: z.boolean() }).strict().optional(),
    tag: z.string().max(20).nullable().optional(),
    phone: text(40).nullable().optional(),
    documentNumber: text(60).nullable().optional(),
    origin: text(120).nullable().optional(),
    notes: text(2000).nullable().optional(),
    medicalNotes: text(2000).nullable().optional(),
  })
  .strict();
export type PersonPatch = z.output<typeof personPatch>;

/** The age band a count falls in, for a birth year seen from a reference year. */
export function ageBandOf(birthYear: number | null, referenceYear: number): AgeBand {
  if (birthYear === null) return 'unknown';
  const age = referenceYear - birthYear;
  if (age < 0) return 'unknown';
  if (age <= 4) return '0-4';
  if (age <= 11) return '5-11';
  if (age <= 17) return '12-17';
  if (age <= 59) return '18-59';
  return '60+';
}

export function hasAnyName(names: z.output<typeof personNames>): boolean {
  const parts = [names.ar, names.lat];
  return parts.some((p) => !!p && !!(p.given || p.family || p.father));
}
