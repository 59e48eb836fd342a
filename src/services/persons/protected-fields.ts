/**
 * A person's category (civilian, combatant, unknown) and vulnerabilities: sealed per person under
 * the operation's key (decision 002), because a list of who was flagged a combatant — or wounded,
 * or an unaccompanied child — is what an armed party at a checkpoint demands. Counting opens them
 * in the application and keeps only aggregates. Rows written before migration 0014 still hold
 * them in clear until sealed (`sealClearFields`); a shredded person has neither and counts as
 * 'unknown' without flags.
 */
import { openJson, openText, sealJson, type OperationKeys } from '../../crypto/envelope.js';
import { nothingCarried, type Carried, type categories, type vulnerabilities } from '../../domain/schemas/persons.js';

export interface ProtectedFields {
  category: (typeof categories)[number];
  vulnerabilities: (typeof vulnerabilities)[number][];
  /** What travels with the person (issue 21): sealed with the rest, since oxygen or a stretcher says who is ill or wounded. */
  carried?: Carried;
}

/** What travels with a person as stored (nothing, for a record written before it was asked). */
export function carriedOf(fields: ProtectedFields): Carried {
  return fields.carried ?? nothingCarried;
}

/** What is known of a person whose protected fields were shredded (or whose operation was). */
export const withheld: ProtectedFields = Object.freeze({ category: 'unknown', vulnerabilities: [] }) as ProtectedFields;

export const protectedAad = (personId: string) => `person:${personId}:protected`;

export function sealProtected(keys: OperationKeys, personId: string, fields: ProtectedFields): Buffer {
  return sealJson(
    keys,
    {
      category: fields.category,
      vulnerabilities: [...new Set(fields.vulnerabilities)].sort(),
      ...(fields.carried && (fields.carried.equipment.length > 0 || fields.carried.luggage > 0 || fields.carried.pets > 0)
        ? { carried: { ...fields.carried, equipment: [...new Set(fields.carried.equipment)].sort() } }
        : {}),
    },
    protectedAad(personId),
  );
}

export interface ProtectedColumns {
  id: string;
  protected: Uint8Array | null;
  category: string | null;
  vulnerabilities: string[] | null;
}

/**
 * The fields of a row: opened with the keys, or read from the clear columns of a row not sealed
 * yet. `keys` null (the operation was shredded) or nothing stored: withheld.
 */
export function openProtected(keys: OperationKeys | null, row: ProtectedColumns): ProtectedFields {
  if (row.protected) return keys ? openJson<ProtectedFields>(keys, row.protected, protectedAad(row.id)) : withheld;
  if (row.category !== null || row.vulnerabilities !== null)
    return {
      category: (row.category ?? 'unknown') as ProtectedFields['category'],
      vulnerabilities: (row.vulnerabilities ?? []) as ProtectedFields['vulnerabilities'],
    };
  return withheld;
}

/**
 * Many people's sealed fields opened for counting (the recount opens everyone's): each is opened
 * with its own id, and the texts are tallied before they are parsed, so the few distinct ones
 * ("civilian, no flags" for most people) are parsed once. How many people hold each.
 */
export function tallyProtected(
  keys: OperationKeys | null,
  ids: readonly string[],
  sealed: readonly Uint8Array[],
): { fields: ProtectedFields; n: number }[] {
  if (!keys) return [{ fields: withheld, n: ids.length }];
  const texts = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) {
    const text = openText(keys, sealed[i] as Uint8Array, protectedAad(ids[i] as string));
    texts.set(text, (texts.get(text) ?? 0) + 1);
  }
  return [...texts].map(([text, n]) => ({ fields: JSON.parse(text) as ProtectedFields, n }));
}
