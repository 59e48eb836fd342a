/**
 * A vehicle's occupancy and when it is over its capacity: the one rule the boarding refusal, the
 * head-count and observed-boarding warnings, the convoy board's answer and the browser's pages all
 * read. Occupancy is the seats the named people on board take plus the vehicle's head count; a
 * person takes one seat, and more with a wheelchair (folded or not, it takes the seat beside) or
 * a stretcher (laid across a bench: three seats).
 */
import type { CarriedEquipment } from '../schemas/persons.js';
import { headCountTotal, type HeadCountRow } from './head-count.js';

/** Seats an item takes beyond its user's own. */
export const extraSeats: Readonly<Partial<Record<CarriedEquipment, number>>> = { wheelchair: 1, stretcher: 2 };

/** The seats one person takes with what they carry (one, or more with a wheelchair or a stretcher). */
export function seatsFor(equipment: readonly CarriedEquipment[] | undefined): number {
  return 1 + (equipment ?? []).reduce((n, item) => n + (extraSeats[item] ?? 0), 0);
}

/** Seats taken on a vehicle: those of the people named on its manifest plus its head count. */
export function vehicleOccupancy(namedSeats: number, headCount: readonly HeadCountRow[] | null | undefined): number {
  return namedSeats + headCountTotal(headCount ?? []);
}

/** More people than seats. Boarding named people refuses it; people already in a car are warned of. */
export function isOverCapacity(vehicle: { capacity: number }, count: number): boolean {
  return count > vehicle.capacity;
}

/** Seats left on a vehicle with `count` people on it (none when it is full or over). */
export function freeSeats(vehicle: { capacity: number }, count: number): number {
  return Math.max(0, vehicle.capacity - count);
}

export interface OverCapacityWarning {
  code: 'over_capacity';
  vehicleId: string;
  capacity: number;
  count: number;
}

/** The warning for a vehicle with `count` people on it, when it is over its capacity. */
export function overCapacityWarnings(vehicle: { id: string; capacity: number }, count: number): OverCapacityWarning[] {
  return isOverCapacity(vehicle, count) ? [{ code: 'over_capacity', vehicleId: vehicle.id, capacity: vehicle.capacity, count }] : [];
}
