/**
 * The count-only manifest of a vehicle: the paper shown at a checkpoint held by an armed party.
 * It says how many ride, by sex × age band, and how many carry each vulnerability — never a
 * name, a tag, an id of a person or a category (who is a combatant is exactly what it must not
 * tell). Named passengers and head-counted ones (category dropped) are added together.
 */
import { ageBands, sexes, vulnerabilities, type AgeBand } from '../schemas/persons.js';

export type Sex = (typeof sexes)[number];
export type Vulnerability = (typeof vulnerabilities)[number];

export interface CountedPassenger {
  sex: Sex;
  ageBand: AgeBand;
  vulnerabilities: readonly string[];
}

export interface HeadCountCell {
  sex: Sex;
  ageBand: AgeBand;
  count: number;
}

export interface CountManifest {
  total: number;
  /** Every age band × sex, zeros included, in the lists' order (the printed grid). */
  bySexAge: { ageBand: AgeBand; sex: Sex; count: number }[];
  /** Each vulnerability carried by at least one passenger, in the list's order. */
  vulnerabilities: { vulnerability: Vulnerability; count: number }[];
}

export function countManifest(passengers: readonly CountedPassenger[], headCounts: readonly HeadCountCell[]): CountManifest {
  const cell = new Map<string, number>();
  const add = (sex: Sex, band: AgeBand, n: number) => cell.set(`${band}|${sex}`, (cell.get(`${band}|${sex}`) ?? 0) + n);
  const flags = new Map<string, number>();
  for (const p of passengers) {
    add(p.sex, p.ageBand, 1);
    for (const v of new Set(p.vulnerabilities)) flags.set(v, (flags.get(v) ?? 0) + 1);
  }
  for (const h of headCounts) add(h.sex, h.ageBand, h.count);
  const bySexAge = ageBands.flatMap((ageBand) => sexes.map((sex) => ({ ageBand, sex, count: cell.get(`${ageBand}|${sex}`) ?? 0 })));
  return {
    total: bySexAge.reduce((s, c) => s + c.count, 0),
    bySexAge,
    vulnerabilities: vulnerabilities.flatMap((vulnerability) => {
      const count = flags.get(vulnerability) ?? 0;
      return count > 0 ? [{ vulnerability, count }] : [];
    }),
  };
}
