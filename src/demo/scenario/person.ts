/**
 * One generated person: who they truly are (four name parts, sex, date of birth) and how a
 * registrar wrote them down — Arabic script, Latin letters or both; a date of birth or an
 * estimated age (adults' estimates often rounded to 5); vulnerability flags; consent. The
 * written form is exactly the API's person input; the truth stays in `TruePerson`.
 */
import { ageBandOf, type AgeBand } from '../../domain/schemas/persons.js';
import { latinFamily, latinOf, arabicOf, pickClerkStyle, type ClerkStyle, type NameIdentity } from './names.js';
import type { Rng } from './rng.js';
import { REFERENCE_DATE } from './setting.js';
import { spellingVariant, typo } from './spelling.js';
import type { NamePartsOut, Relationship, ScenarioPerson, Vulnerability } from './types.js';

export interface TruePerson {
  id: string;
  identity: NameIdentity;
  sex: 'male' | 'female';
  /** Exact age in years on 15 December 2016. */
  age: number;
  birth: { y: number; m: number; d: number };
  relationship: Relationship;
  vulnerabilities: Vulnerability[];
}

/** A registration desk's way of writing: which scripts, which clerk habits. */
export interface RegistrationStyle {
  script: 'both' | 'ar' | 'lat';
  clerk: ClerkStyle;
}

export function pickRegistrationStyle(rng: Rng): RegistrationStyle {
  return { script: rng.choose({ both: 60, ar: 25, lat: 15 }), clerk: pickClerkStyle(rng) };
}

export function birthFromAge(rng: Rng, age: number): { y: number; m: number; d: number } {
  // Born between 16 Dec of (2016 - age - 1) and 15 Dec of (2016 - age): pick a day of that year span.
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  const after = m === 12 && d > REFERENCE_DATE.day;
  return { y: REFERENCE_DATE.year - age - (after ? 1 : 0), m, d };
}

const pad = (n: number): string => String(n).padStart(2, '0');

function writtenNames(
  rng: Rng,
  id: NameIdentity,
  style: RegistrationStyle,
  omitGrandfather: boolean,
  omitFather: boolean,
): ScenarioPerson['names'] {
  const names: ScenarioPerson['names'] = {};
  const keep = (p: Required<NamePartsOut>): NamePartsOut => {
    const out: NamePartsOut = { given: p.given };
    if (!omitFather) out.father = p.father;
    if (!omitGrandfather) out.grandfather = p.grandfather;
    out.family = p.family;
    return out;
  };
  if (style.script !== 'lat') {
    names.ar = keep({
      given: arabicOf(id.given, style.clerk),
      father: arabicOf(id.father, style.clerk),
      grandfather: arabicOf(id.grandfather, style.clerk),
      family: arabicOf(id.family, style.clerk),
    });
  }
  if (style.script !== 'ar') {
    names.lat = keep({
      given: latinOf(rng, id.given),
      father: latinOf(rng, id.father),
      grandfather: latinOf(rng, id.grandfather),
      family: latinFamily(id.family, latinOf(rng, id.family), style.clerk.article),
    });
  }
  return names;
}

const MEDICAL_NOTES: Partial<Record<Vulnerability, readonly string[]>> = {
  wounded: [
    'shrapnel wounds, legs',
    'gunshot wound, arm',
    'fractured leg, splinted',
    'burns, hands and face',
    'head injury, conscious',
    'abdominal wound, dressed',
    'crush injury, foot',
  ],
  sick: [
    'high fever, dehydrated',
    'respiratory infection',
    'diabetic, no insulin for days',
    'kidney failure, needs dialysis',
    'severe diarrhoea, child',
    'heart condition, short of breath',
  ],
};

export interface RenderOptions {
  style: RegistrationStyle;
  tag?: string;
  origin?: string;
  /** A second registration of the same person: spelling changed, age re-estimated. */
  asDuplicate?: boolean;
}

/** The person as the registrar wrote them: exactly the API's person input. */
export function renderPerson(rng: Rng, p: TruePerson, opts: RenderOptions): ScenarioPerson {
  const omitGrandfather = rng.chance(opts.asDuplicate ? 0.3 : 0.12);
  const omitFather = rng.chance(opts.asDuplicate ? 0.06 : 0.015);
  const names = writtenNames(rng, p.identity, opts.style, omitGrandfather, omitFather);
  if (opts.asDuplicate) {
    const script = names.lat && (!names.ar || rng.chance(0.5)) ? names.lat : (names.ar as NamePartsOut);
    const part = rng.pick(['given', 'father', 'family'] as const);
    const v = script[part];
    if (v) script[part] = rng.chance(0.35) ? typo(rng, v) : spellingVariant(rng, v);
  }
  const person: ScenarioPerson = {
    id: p.id,
    names,
    sex: p.sex,
    relationship: p.relationship,
    vulnerabilities: [...p.vulnerabilities],
    category: 'civilian',
    consent: { tracing: rng.chance(0.93), disclosure: rng.chance(0.86) },
  };
  const knowsDate = rng.chance(opts.asDuplicate ? 0.45 : 0.65);
  if (knowsDate) {
    person.dateOfBirth = `${p.birth.y}-${pad(p.birth.m)}-${pad(p.birth.d)}`;
  } else {
    let estimate = p.age;
    if (p.age >= 18 && rng.chance(0.5)) estimate = Math.round(p.age / 5) * 5;
    else if (rng.chance(opts.asDuplicate ? 0.5 : 0.2)) estimate = Math.max(0, p.age + rng.int(-3, 3));
    person.estimatedAge = Math.min(120, estimate);
  }
  if (opts.tag) person.tag = opts.tag;
  if (opts.origin) person.origin = opts.origin;
  const medical = p.vulnerabilities.find((v) => v === 'wounded' || v === 'sick');
  if (medical) person.medicalNotes = rng.pick(MEDICAL_NOTES[medical] as readonly string[]);
  return person;
}

/** The birth year the application will count a record by (date of birth, else 2016 − age). */
export function recordBirthYear(p: ScenarioPerson): number | null {
  if (p.dateOfBirth) return Number(p.dateOfBirth.slice(0, 4));
  if (p.estimatedAge !== undefined) return REFERENCE_DATE.year - p.estimatedAge;
  return null;
}

export function recordAgeBand(p: ScenarioPerson): AgeBand {
  return ageBandOf(recordBirthYear(p), REFERENCE_DATE.year);
}

/** Flags that come with age, sex and place in the household; wounded and sick go by ambulance. */
export function drawVulnerabilities(rng: Rng, sex: 'male' | 'female', age: number, relationship: Relationship): Vulnerability[] {
  const v: Vulnerability[] = [];
  const woundRate = sex === 'male' && age >= 15 && age < 50 ? 0.014 : 0.007;
  if (rng.chance(woundRate)) v.push('wounded');
  else if (rng.chance(0.003)) v.push('sick');
  if (rng.chance(age >= 40 ? 0.07 : 0.01)) v.push('chronic_illness');
  if (rng.chance(0.02)) v.push('disability');
  if (sex === 'female' && age >= 18 && age <= 42 && relationship !== 'child' && rng.chance(0.08)) v.push('pregnant');
  if (age >= 60) v.push('older_person');
  if (age >= 12 && rng.chance(0.01)) v.push('mental_health');
  return v;
}

export function needsAmbulance(p: TruePerson): boolean {
  return p.vulnerabilities.includes('wounded') || p.vulnerabilities.includes('sick');
}
