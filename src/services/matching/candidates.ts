/**
 * Finding people who may be the same as a given description, inside one operation, without
 * names in SQL: the description's blocking keys are HMAC'd and looked up in person_keys, with
 * what scoring needs of the people sharing the most keys, in one query; their names are opened
 * and scored in the application with the shipped Fellegi–Sunter model, and each result keeps
 * its explanation. A person's prepared names are kept in memory (name-memory.ts: a bounded LRU,
 * stamped with the key and the row's state), so only the sealed names of people not seen since are read and opened; whole
 * rows are read only for the candidates kept.
 */
import { keyedHash, openJson, type OperationKeys } from '../../crypto/envelope.js';
import * as personsDb from '../../db/queries/persons.js';
import { findCandidateRows, findSealedNames, type CandidateHead } from '../../db/queries/matching.js';
import type { Executor } from '../../db/queries/executor.js';
import {
  buildComparators,
  OPERATION_MODEL,
  scorePair,
  type MatchRecord,
  type MatchResult,
  type PreparedRecord,
} from '../../domain/matching/index.js';
import { createRecordPreparer } from '../../domain/matching/batch.js';
import { blockingKeys, type PersonNames } from '../../domain/names/index.js';
import type { PersonPii } from '../persons/person-record.js';
import { keepPrepared, onForget, recallPrepared } from './name-memory.js';

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

/** Registrations have every field the model knows; descriptions may leave some empty (missing weighs 0). */
export const REGISTRATION_COMPARATORS = buildComparators({
  lineage: true,
  sex: true,
  birthYear: true,
  origin: false,
  household: true,
  extra: {},
});
const comparators = REGISTRATION_COMPARATORS;

export function toMatchRecord(id: string, d: Description): MatchRecord {
  const r: MatchRecord = {
    id,
    given: parts(d.names, 'given'),
    father: parts(d.names, 'father'),
    grandfather: parts(d.names, 'grandfather'),
    family: parts(d.names, 'family'),
  };
  if (d.sex && d.sex !== 'unknown') r.sex = d.sex;
  if (d.birthYear !== undefined && d.birthYear !== null) r.birthYear = d.birthYear;
  if (d.birthYearEstimated !== undefined) r.birthYearEstimated = d.birthYearEstimated;
  if (d.householdId) r.householdId = d.householdId;
  return r;
}

export interface Candidate extends MatchResult {
  row: personsDb.PersonRow;
}

let prepare = createRecordPreparer(50_000);
// A shredded person's name values leave the value memo too (it refills in a few registrations).
onForget((reason) => {
  if (reason === 'shredded') prepare = createRecordPreparer(50_000);
});

/** The stamp of a candidate's memory: every column its record is made of, and its sealed names' nonce and tag, so any change misses. */
function stampOf(head: CandidateHead): string {
  return `${head.sex}|${head.birth_year}|${head.age_estimated}|${head.household_id}|${head.pii_head}`;
}

/**
 * The candidates' records, prepared: from memory, or — for the people not seen since — their
 * sealed names read in one statement, opened and prepared.
 */
async function preparedHeads(
  db: Executor,
  keys: OperationKeys,
  operationId: string,
  heads: readonly CandidateHead[],
): Promise<PreparedRecord[]> {
  const stamps = heads.map(stampOf);
  const known = heads.map((h, i) => recallPrepared(keys, operationId, h.id, stamps[i] as string));
  const missing = heads.filter((_, i) => known[i] === undefined);
  const sealed = new Map(
    (
      await findSealedNames(
        db,
        operationId,
        missing.map((h) => h.id),
      )
    ).map((r) => [r.id, r.pii]),
  );
  return heads.map((head, i) => {
    let p = known[i];
    if (p === undefined) {
      const pii = sealed.get(head.id);
      if (pii === undefined) throw new Error(`person ${head.id} has no row`);
      const names = openJson<PersonPii>(keys, pii, `person:${head.id}:pii`).names;
      p = prepare(
        toMatchRecord(head.id, {
          names,
          sex: head.sex,
          birthYear: head.birth_year,
          birthYearEstimated: head.age_estimated,
          householdId: head.household_id,
        }),
      );
      keepPrepared(keys, operationId, head.id, stamps[i] as string, p);
    }
    return p;
  });
}

/**
 * Keys of these kinds held by more people than this are left out of the lookup. A one-name key
 * (a given or family name alone) is there for searching by one word; as a candidate key, a name
 * held by over a hundred people ranks arbitrary holders up (the first hundreds by id), and reading
 * them was a third of the lookup. Measured on the 31k-person demo operation (PGlite): of its 923
 * duplicate pairs, the earlier record was among the five candidates of the later for 919 (913
 * without the cap); of 340 tracing requests for registered people, the sought person was among
 * the ten candidates for 274 (271); the key lookup ~0.5 ms shorter.
 */
export const COMMON_KEY_CAPS: Readonly<Record<string, number>> = { name: 100 };

export interface CandidateOptions {
  excludeIds?: string[];
  limit?: number;
  consentTracingOnly?: boolean;
  minDecision?: 'review' | 'none';
  lookup?: number;
  /** Leaves out each subject's own household (its `householdId`): a registration's members are not duplicates of each other. */
  excludeOwnHousehold?: boolean;
  /** Overrides COMMON_KEY_CAPS (tests, measurements). */
  perKind?: Readonly<Record<string, number>>;
}

/**
 * The candidates ranked, by id only: what a caller that records pairs needs (registration's
 * duplicate flags), without reading the kept people's whole rows.
 */
export async function rankCandidates(
  db: Executor,
  keys: OperationKeys,
  operationId: string,
  subject: Description,
  opts: CandidateOptions = {},
): Promise<(MatchResult & { id: string })[]> {
  return (await rankCandidatesOfEach(db, keys, operationId, [subject], opts))[0] ?? [];
}

/**
 * `rankCandidates` for several subjects (a desk's queue): a key lookup each, and the sealed names
 * of the people not in memory read once for all of them.
 */
export async function rankCandidatesOfEach(
  db: Executor,
  keys: OperationKeys,
  operationId: string,
  subjects: readonly Description[],
  opts: CandidateOptions = {},
): Promise<(MatchResult & { id: string })[][]> {
  const headsOf: CandidateHead[][] = [];
  for (const subject of subjects) {
    const hashes = blockingKeys({
      names: subject.names,
      ...(subject.sex ? { sex: subject.sex } : {}),
      birthYear: subject.birthYear ?? null,
    }).map((k) => ({ kind: k.kind, hash: keyedHash(keys, k.kind, k.value) }));
    headsOf.push(
      await findCandidateRows(db, operationId, hashes, {
        limit: opts.lookup ?? 60,
        perKey: 400,
        perKind: opts.perKind ?? COMMON_KEY_CAPS,
        ...(opts.excludeIds ? { excludeIds: opts.excludeIds } : {}),
        ...(opts.excludeOwnHousehold && subject.householdId ? { excludeHousehold: subject.householdId } : {}),
        ...(opts.consentTracingOnly ? { consentTracingOnly: true } : {}),
      }),
    );
  }
  const all = await preparedHeads(db, keys, operationId, headsOf.flat());
  let at = 0;
  return subjects.map((subject, s) => {
    const heads = headsOf[s] as CandidateHead[];
    const records = all.slice(at, (at += heads.length));
    const a = prepare(toMatchRecord('subject', subject));
    const scored: (MatchResult & { id: string })[] = [];
    heads.forEach((head, i) => {
      const result = scorePair(OPERATION_MODEL, comparators, a, records[i] as PreparedRecord);
      if (result.decision === 'none' && opts.minDecision !== 'none') return;
      scored.push({ ...result, id: head.id });
    });
    // Equal weights (a family registered alike) in id order, so the cut at `limit` does not depend on the plan.
    scored.sort((x, y) => y.weight - x.weight || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    return scored.slice(0, opts.limit ?? 10);
  });
}

export async function findCandidates(
  db: Executor,
  keys: OperationKeys,
  operationId: string,
  subject: Description,
  opts: CandidateOptions = {},
): Promise<Candidate[]> {
  const kept = await rankCandidates(db, keys, operationId, subject, opts);
  // Whole rows only for the candidates kept (the caller shows or records them).
  const rows = new Map(
    (
      await personsDb.findPersonsByIds(
        db,
        operationId,
        kept.map((c) => c.id),
      )
    ).map((r) => [r.id, r]),
  );
  return kept.flatMap(({ id, ...result }) => {
    const row = rows.get(id);
    return row ? [{ ...result, row }] : [];
  });
}

/** Two descriptions scored with the operation model (a tracing request against a registration, or against another request). */
export function scoreDescriptions(a: Description, b: Description): MatchResult {
  return scorePair(OPERATION_MODEL, comparators, prepare(toMatchRecord('a', a)), prepare(toMatchRecord('b', b)));
}

/** A description's blocking keys, keyed with the operation's key as person_keys holds them. */
export function keyedBlockingKeys(keys: OperationKeys, d: Description): { kind: string; hash: Buffer }[] {
  const seen = new Set<string>();
  const out: { kind: string; hash: Buffer }[] = [];
  for (const k of blockingKeys({ names: d.names, ...(d.sex ? { sex: d.sex } : {}), birthYear: d.birthYear ?? null })) {
    const id = `${k.kind}\u0000${k.value}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ kind: k.kind, hash: keyedHash(keys, k.kind, k.value) });
  }
  return out;
}

export function describeRow(keys: OperationKeys, row: personsDb.PersonRow): Description {
  const pii = openJson<PersonPii>(keys, row.pii, `person:${row.id}:pii`);
  return {
    names: pii.names,
    sex: row.sex,
    birthYear: row.birth_year,
    birthYearEstimated: row.age_estimated,
    householdId: row.household_id,
  };
}
