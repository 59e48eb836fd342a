/**
 * Inputs of the tracing desk and the duplicate review: a tracing request records who asks
 * and whatever is known of the person sought — often only a given name, a father's name and
 * an age range.
 */
import { z } from 'zod';
import { ageInYears, entityId, isoDate, requiredText, text } from './common.js';
import { personNames, sexes } from './persons.js';

/**
 * `found` proposes a person and leaves the case in `found_pending`: nothing is disclosed until
 * `confirm_found` (naming the same person) makes it `found` or `found_no_contact` by the person's
 * consent; `not_the_person` sends it back to `open`.
 */
export const tracingOutcomes = ['found', 'confirm_found', 'not_the_person', 'reunited', 'not_found', 'consent_refused', 'closed'] as const;
export const tracingStatuses = [
  'open',
  'found_pending',
  'found',
  'found_no_contact',
  'reunited',
  'not_found',
  'consent_refused',
  'closed',
] as const;

export const tracingRequestInput = z
  .object({
    enquirer: z
      .object({
        name: requiredText(200),
        /** The enquirer when they are registered in the operation (picked by tag or name at the desk). */
        personId: entityId.optional(),
        phone: text(40).optional(),
        contactNotes: text(1000).optional(),
        siteId: entityId.optional(),
      })
      .strict(),
    relation: z.enum(['parent', 'child', 'spouse', 'sibling', 'grandparent', 'grandchild', 'other_relative', 'friend', 'other']),
    sought: z
      .object({
        names: personNames,
        sex: z.enum(sexes).optional(),
        ageMin: ageInYears.optional(),
        ageMax: ageInYears.optional(),
        lastSeenPlace: text(200).optional(),
        lastSeenOn: isoDate.optional(),
        notes: text(2000).optional(),
      })
      .strict()
      .refine((s) => s.ageMin === undefined || s.ageMax === undefined || s.ageMin <= s.ageMax, {
        message: 'ageMin must not be above ageMax',
        path: ['ageMax'],
        params: { key: 'age_range_order' },
      }),
  })
  .strict();
export type TracingRequestInput = z.output<typeof tracingRequestInput>;

export const tracingOutcomeInput = z
  .object({
    outcome: z.enum(tracingOutcomes),
    personId: entityId.optional(),
    note: text(2000).optional(),
  })
  .strict()
  .refine((o) => (o.outcome !== 'found' && o.outcome !== 'confirm_found') || o.personId !== undefined, {
    message: 'say who was found',
    path: ['personId'],
    params: { key: 'person_found_required' },
  });

export const draftCandidatesInput = z
  .object({
    names: personNames,
    sex: z.enum(sexes).optional(),
    dateOfBirth: isoDate.optional(),
    estimatedAge: ageInYears.optional(),
  })
  .strict();

export const mergeInput = z.object({ keep: entityId }).strict();
