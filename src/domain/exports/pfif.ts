/**
 * PFIF 1.4 (People Finder Interchange Format, http://zesty.ca/pfif/1.4), the format tracing
 * services and Person Finder exchange: person records and the note records about them, every
 * field a string. This module holds the field lists in the specification's order and the mapping
 * between a person as Corridor keeps them and a PFIF person record. The XML itself is written and
 * read in src/services/exports/pfif-xml.ts; the schema the tests validate against is
 * test/support/pfif-1.4.xsd.
 *
 * Names: Corridor keeps Arabic naming (given, father's, grandfather's, family name) in Arabic
 * script and/or Latin letters; PFIF has a full name, a given and a family name and alternate
 * names. The full name is the four parts in Arabic order (Latin script when there is one), the
 * other script goes to `alternate_names`. Reading back, the given and family names are taken
 * from their own fields, and what stands between them in the full name is the father's name
 * (first word) and the grandfather's name (the rest), so the full name always comes back as it
 * was written.
 */
import type { NameParts } from '../schemas/common.js';
import type { sexes } from '../schemas/persons.js';

export const PFIF_NS = 'http://zesty.ca/pfif/1.4';

export const pfifPersonFields = [
  'person_record_id',
  'entry_date',
  'expiry_date',
  'author_name',
  'author_email',
  'author_phone',
  'source_name',
  'source_date',
  'source_url',
  'full_name',
  'given_name',
  'family_name',
  'alternate_names',
  'description',
  'sex',
  'date_of_birth',
  'age',
  'home_street',
  'home_neighborhood',
  'home_city',
  'home_state',
  'home_postal_code',
  'home_country',
  'photo_url',
  'profile_urls',
] as const;

export const pfifNoteFields = [
  'note_record_id',
  'person_record_id',
  'linked_person_record_id',
  'entry_date',
  'author_name',
  'author_email',
  'author_phone',
  'source_date',
  'author_made_contact',
  'status',
  'email_of_found_person',
  'phone_of_found_person',
  'last_known_location',
  'text',
  'photo_url',
] as const;

export const pfifNoteStatuses = ['information_sought', 'is_note_author', 'believed_alive', 'believed_missing', 'believed_dead'] as const;

export type PfifPersonField = (typeof pfifPersonFields)[number];
export type PfifNoteField = (typeof pfifNoteFields)[number];
export type PfifNote = Partial<Record<PfifNoteField, string>> & { note_record_id: string };
export type PfifPerson = Partial<Record<PfifPersonField, string>> & { person_record_id: string; full_name: string; notes: PfifNote[] };

/** A PFIF time: UTC, whole seconds, `Z`. */
export function pfifTime(at: Date | string): string {
  return `${new Date(at).toISOString().slice(0, 19)}Z`;
}

type Names = { ar?: NameParts; lat?: NameParts };
const partOrder = ['given', 'father', 'grandfather', 'family'] as const;
const ARABIC = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]/;

export function joinName(parts: NameParts | undefined): string {
  return partOrder
    .map((k) => parts?.[k]?.trim())
    .filter((s): s is string => s !== undefined && s !== '')
    .join(' ');
}

/** Name parts from a full name, with the given and family names when the record states them. */
export function splitName(full: string, hints: { given?: string; family?: string } = {}): NameParts {
  let rest = full.trim().replace(/\s+/g, ' ');
  const out: NameParts = {};
  const hinted = hints.given !== undefined || hints.family !== undefined;
  const family = hints.family?.trim();
  const given = hints.given?.trim();
  if (family && (rest === family || rest.endsWith(` ${family}`))) {
    out.family = family;
    rest = rest.slice(0, rest.length - family.length).trim();
  }
  if (given && (rest === given || rest.startsWith(`${given} `))) {
    out.given = given;
    rest = rest.slice(given.length).trim();
  }
  let words = rest === '' ? [] : rest.split(' ');
  if (!hinted && words.length >= 2) {
    out.family = words[words.length - 1]!;
    words = words.slice(0, -1);
  }
  if (out.given === undefined && words.length > 0) {
    out.given = words[0]!;
    words = words.slice(1);
  }
  if (words.length > 0) out.father = words[0]!;
  if (words.length > 1) out.grandfather = words.slice(1).join(' ');
  return out;
}

/** What of a Corridor person goes into a PFIF person record (no category, vulnerabilities, phone or document). */
export interface PfifPersonSource {
  names: Names;
  sex: (typeof sexes)[number];
  dateOfBirth: string | null;
  birthYear: number | null;
  ageEstimated: boolean;
  origin: string | null;
}

export function toPfifPerson(
  p: PfifPersonSource,
  record: { personRecordId: string; entryDate: string; sourceName: string; sourceDate: string; authorName: string },
  notes: PfifNote[],
): PfifPerson {
  const latin = joinName(p.names.lat);
  const arabic = joinName(p.names.ar);
  const primary = latin !== '' ? p.names.lat : p.names.ar;
  const out: PfifPerson = {
    person_record_id: record.personRecordId,
    entry_date: record.entryDate,
    author_name: record.authorName,
    source_name: record.sourceName,
    source_date: record.sourceDate,
    full_name: latin !== '' ? latin : arabic,
    notes,
  };
  if (primary?.given) out.given_name = primary.given;
  if (primary?.family) out.family_name = primary.family;
  if (latin !== '' && arabic !== '') out.alternate_names = arabic;
  if (p.sex !== 'unknown') out.sex = p.sex;
  if (p.dateOfBirth) out.date_of_birth = p.dateOfBirth;
  else if (p.birthYear !== null && p.ageEstimated) out.age = String(Math.max(0, Number(record.sourceDate.slice(0, 4)) - p.birthYear));
  else if (p.birthYear !== null) out.date_of_birth = String(p.birthYear);
  if (p.origin) out.home_city = p.origin;
  return out;
}

/** A PFIF person as Corridor would register (or seek) them. */
export interface PersonFromPfif {
  names: Names;
  sex: (typeof sexes)[number];
  dateOfBirth?: string;
  /** Age in years at the record's source date. */
  estimatedAge?: number;
  /** A birth year alone (date_of_birth `YYYY` or `YYYY-MM`). */
  birthYear?: number;
  origin?: string;
  description?: string;
}

export function fromPfifPerson(r: PfifPerson): PersonFromPfif {
  const primaryIsArabic = ARABIC.test(r.full_name);
  const primary = splitName(r.full_name, { given: r.given_name, family: r.family_name });
  const names: Names = primaryIsArabic ? { ar: primary } : { lat: primary };
  const alternate = r.alternate_names
    ?.split('\n')
    .map((s) => s.trim())
    .find((s) => s !== '' && ARABIC.test(s) !== primaryIsArabic);
  if (alternate) names[primaryIsArabic ? 'lat' : 'ar'] = splitName(alternate);
  const out: PersonFromPfif = { names, sex: r.sex === 'female' || r.sex === 'male' ? r.sex : 'unknown' };
  const dob = r.date_of_birth?.trim();
  if (dob && /^\d{4}-\d{2}-\d{2}$/.test(dob)) out.dateOfBirth = dob;
  else if (dob && /^\d{4}(-\d{2})?$/.test(dob)) out.birthYear = Number(dob.slice(0, 4));
  const age = /^(\d{1,3})(?:-(\d{1,3}))?$/.exec(r.age?.trim() ?? '');
  if (!out.dateOfBirth && out.birthYear === undefined && age)
    out.estimatedAge = age[2] === undefined ? Number(age[1]) : Math.floor((Number(age[1]) + Number(age[2])) / 2);
  if (r.home_city?.trim()) out.origin = r.home_city.trim();
  if (r.description?.trim()) out.description = r.description.trim();
  return out;
}
