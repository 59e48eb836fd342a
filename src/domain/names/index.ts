/**
 * Names: normalisation of Arabic and Latin script, the shared phonetic skeleton, and the
 * blocking and search keys built on it. Pure functions; the callers store and compare keys.
 */
export type { NameKey, NameParts, PersonNames } from './types.js';
export { normaliseArabic, hasArabicScript, mapDigits } from './arabic.js';
export { normaliseLatin } from './latin.js';
export { skeleton } from './skeleton.js';
export { skeletonEdit, usualSkeletonEdit } from './skeleton-edits.js';
export { blockingKeys, searchKeys, KEY_KINDS } from './keys.js';
export {
  bestScore as transliterationFormScore,
  crossScriptVerdict,
  sameNameAcrossScripts,
  transliterationForm,
  transliterationScore,
} from './transliteration.js';
export type { TransliterationForm } from './transliteration.js';
export { arrangeNameParts, splitNameParts, stripInvisible } from './parts.js';
export { searchTier, SEARCH_TIERS, type SearchTier } from './search-rank.js';
