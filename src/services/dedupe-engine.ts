/**
 * The compute of a batch duplicate scan, the same in the main thread and in a worker thread:
 * choosing each record's candidates from the block index, then scoring the pairs with the
 * model and comparators of the registration-time check (so both decide a pair alike).
 * No I/O: records come in decrypted, results go out as explained MatchResults.
 */
import { buildComparators, OPERATION_MODEL, type MatchRecord, type MatchResult, type PreparedRecord } from '../domain/matching/index.js';
import { candidateScratch, createPairScorer, createRecordPreparer, ownsPair, selectCandidates, type BlockIndex } from '../domain/matching/batch.js';

/** Registrations have every field the model knows; descriptions may leave some empty (missing weighs 0). */
export const REGISTRATION_COMPARATORS = buildComparators({ lineage: true, sex: true, birthYear: true, origin: false, household: true, extra: {} });

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
  const prepared: (PreparedRecord | undefined)[] = new Array(records.length);
  const get = (i: number) => (prepared[i] ??= prepare(records[i] as MatchRecord));
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
