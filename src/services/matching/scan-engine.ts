/**
 * The compute of a batch duplicate scan, the same in the main thread and in a worker thread:
 * opening the sealed rows into match records, choosing each record's candidates from the
 * block index, then scoring the pairs with the model and comparators of the
 * registration-time check. What only a batch can know — which names are common, how common a
 * given name or a whole name chain is in the operation — is counted over all its records
 * first, as the in-memory pipeline does (matcher.ts markBatchFrequencies); a single
 * registration scored against the database has the shipped tables instead. No I/O: rows come
 * in as read (names sealed), results go out as explained MatchResults.
 */
import { openJson, type OperationKeys } from '../../crypto/envelope.js';
import type { MatchingPersonRow } from '../../db/queries/matching.js';
import {
  markBatchFrequencies,
  OPERATION_MODEL,
  type MatchRecord,
  type MatchResult,
  type PreparedRecord,
} from '../../domain/matching/index.js';
import {
  candidateScratch,
  createPairScorer,
  createRecordPreparer,
  ownsPair,
  selectCandidates,
  type BlockIndex,
} from '../../domain/matching/batch.js';
import { REGISTRATION_COMPARATORS, toMatchRecord } from './candidates.js';
import type { PersonPii } from '../persons/person-record.js';

/**
 * A page of person rows as read, packed to cross to a worker thread cheaply: the sealed
 * names one after the other in one buffer (`piiEnd[i]` where row i's ends), the other
 * columns side by side. The names stay sealed until a scan thread opens them.
 */
export interface SealedPage {
  ids: string[];
  sex: string[];
  birthYear: Int32Array;
  /** 1 when the birth year is known, 0 when the row has none. */
  hasBirthYear: Uint8Array;
  estimated: Uint8Array;
  household: string[];
  pii: Uint8Array;
  piiEnd: Int32Array;
}

export function packPage(rows: readonly MatchingPersonRow[]): SealedPage {
  const n = rows.length;
  const page: SealedPage = {
    ids: new Array<string>(n),
    sex: new Array<string>(n),
    birthYear: new Int32Array(n),
    hasBirthYear: new Uint8Array(n),
    estimated: new Uint8Array(n),
    household: new Array<string>(n),
    pii: Buffer.concat(rows.map((r) => r.pii)),
    piiEnd: new Int32Array(n),
  };
  let end = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i] as MatchingPersonRow;
    page.ids[i] = r.id;
    page.sex[i] = r.sex;
    page.hasBirthYear[i] = r.birth_year === null ? 0 : 1;
    page.birthYear[i] = r.birth_year ?? 0;
    page.estimated[i] = r.age_estimated ? 1 : 0;
    page.household[i] = r.household_id;
    end += r.pii.length;
    page.piiEnd[i] = end;
  }
  return page;
}

/** Opens a page's names with the operation's keys (only the encryption key is used) into match records. */
export function openPage(keys: Pick<OperationKeys, 'operationId' | 'encryptionKey'>, page: SealedPage, into: MatchRecord[]): void {
  const k = keys as OperationKeys;
  let start = 0;
  for (let i = 0; i < page.ids.length; i++) {
    const id = page.ids[i] as string;
    const end = page.piiEnd[i] as number;
    const pii = openJson<PersonPii>(k, page.pii.subarray(start, end), `person:${id}:pii`);
    start = end;
    into.push(
      toMatchRecord(id, {
        names: pii.names,
        sex: page.sex[i] as string,
        birthYear: page.hasBirthYear[i] ? (page.birthYear[i] as number) : null,
        birthYearEstimated: page.estimated[i] === 1,
        householdId: page.household[i] as string,
      }),
    );
  }
}

export interface EngineInput {
  records: MatchRecord[];
  index: BlockIndex;
  /** n × k candidate lists, −1 after the last; shared between threads. */
  top: Int32Array;
  k: number;
  /** Score every candidate pair in full, without the weight bound (pair-bound.ts): for checking that the bound changes nothing. */
  exhaustive?: boolean;
}

export function createEngine({ records, index, top, k, exhaustive }: EngineInput) {
  const prepare = createRecordPreparer();
  const prepared = records.map((r) => prepare(r));
  // The whole operation is one batch: common names, given-name shares and chain counts from it, as matchRecords does.
  markBatchFrequencies(prepared, OPERATION_MODEL);
  const get = (i: number) => prepared[i] as PreparedRecord;
  const scorer = createPairScorer(OPERATION_MODEL, REGISTRATION_COMPARATORS, { bound: exhaustive !== true });
  const scratch = candidateScratch(records.length);
  return {
    /** Fills the candidate lists of records from … to-1. */
    select(from: number, to: number): void {
      for (let i = from; i < to; i++) selectCandidates(index, i, k, scratch, top.subarray(i * k, i * k + k));
    },
    /** Scores the pairs records from … to-1 own; needs every list selected first. */
    score(from: number, to: number): { results: MatchResult[]; pairs: number; bounded: number } {
      const results: MatchResult[] = [];
      let pairs = 0;
      const bounded0 = scorer.stats.bounded;
      for (let i = from; i < to; i++) {
        for (let t = i * k; t < i * k + k; t++) {
          const j = top[t] as number;
          if (j === -1) break;
          if (!ownsPair(top, k, i, j)) continue;
          pairs++;
          // Always the lower index first (records come in id order), whichever side owns the pair.
          const r = i < j ? scorer.score(get(i), get(j)) : scorer.score(get(j), get(i));
          if (r !== null) results.push(r);
        }
      }
      return { results, pairs, bounded: scorer.stats.bounded - bounded0 };
    },
  };
}
