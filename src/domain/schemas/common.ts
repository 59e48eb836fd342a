/**
 * Building blocks shared by the input schemas: trimmed bounded text, Arabic/Latin name parts,
 * dates. One schema library (zod) serves the API, the OpenAPI document and the web forms.
 */
import { z } from 'zod';
import { ENTITY_ID_PATTERN, SLUG_ID_PATTERN } from '../id-patterns.js';
import { normaliseText, textProblem } from '../safe-text.js';

/**
 * The one text schema for every free-text field: NFC, invisible zero-width characters removed,
 * trimmed, length-capped; control characters (but tab and line breaks), bidi overrides and
 * unpaired surrogates refused. What exactly: src/domain/safe-text.ts and docs/security.md.
 */
export function text(max: number) {
  return z
    .string()
    .max(max * 4, `at most ${max} characters`)
    .superRefine((s, ctx) => {
      const problem = textProblem(s, { multiLine: true });
      if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { key: 'text_characters' } });
    })
    .transform(normaliseText)
    .refine((s) => s.length <= max, { message: `at most ${max} characters`, params: { key: 'text_max', maximum: max } });
}

/** An id in a path: 1–64 characters, none refused by the text rules (no NUL, no control characters). */
export const pathId = z
  .string()
  .min(1, 'is required')
  .max(64)
  .refine((s) => textProblem(s) === undefined, { message: 'contains characters never used in ids', params: { key: 'id_format' } });

export function requiredText(max: number) {
  return text(max).refine((s) => s.length > 0, { message: 'is required', params: { key: 'required' } });
}

/** A whole number within bounds, refused in one plain sentence naming them (never zod's "Too big: expected number to be <=120"). */
export function wholeNumber(min: number, max: number, what: string) {
  const sentence = `Give ${what} as a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}.`;
  // Left out, it is asked for (zod's own missing-value issue, keyed `required`), not said to be a wrong number.
  return z
    .number({ error: (issue) => (issue.input === undefined ? undefined : sentence) })
    .int(sentence)
    .min(min, sentence)
    .max(max, sentence);
}

/** An age in years, as people give it (estimated or from a date of birth). */
export const ageInYears = wholeNumber(0, 120, 'the age in years');

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    message: 'is not a real date',
    params: { key: 'not_a_real_date' },
  });

export const isoDateTime = z.iso.datetime({ offset: true, message: 'must be a date and time in ISO 8601 with a time zone' });

export const slugId = z.string().regex(SLUG_ID_PATTERN, 'use 1–63 lowercase letters, digits and dashes');

/** Any client-made id of an entity: ULID, UUID or a short slug. */
export const entityId = z.string().regex(ENTITY_ID_PATTERN, 'must be 1–64 letters, digits, dashes or underscores');

export const nameParts = z
  .object({
    given: text(80).optional(),
    father: text(80).optional(),
    grandfather: text(80).optional(),
    family: text(80).optional(),
  })
  .strict();
export type NameParts = z.infer<typeof nameParts>;
