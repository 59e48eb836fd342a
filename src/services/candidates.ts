/**
 * Finding people who may be the same as a given description, inside one operation, without
 * names in SQL: the description's blocking keys are HMAC'd and looked up in person_keys,
 * together with the rows of the people sharing the most keys, in one query; only those are
 * decrypted and scored in the application with the shipped Fellegi–Sunter model, and each
 * result keeps its explanation. A person's prepared names are kept in memory (per operation
 * key, for as long as that key is) so the popular candidates are not decrypted again.
 */
import { keyedHash, openJson, type OperationKeys } from '../crypto/envelope.js';
import type * as q from '../db/queries/persons.js';
import { findCandidateRowsMany } from '../db/queries/matching.js';
import type { Executor } from '../db/queries/executor.js';
import { OPERATION_MODEL, scorePair, type MatchRecord, type MatchResult, type PreparedRecord } from '../domain/matching/index.js';
import { createRecordPreparer } from '../domain/matching/batch.js';
import { blockingKeys, type PersonNames } from '../domain/names/index.js';
import { REGISTRATION_COMPARATORS as comparators } from './dedupe-engine.js';
import type { PersonPii } from './persons.js';

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

const prepare = createRecordPreparer(50_000);
const preparedByKeys = new WeakMap<OperationKeys, Map<string, PreparedRecord>>();
const CACHED_PEOPLE = 50_000;

/**
 * A row decrypted and prepared, or taken from memory. The cache key holds every column the
 * record is made of, and the ciphertext's nonce and tag, so any change to the row misses.
 */
function preparedRow(keys: OperationKeys, row: q.PersonRow): PreparedRecord {
  let cache = preparedByKeys.get(keys);
  if (cache === undefined) preparedByKeys.set(keys, (cache = new Map()));
  const sealed = Buffer.from(row.pii.buffer, row.pii.byteOffset, Math.min(29, row.pii.byteLength)).toString('base64');
  const key = `${row.id}|${row.sex}|${row.birth_year}|${row.age_estimated}|${row.household_id}|${sealed}`;
  let p = cache.get(key);
  if (p === undefined) {
    const pii = openJson<PersonPii>(keys, row.pii, `person:${row.id}:pii`);
    p = prepare(toMatchRecord(row.id, { names: pii.names, sex: row.sex, birthYear: row.birth_year, birthYearEstimated: row.age_estimated, householdId: row.household_id }));
    if (cache.size >= CACHED_PEOPLE) cache.clear();
    cache.set(key, p);
  }
  return p;
}

type CandidateOptions = { excludeIds?: string[]; limit?: number; consentTracingOnly?: boolean; minDecision?: 'review' | 'none'; lookup?: number };

export async function findCandidates(db: Executor, keys: OperationKeys, operationId: string, subject: Description, opts: CandidateOptions = {}): Promise<Candidate[]> {
  return (await findCandidatesMany(db, keys, operationId, [subject], opts))[0] as Candidate[];
}

/** The candidates of each of several descriptions (a desk's queue), looked up in one statement and scored here. */
export async function findCandidatesMany(db: Executor, keys: OperationKeys, operationId: string, subjects: readonly Description[], opts: CandidateOptions = {}): Promise<Candidate[][]> {
  const hashes = subjects.map((subject) => blockingKeys({ names: subject.names, ...(subject.sex ? { sex: subject.sex } : {}), birthYear: subject.birthYear ?? null })
    .map((k) => ({ kind: k.kind, hash: keyedHash(keys, k.kind, k.value) })));
  const rows = await findCandidateRowsMany(db, operationId, hashes, {
    limit: opts.lookup ?? 60, perKey: 400, ...(opts.excludeIds ? { excludeIds: opts.excludeIds } : {}), ...(opts.consentTracingOnly ? { consentTracingOnly: true } : {}),
  });
  const found: Candidate[][] = subjects.map(() => []);
  const prepared = subjects.map((subject) => prepare(toMatchRecord('subject', subject)));
  for (const { hits: _hits, subject: i, ...row } of rows) {
    const result = scorePair(OPERATION_MODEL, comparators, prepared[i] as PreparedRecord, preparedRow(keys, row));
    if (result.decision === 'none' && opts.minDecision !== 'none') continue;
    (found[i] as Candidate[]).push({ ...result, row });
  }
  return found.map((out) => {
    // Equal weights (a family registered alike) in id order, so the cut at `limit` does not depend on the plan.
    out.sort((x, y) => y.weight - x.weight || (x.row.id < y.row.id ? -1 : x.row.id > y.row.id ? 1 : 0));
    return out.slice(0, opts.limit ?? 10);
  });
}

export function describeRow(keys: OperationKeys, row: q.PersonRow): Description {
  const pii = openJson<PersonPii>(keys, row.pii, `person:${row.id}:pii`);
  return { names: pii.names, sex: row.sex, birthYear: row.birth_year, birthYearEstimated: row.age_estimated, householdId: row.household_id };
}
