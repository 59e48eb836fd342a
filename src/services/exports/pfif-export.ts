/**
 * The people of an operation as PFIF 1.4 person records, with status notes: "arrived" (believed
 * alive, from their latest check-in) and "found" (a tracing request found them). Only people who
 * consented to tracing leave; the site they arrived at is named only for those who also consented
 * to disclosure. Nothing restricted (category, vulnerabilities, medical, phone, document number)
 * is written. A person who came in from a PFIF document leaves again as the same record (its
 * person_record_id, source and author, and the notes it came with), as PFIF asks of a clone.
 */
import { openJson, type OperationKeys } from '../../crypto/envelope.js';
import * as exportsDb from '../../db/queries/exports.js';
import * as operationsDb from '../../db/queries/operations.js';
import { canonicalId } from '../../domain/counts/index.js';
import { pfifTime, toPfifPerson, type PfifNote, type PfifPerson } from '../../domain/exports/pfif.js';
import { requireOperation, type Ctx } from '../context.js';
import { loadOperation } from '../counts/counts.js';
import { currentPositions } from '../../domain/counts/index.js';
import { openedPersons } from './lists.js';

/** The domain part of the record ids Corridor makes (`corridor.local/<person id>`): ids are ULIDs, unique anywhere. */
export const PFIF_DOMAIN = 'corridor.local';

export const pfifAad = (recordId: string) => `pfif:${recordId}`;

/** A PFIF person record as it was imported (sealed in pfif_records). */
export type StoredPfifPerson = Omit<PfifPerson, 'notes'> & { notes: PfifNote[]; entry_date?: string };

/** Fields Corridor keeps itself (and may have corrected since the import): written from the registration. */
const ownFields = ['full_name', 'given_name', 'family_name', 'alternate_names', 'sex', 'date_of_birth', 'age', 'home_city'] as const;

export async function pfifPeople(ctx: Ctx, keys: OperationKeys): Promise<{ persons: PfifPerson[]; personIds: string[] }> {
  const operationId = requireOperation(ctx);
  const op = await operationsDb.findOperation(ctx.db, operationId);
  const sites = new Map((await operationsDb.listSites(ctx.db, operationId)).map((s) => [s.id, s.name_en]));
  const { registry, facts } = await loadOperation(ctx.db, ctx.keys, operationId);
  const positions = currentPositions(facts, registry);
  const checkIns = new Map<string, { id: string; at: string; siteId: string }>();
  for (const f of facts)
    if (f.kind === 'checked_in' && f.personId) {
      const id = canonicalId(registry, f.personId);
      const prev = checkIns.get(id);
      if (!prev || prev.at < f.deviceTime) checkIns.set(id, { id: f.id, at: f.deviceTime, siteId: f.siteId });
    }
  const found = new Map<string, { id: string; at: string }[]>();
  for (const t of await exportsDb.listFoundTracing(ctx.db, operationId)) {
    const id = canonicalId(registry, t.found_person_id!);
    found.set(id, [...(found.get(id) ?? []), { id: t.id, at: new Date(t.updated_at).toISOString() }]);
  }
  const imported = new Map<string, StoredPfifPerson>();
  for (const r of await exportsDb.listPfifPersonRecords(ctx.db, operationId))
    imported.set(r.subject_id, openJson<StoredPfifPerson>(keys, r.sealed, pfifAad(r.record_id)));
  const author = `${op?.name_en ?? 'Corridor'} (Corridor)`;

  const persons: PfifPerson[] = [];
  const personIds: string[] = [];
  for await (const { row, pii } of openedPersons(ctx, keys)) {
    if (!row.consent_tracing) continue;
    const clone = imported.get(row.id);
    const recordId = clone?.person_record_id ?? `${PFIF_DOMAIN}/${row.id}`;
    const registeredAt = pfifTime(row.registered_at);
    const notes: PfifNote[] = [...(clone?.notes ?? [])];
    const arrival = positions.get(row.id)?.status === 'arrived' ? checkIns.get(row.id) : undefined;
    if (arrival) {
      const where = row.consent_disclosure ? sites.get(arrival.siteId) : undefined;
      notes.push({
        note_record_id: `${PFIF_DOMAIN}/arrived.${arrival.id}`,
        person_record_id: recordId,
        entry_date: pfifTime(arrival.at),
        author_name: author,
        source_date: pfifTime(arrival.at),
        author_made_contact: 'true',
        status: 'believed_alive',
        ...(where ? { last_known_location: where } : {}),
        text: where ? `Arrived at ${where} and checked in.` : 'Arrived at a reception site and checked in.',
      });
    }
    for (const t of found.get(row.id) ?? [])
      notes.push({
        note_record_id: `${PFIF_DOMAIN}/found.${t.id}`,
        person_record_id: recordId,
        entry_date: pfifTime(t.at),
        author_name: author,
        source_date: pfifTime(t.at),
        status: 'believed_alive',
        text: 'Found through a tracing request.',
      });
    const own = toPfifPerson(
      {
        names: pii.names,
        sex: row.sex as PfifPersonSex,
        dateOfBirth: pii.dateOfBirth ?? null,
        birthYear: row.birth_year,
        ageEstimated: row.age_estimated,
        origin: pii.origin ?? null,
      },
      {
        personRecordId: recordId,
        entryDate: registeredAt,
        sourceName: clone?.source_name ?? `${op?.name_en ?? 'Corridor'} (Corridor)`,
        sourceDate: clone?.source_date ?? registeredAt,
        authorName: clone?.author_name ?? author,
      },
      notes,
    );
    persons.push(clone ? asClone(clone, own) : own);
    personIds.push(row.id);
  }
  return { persons, personIds };
}

type PfifPersonSex = 'female' | 'male' | 'unknown';

/**
 * A clone keeps the record it came as; the fields Corridor keeps itself come from the
 * registration. A birth given as a year (or an age range) comes back as it was written while it
 * still says what the registration says.
 */
function asClone(stored: StoredPfifPerson, own: PfifPerson): PfifPerson {
  const out: PfifPerson = { ...stored, notes: own.notes };
  for (const f of ownFields) delete out[f];
  for (const f of ownFields) if (own[f] !== undefined) out[f] = own[f];
  const year =
    own.age !== undefined ? Number((own.source_date ?? '').slice(0, 4)) - Number(own.age) : Number(own.date_of_birth?.slice(0, 4));
  if (stored.date_of_birth && Number(stored.date_of_birth.slice(0, 4)) === year && own.date_of_birth === undefined) {
    out.date_of_birth = stored.date_of_birth;
    delete out.age;
  }
  const range = /^(\d+)-(\d+)$/.exec(stored.age ?? '');
  if (range && own.age !== undefined && Number(own.age) === Math.floor((Number(range[1]) + Number(range[2])) / 2)) out.age = stored.age;
  return out;
}
