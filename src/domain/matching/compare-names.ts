/**
 * Comparison of name parts. Every spelling of one side is compared with every spelling of
 * the other and the best agreement wins: exact (same normalised text in the same script),
 * phonetic (same skeleton and, between two spellings in one script, the same long vowels
 * or vowel pattern), spelling differs (same skeleton but a long vowel or vowel pattern
 * differs: محمد/محمود, Mohammed/Mahmoud — a different name as often as a second spelling),
 * typo (one keystroke apart in the same script), one edit (skeletons one edit apart: across
 * scripts, or a second spelling with a change — Rasha/Rola), similar (Jaro-Winkler on
 * skeletons, or a shared word of a compound),
 * another known name (one edit or similar, but both sides are common names — Rasha/Rola,
 * عبيدة/عماد: a sister or a cousin more often than a typo, which leaves a rare form), or
 * disagree.
 *
 * The name chain (given, father, grandfather, family) is compared under a few alignments —
 * as registered, given⇄father, father⇄grandfather, given⇄family swapped, and the family name
 * written in the grandfather's field — and the best one is kept; the `order` field tells
 * whether a realignment was needed, so its weight is learned like any other.
 */
import { crossScriptVerdict, usualSkeletonEdit } from '../names/index.js';
import type { NameField, PreparedName, PreparedRecord } from './prepare.js';
import { bareArabic } from './readings.js';
import { hasAdjacentSwap, jaroWinkler, levenshtein } from './string-distance.js';

export const NAME_LEVELS = [
  'exact',
  'phonetic',
  'spelling differs',
  'typo',
  'one edit',
  'one edit across scripts',
  'similar',
  'another known name',
  'disagree',
] as const;
/** Stable codes of NAME_LEVELS, for translation. */
export const NAME_CODES = [
  'exact',
  'phonetic',
  'spelling_differs',
  'typo',
  'one_edit',
  'one_edit',
  'similar',
  'other_known_name',
  'disagree',
] as const;
export const NAME_EXACT = 0;
export const NAME_PHONETIC = 1;
export const NAME_SPELLING = 2;
/** One keystroke apart in the same script (a typing error). */
export const NAME_TYPO = 3;
/** One edit apart in the skeleton only (across scripts, or a second spelling plus a change). */
export const NAME_EDIT = 4;
/**
 * Skeletons one edit apart between an Arabic and a Latin spelling: a transliteration loses or
 * adds a consonant (Kiesza/كايزا, Bolkan/بولكان) far more often than a typist does, so it has a
 * weight of its own (the same code as one edit for translation). A difference that transliterations
 * usually make (names/skeleton-edits.ts: a final s written ز, a w written ف) is phonetic instead.
 */
export const NAME_EDIT_ACROSS = 5;
export const NAME_SIMILAR = 6;
export const NAME_OTHER_KNOWN = 7;
export const NAME_DISAGREE = 8;
export const MISSING = -1;

const SIMILAR_JW = 0.88;

function isTypo(a: PreparedName, b: PreparedName): boolean {
  return (
    a.arabic === b.arabic &&
    a.norm.length >= 3 &&
    b.norm.length >= 3 &&
    (levenshtein(a.norm, b.norm, 1) <= 1 || hasAdjacentSwap(a.norm, b.norm))
  );
}

/**
 * Consonant skeletons this short collide between names (Zoubi/Zayat: zb/zt, Rima/Rana): one
 * edit or a Jaro-Winkler likeness between two of them says nothing about one name. Within one
 * script only: across scripts a short skeleton loses letters to the transliteration.
 */
const SHORT_SKELETON = 2;

function closeLevel(a: PreparedName, b: PreparedName): number {
  if (isTypo(a, b)) return NAME_TYPO;
  if (a.arabic === b.arabic && Math.max(a.skel.length, b.skel.length) <= SHORT_SKELETON) return NAME_DISAGREE;
  if (a.skel.length >= 2 && b.skel.length >= 2 && levenshtein(a.skel, b.skel, 1) <= 1) {
    if (a.arabic === b.arabic) return NAME_EDIT;
    // A letter that a transliteration usually changes (Niels / نيلز, Walther / فالتر) is a second writing of one name.
    return usualSkeletonEdit(a.arabic ? b.skel : a.skel, a.arabic ? a.skel : b.skel) ? NAME_PHONETIC : NAME_EDIT_ACROSS;
  }
  if (a.skel.length >= 2 && b.skel.length >= 2 && jaroWinkler(a.skel, b.skel) >= SIMILAR_JW) return NAME_SIMILAR;
  if (a.words.length + b.words.length > 2 && a.words.some((w) => w.length >= 3 && b.words.includes(w))) return NAME_SIMILAR;
  return NAME_DISAGREE;
}

/** A Latin and an Arabic spelling with one skeleton whose vowels say they are two names (Maryam / مرام). */
function crossScriptOther(a: PreparedName, b: PreparedName): boolean {
  const [lat, ar] = a.arabic ? [b, a] : [a, b];
  return crossScriptVerdict(lat.translit, ar.translit, ar.norm) === 'other';
}

const readsOf = (n: PreparedName) => n.reads ?? [];

/** Two Latin spellings that both read as the same common Arabic name (Fatima/Fatme: فاطمة). */
function readAsOne(a: PreparedName, b: PreparedName): boolean {
  const x = readsOf(a);
  const y = readsOf(b);
  return x.length > 0 && x[0] === y[0];
}

/** Two Latin spellings whose best readings are two different common names, neither a reading of the other's best. */
function readAsTwo(a: PreparedName, b: PreparedName): boolean {
  const x = readsOf(a);
  const y = readsOf(b);
  return x.length > 0 && y.length > 0 && x[0] !== y[0] && !(x.includes(y[0] as string) && y.includes(x[0] as string));
}

/**
 * Two spellings that each write a common name, and not the same one (readings.ts): Rasha/Rola,
 * Amir/ثامر. A Latin spelling that reads as no common name (a typo: Osnan) never counts.
 */
function readAsOthers(a: PreparedName, b: PreparedName): boolean {
  if (a.arabic && b.arabic) return false;
  if (a.arabic || b.arabic) {
    const [lat, ar] = a.arabic ? [b, a] : [a, b];
    const reads = readsOf(lat);
    return ar.known && ar.transliterationVariant !== true && reads.length > 0 && !reads.includes(bareArabic(ar.norm));
  }
  const x = readsOf(a);
  const y = readsOf(b);
  return x.length > 0 && y.length > 0 && !x.some((r) => y.includes(r));
}

/**
 * A Latin spelling that writes a common Arabic name, beside an Arabic spelling that is no
 * common name but one keystroke from that one (Ali beside لعي, Bilal beside بلةل): a typo of
 * it, as between two Arabic spellings. Beside another common name it is another name.
 */
function typoOfReading(a: PreparedName, b: PreparedName): boolean {
  const oneKey = (x: string, y: string) => x.length >= 3 && y.length >= 3 && (levenshtein(x, y, 1) <= 1 || hasAdjacentSwap(x, y));
  if (a.arabic && b.arabic) return false;
  if (!a.arabic && !b.arabic) {
    // Two Latin spellings: one writes no common name and is one keystroke from a spelling the
    // batch has of the name the other writes (Moammed beside Muhammad: Mohamed is in the batch).
    if (a.transliterationVariant === true || b.transliterationVariant === true) return false;
    const [typo, name] = readsOf(a).length === 0 ? [a, b] : [b, a];
    return readsOf(typo).length === 0 && (name.spellingsOfReading ?? []).some((x) => oneKey(x, typo.norm));
  }
  const [lat, ar] = a.arabic ? [b, a] : [a, b];
  if (ar.transliterationVariant === true) return false;
  if (!ar.known) {
    // The keystroke may fall on the article (يلبيطار, ارقصاب beside al-Bitar, al-Qassab).
    const bare = bareArabic(ar.norm);
    return readsOf(lat).some((r) => oneKey(r, bare) || oneKey(`ال${r}`, ar.norm));
  }
  // The mirror: a Latin spelling that writes no common name, one keystroke from a Latin
  // spelling of this Arabic name seen in the batch (Muammad beside Muhammad, for محمد).
  return readsOf(lat).length === 0 && lat.transliterationVariant !== true && (ar.latinSpellings ?? []).some((x) => oneKey(x, lat.norm));
}

function pairLevel(a: PreparedName, b: PreparedName): number {
  if (a.arabic === b.arabic && a.norm === b.norm) return NAME_EXACT;
  if (a.skel === b.skel && a.skel !== '') {
    if (a.arabic !== b.arabic) return !crossScriptOther(a, b) ? NAME_PHONETIC : readAsOthers(a, b) ? NAME_OTHER_KNOWN : NAME_SPELLING;
    // Two Latin spellings whose usual readings are two common names (Hasan/Hosein: حسن, حسين) — the
    // short skeleton and a vowel pattern the fine form cannot tell apart hide two names.
    if (a.fine === b.fine) return !a.arabic && readAsTwo(a, b) ? (isTypo(a, b) ? NAME_TYPO : NAME_SPELLING) : NAME_PHONETIC;
    // Latin vowel patterns that differ (Fatima/Fatme) but write the same common name.
    if (!a.arabic && readAsOne(a, b)) return NAME_PHONETIC;
    // One keystroke apart (Khlaid/Khalid, Lbuna/Lubna) is a typo, unless both are common
    // Arabic-script names (محمد/محمود: two names one letter apart).
    if (a.arabic && a.known && b.known) return NAME_OTHER_KNOWN;
    return isTypo(a, b) ? NAME_TYPO : NAME_SPELLING;
  }
  if (typoOfReading(a, b)) return NAME_TYPO;
  const close = closeLevel(a, b);
  if (close === NAME_DISAGREE) return close;
  // Two common Arabic-script names, or spellings that read as two common Arabic names. Two
  // common Latin forms alone may still be one name (Ahmed/Ahmet, Brahim/ابراهيم).
  if (a.arabic && b.arabic) return a.known && b.known ? NAME_OTHER_KNOWN : close;
  if (!readAsOthers(a, b)) return close;
  // One keystroke between two names' spellings (Khalid/Khalif, Anas/Anew) is as often a typo
  // landing on another name as a second name: a weak agreement, not a disagreement.
  return close === NAME_TYPO ? NAME_EDIT : NAME_OTHER_KNOWN;
}

/** Best level over all spellings of two values; MISSING when either side has none. */
export function compareNameValues(a: readonly PreparedName[], b: readonly PreparedName[]): number {
  if (a.length === 0 || b.length === 0) return MISSING;
  let best = NAME_DISAGREE;
  for (const x of a) {
    for (const y of b) {
      // The extra skeletons are transliteration habits: between two Arabic spellings they would merge names (ذكي/زكي).
      if ((x.transliterationVariant === true || y.transliterationVariant === true) && x.arabic && y.arabic) continue;
      const l = pairLevel(x, y);
      if (l < best) best = l;
      if (best === NAME_EXACT) return best;
    }
  }
  return best;
}

export const CHAIN: readonly NameField[] = ['given', 'father', 'grandfather', 'family'];
export const LINEAGE_FIELDS: readonly NameField[] = ['father', 'grandfather', 'family'];

/** An alignment: for each field of a, the field of b it is compared with (or none). */
interface Alignment {
  name: string;
  map: Record<NameField, NameField | null>;
  /** Applies only when this holds. */
  when?: (a: PreparedRecord, b: PreparedRecord) => boolean;
}

const empty = (r: PreparedRecord, f: NameField) => r.names[f].length === 0;

const ALIGNMENTS: readonly Alignment[] = [
  { name: 'as registered', map: { given: 'given', father: 'father', grandfather: 'grandfather', family: 'family' } },
  { name: 'given and father swapped', map: { given: 'father', father: 'given', grandfather: 'grandfather', family: 'family' } },
  { name: 'father and grandfather swapped', map: { given: 'given', father: 'grandfather', grandfather: 'father', family: 'family' } },
  { name: 'given and family swapped', map: { given: 'family', father: 'father', grandfather: 'grandfather', family: 'given' } },
  {
    name: 'family in the grandfather field',
    map: { given: 'given', father: 'father', grandfather: null, family: 'grandfather' },
    when: (a, b) => empty(b, 'family') && !empty(b, 'grandfather'),
  },
  {
    name: 'family in the grandfather field',
    map: { given: 'given', father: 'father', grandfather: 'family', family: 'grandfather' },
    when: (a, b) => empty(a, 'family') && !empty(a, 'grandfather') && !empty(b, 'family'),
  },
];

export interface ChainComparison {
  /** Level per field of a (MISSING when a side has no value under the alignment). */
  levels: Record<NameField, number>;
  alignment: string;
  realigned: boolean;
}

/** Points of one part for choosing an alignment: agreement counts, disagreement against. */
function points(level: number): number {
  if (level === MISSING) return 0;
  if (level <= NAME_PHONETIC) return 2;
  if (level <= NAME_SIMILAR) return 1;
  return -1;
}

let cacheA: PreparedRecord | null = null;
let cacheB: PreparedRecord | null = null;
let cacheResult: ChainComparison | null = null;

/**
 * The name chains of two records under their best alignment. A realignment must gain at
 * least two points (one more part agreeing strongly) over the chain as registered. The
 * last result is kept, since the given, lineage and order comparators ask for the same pair.
 */
export function compareChains(a: PreparedRecord, b: PreparedRecord): ChainComparison {
  if (a === cacheA && b === cacheB && cacheResult !== null) return cacheResult;
  const memo = new Map<string, number>();
  const level = (fa: NameField, fb: NameField | null): number => {
    if (fb === null) return MISSING;
    const key = `${fa}>${fb}`;
    let l = memo.get(key);
    if (l === undefined) memo.set(key, (l = compareNameValues(a.names[fa], b.names[fb])));
    return l;
  };
  let best: ChainComparison | null = null;
  let bestPoints = Number.NEGATIVE_INFINITY;
  let registeredPoints = 0;
  for (const al of ALIGNMENTS) {
    if (al.when !== undefined && !al.when(a, b)) continue;
    const levels = {} as Record<NameField, number>;
    let p = 0;
    for (const f of CHAIN) {
      const l = level(f, al.map[f]);
      levels[f] = l;
      p += points(l);
    }
    if (best === null) {
      best = { levels, alignment: al.name, realigned: false };
      bestPoints = registeredPoints = p;
    } else if (p >= registeredPoints + 2 && p > bestPoints) {
      best = { levels, alignment: al.name, realigned: true };
      bestPoints = p;
    }
  }
  cacheA = a;
  cacheB = b;
  cacheResult = best as ChainComparison;
  return cacheResult;
}

/**
 * Father, grandfather and family compared as one field: siblings and cousins share them
 * together, so counting each as independent evidence would link brothers. The level is the
 * number of parts that agree strongly (exact or phonetic), weakly (spelling differs, one
 * edit, similar) and that disagree (another known name, disagree).
 */
export const LINEAGE_COUNTS: ReadonlyArray<readonly [number, number, number]> = (() => {
  const out: Array<[number, number, number]> = [];
  for (let n = 3; n >= 1; n--) for (let s = n; s >= 0; s--) for (let w = n - s; w >= 0; w--) out.push([s, w, n - s - w]);
  return out;
})();

export const LINEAGE_LEVELS: readonly string[] = LINEAGE_COUNTS.map(([s, w, d]) =>
  [s > 0 ? `${s} agree` : '', w > 0 ? `${w} close` : '', d > 0 ? `${d} differ` : ''].filter((x) => x !== '').join(', '),
);
/** Stable codes of LINEAGE_LEVELS: agree_S_close_W_differ_D. */
export const LINEAGE_CODES: readonly string[] = LINEAGE_COUNTS.map(([s, w, d]) => `agree_${s}_close_${w}_differ_${d}`);

export function lineageLevel(levels: Record<NameField, number>): number {
  let s = 0;
  let w = 0;
  let d = 0;
  for (const f of LINEAGE_FIELDS) {
    const l = levels[f];
    if (l === MISSING) continue;
    if (l <= NAME_PHONETIC || l === NAME_TYPO) s++;
    else if (l <= NAME_SIMILAR) w++;
    else d++;
  }
  if (s + w + d === 0) return MISSING;
  return LINEAGE_COUNTS.findIndex(([x, y, z]) => x === s && y === w && z === d);
}

/**
 * What the lineage says, in four classes. Siblings share their lineage, so how much a given
 * name's agreement is worth depends on it: with the same father and family, different given
 * names mean brothers; with different lineages, the same given name means little. The given
 * name is therefore compared jointly with this class.
 */
export const LINEAGE_CLASSES = ['lineage agrees', 'lineage partly agrees', 'lineage differs', 'lineage missing'] as const;

export function lineageClassOf(lineage: number): number {
  if (lineage === MISSING) return 3;
  const [s, w, d] = LINEAGE_COUNTS[lineage] as readonly [number, number, number];
  if (s + w === 0) return 2;
  // Agreeing means some part agrees strongly: a lone family name one edit off (al-Issa / Ali, all
  // that two-part records have) only partly agrees, or strangers with one given name link.
  return d === 0 && s > 0 ? 0 : 1;
}

export const LINEAGE_CLASS_CODES = ['lineage_agrees', 'lineage_partly_agrees', 'lineage_differs', 'lineage_missing'] as const;

export const GIVEN_IN_LINEAGE_LEVELS: readonly string[] = LINEAGE_CLASSES.flatMap((c) => NAME_LEVELS.map((l) => `${l}, ${c}`));
/** Stable codes of GIVEN_IN_LINEAGE_LEVELS: name code and lineage class code joined by ':'. */
export const GIVEN_IN_LINEAGE_CODES: readonly string[] = LINEAGE_CLASS_CODES.flatMap((c) => NAME_CODES.map((l) => `${l}:${c}`));
