/**
 * PFIF 1.4 documents as XML: written with the `pfif:` prefix and the fields in the
 * specification's order (as Person Finder writes them, and as the schema the tests validate
 * against requires), notes nested in their person; read from any PFIF 1.4 document, nested or
 * top-level notes, prefixed or default namespace.
 *
 * Reading refuses any DOCTYPE or entity declaration before the parser sees the text: PFIF needs
 * none, and they are how entity-expansion bombs ("billion laughs") and external entities (local
 * files, URLs) get in. The parser then only knows the five predefined entities and character
 * references.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError, type FieldIssue } from '../../domain/errors.js';
import { PFIF_NS, pfifNoteFields, pfifNoteStatuses, pfifPersonFields, type PfifNote, type PfifPerson } from '../../domain/exports/pfif.js';

/** Characters XML 1.0 cannot carry at all (even escaped): dropped. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const clean = (s: string) => s.replace(NOT_XML, '');

function fieldsOf<F extends string>(record: Partial<Record<F, string>>, order: readonly F[]) {
  const out: Record<string, string> = {};
  for (const f of order) {
    const v = record[f];
    if (v !== undefined && v !== '') out[`pfif:${f}`] = clean(v);
  }
  return out;
}

export function writePfif(persons: readonly PfifPerson[]): Buffer {
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ' });
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    'pfif:pfif': {
      '@_xmlns:pfif': PFIF_NS,
      'pfif:person': persons.map((p) => ({
        ...fieldsOf(p, pfifPersonFields),
        ...(p.notes.length > 0 ? { 'pfif:note': p.notes.map((n) => fieldsOf(n, pfifNoteFields)) } : {}),
      })),
    },
  };
  return Buffer.from(builder.build(doc) as string, 'utf8');
}

export interface PfifDocument {
  persons: PfifPerson[];
  /** Notes outside any person (top-level), each naming its person by `person_record_id`. */
  notes: PfifNote[];
}

/** Most bytes one import reads. */
export const PFIF_MAX_BYTES = 50 * 1024 * 1024;

const DECLARATION = /<!\s*(DOCTYPE|ENTITY)/i;

type Node = Record<string, unknown>;
const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const textOf = (v: unknown): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') {
    const t = (v as Node)['#text'];
    return t === undefined ? '' : String(t);
  }
  return String(v);
};

/** Element names under the document's PFIF prefix (`pfif:` as Person Finder writes, or none with a default namespace). */
type Qualify = (local: string) => string;

function recordOf<F extends string>(node: Node, fields: readonly F[], q: Qualify): Partial<Record<F, string>> {
  const out: Partial<Record<F, string>> = {};
  for (const f of fields) {
    const v = textOf(node[q(f)]);
    if (v !== undefined && v.trim() !== '') out[f] = v.trim();
  }
  return out;
}

function noteOf(node: Node, path: string, issues: FieldIssue[], q: Qualify, personRecordId?: string): PfifNote {
  const n = recordOf(node, pfifNoteFields, q);
  if (personRecordId && !n.person_record_id) n.person_record_id = personRecordId;
  for (const f of ['note_record_id', 'author_name', 'source_date', 'text'] as const)
    if (!n[f]) issues.push({ path: `${path}.${f}`, message: 'is required' });
  if (!n.person_record_id) issues.push({ path: `${path}.person_record_id`, message: 'is required for a note outside its person' });
  if (n.status && !(pfifNoteStatuses as readonly string[]).includes(n.status))
    issues.push({ path: `${path}.status`, message: `must be one of ${pfifNoteStatuses.join(', ')}` });
  return n as PfifNote;
}

/** Reads a PFIF 1.4 document; refuses what is not one, naming each bad record and field. */
export function readPfif(bytes: Buffer | string): PfifDocument {
  if (bytes.length > PFIF_MAX_BYTES) throw new AppError('pfif.too_large', undefined, { limitBytes: PFIF_MAX_BYTES });
  const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8');
  if (DECLARATION.test(text)) throw new AppError('pfif.entities_refused');
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    throw new AppError('pfif.malformed', `Not well-formed XML: ${valid.err.msg}`, { line: valid.err.line, column: valid.err.col });
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => /(^|:)(person|note)$/.test(name),
  });
  const parsed = parser.parse(text) as Node;
  const rootName = Object.keys(parsed).find((k) => /^([A-Za-z_][\w.-]*:)?pfif$/.test(k));
  const prefix = rootName?.includes(':') ? rootName.slice(0, rootName.indexOf(':')) : '';
  const root = rootName ? (parsed[rootName] as Node) : undefined;
  if (!root || typeof root !== 'object' || root[prefix ? `@_xmlns:${prefix}` : '@_xmlns'] !== PFIF_NS)
    throw new AppError('pfif.malformed', `The root element is not <pfif> in the PFIF 1.4 namespace (${PFIF_NS}).`);
  const q: Qualify = (local) => (prefix ? `${prefix}:${local}` : local);
  const issues: FieldIssue[] = [];
  const persons = asArray(root[q('person')]).map((raw, i) => {
    const node = raw as Node;
    const p = recordOf(node, pfifPersonFields, q);
    for (const f of ['person_record_id', 'full_name'] as const)
      if (!p[f]) issues.push({ path: `persons.${i}.${f}`, message: 'is required' });
    if (p.sex && !['female', 'male', 'other'].includes(p.sex))
      issues.push({ path: `persons.${i}.sex`, message: 'must be female, male or other' });
    const notes = asArray(node[q('note')]).map((n, j) => noteOf(n as Node, `persons.${i}.notes.${j}`, issues, q, p.person_record_id));
    return { ...p, notes } as PfifPerson;
  });
  const notes = asArray(root[q('note')]).map((n, j) => noteOf(n as Node, `notes.${j}`, issues, q));
  if (issues.length > 0)
    throw new AppError('pfif.invalid_record', `${issues[0]!.path}: ${issues[0]!.message}`, { fields: issues.slice(0, 100) });
  return { persons, notes };
}
