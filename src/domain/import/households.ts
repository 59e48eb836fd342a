/**
 * The households of an imported file as registrations: each row read through the mapping into
 * the same input a registration desk sends (`householdInput`), checked by the same schema. What
 * cannot be read is an issue naming the table, the line, the column and a catalogue code; a
 * household with an issue is not registered (the rest of the file still is, unless the import is
 * all or nothing). Also the identity of each household, so importing the file again skips it.
 */
import { canonicalJson } from '../canonical-json.js';
import type { ErrorCode } from '../errors.js';
import { hasArabicScript } from '../names/arabic.js';
import { householdInput, type PersonData } from '../schemas/persons.js';
import type { ImportMapping, ImportTarget, PersonTarget } from './mapping.js';
import type { SourceHousehold, SourceRow } from './tables.js';
import { readAge, readDate, readRelationship, readSex, readVulnerabilities, readYesNo } from './values.js';

export interface ImportIssue {
  table: string;
  line: number;
  /** The file's column, when the issue is one cell's. */
  column: string | null;
  code: ErrorCode;
  message: string;
}

export interface ReadHousehold {
  /** What identifies it across imports: the key column's value, or its mapped content. */
  identity: string;
  siteId: string;
  notes?: string;
  members: PersonData[];
  /** The row of each member, for the issues found when it is registered (tags). */
  rows: SourceRow[];
}

export interface ReadContext {
  mapping: ImportMapping;
  /** The site id a cell names (an id, or a name in either language), if any. */
  siteOf: (cell: string) => string | undefined;
  /** The year ages and "year of birth" cells are counted from. */
  referenceYear: number;
}

const nameFields: Partial<Record<PersonTarget, 'given' | 'father' | 'grandfather' | 'family'>> = {
  givenName: 'given',
  fatherName: 'father',
  grandfatherName: 'grandfather',
  familyName: 'family',
};

/** "given father [grandfather] family", as Arabic naming orders a full name. */
function splitFullName(full: string): Partial<Record<'given' | 'father' | 'grandfather' | 'family', string>> {
  const w = full.split(/\s+/).filter(Boolean);
  if (w.length === 0) return {};
  if (w.length === 1) return { given: w[0]! };
  if (w.length === 2) return { given: w[0]!, family: w[1]! };
  if (w.length === 3) return { given: w[0]!, father: w[1]!, family: w[2]! };
  return { given: w[0]!, father: w[1]!, grandfather: w[2]!, family: w.slice(3).join(' ') };
}

/** Which mapped target a path of `personInput` comes from, to name the column of a schema issue. */
function targetOfPath(path: readonly PropertyKey[]): ImportTarget | undefined {
  const [first, , part] = path.map(String);
  if (first === 'names')
    return part === 'father' ? 'fatherName' : part === 'grandfather' ? 'grandfatherName' : part === 'family' ? 'familyName' : 'givenName';
  if (first === 'estimatedAge') return 'age';
  if (first === 'consent') return 'consentTracing';
  return first as ImportTarget | undefined;
}

function readPerson(row: SourceRow, parent: SourceRow | undefined, index: number, ctx: ReadContext, issues: ImportIssue[]) {
  const columns = ctx.mapping.columns;
  const cell = (t: ImportTarget): string => {
    const c = columns[t];
    if (!c) return '';
    return (row.values.get(c) ?? parent?.values.get(c) ?? '').trim();
  };
  const bad = (t: ImportTarget, code: ErrorCode, message: string) =>
    issues.push({ table: row.table, line: row.line, column: columns[t] ?? null, code, message });
  const before = issues.length;

  const names: { ar: Record<string, string>; lat: Record<string, string> } = { ar: {}, lat: {} };
  const parts: [string, string][] = Object.entries(splitFullName(cell('fullName')));
  for (const [target, part] of Object.entries(nameFields))
    if (cell(target as PersonTarget)) parts.push([part, cell(target as PersonTarget)]);
  for (const [part, value] of parts) names[hasArabicScript(value) ? 'ar' : 'lat'][part] = value;

  const person: Record<string, unknown> = {
    names: {
      ...(Object.keys(names.ar).length ? { ar: names.ar } : {}),
      ...(Object.keys(names.lat).length ? { lat: names.lat } : {}),
    },
  };
  const sex = readSex(cell('sex'));
  if (sex) person.sex = sex;
  else bad('sex', 'import.value_invalid', `"${cell('sex')}" is not a sex (male, female, ذكر, أنثى …)`);
  const dob = cell('dateOfBirth');
  if (dob) {
    const d = readDate(dob);
    if (!d) bad('dateOfBirth', 'import.value_invalid', `"${dob}" is not a date (YYYY-MM-DD or DD/MM/YYYY)`);
    else if ('date' in d) person.dateOfBirth = d.date;
    else if (d.year <= ctx.referenceYear && ctx.referenceYear - d.year <= 120) person.estimatedAge = ctx.referenceYear - d.year;
    else bad('dateOfBirth', 'import.value_invalid', `${d.year} is not a year of birth`);
  }
  const age = cell('age');
  if (age && person.dateOfBirth === undefined && person.estimatedAge === undefined) {
    const a = readAge(age);
    if (a === undefined) bad('age', 'import.value_invalid', `"${age}" is not an age in years (0–120)`);
    else person.estimatedAge = a;
  }
  const rel = cell('relationship');
  if (rel) {
    const r = readRelationship(rel);
    if (r) person.relationship = r;
    else bad('relationship', 'import.value_invalid', `"${rel}" is not a relationship (head, spouse, child …)`);
  } else person.relationship = index === 0 ? 'head' : 'other_relative';
  const vul = cell('vulnerabilities');
  if (vul) {
    const v = readVulnerabilities(vul);
    if (v.unread.length) bad('vulnerabilities', 'import.value_invalid', `not a vulnerability: ${v.unread.join(', ')}`);
    person.vulnerabilities = v.values;
  }
  const consent = { tracing: false, disclosure: false };
  for (const [t, k] of [
    ['consentTracing', 'tracing'],
    ['consentDisclosure', 'disclosure'],
  ] as const) {
    const v = cell(t);
    if (!v) continue;
    const yn = readYesNo(v);
    if (yn === undefined) bad(t, 'import.value_invalid', `"${v}" is not yes or no`);
    else consent[k] = yn;
  }
  person.consent = consent;
  for (const t of ['phone', 'documentNumber', 'origin', 'notes', 'tag'] as const) if (cell(t)) person[t] = cell(t);

  if (parts.length === 0 || !parts.some(([p]) => p === 'given' || p === 'family' || p === 'father')) {
    issues.push({
      table: row.table,
      line: row.line,
      column: columns.givenName ?? columns.fullName ?? columns.familyName ?? null,
      code: 'person.name_required',
      message: 'no given or family name in this row',
    });
  }
  return issues.length === before ? person : undefined;
}

/** Reads one household; undefined when it has an issue (added to `issues`). */
export function readHousehold(source: SourceHousehold, ctx: ReadContext, issues: ImportIssue[]): ReadHousehold | undefined {
  const { mapping } = ctx;
  const first = source.parent ?? source.members[0];
  if (!first) return undefined;
  const at = (column: string | null, code: ErrorCode, message: string) =>
    issues.push({ table: first.table, line: first.line, column, code, message });
  const householdCell = (t: ImportTarget) => {
    const c = mapping.columns[t];
    return c ? (first.values.get(c) ?? source.members[0]?.values.get(c) ?? '').trim() : '';
  };
  const before = issues.length;
  if (source.members.length === 0) {
    at(null, 'import.household_empty', 'this submission has no member rows');
    return undefined;
  }
  const siteCell = householdCell('site');
  const siteId = siteCell ? ctx.siteOf(siteCell) : mapping.defaultSite;
  if (siteId === undefined)
    at(
      mapping.columns.site ?? null,
      'site.not_found',
      siteCell ? `"${siteCell}" is not a site of this operation` : 'no site: map a site column or choose a default site',
    );
  const members = source.members.map((r, i) => readPerson(r, source.parent, i, ctx, issues));
  const notes = householdCell('householdNotes');
  const input = { siteId: siteId ?? 'unknown', ...(notes ? { notes } : {}), members };
  if (issues.length === before) {
    const parsed = householdInput.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const [, m] = issue.path;
        const row = typeof m === 'number' ? source.members[m] : undefined;
        const target = row ? targetOfPath(issue.path.slice(2)) : issue.path[0] === 'notes' ? 'householdNotes' : 'household';
        issues.push({
          table: (row ?? first).table,
          line: (row ?? first).line,
          column: target ? (mapping.columns[target] ?? null) : null,
          code: 'import.value_invalid',
          message: issue.message,
        });
      }
      return undefined;
    }
    return {
      identity: identityOf(source, mapping),
      siteId: parsed.data.siteId,
      ...(parsed.data.notes ? { notes: parsed.data.notes } : {}),
      members: parsed.data.members,
      rows: source.members,
    };
  }
  return undefined;
}

/**
 * The key column's value (from the submission, or the household's first row), or else the
 * household's mapped cells: the same rows imported twice have the same identity.
 */
export function identityOf(source: SourceHousehold, mapping: ImportMapping): string {
  const first = source.parent ?? source.members[0]!;
  if (mapping.key) {
    const v = (first.values.get(mapping.key) ?? '').trim();
    if (v !== '') return `key:${mapping.key}=${v}`;
  }
  const mapped = [...new Set(Object.values(mapping.columns))].sort() as string[];
  const cells = (r: SourceRow | undefined) => (r ? mapped.map((c) => (r.values.get(c) ?? '').trim()) : null);
  return `content:${canonicalJson({ parent: cells(source.parent), members: source.members.map(cells) })}`;
}
