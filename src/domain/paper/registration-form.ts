/**
 * The blank paper registration form, derived from the registration contract so it cannot drift
 * from the desk: each field of a member (`personInput`) and of a household (`householdInput`) is
 * either on the paper — with its choices read from the schema's own lists — or named here as
 * left off, with the reason. A field added to the contract and placed nowhere fails the domain
 * test (test/domain/paper-form.test.ts), so the paper and the desk keep the same fields.
 */
import { z } from 'zod';
import { householdInput, personInput } from '../schemas/persons.js';

/** How a field is filled in on paper. */
export type PaperField =
  | { key: string; kind: 'names'; scripts: readonly ['ar', 'lat']; parts: string[] }
  | { key: string; kind: 'choice'; options: string[]; many: boolean }
  | { key: string; kind: 'yes_no'; items: string[] }
  | { key: string; kind: 'write'; boxes: number }
  | { key: string; kind: 'tag'; boxes: number };

/** Member fields the desk does not take on paper, each with its reason. */
export const memberFieldsLeftOff: Record<string, string> = {
  id: 'made by the device when the form is entered',
  category: 'restricted: never written on a form that travels',
  phone: 'not asked at the desk',
  documentNumber: 'not asked at the desk',
  origin: 'not asked at the desk',
  notes: 'free text about a person stays off paper that travels',
  medicalNotes: 'restricted: taken by reception, not at the desk',
};

/** Household fields not on the form (the site is the desk's own; an id is made when entered). */
export const householdFieldsLeftOff: Record<string, string> = {
  id: 'made by the device when the form is entered',
  members: 'the member rows of the form',
  siteId: 'the desk that enters the form chooses its site',
};

/** Write-in boxes for the fields written as characters. */
const boxes: Record<string, number> = { estimatedAge: 3, dateOfBirth: 10 };
/** A tag is written XXX-XXXX: seven boxes. */
const TAG_BOXES = 7;

/** The schema inside optional / default / nullable wrappers. */
function inner(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    else return s;
  }
}

function paperField(key: string, schema: z.ZodType): PaperField {
  const s = inner(schema);
  if (key === 'tag') return { key, kind: 'tag', boxes: TAG_BOXES };
  if (key === 'names' && s instanceof z.ZodObject) {
    const firstScript = inner((s.shape as Record<string, z.ZodType>).ar!);
    const parts = firstScript instanceof z.ZodObject ? Object.keys(firstScript.shape) : [];
    return { key, kind: 'names', scripts: ['ar', 'lat'], parts };
  }
  if (s instanceof z.ZodEnum) return { key, kind: 'choice', options: s.options.map(String), many: false };
  if (s instanceof z.ZodArray) {
    const el = inner(s.element as z.ZodType);
    if (el instanceof z.ZodEnum) return { key, kind: 'choice', options: el.options.map(String), many: true };
  }
  if (s instanceof z.ZodObject) {
    const items = Object.entries(s.shape as Record<string, z.ZodType>);
    if (items.every(([, v]) => inner(v) instanceof z.ZodBoolean)) return { key, kind: 'yes_no', items: items.map(([k]) => k) };
  }
  return { key, kind: 'write', boxes: boxes[key] ?? 12 };
}

/** The member fields of the paper form, in the contract's order. */
export function memberPaperFields(): PaperField[] {
  return Object.entries(personInput.shape as Record<string, z.ZodType>)
    .filter(([key]) => !(key in memberFieldsLeftOff))
    .map(([key, schema]) => paperField(key, schema));
}

/** The household fields of the paper form (its notes). */
export function householdPaperFields(): PaperField[] {
  return Object.entries(householdInput.shape as Record<string, z.ZodType>)
    .filter(([key]) => !(key in householdFieldsLeftOff))
    .map(([key, schema]) => paperField(key, schema));
}

/** Member rows on one form: a household of up to this many fits a sheet; a larger one takes two. */
export const PAPER_MEMBER_ROWS = 6;
