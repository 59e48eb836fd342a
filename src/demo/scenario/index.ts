/**
 * The deterministic Aleppo 2016 scenario and the labelled matching set: what other modules
 * import. Pure code; the `corridor demo generate` command writes it to files.
 */
export { generateScenario, generateScenarioChunks, DEFAULT_PEOPLE, type GenerateOptions, type ScenarioEnd } from './generate.js';
export { generateMatchingSet, type MatchingRecordRow } from './matching-set.js';
export { spellingVariant, typo } from './spelling.js';
export { operation, sites, routes, windows, SUSPENSION, NIGHT_CONVOYS } from './setting.js';
export { recordAgeBand, recordBirthYear } from './person.js';
export { Rng } from './rng.js';
export { isPhoneBoarding, PHONE_BOARDING_SHARE } from './facts.js';
export type * from './types.js';
export { shiftScenario, shiftDaysEndingAt, shiftedLatestTime, latestTime, shiftDay, CONTINUING_DAYS } from './timeline.js';
export { localDayIn, offsetAt, wallClockOf } from './zone.js';
