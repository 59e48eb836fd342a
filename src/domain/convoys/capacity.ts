/**
 * A vehicle's occupancy and when it is over its capacity: the one rule the boarding refusal, the
 * head-count and observed-boarding warnings, the convoy board's answer and the browser's pages all
 * read. Occupancy is the named people on board plus the vehicle's head count.
 */
import { headCountTotal, type HeadCountRow } from './head-count.js';

/** People on a vehicle: those named on its manifest plus its head count. */
export function vehicleOccupancy(named: number, headCount: readonly HeadCountRow[] | null | undefined): number {
  return named + headCountTotal(headCount ?? []);
}

/** More people than seats. Boarding named people refuses it; people already in a car are warned of. */
export function isOverCapacity(vehicle: { capacity: number }, count: number): boolean {
  return count > vehicle.capacity;
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
