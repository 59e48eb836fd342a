/**
 * Finding people who may be the same as a given description, inside one operation, without
 * names in SQL: the description's blocking keys are HMAC'd and looked up in person_keys; the
 * people sharing keys are decrypted and scored in the application with the shipped
 * Fellegi–Sunter model, and each result keeps its explanation.
 */
import { keyedHash, openJson, type OperationKeys } from '../crypto/envelope.js';
import * as q from '../db/queries/persons.js';
import type { Executor } from '../db/queries/executor.js';
import { buildComparators, DEFAULT_MODEL, prepareRecord, scorePair, type MatchRecord, type MatchResult } from '../domain/matching/index.js';
import { blockingKeys, type PersonNames } from '../domain/names/index.js';
import type { PersonPii } from './persons.js';

/** Registrations have every field the model knows; descriptions may leave some empty (missing weighs 0). */
const comparators = buildComparators({ lineage: true, sex: true, birthYear: true, origin: false, household: true, extra: {} });

export interface Description {
  names: PersonNames;
  sex?: string;
  birthYear?: number | null;
  birthYearEstimated?: boolean;
  householdId?: string;
}

function parts(names: PersonNames, f: 'given' | 'father' | 'grandfather' | 'family'): string[] {
  return [names.ar?.[f], names.lat?.[f]].filter((v): v is string => !!v && v.trim() !== '');
}

export function toMatchRecord(id: string, d: Description): MatchRecord {
  const r: MatchRecord = { id, given: parts(d.names, 'given'), father: parts(d.names, 'father'), grandfather: parts(d.names, 'grandfather'), family: parts(d.names, 'family') };
  if (d.sex && d.sex !== 'unknown') r.sex = d.sex;
  if (d.birthYear !== undefined && d.birthYear !== null) r.birthYear = d.birthYear;
  if (d.birthYearEstimated !== undefined) r.birthYearEstimated = d.birthYearEstimated;
  if (d.householdId) r.householdId = d.householdId;
  return r;
}

export interface Candidate extends MatchResult {
  row: q.PersonRow;
}

export async function findCandidates(db: Executor, keys: OperationKeys, operationId: string, subject: Description, opts: {
  excludeIds?: string[]; limit?: number; consentTracingOnly?: boolean; minDecision?: 'review' | 'none'; lookup?: number;
} = {}): Promise<Candidate[]> {
  const hashes = blockingKeys({ names: subject.names, ...(subject.sex ? { sex: subject.sex } : {}), birthYear: subject.birthYear ?? null })
    .map((k) => ({ kind: k.kind, hash: keyedHash(keys, k.kind, k.value) }));
  const hits = await q.findPersonIdsByKeys(db, operationId, hashes, opts.lookup ?? 60);
  const exclude = new Set(opts.excludeIds ?? []);
  const ids = hits.map((h) => h.person_id).filter((id) => !exclude.has(id));
  const rows = await q.findPersonsByIds(db, operationId, ids);
  const a = prepareRecord(toMatchRecord('subject', subject));
  const out: Candidate[] = [];
  for (const row of rows) {
    if (row.merged_into) continue;
    if (opts.consentTracingOnly && !row.consent_tracing) continue;
    const pii = openJson<PersonPii>(keys, row.pii, `person:${row.id}:pii`);
    const b = prepareRecord(toMatchRecord(row.id, { names: pii.names, sex: row.sex, birthYear: row.birth_year, birthYearEstimated: row.age_estimated, householdId: row.household_id }));
    const result = scorePair(DEFAULT_MODEL, comparators, a, b);
    if (result.decision === 'none' && opts.minDecision !== 'none') continue;
    out.push({ ...result, row });
  }
  out.sort((x, y) => y.weight - x.weight);
  return out.slice(0, opts.limit ?? 10);
}

export function describeRow(keys: OperationKeys, row: q.PersonRow): Description {
  const pii = openJson<PersonPii>(keys, row.pii, `person:${row.id}:pii`);
  return { names: pii.names, sex: row.sex, birthYear: row.birth_year, birthYearEstimated: row.age_estimated, householdId: row.household_id };
}
