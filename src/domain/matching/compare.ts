/**
 * The comparison vector of a pair: one agreement level per field. Which fields take part
 * depends on what the data has (a FEBRL file has no father's name, a registration has no
 * postcode), so the comparator list is built from a description of the data; extra mapped
 * fields are compared generically as text, codes or dates.
 */
import {
  compareChains,
  compareNameValues,
  GIVEN_IN_LINEAGE_CODES,
  GIVEN_IN_LINEAGE_LEVELS,
  LINEAGE_CLASS_CODES,
  LINEAGE_CLASSES,
  LINEAGE_CODES,
  LINEAGE_FIELDS,
  LINEAGE_LEVELS,
  lineageClassOf,
  lineageLevel,
  MISSING,
  NAME_CODES,
  NAME_LEVELS,
  NAME_PHONETIC,
} from './compare-names.js';
import { chainFrequencyComparator, givenFrequencyComparator } from './name-frequency.js';
import type { PreparedRecord } from './prepare.js';
import { hasAdjacentSwap, jaroWinkler, levenshtein } from './string-distance.js';
import type { ExtraKind } from './types.js';

export interface Comparison {
  level: number;
  detail?: string;
}

export interface Comparator {
  name: string;
  levels: readonly string[];
  /** A stable code per level, for translating explanations (the level names are English). */
  codes?: readonly string[];
  compare(a: PreparedRecord, b: PreparedRecord): Comparison;
  /**
   * The levels the pair can have, found without comparing names, for a comparator whose level
   * also depends on the name chain (batch.ts bounds a pair's weight with it); absent when the
   * comparator needs no names, or all of them.
   */
  levelsWithoutNames?(a: PreparedRecord, b: PreparedRecord): number[];
  /**
   * Levels that may only count against a match (weight at most 0, em.ts capPenalties): a name
   * part moved to another box is a clerk's slip that strangers' records show as often as a second
   * registration's, so a fit set whose slips happen to fall on duplicates must not teach that a
   * moved part is evidence for one person.
   */
  penaltyOnly?: readonly number[];
}

export interface DataShape {
  /** Whether father's or grandfather's names are present: lineage is then one field. */
  lineage: boolean;
  sex: boolean;
  birthYear: boolean;
  origin: boolean;
  household: boolean;
  extra: Record<string, ExtraKind>;
}

const describe = (l: number) => (l === MISSING ? 'missing' : (NAME_LEVELS[l] ?? String(l)));

const givenComparator: Comparator = {
  name: 'given',
  levels: NAME_LEVELS,
  codes: NAME_CODES,
  compare: (a, b) => {
    const c = compareChains(a, b);
    const r: Comparison = { level: c.levels.given };
    if (c.realigned) r.detail = c.alignment;
    return r;
  },
};

/** The given name jointly with the lineage class (see compare-names.ts), for chains with lineage. */
const givenInLineageComparator: Comparator = {
  name: 'given',
  levels: GIVEN_IN_LINEAGE_LEVELS,
  codes: GIVEN_IN_LINEAGE_CODES,
  compare: (a, b) => {
    const c = compareChains(a, b);
    if (c.levels.given === MISSING) return { level: MISSING };
    const r: Comparison = { level: c.levels.given + NAME_LEVELS.length * lineageClassOf(lineageLevel(c.levels)) };
    if (c.realigned) r.detail = c.alignment;
    return r;
  },
};

const familyComparator: Comparator = {
  name: 'family',
  levels: NAME_LEVELS,
  codes: NAME_CODES,
  compare: (a, b) => ({ level: compareChains(a, b).levels.family }),
};

const lineageComparator: Comparator = {
  name: 'lineage',
  levels: LINEAGE_LEVELS,
  codes: LINEAGE_CODES,
  compare: (a, b) => {
    const c = compareChains(a, b);
    const detail = LINEAGE_FIELDS.map((f) => `${f} ${describe(c.levels[f])}`).join(', ');
    return { level: lineageLevel(c.levels), detail };
  },
};

/**
 * Whether the chains were compared as registered or realigned (names in swapped fields). The
 * family name written in the grandfather's field, the grandfather left out, has a weight of its
 * own: a clerk's slip that no relative's chain imitates, unlike two swapped names (a father's
 * chain beside his son's). The swaps share one level so that a swap the training data never
 * shows (given and family) is not taken as impossible.
 */
const FAMILY_IN_GRANDFATHER = 'family in the grandfather field';

const orderInLineageComparator: Comparator = {
  name: 'order',
  levels: ['as registered', 'realigned', FAMILY_IN_GRANDFATHER],
  codes: ['as_registered', 'realigned', 'realigned'],
  penaltyOnly: [1, 2],
  compare: (a, b) => {
    const c = compareChains(a, b);
    if (!c.realigned) return { level: 0 };
    return { level: c.alignment === FAMILY_IN_GRANDFATHER ? 2 : 1, detail: c.alignment };
  },
};

/** Without father's and grandfather's names only given and family can be swapped. */
const orderComparator: Comparator = {
  name: 'order',
  levels: ['as registered', 'realigned'],
  codes: ['as_registered', 'realigned'],
  penaltyOnly: [1],
  compare: (a, b) => {
    const c = compareChains(a, b);
    return c.realigned ? { level: 1, detail: c.alignment } : { level: 0 };
  },
};

const sexComparator: Comparator = {
  name: 'sex',
  levels: ['agree', 'disagree'],
  codes: ['agree', 'disagree'],
  compare: (a, b) => ({ level: a.sex === '' || b.sex === '' ? MISSING : a.sex === b.sex ? 0 : 1 }),
};

/**
 * Birth years by distance. Registrations give ages that are off by a year or two, or
 * rounded to five years; the weights of each distance are learned, so a 3-year gap counts
 * mildly for a match rather than against it. An estimated year on either side widens the
 * tolerance: its gap is counted one level closer.
 */
export const BIRTH_YEAR_LEVELS = ['exact', 'within 1', 'within 2', 'within 3', 'within 5', 'within 10', 'disagree'] as const;
export const BIRTH_YEAR_CODES = ['exact', 'within_1', 'within_2', 'within_3', 'within_5', 'within_10', 'disagree'] as const;

const birthYearComparator: Comparator = {
  name: 'birthYear',
  levels: BIRTH_YEAR_LEVELS,
  codes: BIRTH_YEAR_CODES,
  compare: (a, b) => {
    if (a.birthYear === null || b.birthYear === null) return { level: MISSING };
    const d = Math.abs(a.birthYear - b.birthYear);
    let level = d === 0 ? 0 : d <= 1 ? 1 : d <= 2 ? 2 : d <= 3 ? 3 : d <= 5 ? 4 : d <= 10 ? 5 : 6;
    const estimated = a.birthYearEstimated || b.birthYearEstimated;
    if (estimated && level > 1) level--;
    return { level, detail: `${a.birthYear} vs ${b.birthYear}${estimated ? ' (estimated)' : ''}` };
  },
};

function textComparator(name: string, get: (r: PreparedRecord) => string): Comparator {
  return {
    name,
    levels: ['exact', 'close', 'similar', 'disagree'],
    codes: ['exact', 'close', 'similar', 'disagree'],
    compare: (a, b) => {
      const x = get(a);
      const y = get(b);
      if (x === '' || y === '') return { level: MISSING };
      if (x === y) return { level: 0 };
      const jw = jaroWinkler(x, y);
      return { level: jw >= 0.92 ? 1 : jw >= 0.8 ? 2 : 3 };
    },
  };
}

function codeComparator(name: string, get: (r: PreparedRecord) => string): Comparator {
  return {
    name,
    levels: ['exact', 'one edit', 'disagree'],
    codes: ['exact', 'one_edit', 'disagree'],
    compare: (a, b) => {
      const x = get(a);
      const y = get(b);
      if (x === '' || y === '') return { level: MISSING };
      if (x === y) return { level: 0 };
      return { level: levenshtein(x, y, 1) <= 1 || hasAdjacentSwap(x, y) ? 1 : 2 };
    },
  };
}

/** Dates as digits (YYYYMMDD, YYYY-MM-DD …): day and month swapped counts as one error. */
function dateComparator(name: string, get: (r: PreparedRecord) => string): Comparator {
  const digits = (s: string) => s.replace(/\D/g, '');
  return {
    name,
    levels: ['exact', 'one error', 'same year', 'disagree'],
    codes: ['exact', 'one_error', 'same_year', 'disagree'],
    compare: (a, b) => {
      const x = digits(get(a));
      const y = digits(get(b));
      if (x === '' || y === '') return { level: MISSING };
      if (x === y) return { level: 0 };
      const swapped =
        x.length === 8 &&
        y.length === 8 &&
        x.slice(0, 4) === y.slice(0, 4) &&
        x.slice(4, 6) === y.slice(6, 8) &&
        x.slice(6, 8) === y.slice(4, 6);
      if (swapped || levenshtein(x, y, 1) <= 1 || hasAdjacentSwap(x, y)) return { level: 1 };
      return { level: x.slice(0, 4) === y.slice(0, 4) ? 2 : 3 };
    },
  };
}

/**
 * Birth years jointly with the lineage class, for chains with lineage. Brothers and sisters
 * share their lineage and are born a year or three apart, so under an agreeing lineage a gap
 * of one to three years is what a sibling looks like as much as a second registration, while
 * between strangers any year is as good as another. The weights are normalised within each
 * class (em.ts, conditionLineage): the class itself is counted once, by the given name.
 */
const birthYearInLineageComparator: Comparator = {
  name: 'birthYear',
  levels: LINEAGE_CLASSES.flatMap((c) => BIRTH_YEAR_LEVELS.map((l) => `${l}, ${c}`)),
  codes: LINEAGE_CLASS_CODES.flatMap((c) => BIRTH_YEAR_CODES.map((l) => `${l}:${c}`)),
  compare: (a, b) => {
    const r = birthYearComparator.compare(a, b);
    if (r.level === MISSING) return r;
    return { ...r, level: r.level + BIRTH_YEAR_LEVELS.length * lineageClassOf(lineageLevel(compareChains(a, b).levels)) };
  },
  levelsWithoutNames: (a, b) => {
    const { level } = birthYearComparator.compare(a, b);
    return level === MISSING ? [] : LINEAGE_CLASSES.map((_, c) => level + BIRTH_YEAR_LEVELS.length * c);
  },
};

/**
 * Whether both records name a boy after his grandfather (given name and grandfather's name
 * agree within each record), when the two given names agree. A first son is often named after
 * his paternal grandfather, so cousins — sons of brothers — share given, grandfather and family
 * name, and with the father left out on one side look like one boy registered twice. Weighed
 * jointly with the lineage class, normalised within it (em.ts) like the birth year.
 */
export const NAMED_AFTER_LEVELS = ['named after the grandfather', 'not named after the grandfather'] as const;

const namedAfterGrandfatherComparator: Comparator = {
  name: 'namedAfterGrandfather',
  levels: LINEAGE_CLASSES.flatMap((c) => NAMED_AFTER_LEVELS.map((l) => `${l}, ${c}`)),
  codes: LINEAGE_CLASS_CODES.flatMap((c) => ['named_after_grandfather', 'not_named_after_grandfather'].map((l) => `${l}:${c}`)),
  compare: (a, b) => {
    if (a.names.grandfather.length === 0 || b.names.grandfather.length === 0) return { level: MISSING };
    const c = compareChains(a, b);
    if (c.levels.given === MISSING || c.levels.given > NAME_PHONETIC || c.realigned) return { level: MISSING };
    const named = (r: PreparedRecord) => {
      const l = compareNameValues(r.names.given, r.names.grandfather);
      return l !== MISSING && l <= NAME_PHONETIC;
    };
    const level = named(a) && named(b) ? 0 : 1;
    return { level: level + NAMED_AFTER_LEVELS.length * lineageClassOf(lineageLevel(c.levels)) };
  },
};

export function buildComparators(shape: DataShape): Comparator[] {
  const list: Comparator[] = shape.lineage ? [givenInLineageComparator, lineageComparator] : [givenComparator, familyComparator];
  list.push(shape.lineage ? orderInLineageComparator : orderComparator);
  list.push(givenFrequencyComparator);
  if (shape.lineage) list.push(chainFrequencyComparator, namedAfterGrandfatherComparator);
  if (shape.sex) list.push(sexComparator);
  if (shape.birthYear) list.push(shape.lineage ? birthYearInLineageComparator : birthYearComparator);
  if (shape.origin) list.push(textComparator('origin', (r) => r.origin));
  if (shape.household) list.push(codeComparator('household', (r) => r.householdId));
  for (const [field, kind] of Object.entries(shape.extra)) {
    const get = (r: PreparedRecord) => r.extra[field] ?? '';
    const name = `extra.${field}`;
    list.push(kind === 'text' ? textComparator(name, get) : kind === 'code' ? codeComparator(name, get) : dateComparator(name, get));
  }
  return list;
}

/** Shape of a set of prepared records: a field takes part when any record has it. */
export function shapeOf(records: readonly PreparedRecord[], extra: Record<string, ExtraKind> = {}): DataShape {
  const any = (f: (r: PreparedRecord) => boolean) => records.some(f);
  return {
    lineage: any((r) => r.names.father.length > 0 || r.names.grandfather.length > 0),
    sex: any((r) => r.sex !== ''),
    birthYear: any((r) => r.birthYear !== null),
    origin: any((r) => r.origin !== ''),
    household: any((r) => r.householdId !== ''),
    extra,
  };
}
