/**
 * What travels with people, added up: the totals a vehicle's manifest and a reception site show
 * (how many wheelchairs to lift down, oxygen bottles to refill, pieces of luggage, pets).
 */
import { carriedEquipment, type Carried, type CarriedEquipment } from './schemas/persons.js';

export interface CarriedTotals {
  people: number;
  equipment: Record<CarriedEquipment, number>;
  luggage: number;
  pets: number;
}

export function emptyCarriedTotals(): CarriedTotals {
  return {
    people: 0,
    equipment: Object.fromEntries(carriedEquipment.map((e) => [e, 0])) as Record<CarriedEquipment, number>,
    luggage: 0,
    pets: 0,
  };
}

/** The totals of what these people carry (each person counted once). */
export function carriedTotals(items: readonly Carried[]): CarriedTotals {
  const t = emptyCarriedTotals();
  for (const c of items) {
    t.people += 1;
    for (const e of new Set(c.equipment)) t.equipment[e] += 1;
    t.luggage += c.luggage;
    t.pets += c.pets;
  }
  return t;
}
