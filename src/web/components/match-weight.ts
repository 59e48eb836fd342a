/**
 * An explanation line's weight in words. The matcher's weight says how much the line moves the
 * odds, not why: a lineage whose father or grandfather is not known on one side can weigh
 * against a pair (short records are more often two people), yet nothing in it disagrees. Such a
 * line must not read "points to two different people": it says the part is missing on one side,
 * proves nothing, and counts slightly (or, past the strong threshold, clearly) against.
 */
import type { FieldExplanationInfo } from '../api/types.js';

export type WeightKey =
  'strongFor' | 'for' | 'neutral' | 'against' | 'strongAgainst' | 'missingAgainst' | 'missingStrongAgainst' | 'shapeLowers' | 'shapeRaises';

/** The matcher's weight of one field, in words: how strongly it points to one person or to two. */
export function weightWord(weight: number): 'strongFor' | 'for' | 'neutral' | 'against' | 'strongAgainst' {
  if (weight >= 2) return 'strongFor';
  if (weight >= 0.5) return 'for';
  if (weight > -0.5) return 'neutral';
  if (weight > -2) return 'against';
  return 'strongAgainst';
}

/** Codes (or parts of joint codes) that are a real disagreement between the two records. */
const DISAGREEING = new Set(['disagree', 'lineage_differs', 'lineage_partly_agrees']);

/**
 * Whether a line's code has a part missing on one side and no part that disagrees: then what
 * weighs against the pair is the missing part, not a difference. Lines without a code (stored
 * before codes existed) cannot tell, and keep the plain words.
 */
export function onlyMissingOnOneSide(code: string | undefined): boolean {
  if (!code) return false;
  let missing = false;
  for (const part of code.split(':')) {
    const lineage = /^agree_(\d)_close_(\d)_differ_(\d)$/.exec(part);
    if (lineage) {
      const [s, w, d] = [Number(lineage[1]), Number(lineage[2]), Number(lineage[3])];
      if (d > 0) return false;
      if (s + w < 3) missing = true;
    } else if (part === 'missing' || part === 'lineage_missing') missing = true;
    else if (DISAGREEING.has(part)) return false;
  }
  return missing;
}

/**
 * The catalogue key under `match.weight` for one explanation line. The calibration line (the
 * record shape's own curve) is no evidence about the two people: it says the estimate was lowered
 * or raised for records of that shape.
 */
export function weightKey(e: Pick<FieldExplanationInfo, 'weight' | 'code'> & { field?: string }): WeightKey {
  const word = weightWord(e.weight);
  if (e.field === 'calibration' && word !== 'neutral') return e.weight < 0 ? 'shapeLowers' : 'shapeRaises';
  if ((word === 'against' || word === 'strongAgainst') && onlyMissingOnOneSide(e.code)) {
    return word === 'against' ? 'missingAgainst' : 'missingStrongAgainst';
  }
  return word;
}
