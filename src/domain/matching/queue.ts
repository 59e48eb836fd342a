/**
 * The review queue's floor. The shipped review threshold is fitted so that link + review finds
 * 99 % of true pairs on the hard synthetic set; in an operation that band is mostly strangers
 * with a common name chain: the 34,000-person demo had 923 duplicates, 915 of them linked, 8 in
 * review — beside 12,416 false review pairs, a queue no registrar can work through. The
 * operation's services therefore propose a pair for review only when the model gives it at
 * least a 5 % chance of being the same person (calibrated: score.ts, probabilityOf) (1 in 20 reviews finds a duplicate): the same demo
 * keeps 919 of its 923 duplicates with 1,840 false pairs. The quality benchmark reports recall at
 * this floor beside the fitted threshold's.
 */
import { DEFAULT_MODEL } from './default-model.js';
import { weightAtProbability, weightOf } from './score.js';
import type { MatchModel } from './types.js';

export { weightOf };

export const REVIEW_QUEUE_MIN_PROBABILITY = 0.05;

/** The model with its review threshold raised to the queue's floor (never lowered). */
export function withReviewFloor(model: MatchModel, minProbability = REVIEW_QUEUE_MIN_PROBABILITY): MatchModel {
  return {
    ...model,
    thresholds: { ...model.thresholds, review: Math.max(model.thresholds.review, weightAtProbability(model, minProbability)) },
  };
}

/** What the operation's duplicate checks and scans use. */
export const OPERATION_MODEL: MatchModel = withReviewFloor(DEFAULT_MODEL);
