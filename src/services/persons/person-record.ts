/**
 * A person's record as the API shows it: the sealed identifiers opened with the operation's key,
 * restricted fields (category, medical notes) only for the roles allowed to read them. Shared by
 * every use case that shows a person (registration, duplicate review, tracing), below all of them.
 */
import { openJson, type OperationKeys } from '../../crypto/envelope.js';
import type * as personsDb from '../../db/queries/persons.js';
import type { PersonData } from '../../domain/schemas/persons.js';
import { formatTag } from '../../domain/tags.js';
import { can, type Ctx } from '../context.js';
import { carriedOf, openProtected } from './protected-fields.js';

/** What is sealed in `persons.pii`. */
export interface PersonPii {
  names: PersonData['names'];
  dateOfBirth?: string;
  phone?: string;
  documentNumber?: string;
  origin?: string;
  notes?: string;
}

export const piiAad = (id: string) => `person:${id}:pii`;
export const medicalAad = (id: string) => `person:${id}:medical`;

export function presentPerson(ctx: Ctx, keys: OperationKeys, row: personsDb.PersonRow) {
  const pii = openJson<PersonPii>(keys, row.pii, piiAad(row.id));
  const fields = openProtected(keys, row);
  const out: Record<string, unknown> = {
    id: row.id,
    householdId: row.household_id,
    relationship: row.relationship,
    names: pii.names,
    sex: row.sex,
    dateOfBirth: pii.dateOfBirth ?? null,
    birthYear: row.birth_year,
    ageEstimated: row.age_estimated,
    ageBand: row.age_band,
    vulnerabilities: fields.vulnerabilities,
    carried: carriedOf(fields),
    consent: { tracing: row.consent_tracing, disclosure: row.consent_disclosure },
    tag: row.tag_code ? formatTag(row.tag_code) : null,
    siteId: row.site_id,
    phone: pii.phone ?? null,
    documentNumber: pii.documentNumber ?? null,
    origin: pii.origin ?? null,
    notes: pii.notes ?? null,
    registeredAt: new Date(row.registered_at).toISOString(),
    version: row.version,
    mergedInto: row.merged_into ?? null,
  };
  if (can(ctx, 'person.category')) out.category = fields.category;
  if (can(ctx, 'person.medical'))
    out.medicalNotes = row.medical ? openJson<{ notes: string }>(keys, row.medical, medicalAad(row.id)).notes : null;
  return out;
}
