/**
 * Shapes of the matching engine: the record it compares (name parts in any script, each
 * possibly with several spellings), the model parameters (Fellegi–Sunter m and u
 * probabilities per comparison level) and the explained decision it returns.
 */

/** One spelling, or several (e.g. the Arabic and the Latin form of the same name). */
export type NameValue = string | string[];

/** How an extra field is compared: free text, a code or number, or a date. */
export type ExtraKind = 'text' | 'code' | 'date';

export interface MatchRecord {
  id: string;
  given?: NameValue;
  father?: NameValue;
  grandfather?: NameValue;
  family?: NameValue;
  sex?: string;
  birthYear?: number | null;
  birthYearEstimated?: boolean;
  origin?: string;
  householdId?: string;
  /** Further fields mapped from a data set (address, date of birth, ID number …). */
  extra?: Record<string, string>;
}

export interface FieldParams {
  levels: string[];
  /** P(level | same person), one per level. */
  m: number[];
  /** P(level | different people), one per level. */
  u: number[];
}

export interface MatchModel {
  /** Prior probability that a candidate pair is the same person. */
  lambda: number;
  fields: Record<string, FieldParams>;
  /** Match weights (log2 posterior odds) at or above which a pair is linked or reviewed. */
  thresholds: { link: number; review: number };
  /**
   * Common names, normalised (seen at least three times in the data the model was fitted
   * on): two different known Arabic-script names one edit apart count as different names,
   * not a typo.
   */
  knownNames?: string[];
  /**
   * Platt scaling of the weight, fitted on labelled batches the weights were not fitted on:
   * calibrated log2 odds = slope · weight + intercept. A pair's `probability` is calibrated;
   * absent (identity) for a model estimated on the data itself.
   */
  calibration?: {
    slope: number;
    intercept: number;
    /**
     * Platt scaling of its own per record shape of the pair (score.ts, RECORD_SHAPES): the
     * naive-Bayes sum counts the same agreement several times over where a record gives only a
     * given and a family name, so one curve for all pairs is overconfident there. Applied as a
     * last explanation line, `calibration`, that moves the weight to where the shared curve
     * gives the shape's probability; absent shapes keep the shared curve.
     */
    byShape?: Partial<Record<'chains' | 'one_short' | 'both_short', { slope: number; intercept: number }>>;
  };
  /** Share of given names per skeleton in the data the model was fitted on (name-frequency.ts). */
  givenNameShares?: Record<string, number>;
}

export type Decision = 'link' | 'review' | 'none';

export interface FieldExplanation {
  field: string;
  /** Agreement level, or "missing" when a side has no value (weight 0). */
  level: string;
  /**
   * The same level as a stable code to translate ('exact', 'phonetic', 'one_edit', 'missing',
   * 'disagree' …; joint levels join their parts with ':'; see docs/matching.md). Explanations
   * stored before codes existed lack it.
   */
  code?: string;
  /** log2 Bayes factor of this level: log2(m / u). */
  weight: number;
  detail?: string;
}

export interface MatchResult {
  idA: string;
  idB: string;
  /** log2 posterior odds: prior plus the sum of the field weights. */
  weight: number;
  probability: number;
  decision: Decision;
  explanation: FieldExplanation[];
}
