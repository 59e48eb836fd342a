/**
 * Building blocks shared by the input schemas: trimmed bounded text, Arabic/Latin name parts,
 * dates. One schema library (zod) serves the API, the OpenAPI document and the web forms.
 */
import { z } from 'zod';

/** Trimmed text with a length cap; control characters refused. */
export function text(max: number) {
  return (
    z
      .string()
      .max(max * 4, `at most ${max} characters`)
      .transform((s) => s.normalize('NFC').trim())
      .refine((s) => s.length <= max, `at most ${max} characters`)
      // eslint-disable-next-line no-control-regex
      .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'contains control characters')
  );
}

export function requiredText(max: number) {
  return text(max).refine((s) => s.length > 0, 'is required');
}

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'is not a real date',
  );

export const isoDateTime = z.iso.datetime({ offset: true, message: 'must be a date and time in ISO 8601 with a time zone' });

export const slugId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use 1–63 lowercase letters, digits and dashes');

/** Any client-made id of an entity: ULID, UUID or a short slug. */
export const entityId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1–64 letters, digits, dashes or underscores');

export const nameParts = z
  .object({
    given: text(80).optional(),
    father: text(80).optional(),
    grandfather: text(80).optional(),
    family: text(80).optional(),
  })
  .strict();
export type NameParts = z.infer<typeof nameParts>;
