/**
 * A held-out evaluation set of Syrian registrations, made with a model of errors of its own —
 * not the fit set's (src/demo/scenario/matching-set.ts), so a matcher that has learned the fit
 * set's habits is caught out here. Only the name lists are shared (the vocabulary of the
 * region); how the names are written, misplaced and mistyped is this file's:
 *
 * - layout: the whole name typed into the given-name (or family-name) field, with "بن"/"bin"
 *   sometimes between the parts; the grandfather left out and the family name typed into the
 *   grandfather's box; given and father swapped; parts left out; a title (الحاج, Haj) in front;
 * - people known by two name parts only (given and family);
 * - family names that are a kunya (أبو أحمد, Abu Ahmad, Abou Ahmed) and must stay one part;
 * - spelling: any of the Latin transliterations with equal chance, vowels dropped or changed
 *   (Mohmmad, Ahmed → Ahmad), doubled letters undone, Arabic taa marbuta as ه, final ي/ى
 *   swapped, hamza seats dropped; one random letter dropped, repeated or swapped;
 * - years: Arabic-Indic digits (١٩٨٥) in Arabic records, ages rounded, a year or two off.
 *
 * Nothing in scripts/fit may import this file or its seed (test/held-out-separation.test.ts).
 */
import { familyNames, femaleGivenNames, maleGivenNames, pickName, type NameEntry, type NameList } from '../../src/demo/scenario/names.js';
import { Rng } from '../../src/demo/scenario/rng.js';

/** The held-out sets' seed: no fit, threshold or development run uses it. */
export const HELD_OUT_SEED = 7_310_026;

export interface HeldOutRow {
  id: string;
  given_name: string;
  father_name: string;
  grandfather_name: string;
  family_name: string;
  sex: string;
  birth_year: string;
}

export interface HeldOutSet {
  rows: HeldOutRow[];
  truePairs: Array<[string, string]>;
  /** Ids of records of people known by two name parts only. */
  twoPart: Set<string>;
}

interface Person {
  given: NameEntry;
  father: NameEntry;
  grandfather: NameEntry;
  family: NameEntry;
  /** The family name is a kunya (Abu + a given name). */
  kunya: boolean;
  sex: 'male' | 'female';
  year: number;
  twoPart: boolean;
}

const pickExcept = (rng: Rng, list: NameList, taken: readonly NameEntry[]): NameEntry => {
  for (let i = 0; i < 30; i++) {
    const e = pickName(rng, list);
    if (!taken.includes(e)) return e;
  }
  return list.entries.find((e) => !taken.includes(e)) as NameEntry;
};

function familyOf(rng: Rng): Person[] {
  const kunya = rng.chance(0.1);
  const family = kunya ? pickName(rng, maleGivenNames) : pickName(rng, familyNames);
  const grandfather = pickName(rng, maleGivenNames);
  const twoPart = rng.chance(0.15);
  const out: Person[] = [];
  const fathers: NameEntry[] = [];
  const base = rng.int(1940, 1975);
  // Known by two parts only, cousins could not be told apart by anyone: they get distinct names.
  const familyTaken: NameEntry[] = [];
  for (let s = rng.chance(0.5) ? 1 : rng.int(2, 3); s > 0; s--) {
    const father = pickExcept(rng, maleGivenNames, [...fathers, grandfather]);
    fathers.push(father);
    let year = Math.min(2014, base + rng.int(20, 34));
    const taken: NameEntry[] = twoPart ? familyTaken : [];
    for (let c = rng.int(1, 5); c > 0; c--) {
      const sex = rng.chance(0.5) ? 'male' : 'female';
      const given =
        sex === 'male' && rng.chance(0.3) && !taken.includes(grandfather)
          ? grandfather
          : pickExcept(rng, sex === 'male' ? maleGivenNames : femaleGivenNames, [...taken, father]);
      taken.push(given);
      out.push({ given, father, grandfather, family, kunya, sex, year: Math.min(2016, year), twoPart });
      year += rng.int(1, 3);
    }
  }
  return out;
}

function latinOf(rng: Rng, e: NameEntry): string {
  return rng.pick(e.lat);
}

/** Transliteration slips of this set's own: vowels dropped or changed, doubled letters undone. */
function latinSlip(rng: Rng, s: string): string {
  const kind = rng.int(0, 4);
  if (kind === 0) return s.replace(/([^aeiou\s])[aeiou]([^aeiou\s])/i, '$1$2'); // Mohmmad
  if (kind === 1) return s.replace(/e/, 'a').replace(/o(?=[^u])/, 'u');
  if (kind === 2) return s.replace(/([a-z])\1/i, '$1');
  if (kind === 3) return s.replace(/([^aeiou])$/i, '$1e');
  return s.replace(/i/, 'e');
}

function arabicSlip(rng: Rng, s: string): string {
  const kind = rng.int(0, 3);
  if (kind === 0) return s.replace(/ة$/, 'ه');
  if (kind === 1) return s.replace(/ى$/, 'ي').replace(/ي$/, 'ى');
  if (kind === 2) return s.replace(/[أإآ]/g, 'ا');
  return s.replace(/^عبد /, 'عبد');
}

/** One random letter dropped, repeated or swapped with the next. */
function keySlip(rng: Rng, s: string): string {
  const chars = [...s];
  const letters = chars.map((c, i) => (/\p{L}/u.test(c) ? i : -1)).filter((i) => i > 0);
  if (letters.length < 4) return s;
  const i = rng.pick(letters);
  const kind = rng.int(0, 2);
  if (kind === 0) chars.splice(i, 1);
  else if (kind === 1) chars.splice(i, 0, chars[i] as string);
  else if (i + 1 < chars.length && /\p{L}/u.test(chars[i + 1] as string))
    [chars[i], chars[i + 1]] = [chars[i + 1] as string, chars[i] as string];
  return chars.join('');
}

const ARABIC_DIGITS = '٠١٢٣٤٥٦٧٨٩';

function render(rng: Rng, p: Person, arabic: boolean, duplicate: boolean): Omit<HeldOutRow, 'id'> {
  const part = (e: NameEntry) => {
    let s = arabic ? e.ar : latinOf(rng, e);
    if (rng.chance(0.15)) s = arabic ? arabicSlip(rng, s) : latinSlip(rng, s);
    if (duplicate && rng.chance(0.08)) s = keySlip(rng, s);
    return s;
  };
  let family: string;
  if (p.kunya) {
    const abu = arabic ? rng.pick(['أبو ', 'ابو ']) : rng.pick(['Abu ', 'Abou ', 'Abo ']);
    family = abu + part(p.family);
  } else {
    family = part(p.family);
    if (!arabic && p.family.article) family = rng.pick(['al-', 'Al-', 'El ', 'Al ', '']) + family;
  }
  let given = part(p.given);
  let father = p.twoPart ? '' : part(p.father);
  let grandfather = p.twoPart || rng.chance(0.25) ? '' : part(p.grandfather);
  if (!p.twoPart && rng.chance(0.06)) father = '';
  if (p.sex === 'male' && p.year < 1966 && rng.chance(0.15)) given = (arabic ? 'الحاج ' : rng.pick(['Haj ', 'Hajj ', 'Al-Haj '])) + given;
  // Layout slips, on any registration.
  const layout = rng.float();
  if (layout < 0.08) {
    const sep = !arabic ? ' ' : rng.chance(0.2) ? ' بن ' : ' ';
    given = [given, father, grandfather].filter((x) => x !== '').join(sep) + ' ' + family;
    father = grandfather = family = '';
  } else if (layout < 0.1) {
    family = [given, father, grandfather, family].filter((x) => x !== '').join(' ');
    given = father = grandfather = '';
  } else if (layout < 0.15 && father !== '') {
    grandfather = family;
    family = '';
  } else if (layout < 0.2 && father !== '') {
    [given, father] = [father, given];
  }
  let year = p.year;
  if (duplicate && rng.chance(0.3)) year += rng.pick([-2, -1, 1, 2]);
  if (rng.chance(0.1)) year = 2016 - 5 * Math.round((2016 - year) / 5);
  let birthYear = String(year);
  if (arabic && rng.chance(0.3)) birthYear = [...birthYear].map((d) => ARABIC_DIGITS[Number(d)]).join('');
  if (rng.chance(0.03)) birthYear = '';
  const sex = rng.chance(0.02) ? '' : arabic && rng.chance(0.3) ? (p.sex === 'male' ? 'ذكر' : 'أنثى') : p.sex;
  return { given_name: given, father_name: father, grandfather_name: grandfather, family_name: family, sex, birth_year: birthYear };
}

/** Unrelated men who share a common given, father and family name. */
function commonChain(rng: Rng): Person[] {
  const top = (l: NameList) => l.entries.slice(0, 5);
  const given = rng.pick(top(maleGivenNames));
  const father = rng.pick(top(maleGivenNames).filter((e) => e !== given));
  const family = rng.pick(top(familyNames));
  const out: Person[] = [];
  for (let i = rng.int(2, 4); i > 0; i--)
    out.push({
      given,
      father,
      grandfather: pickName(rng, maleGivenNames),
      family,
      kunya: false,
      sex: 'male',
      year: rng.int(1950, 2010),
      twoPart: false,
    });
  return out;
}

export function generateSyrianHeldOutSet(opts: { seed?: number; people?: number } = {}): HeldOutSet {
  const rng = new Rng(opts.seed ?? HELD_OUT_SEED).fork('held-out:syrian');
  const people: Person[] = [];
  const total = opts.people ?? 4000;
  while (people.length < total) people.push(...(rng.chance(0.07) ? commonChain(rng) : familyOf(rng)).slice(0, total - people.length));
  const rows: Array<{ row: Omit<HeldOutRow, 'id'>; person: number }> = [];
  people.forEach((p, i) => {
    const arabic = rng.chance(0.5);
    rows.push({ row: render(rng, p, arabic, false), person: i });
    const copies = rng.chance(0.3) ? (rng.chance(0.15) ? 2 : 1) : 0;
    for (let c = 0; c < copies; c++) rows.push({ row: render(rng, p, rng.chance(0.4) ? !arabic : arabic, true), person: i });
  });
  rng.shuffle(rows);
  const byPerson = new Map<number, string[]>();
  const out: HeldOutRow[] = rows.map((r, i) => {
    const id = `h${String(i + 1).padStart(6, '0')}`;
    byPerson.set(r.person, [...(byPerson.get(r.person) ?? []), id]);
    return { id, ...r.row };
  });
  const truePairs: Array<[string, string]> = [];
  for (const ids of byPerson.values())
    for (let a = 0; a < ids.length; a++) for (let b = a + 1; b < ids.length; b++) truePairs.push([ids[a]!, ids[b]!]);
  const twoPart = new Set<string>();
  for (const [person, ids] of byPerson) if (people[person]!.twoPart) for (const id of ids) twoPart.add(id);
  return { rows: out, truePairs, twoPart };
}
