/**
 * The words a person reads beside a pair ("very likely the same" …), from the pair's calibrated
 * probability (score.ts, probabilityOf) — the same number the link and review thresholds are set
 * on, so a pair shown at 44 % is never called "very likely". Bands: very likely from 90 %,
 * likely from an even chance (where a link starts), possibly from 5 % (the review queue's
 * floor), unlikely below.
 */
export const LIKELIHOODS = ['very_likely', 'likely', 'possibly', 'unlikely'] as const;
export type Likelihood = (typeof LIKELIHOODS)[number];

export function likelihoodOf(probability: number): Likelihood {
  if (probability >= 0.9) return 'very_likely';
  if (probability >= 0.5) return 'likely';
  if (probability >= 0.05) return 'possibly';
  return 'unlikely';
}
