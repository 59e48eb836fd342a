/**
 * The shipped parameters: fitted on labelled synthetic Arabic/Latin registrations by
 * fit-weights.ts and stored in weights.json, so a single registration can be scored
 * without fitting anything. Batch runs re-estimate them on their own data.
 */
import type { MatchModel } from './types.js';
import weights from './weights.json' with { type: 'json' };

export const DEFAULT_MODEL: MatchModel = weights as MatchModel;
