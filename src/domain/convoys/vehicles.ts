/**
 * Kinds of vehicle an evacuation uses and the seats each has unless the officer says otherwise.
 * A vehicle either carries a named manifest or, where people were not registered (private cars
 * at night), a head count by sex, age band and category.
 */
import { z } from 'zod';
import { entityId, text, wholeNumber } from '../schemas/common.js';

export const vehicleKinds = ['bus', 'ambulance', 'private_car', 'van', 'pickup', 'truck'] as const;
export type VehicleKind = (typeof vehicleKinds)[number];

export const defaultCapacity: Record<VehicleKind, number> = {
  bus: 50,
  ambulance: 4,
  private_car: 5,
  van: 10,
  pickup: 8,
  truck: 20,
};

export const vehicleModes = ['named', 'head_count'] as const;
export type VehicleMode = (typeof vehicleModes)[number];

export interface Vehicle {
  id: string;
  convoyId: string;
  kind: VehicleKind;
  capacity: number;
  mode: VehicleMode;
}

export const vehicleInput = z
  .object({
    id: entityId,
    kind: z.enum(vehicleKinds),
    capacity: wholeNumber(1, 200, 'the seats').optional().describe("seats; the kind's default when absent"),
    mode: z.enum(vehicleModes).default('named'),
    plate: text(20).optional(),
  })
  .strict();

export function makeVehicle(convoyId: string, input: z.output<typeof vehicleInput>): Vehicle {
  return { id: input.id, convoyId, kind: input.kind, capacity: input.capacity ?? defaultCapacity[input.kind], mode: input.mode };
}
