/**
 * Comparison of name parts. Every spelling of one side is compared with every spelling of
 * the other and the best agreement wins: exact (same normalised text in the same script),
 * phonetic (same skeleton; two Arabic spellings must also agree on long vowels, because the
 * skeleton merges محمد/محمود and حسن/حسين), close (Jaro-Winkler on skeletons or a shared
 * word of a multi-word name), swapped (the value sits in another field of the other
 * record: names swapped, father's name in the given-name field), or disagree.
 */
import type { NameField, PreparedName, PreparedRecord } from './prepare.js';
import { NAME_FIELDS } from './prepare.js';
import { jaroWinkler } from './string-distance.js';

export const NAME_LEVELS = ['exact', 'phonetic', 'close', 'swapped', 'disagree'] as const;
export const NAME_EXACT = 0;
export const NAME_PHONETIC = 1;
export const NAME_CLOSE = 2;
export const NAME_SWAPPED = 3;
export const NAME_DISAGREE = 4;
export const MISSING = -1;

const CLOSE_JW = 0.88;

function pairLevel(a: PreparedName, b: PreparedName): number {
  if (a.arabic === b.arabic && a.norm === b.norm) return NAME_EXACT;
  if (a.skel === b.skel && a.skel !== '') {
    if (!(a.arabic && b.arabic) || a.fine === b.fine) return NAME_PHONETIC;
    return NAME_CLOSE;
  }
  if (a.skel.length >= 2 && b.skel.length >= 2 && jaroWinkler(a.skel, b.skel) >= CLOSE_JW) return NAME_CLOSE;
  if (a.words.length + b.words.length > 2 && a.words.some((w) => w.length >= 3 && b.words.includes(w))) return NAME_CLOSE;
  return NAME_DISAGREE;
}

/** Best level over all spellings of two values; MISSING when either side has none. */
export function compareNameValues(a: PreparedName[], b: PreparedName[]): number {
  if (a.length === 0 || b.length === 0) return MISSING;
  let best = NAME_DISAGREE;
  for (const x of a) {
    for (const y of b) {
      const l = pairLevel(x, y);
      if (l < best) best = l;
      if (best === NAME_EXACT) return best;
    }
  }
  return best;
}

function sameSkeleton(a: PreparedName[], b: PreparedName[]): boolean {
  return a.some((x) => b.some((y) => x.skel !== '' && x.skel === y.skel));
}

/**
 * Level of one name field, looking at the other record's other fields when the direct
 * comparison fails, so a name moved to a neighbouring field is not counted against.
 */
export function compareNameField(field: NameField, a: PreparedRecord, b: PreparedRecord, within: readonly NameField[]): number {
  const direct = compareNameValues(a.names[field], b.names[field]);
  if (direct !== MISSING && direct <= NAME_CLOSE) return direct;
  if (a.names[field].length === 0) return direct;
  for (const other of within) {
    if (other === field) continue;
    if (sameSkeleton(a.names[field], b.names[other]) || sameSkeleton(b.names[field], a.names[other])) return NAME_SWAPPED;
  }
  return direct;
}

export const LINEAGE_FIELDS: readonly NameField[] = ['father', 'grandfather', 'family'];

/**
 * Father, grandfather and family compared as one field: siblings and cousins share them
 * together, so counting each as independent evidence would link brothers. The level counts
 * agreeing and disagreeing parts; the per-part levels go into the explanation.
 */
export const LINEAGE_LEVELS = ['3 agree', '2 agree', '2 agree 1 differs', '1 agrees', '1 agrees 1+ differ', 'none agree'] as const;

export function compareLineage(a: PreparedRecord, b: PreparedRecord): { level: number; parts: Record<string, number> } {
  let agree = 0;
  let strong = 0;
  let differ = 0;
  const parts: Record<string, number> = {};
  for (const f of LINEAGE_FIELDS) {
    const l = compareNameField(f, a, b, NAME_FIELDS);
    parts[f] = l;
    if (l === MISSING) continue;
    // A part found only in another field is neither for nor against: it is how chains
    // shift, but also how cousins who reuse family names look.
    if (l === NAME_SWAPPED) continue;
    if (l <= NAME_PHONETIC) strong++;
    if (l <= NAME_CLOSE) agree++;
    else differ++;
  }
  if (agree + differ === 0) return { level: MISSING, parts };
  let level: number;
  if (agree === 3 && strong >= 2) level = 0;
  else if (agree >= 2 && differ === 0) level = 1;
  else if (agree >= 2) level = 2;
  else if (agree === 1 && differ === 0) level = 3;
  else if (agree === 1) level = 4;
  else level = 5;
  return { level, parts };
}
