/**
 * Which column of an imported file holds which field of a registration: the targets a column can
 * be mapped to, the mapping as it is saved per operation, and the mapping suggested from the
 * headers — in Arabic or English, as a council's list, a hospital's spreadsheet or a
 * KoboToolbox / ODK Central export writes them (group paths such as `household/member/given_name`
 * or `household-member-given_name` are read by their last part).
 */
import { z } from 'zod';
import { normaliseArabic } from '../names/arabic.js';
import { text } from '../schemas/common.js';

/** Fields of a person, then of a household. */
export const personTargets = [
  'givenName',
  'fatherName',
  'grandfatherName',
  'familyName',
  'fullName',
  'sex',
  'dateOfBirth',
  'age',
  'relationship',
  'phone',
  'documentNumber',
  'origin',
  'notes',
  'tag',
  'vulnerabilities',
  'consentTracing',
  'consentDisclosure',
] as const;
export const householdTargets = ['household', 'site', 'householdNotes'] as const;
export const importTargets = [...personTargets, ...householdTargets] as const;
export type PersonTarget = (typeof personTargets)[number];
export type ImportTarget = (typeof importTargets)[number];

/**
 * A mapping: for each target, the header of its column. `key` is the column that identifies a
 * household of the file (a Kobo `_uuid`, an ODK `KEY`, a list's serial number): importing the
 * same file again skips what it identifies. Without it a household is identified by its content.
 */
export const importMapping = z
  .object({
    columns: z.partialRecord(
      z.enum(importTargets),
      text(200).refine((s) => s.length > 0, { message: 'is required', params: { key: 'required' } }),
    ),
    key: text(200).optional(),
    /** The site given to households whose row names none (a site id of the operation). */
    defaultSite: text(64).optional(),
  })
  .strict();
export type ImportMapping = z.output<typeof importMapping>;

/** A mapping saved under a name, reusable for the next file of the same kind. */
export const savedMappingInput = z.object({ mapping: importMapping }).strict();

const synonyms: Record<ImportTarget, readonly string[]> = {
  givenName: ['given name', 'first name', 'firstname', 'forename', 'given', 'الاسم', 'اسم', 'الاسم الاول', 'الاسم الشخصي', 'name first'],
  fatherName: ['father name', 'fathers name', 'father', 'name of father', 'اسم الاب', 'الاب', 'اسم والد', 'اسم الوالد'],
  grandfatherName: ['grandfather name', 'grandfathers name', 'grandfather', 'اسم الجد', 'الجد'],
  familyName: [
    'family name',
    'surname',
    'last name',
    'lastname',
    'family',
    'الكنيه',
    'اللقب',
    'العائله',
    'اسم العائله',
    'الشهره',
    'الكنيه اللقب',
  ],
  fullName: ['full name', 'fullname', 'name', 'person name', 'الاسم الكامل', 'الاسم الثلاثي', 'الاسم الرباعي', 'الاسم والكنيه'],
  sex: ['sex', 'gender', 'm f', 'الجنس', 'النوع'],
  dateOfBirth: [
    'date of birth',
    'dob',
    'birth date',
    'birthdate',
    'birthday',
    'born',
    'تاريخ الميلاد',
    'تاريخ الولاده',
    'المواليد',
    'مواليد',
  ],
  age: ['age', 'estimated age', 'age years', 'age in years', 'العمر', 'السن', 'العمر التقريبي'],
  relationship: [
    'relationship',
    'relation',
    'relationship to head',
    'relation to head',
    'relationship to hoh',
    'صله القرابه',
    'القرابه',
    'صله القرابه برب الاسره',
    'العلاقه',
  ],
  phone: [
    'phone',
    'phone number',
    'phone no',
    'telephone',
    'tel',
    'mobile',
    'mobile number',
    'mobile no',
    'cell',
    'cell phone',
    'رقم الهاتف',
    'الهاتف',
    'الجوال',
    'رقم الجوال',
    'الموبايل',
  ],
  documentNumber: ['document number', 'id number', 'national id', 'id card', 'رقم الهويه', 'الرقم الوطني', 'رقم الوثيقه', 'رقم البطاقه'],
  origin: [
    'origin',
    'neighbourhood',
    'neighborhood',
    'district',
    'address',
    'area',
    'الحي',
    'المنطقه',
    'العنوان',
    'مكان السكن',
    'مكان الاقامه',
  ],
  notes: ['notes', 'note', 'remarks', 'comments', 'ملاحظات', 'ملاحظه'],
  tag: ['tag', 'tag code', 'tag id', 'tag number', 'wristband', 'wristband code', 'bracelet', 'رقم السوار', 'السوار'],
  vulnerabilities: ['vulnerabilities', 'vulnerability', 'special needs', 'needs', 'الاحتياجات', 'الاحتياجات الخاصه', 'الحاله'],
  consentTracing: ['consent tracing', 'consent to tracing', 'may be traced', 'tracing consent', 'الموافقه على البحث', 'موافقه البحث'],
  consentDisclosure: ['consent disclosure', 'consent to disclosure', 'may be disclosed', 'disclosure consent', 'الموافقه على الافصاح'],
  household: [
    'household',
    'household id',
    'household number',
    'household no',
    'hh id',
    'hh',
    'family number',
    'family id',
    'family no',
    'رقم العائله',
    'رقم الاسره',
    'الاسره',
    'رقم الاسره',
  ],
  site: ['site', 'site id', 'location', 'الموقع', 'نقطه التجمع', 'المركز'],
  householdNotes: ['household notes', 'household remarks', 'ملاحظات الاسره', 'ملاحظات العائله'],
};

/** Columns that identify a submission in Kobo and ODK exports: the key a re-import is recognised by. */
const keyHeaders = ['_uuid', 'key', 'meta instanceid', 'instanceid', 'record id', 'serial', 'الرقم التسلسلي'];

/** A header as compared: Arabic letters folded, case and punctuation dropped. */
export function headerKey(header: string): string {
  return normaliseArabic(header.replace(/['’`]/g, ''));
}

/** A name column's script or language written after it: `given_name_lat`, `family_name_ar`, `Surname (English)`. */
const SCRIPT_SUFFIX = /^(.+?) (?:ar|ara|arabic|lat|latin|en|eng|english|عربي|بالعربي|لاتيني|انكليزي|انجليزي)$/;

/**
 * The readings of a header: itself, then its last group path part (`a/b/given_name`, ODK's
 * `a-b-given_name`); each also with camelCase split (`givenName`), with a note in brackets left
 * out (`Sex (M/F)`, `Date of birth (YYYY-MM-DD)`) and with a script suffix left out (this app's own
 * exports write `given_name_ar` and `given_name_lat`).
 */
function readingsOf(header: string): string[] {
  const parts = [header];
  const slash = header.split('/');
  if (slash.length > 1) parts.push(slash[slash.length - 1]!);
  const dash = header.split('-');
  if (dash.length > 1 && !/\s/.test(header)) parts.push(dash[dash.length - 1]!);
  const out: string[] = [];
  for (const p of parts) {
    const camel = p.replace(/([a-z])([A-Z])/g, '$1 $2');
    const bare = camel.replace(/[([][^)\]]*[)\]]/g, ' ');
    for (const r of [p, camel, bare].map(headerKey)) {
      out.push(r);
      const script = SCRIPT_SUFFIX.exec(r);
      if (script) out.push(script[1]!);
    }
  }
  return [...new Set(out)];
}

const lookup = new Map<string, ImportTarget>();
for (const target of importTargets) for (const s of synonyms[target]) lookup.set(headerKey(s), target);
const keyLookup = new Set(keyHeaders.map(headerKey));

/** The target a header suggests, if any. */
export function targetOfHeader(header: string): ImportTarget | undefined {
  for (const r of readingsOf(header)) {
    const t = lookup.get(r);
    if (t) return t;
  }
  return undefined;
}

/** The mapping the headers suggest: the first column suggesting each target wins; a Kobo/ODK key column is the key. */
export function suggestMapping(headers: readonly string[]): ImportMapping {
  const columns: Partial<Record<ImportTarget, string>> = {};
  let key: string | undefined;
  for (const h of headers) {
    const t = targetOfHeader(h);
    if (t && columns[t] === undefined) columns[t] = h;
    if (key === undefined && readingsOf(h).some((r) => keyLookup.has(r))) key = h;
  }
  return { columns, ...(key ? { key } : {}) };
}

/** The problems of a mapping against the headers of a file: columns it names that the file lacks. */
export function mappingProblems(mapping: ImportMapping, headers: readonly string[]): { path: string; message: string }[] {
  const present = new Set(headers);
  const out: { path: string; message: string }[] = [];
  for (const [target, column] of Object.entries(mapping.columns))
    if (column !== undefined && !present.has(column))
      out.push({ path: `columns.${target}`, message: `the file has no column "${column}"` });
  if (mapping.key !== undefined && !present.has(mapping.key)) out.push({ path: 'key', message: `the file has no column "${mapping.key}"` });
  return out;
}

/** A mapping that can register someone maps at least one name column. */
export function mapsAName(mapping: ImportMapping): boolean {
  const c = mapping.columns;
  return !!(c.givenName ?? c.familyName ?? c.fullName ?? c.fatherName);
}
