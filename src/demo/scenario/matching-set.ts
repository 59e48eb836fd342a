/**
 * A labelled synthetic set for the name matcher: records of people registered once, twice or
 * three times, with the pairs that truly are the same person. Duplicates differ the way field
 * registrations do (another transliteration, Arabic vs Latin script, grandfather's or father's
 * name left out, typos, ages off by a few years or rounded to 5, name parts in the wrong
 * field). The people come in families, so the set is full of hard negatives: brothers and
 * sisters sharing father, grandfather and family names; cousins named after the same
 * grandfather; a son named after his grandfather; unrelated "Mohammed Ahmad al-Ali"s.
 */
import {
  familyNames,
  maleGivenNames,
  pickClerkStyle,
  pickFamily,
  pickFemaleGivenExcept,
  pickMaleGiven,
  pickMaleGivenExcept,
  renderArabic,
  renderLatin,
  type NameEntry,
  type NameIdentity,
} from './names.js';
import { Rng } from './rng.js';
import { spellingVariant, typo } from './spelling.js';

export interface MatchingRecordRow {
  id: string;
  given_name: string;
  father_name: string;
  grandfather_name: string;
  family_name: string;
  sex: string;
  birth_year: string;
}

interface TruePerson {
  identity: NameIdentity;
  sex: 'male' | 'female';
  birthYear: number;
  /** Known by given and family name only (every registration of the person). */
  twoPart?: boolean;
}

const REFERENCE_YEAR = 2016;

function clampYear(y: number): number {
  return Math.max(1925, Math.min(REFERENCE_YEAR, Math.round(y)));
}

/** Children of one father: distinct given names, close birth years, a son often named after his grandfather. */
function childrenOf(
  rng: Rng,
  father: NameEntry,
  grandfather: NameEntry,
  family: NameEntry,
  count: number,
  firstYear: number,
  nameAfterGrandfather: boolean,
): TruePerson[] {
  const out: TruePerson[] = [];
  const taken: NameEntry[] = [];
  let year = firstYear;
  for (let i = 0; i < count; i++) {
    const sex = rng.chance(0.5) ? 'male' : 'female';
    let given: NameEntry;
    if (sex === 'male' && nameAfterGrandfather && !taken.includes(grandfather)) given = grandfather;
    else given = sex === 'male' ? pickMaleGivenExcept(rng, [...taken, father]) : pickFemaleGivenExcept(rng, taken);
    taken.push(given);
    out.push({ identity: { given, father, grandfather, family }, sex, birthYear: clampYear(year) });
    year += rng.int(1, 3);
  }
  return out;
}

/** One extended family: a grandfather, 1–3 of his sons (brothers) and their children. */
function familyCluster(rng: Rng): TruePerson[] {
  const family = pickFamily(rng);
  const greatGrandfather = pickMaleGiven(rng);
  const grandfather = pickMaleGivenExcept(rng, [greatGrandfather]);
  const sons = rng.chance(0.55) ? 1 : rng.int(2, 3);
  const people: TruePerson[] = [];
  const fathers: NameEntry[] = [];
  const grandfatherBorn = rng.int(1935, 1965);
  if (rng.chance(0.12)) {
    people.push({
      identity: { given: grandfather, father: greatGrandfather, grandfather: pickMaleGiven(rng), family },
      sex: 'male',
      birthYear: grandfatherBorn,
    });
  }
  // Some families are registered by given and family name only.
  const twoPart = rng.chance(0.08);
  for (let s = 0; s < sons; s++) {
    const father = pickMaleGivenExcept(rng, [...fathers, grandfather]);
    fathers.push(father);
    const fatherBorn = clampYear(grandfatherBorn + rng.int(20, 35));
    if (rng.chance(0.3))
      people.push({
        identity: { given: father, father: grandfather, grandfather: greatGrandfather, family },
        sex: 'male',
        birthYear: fatherBorn,
      });
    const children = rng.int(1, 6);
    const firstChild = Math.min(REFERENCE_YEAR - 2 * children, fatherBorn + rng.int(20, 32));
    people.push(...childrenOf(rng, father, grandfather, family, children, firstChild, rng.chance(sons > 1 ? 0.6 : 0.35)));
  }
  if (twoPart) for (const p of people) p.twoPart = true;
  return people;
}

const COMMON_GIVEN = maleGivenNames.entries.slice(0, 4);
const COMMON_FAMILY = familyNames.entries.slice(0, 4);

/** Unrelated people who share a very common given + father + family name combination. */
function commonComboCluster(rng: Rng): TruePerson[] {
  const given = rng.pick(COMMON_GIVEN);
  const father = rng.pick(COMMON_GIVEN.filter((e) => e !== given));
  const family = rng.pick(COMMON_FAMILY);
  const baseYear = rng.int(1950, 2005);
  const out: TruePerson[] = [];
  const count = rng.int(2, 4);
  for (let i = 0; i < count; i++) {
    const year = rng.chance(0.5) ? baseYear + rng.int(-4, 4) : rng.int(1945, 2012);
    out.push({ identity: { given, father, grandfather: pickMaleGiven(rng), family }, sex: 'male', birthYear: clampYear(year) });
  }
  return out;
}

function render(rng: Rng, p: TruePerson, arabic: boolean): MatchingRecordRow {
  const style = pickClerkStyle(rng);
  const parts = arabic ? renderArabic(p.identity, style) : renderLatin(rng, p.identity, style);
  return {
    id: '',
    given_name: parts.given,
    father_name: p.twoPart === true ? '' : parts.father,
    grandfather_name: p.twoPart === true ? '' : parts.grandfather,
    family_name: parts.family,
    sex: p.sex,
    birth_year: String(p.birthYear),
  };
}

/** Light noise every registration has, duplicate or not. */
function registrationNoise(rng: Rng, r: MatchingRecordRow, p: TruePerson): void {
  if (rng.chance(0.12)) r.birth_year = String(clampYear(REFERENCE_YEAR - 5 * Math.round((REFERENCE_YEAR - p.birthYear) / 5)));
  if (rng.chance(0.03)) r.birth_year = '';
  if (rng.chance(0.1)) r.grandfather_name = '';
  if (rng.chance(0.02)) r.sex = 'unknown';
}

type NameField = 'given_name' | 'father_name' | 'grandfather_name' | 'family_name';
const NAME_FIELDS: readonly NameField[] = ['given_name', 'father_name', 'grandfather_name', 'family_name'];

/** A second registration of the same person, differing as field registrations do. */
function duplicateOf(rng: Rng, p: TruePerson, first: MatchingRecordRow, firstArabic: boolean): MatchingRecordRow {
  const switchScript = rng.chance(0.35);
  const r = render(rng, p, switchScript ? !firstArabic : firstArabic);
  if (!switchScript) {
    // Same script: make sure at least one part is spelt differently, as a second clerk would.
    const f = rng.pick(NAME_FIELDS);
    if (r[f] === first[f]) r[f] = spellingVariant(rng, r[f]);
  }
  registrationNoise(rng, r, p);
  if (rng.chance(0.3)) {
    const f = rng.pick(NAME_FIELDS);
    r[f] = typo(rng, r[f]);
  }
  if (rng.chance(0.2)) r.grandfather_name = '';
  if (rng.chance(0.08)) r.father_name = '';
  if (rng.chance(0.3) && r.birth_year !== '')
    r.birth_year = String(clampYear(Number(r.birth_year) + (rng.chance(0.5) ? 1 : -1) * rng.int(1, 3)));
  layoutSlip(rng, r);
  return r;
}

/** Name parts in the wrong box: father and grandfather swapped, given and father swapped, or the family name in the grandfather's box. */
function layoutSlip(rng: Rng, r: MatchingRecordRow): void {
  if (rng.chance(0.07)) {
    const slip = rng.int(0, 2);
    if (slip === 0) [r.father_name, r.grandfather_name] = [r.grandfather_name, r.father_name];
    else if (slip === 1) [r.given_name, r.father_name] = [r.father_name, r.given_name];
    else [r.grandfather_name, r.family_name] = [r.family_name, ''];
  }
}

/**
 * The slips of a duplicate that any registration may have (parts left out, parts in the wrong
 * box), put on a first registration too: a clerk's slip does not depend on whether the person
 * was registered before, so a set fitted on must not teach that a left-out or moved part means
 * a second registration. From a generator of its own, so the set without them is unchanged.
 */
function firstRegistrationSlips(rng: Rng, r: MatchingRecordRow): void {
  if (rng.chance(0.2)) r.grandfather_name = '';
  if (rng.chance(0.08)) r.father_name = '';
  layoutSlip(rng, r);
}

/**
 * slipsOnEveryRecord: first registrations get the duplicates' missing parts and layout slips
 * too (the fit uses this: scripts/fit/fit-weights.ts); off by default, the set as it always was.
 */
export function generateMatchingSet(opts: { seed: number; people: number; slipsOnEveryRecord?: boolean }): {
  records: MatchingRecordRow[];
  truePairs: Array<[string, string]>;
} {
  const root = new Rng(opts.seed);
  const peopleRng = root.fork('matching:people');
  const people: TruePerson[] = [];
  while (people.length < opts.people) {
    const cluster = peopleRng.chance(0.08) ? commonComboCluster(peopleRng) : familyCluster(peopleRng);
    people.push(...cluster.slice(0, opts.people - people.length));
  }

  const recRng = root.fork('matching:records');
  const slipRng = root.fork('matching:first-registration-slips');
  const rows: Array<{ row: MatchingRecordRow; person: number }> = [];
  people.forEach((p, i) => {
    const arabic = recRng.chance(0.45);
    const first = render(recRng, p, arabic);
    registrationNoise(recRng, first, p);
    rows.push({ row: first, person: i });
    if (recRng.chance(0.35)) {
      const copies = recRng.chance(0.12) ? 2 : 1;
      for (let c = 0; c < copies; c++) rows.push({ row: duplicateOf(recRng, p, first, arabic), person: i });
    }
    // After the duplicates, which are drawn against the first registration as it was: the set's other draws stay as they were.
    if (opts.slipsOnEveryRecord === true) firstRegistrationSlips(slipRng, first);
  });

  root.fork('matching:order').shuffle(rows);
  const width = Math.max(6, String(rows.length).length);
  const byPerson = new Map<number, string[]>();
  rows.forEach((r, i) => {
    r.row.id = `m${String(i + 1).padStart(width, '0')}`;
    const ids = byPerson.get(r.person) ?? [];
    ids.push(r.row.id);
    byPerson.set(r.person, ids);
  });
  const truePairs: Array<[string, string]> = [];
  for (const ids of byPerson.values()) {
    for (let a = 0; a < ids.length; a++) for (let b = a + 1; b < ids.length; b++) truePairs.push([ids[a] as string, ids[b] as string]);
  }
  truePairs.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : 1));
  return { records: rows.map((r) => r.row), truePairs };
}
