/**
 * Vehicles and their manifests, as a convoy officer fills them: the wounded and sick go by
 * ambulance (4 seats), often with one adult of their household; everyone else by green bus
 * (50 seats), a household kept in one bus — when it does not fit, the bus leaves with empty
 * seats, except now and then when the officer splits a big household and writes down why. Every
 * entry of a split household carries the reason. At night, fighters leave in private cars, vans
 * and pick-ups that carry a head count by sex × age band × category instead of names.
 */
import { isOverCapacity } from '../../domain/convoys/capacity.js';
import type { AgeBand } from '../../domain/schemas/persons.js';
import type { IdMaker } from './ids.js';
import { needsAmbulance, type TruePerson } from './person.js';
import type { Registered } from './registration.js';
import type { Rng } from './rng.js';
import type { HeadCountRow, ManifestItem, ScenarioVehicle, VehicleKind } from './types.js';

export const CAPACITY: Record<VehicleKind, number> = { bus: 50, ambulance: 4, private_car: 5, van: 10, pickup: 8 };
const PREFIX: Record<VehicleKind, string> = { bus: 'BUS', ambulance: 'AMB', private_car: 'CAR', van: 'VAN', pickup: 'PKP' };

export const SPLIT_MEDICAL = 'wounded or sick member evacuated by ambulance with the household on a bus';
export const SPLIT_BUS_FULL = 'bus full: household split by the convoy officer, the rest on the next bus';

/** Numbers vehicle labels across the whole operation (BUS-0001, AMB-001 …). */
export class VehicleLabels {
  private readonly n: Record<VehicleKind, number> = { bus: 0, ambulance: 0, private_car: 0, van: 0, pickup: 0 };
  next(kind: VehicleKind): string {
    this.n[kind]++;
    return `${PREFIX[kind]}-${String(this.n[kind]).padStart(4, '0')}`;
  }
  counts(): Record<VehicleKind, number> {
    return { ...this.n };
  }
}

interface Group {
  householdId: string;
  people: TruePerson[];
}

function vehicle(
  ids: IdMaker,
  labels: VehicleLabels,
  convoyId: string,
  kind: VehicleKind,
  atMs: number,
  mode: 'named' | 'head_count' = 'named',
): ScenarioVehicle {
  return { id: ids.next(atMs), convoyId, label: labels.next(kind), kind, capacity: CAPACITY[kind], mode, manifest: [] };
}

/** Named vehicles for the households of one convoy, ambulances first. */
export function fillNamedVehicles(
  rng: Rng,
  ids: IdMaker,
  labels: VehicleLabels,
  convoyId: string,
  atMs: number,
  households: readonly Registered[],
): ScenarioVehicle[] {
  const ambulanceGroups: Group[] = [];
  const busGroups: Group[] = [];
  const split = new Map<string, string>();
  for (const h of households) {
    const patients = h.people.filter(needsAmbulance);
    let rest = h.people.filter((p) => !needsAmbulance(p));
    if (patients.length > 0) {
      const carer = rest.find((p) => p.age >= 18);
      for (const [i, p] of patients.entries()) {
        const group = [p];
        if (i === 0 && carer && rng.chance(0.5)) {
          group.push(carer);
          rest = rest.filter((x) => x !== carer);
        }
        ambulanceGroups.push({ householdId: h.household.id, people: group });
      }
      if (rest.length > 0) split.set(h.household.id, SPLIT_MEDICAL);
    }
    if (rest.length > 0) busGroups.push({ householdId: h.household.id, people: rest });
  }

  const out: ScenarioVehicle[] = [];
  let amb: ScenarioVehicle | null = null;
  for (const g of ambulanceGroups) {
    if (!amb || isOverCapacity(amb, amb.manifest.length + g.people.length)) {
      amb = vehicle(ids, labels, convoyId, 'ambulance', atMs);
      out.push(amb);
    }
    for (const p of g.people) amb.manifest.push({ personId: p.id, householdId: g.householdId });
  }

  let bus: ScenarioVehicle | null = null;
  for (const g of busGroups) {
    let people = g.people;
    const free = bus ? bus.capacity - bus.manifest.length : 0;
    if (bus && people.length > free && free >= 2 && people.length >= 4 && rng.chance(0.12)) {
      for (const p of people.slice(0, free)) bus.manifest.push({ personId: p.id, householdId: g.householdId });
      people = people.slice(free);
      split.set(g.householdId, split.has(g.householdId) ? `${SPLIT_MEDICAL}; ${SPLIT_BUS_FULL}` : SPLIT_BUS_FULL);
      bus = null;
    }
    if (!bus || isOverCapacity(bus, bus.manifest.length + people.length)) {
      bus = vehicle(ids, labels, convoyId, 'bus', atMs);
      out.push(bus);
    }
    for (const p of people) bus.manifest.push({ personId: p.id, householdId: g.householdId });
  }

  for (const v of out) {
    for (const m of v.manifest as ManifestItem[]) {
      const reason = split.get(m.householdId);
      if (reason) m.splitReason = reason;
    }
  }
  return out;
}

function drawBand(rng: Rng): AgeBand {
  const x = rng.float();
  return x < 0.04 ? '12-17' : x < 0.97 ? '18-59' : '60+';
}

/** Private vehicles carrying `people` fighters, counted by sex × age band × category. */
export function fillHeadCountVehicles(
  rng: Rng,
  ids: IdMaker,
  labels: VehicleLabels,
  convoyId: string,
  atMs: number,
  people: number,
): ScenarioVehicle[] {
  const out: ScenarioVehicle[] = [];
  let left = people;
  while (left > 0) {
    const kind = rng.choose<'private_car' | 'van' | 'pickup'>({ private_car: 40, van: 30, pickup: 30 });
    const aboard = Math.min(left, kind === 'private_car' ? rng.int(3, 5) : kind === 'van' ? rng.int(6, 10) : rng.int(4, 8));
    const cells = new Map<string, HeadCountRow>();
    for (let i = 0; i < aboard; i++) {
      const sex = rng.chance(0.98) ? 'male' : 'female';
      const ageBand = drawBand(rng);
      const key = `${sex}|${ageBand}`;
      const cell = cells.get(key) ?? { sex, ageBand, category: 'combatant', count: 0 };
      cell.count++;
      cells.set(key, cell);
    }
    const v = vehicle(ids, labels, convoyId, kind, atMs, 'head_count');
    v.headCount = [...cells.values()].sort((a, b) => (a.sex + a.ageBand < b.sex + b.ageBand ? -1 : 1));
    out.push(v);
    left -= aboard;
  }
  return out;
}

export function headCountOf(v: ScenarioVehicle): number {
  return v.mode === 'head_count' ? (v.headCount ?? []).reduce((n, r) => n + r.count, 0) : v.manifest.length;
}
