/**
 * Importing a PFIF 1.4 document (as Person Finder writes it, or as Corridor exports it): each
 * person record becomes a registration (the same use case as a desk registration: sealed names,
 * keyed hashes, counts, audit, possible duplicates to review) or a tracing request for someone
 * sought, as the caller maps it. Its notes come along. The record itself is kept (sealed, in
 * pfif_records) so that the person leaves again as the same PFIF record, and so that importing
 * the same document again creates nothing. A record Corridor made for a person of this very
 * operation (`corridor.local/<id>`) is that person already and is skipped.
 *
 * All or nothing: every record is checked first (field paths `persons.N.…`), then written in
 * the caller's transaction.
 */
import { sealJson } from '../../crypto/envelope.js';
import * as exportsDb from '../../db/queries/exports.js';
import * as personsDb from '../../db/queries/persons.js';
import { AppError, type FieldIssue } from '../../domain/errors.js';
import { fromPfifPerson, type PfifNote, type PfifPerson } from '../../domain/exports/pfif.js';
import { personInput } from '../../domain/schemas/persons.js';
import { tracingRequestInput } from '../../domain/schemas/tracing.js';
import { audit, can, forbidden, requireOperation, type Ctx } from '../context.js';
import { registerHouseholds, type QueuedHousehold } from '../persons/persons.js';
import { createTracingRequest } from '../tracing/tracing.js';
import { PFIF_DOMAIN, pfifAad, type StoredPfifPerson } from './pfif-export.js';
import { readPfif } from './pfif-xml.js';

export interface PfifImportOptions {
  /** What each person record becomes. */
  into: 'registrations' | 'tracing_requests';
  /** Where registrations are registered (required for registrations). */
  siteId?: string;
}

export interface PfifImportResult {
  persons: number;
  notes: number;
  created: number;
  /** Records imported before (or Corridor's own records of this operation): nothing created. */
  skipped: number;
  /** Possible duplicates of people already registered, sent to the review queue. */
  duplicateWarnings: number;
}

const issuesOf = (prefix: string, error: { issues: { path: PropertyKey[]; message: string }[] }): FieldIssue[] =>
  error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].join('.'), message: i.message }));

/** The time of a record: its source date when it is a valid time not in the future, else now. */
function sourceTime(p: PfifPerson, now: Date): Date {
  const t = Date.parse(p.source_date ?? '');
  return Number.isNaN(t) || t > now.getTime() ? now : new Date(t);
}

export async function importPfif(ctx: Ctx, document: Buffer | string, opts: PfifImportOptions): Promise<PfifImportResult> {
  const operationId = requireOperation(ctx);
  if (!can(ctx, opts.into === 'registrations' ? 'person.register' : 'tracing.manage'))
    throw forbidden(`Your role may not create ${opts.into === 'registrations' ? 'registrations' : 'tracing requests'}.`);
  if (opts.into === 'registrations' && !opts.siteId)
    throw new AppError('request.invalid', 'Registrations need a site.', { fields: [{ path: 'siteId', message: 'is required' }] });
  const doc = readPfif(document);
  // Top-level notes join the person they name, when that person is in the document.
  const byRecord = new Map(doc.persons.map((p) => [p.person_record_id, p]));
  if (byRecord.size !== doc.persons.length)
    throw new AppError('pfif.invalid_record', 'A person record appears twice in the document.', {
      fields: [{ path: 'persons', message: 'two person records have the same person_record_id' }],
    });
  for (const n of doc.notes) byRecord.get(n.person_record_id!)?.notes.push(n);
  const known = new Set((await exportsDb.findPfifRecords(ctx.db, operationId, [...byRecord.keys()])).map((r) => r.record_id));
  const ownIds = doc.persons.flatMap((p) =>
    p.person_record_id.startsWith(`${PFIF_DOMAIN}/`) ? [p.person_record_id.slice(PFIF_DOMAIN.length + 1)] : [],
  );
  for (const r of await personsDb.findPersonsByIds(ctx.db, operationId, ownIds)) known.add(`${PFIF_DOMAIN}/${r.id}`);
  const fresh = doc.persons.map((p, i) => ({ p, i })).filter(({ p }) => !known.has(p.person_record_id));

  // Everything checked before anything is written.
  const issues: FieldIssue[] = [];
  const planned = fresh.map(({ p, i }) => {
    const at = sourceTime(p, ctx.now);
    const person = fromPfifPerson(p);
    const age = person.estimatedAge ?? (person.birthYear !== undefined ? Math.max(0, at.getUTCFullYear() - person.birthYear) : undefined);
    if (opts.into === 'registrations') {
      const member = personInput.safeParse({
        names: person.names,
        sex: person.sex,
        ...(person.dateOfBirth ? { dateOfBirth: person.dateOfBirth } : age !== undefined ? { estimatedAge: Math.min(age, 120) } : {}),
        relationship: 'head',
        // A record published to a tracing service is there to be traced; disclosure is asked for again.
        consent: { tracing: true, disclosure: false },
        ...(person.origin ? { origin: person.origin } : {}),
        ...(person.description ? { notes: person.description } : {}),
      });
      if (!member.success) issues.push(...issuesOf(`persons.${i}`, member.error));
      return { p, at, member: member.success ? member.data : undefined };
    }
    const lastSeen = [...p.notes].reverse().find((n) => n.last_known_location)?.last_known_location;
    const request = tracingRequestInput.safeParse({
      enquirer: { name: p.author_name ?? p.source_name ?? 'PFIF import', ...(p.author_phone ? { phone: p.author_phone } : {}) },
      relation: 'other',
      sought: {
        names: person.names,
        ...(person.sex !== 'unknown' ? { sex: person.sex } : {}),
        ...(age !== undefined ? { ageMin: Math.min(age, 120), ageMax: Math.min(age, 120) } : {}),
        ...(lastSeen ? { lastSeenPlace: lastSeen } : {}),
        ...(person.description ? { notes: person.description } : {}),
      },
    });
    if (!request.success) issues.push(...issuesOf(`persons.${i}`, request.error));
    return { p, at, request: request.success ? request.data : undefined };
  });
  if (issues.length > 0)
    throw new AppError('pfif.invalid_record', `${issues[0]!.path}: ${issues[0]!.message}`, { fields: issues.slice(0, 100) });

  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const subjects: string[] = [];
  let duplicateWarnings = 0;
  if (opts.into === 'registrations') {
    const households: QueuedHousehold[] = planned.map(({ member, at }) => ({ siteId: opts.siteId!, members: [member!], registeredAt: at }));
    const r = await registerHouseholds(ctx, households);
    subjects.push(...r.households.map((h) => h.members[0]!));
    duplicateWarnings = r.duplicateWarnings?.length ?? 0;
  } else {
    for (const { request } of planned) subjects.push((await createTracingRequest(ctx, request!)).id);
  }
  await exportsDb.insertPfifRecords(
    ctx.db,
    planned.map(({ p }, k) => {
      const stored: StoredPfifPerson = { ...p, notes: p.notes.map((n: PfifNote) => ({ ...n })) };
      return {
        operationId,
        recordId: p.person_record_id,
        subjectKind: opts.into === 'registrations' ? ('person' as const) : ('tracing_request' as const),
        subjectId: subjects[k]!,
        sealed: sealJson(keys, stored, pfifAad(p.person_record_id)),
        at: ctx.now,
        by: ctx.actor.id,
      };
    }),
  );
  const result: PfifImportResult = {
    persons: doc.persons.length,
    notes: doc.persons.reduce((n, p) => n + p.notes.length, 0),
    created: planned.length,
    skipped: doc.persons.length - planned.length,
    duplicateWarnings,
  };
  await audit(ctx, {
    action: 'pfif.import',
    subjectKind: opts.into === 'registrations' ? 'person' : 'tracing_request',
    details: { ...result, into: opts.into },
  });
  return result;
}
