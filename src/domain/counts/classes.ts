/**
 * The cells of one "class" of people, for the grouped recount (src/db/queries/recount.ts).
 *
 * A person registered before any fact of theirs, with at most one standing boarding and one
 * standing check-in (at different milliseconds), is counted by the same contribution as anyone
 * (`subjectContribution`); that contribution depends only on where and in which hour they
 * registered, the boarding's convoy, vehicle, site and time, the check-in's site and time, and
 * the vehicle's stages — not on who they are. So it is computed once per class, for a stand-in
 * person of no flags, and its cells are summed over the people of the class by sex, age band,
 * category and flag. Before their first fact a person is waiting (from their registration on)
 * or unknown, whatever the convoys do, so any moment of the class's hour before the first fact
 * stands for every member's registration.
 */
import type { MovementFact } from '../movements/facts.js';
import { personSubject, subjectContribution, type FactIndex } from './contributions.js';
import { parseCellKey, type CellMetric } from './model.js';
import type { Registry, RegistryPerson } from './registry.js';

export interface PersonClass {
  siteId: string;
  /** A member's registration time (ms since the epoch); the class shares its hour. */
  registeredAt: number;
  boarding: { convoyId: string; vehicleId: string; siteId: string | null; at: number } | null;
  checkIn: { siteId: string | null; at: number } | null;
}

export interface ClassCell {
  metric: CellMetric;
  siteId: string;
  /** '*' for where they stand now, else the UTC hour of a flow. */
  hour: string;
  delta: number;
}

const STAND_IN = '\u0000class';

/** The cells one member of the class adds (for sex, age band and category 'unknown', no flags). */
export function classCells(index: FactIndex, cls: PersonClass): ClassCell[] {
  const iso = (t: number) => new Date(t).toISOString();
  const person: RegistryPerson = {
    id: STAND_IN,
    sex: 'unknown',
    ageBand: 'unknown',
    category: 'unknown',
    vulnerabilities: [],
    siteId: cls.siteId,
    registeredAt: iso(cls.registeredAt),
  };
  const own: MovementFact[] = [];
  const b = cls.boarding;
  const c = cls.checkIn;
  if (b)
    own.push({
      id: '\u0000b',
      kind: 'boarded',
      operationId: '',
      deviceTime: iso(b.at),
      convoyId: b.convoyId,
      vehicleId: b.vehicleId,
      personId: STAND_IN,
      ...(b.siteId !== null ? { siteId: b.siteId } : {}),
      payload: {},
    } as unknown as MovementFact);
  if (c)
    own.push({
      id: '\u0000c',
      kind: 'checked_in',
      operationId: '',
      deviceTime: iso(c.at),
      personId: STAND_IN,
      ...(c.siteId !== null ? { siteId: c.siteId } : {}),
      payload: {},
    } as unknown as MovementFact);
  own.sort((x, y) => Date.parse(x.deviceTime) - Date.parse(y.deviceTime));
  const registry: Registry = { persons: new Map([[STAND_IN, person]]), mergedInto: new Map() };
  const before = index.byPerson.get(STAND_IN);
  index.byPerson.set(STAND_IN, own);
  try {
    const out: ClassCell[] = [];
    for (const [key, delta] of subjectContribution(personSubject(STAND_IN), index, registry)) {
      const { metric, dims } = parseCellKey(key);
      out.push({ metric, siteId: dims.siteId, hour: dims.hour, delta });
    }
    return out;
  } finally {
    if (before) index.byPerson.set(STAND_IN, before);
    else index.byPerson.delete(STAND_IN);
  }
}
