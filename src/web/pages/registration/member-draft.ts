/**
 * A member being typed, as the form holds it (strings), and its conversion to the shared
 * personInput shape, checked with the same zod schema the server uses. Consent starts unanswered:
 * the registrar asks and records yes or no, and a member without an answer is not saved.
 */
import type { z } from 'zod';
import { personInput, hasAnyName, type PersonInput } from '../../../domain/schemas/persons.js';
import { zodFields } from '../../lib/zod-fields.js';
import { westernDigits } from '../../../domain/digits.js';

export const nameFields = ['given', 'father', 'grandfather', 'family'] as const;
type Parts = Record<(typeof nameFields)[number], string>;

export interface MemberDraft {
  ar: Parts;
  lat: Parts;
  sex: string;
  relationship: string;
  age: string;
  dob: string;
  vulnerabilities: string[];
  /** What travels with them: mobility aids and medical equipment, and counts typed as text. */
  equipment: string[];
  luggage: string;
  pets: string;
  /** '' until the person has answered. */
  consentTracing: ConsentAnswer;
  consentDisclosure: ConsentAnswer;
  tag: string;
}

export type ConsentAnswer = '' | 'yes' | 'no';

const emptyParts = (): Parts => ({ given: '', father: '', grandfather: '', family: '' });

export function blankDraft(relationship: string): MemberDraft {
  return {
    ar: emptyParts(),
    lat: emptyParts(),
    sex: '',
    relationship,
    age: '',
    dob: '',
    vulnerabilities: [],
    equipment: [],
    luggage: '',
    pets: '',
    consentTracing: '',
    consentDisclosure: '',
    tag: '',
  };
}

function parts(p: Parts) {
  const out: Record<string, string> = {};
  for (const f of nameFields) if (p[f].trim()) out[f] = p[f].trim();
  return Object.keys(out).length ? out : undefined;
}

/** A count or date as typed, in any digits (٣٤, ۳۴, 34), in Western digits. */
const typed = (s: string) => westernDigits(s.trim());

export function toInput(d: MemberDraft): PersonInput {
  const ar = parts(d.ar);
  const lat = parts(d.lat);
  return {
    names: { ...(ar ? { ar } : {}), ...(lat ? { lat } : {}) },
    sex: d.sex as PersonInput['sex'],
    relationship: d.relationship as PersonInput['relationship'],
    ...(d.age.trim() ? { estimatedAge: Number(typed(d.age)) } : {}),
    ...(d.dob.trim() ? { dateOfBirth: typed(d.dob) } : {}),
    vulnerabilities: d.vulnerabilities as PersonInput['vulnerabilities'],
    ...(d.equipment.length > 0 || d.luggage.trim() || d.pets.trim()
      ? {
          carried: {
            equipment: d.equipment as NonNullable<PersonInput['carried']>['equipment'],
            ...(d.luggage.trim() ? { luggage: Number(typed(d.luggage)) } : {}),
            ...(d.pets.trim() ? { pets: Number(typed(d.pets)) } : {}),
          },
        }
      : {}),
    consent: { tracing: d.consentTracing === 'yes', disclosure: d.consentDisclosure === 'yes' },
    ...(d.tag.trim() ? { tag: d.tag.trim() } : {}),
  };
}

/** Field errors keyed like the form (`names.ar.given`, `sex`, `tag`, `consent.tracing`…); empty when valid. */
export function checkDraft(
  d: MemberDraft,
  messages: { needName: string; chooseConsent: string },
): { input?: z.output<typeof personInput>; errors: Record<string, string> } {
  const consent: Record<string, string> = {
    ...(d.consentTracing === '' ? { 'consent.tracing': messages.chooseConsent } : {}),
    ...(d.consentDisclosure === '' ? { 'consent.disclosure': messages.chooseConsent } : {}),
  };
  const r = personInput.safeParse(toInput(d));
  if (!r.success) return { errors: { ...zodFields(r.error), ...consent } };
  if (!hasAnyName(r.data.names)) return { errors: { 'names.ar.given': messages.needName, ...consent } };
  if (Object.keys(consent).length > 0) return { errors: consent };
  return { input: r.data, errors: {} };
}
