/**
 * The typed "no" of the evacuation domain. Pure functions here answer with a result instead of
 * throwing, so the same rules run on an offline phone (which shows the refusal) and on the
 * server (which turns it into an AppError). The codes are the error catalogue's, and a refusal's
 * code, message and details are the arguments of the AppError constructor, passed on as they are
 * (`refusal` in src/services/convoys/convoys.ts).
 */

export const evacuationErrorCodes = {
  'convoy.invalid_transition': 409,
  'convoy.outside_movement_window': 409,
  'convoy.override_reason_required': 400,
  'route.invalid': 400,
  'manifest.closed': 409,
  'manifest.vehicle_not_found': 404,
  'manifest.vehicle_full': 409,
  'manifest.household_split': 409,
  'manifest.person_already_manifested': 409,
  'manifest.person_not_in_household': 400,
  'manifest.head_count_vehicle': 409,
  'manifest.not_head_count_vehicle': 409,
  'manifest.not_on_manifest': 409,
  'manifest.no_head_count': 409,
} as const;
export type EvacuationErrorCode = keyof typeof evacuationErrorCodes;

export interface Refusal<C extends EvacuationErrorCode = EvacuationErrorCode> {
  ok: false;
  code: C;
  message: string;
  details: Record<string, unknown>;
}

export function refuse<C extends EvacuationErrorCode>(code: C, message: string, details: Record<string, unknown> = {}): Refusal<C> {
  return { ok: false, code, message, details };
}
