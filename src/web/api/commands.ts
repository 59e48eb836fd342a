/**
 * Named write commands: what each desk may ask the server to do. Each is a thin call to
 * write() or writeOrQueue(), which stamp the client id; inputs use the shared schema types.
 *
 * Which commands may wait in the offline outbox (writeOrQueue: the page gets `{ queued: true }`
 * when the server cannot be reached, and the outbox sends it later with the same client id):
 * - recordFacts — movement facts seen on the road (passed checkpoint with a head count, halted,
 *   resumed, incident, arrived). They are observations with the device's time: true whenever
 *   they reach the server, and the server places them by device time.
 * - checkIn — a person checked in at reception. The page needs no id back; a protection alert
 *   is raised by the server when the check-in arrives (the page already warns on lookup).
 * Everything else is sent now or fails: logging in and out; registration (the desk needs the
 * household and person ids and the tag check answer to go on); boardings, head counts and
 * convoy moves, taking people off a vehicle (the convoy officer sits at the departure point and needs the board's answer —
 * capacity, family unity, the state machine's 409 — before acting on it); administration,
 * duplicates and tracing (office desks, and their answers drive the next step); acting on a
 * protection alert (the officer must know at once whether someone else closed it first).
 */
import type { z } from 'zod';
import type { deviceInput, operationInput, siteInput, tagRangeInput, userInput } from '../../domain/schemas/operations.js';
import type { HouseholdInput, PersonInput } from '../../domain/schemas/persons.js';
import type { Role } from '../../domain/policy.js';
import type { draftCandidatesInput, tracingOutcomeInput, tracingRequestInput } from '../../domain/schemas/tracing.js';
import type { ConvoyEvent } from '../../domain/convoys/state-machine.js';
import type { headCountRows } from '../../domain/convoys/head-count.js';
import type { vehicleInput } from '../../domain/convoys/vehicles.js';
import type { movementWindowInput, routeInput } from '../../domain/convoys/routes.js';
import type { haltReasons } from '../../domain/movements/facts.js';
import type {
  BoardingResult,
  CheckInResult,
  ProtectionAlert,
  ConvoyDetail,
  MovementWindowInfo,
  RouteInfo,
  DraftCandidate,
  TracingDetail,
  FactBatchResult,
  HeadCountResult,
  Household,
  NewDevice,
  Operation,
  Person,
  Site,
  TagRange,
  User,
} from './types.js';
import { write, writeOrQueue, type StampedFact } from './write.js';

const op = (id: string) => `/api/operations/${encodeURIComponent(id)}`;
type In<S extends z.ZodType> = z.input<S>;

export const login = (username: string, password: string) =>
  write<{ user: { id: string } }>({ method: 'POST', path: '/api/auth/login', body: { username, password }, idempotent: false });
export const logout = () => write<void>({ method: 'POST', path: '/api/auth/logout', idempotent: false });

export const createUser = (body: In<typeof userInput>) => write<User>({ method: 'POST', path: '/api/users', body });
export const createOperation = (body: In<typeof operationInput>) => write<Operation>({ method: 'POST', path: '/api/operations', body });
export const createSite = (opId: string, body: In<typeof siteInput>) => write<Site>({ method: 'POST', path: `${op(opId)}/sites`, body });
export const setStaffRoles = (opId: string, userId: string, roles: Role[]) =>
  write<{ userId: string; roles: Role[] }>({ method: 'PUT', path: `${op(opId)}/staff/${encodeURIComponent(userId)}`, body: { roles } });
export const createDevice = (opId: string, body: In<typeof deviceInput>) =>
  write<NewDevice>({ method: 'POST', path: `${op(opId)}/devices`, body });
export const revokeDevice = (opId: string, deviceId: string) =>
  write<{ id: string; revoked: boolean }>({ method: 'POST', path: `${op(opId)}/devices/${encodeURIComponent(deviceId)}/revoke` });
export const allocateTagRange = (opId: string, body: In<typeof tagRangeInput>) =>
  write<TagRange>({ method: 'POST', path: `${op(opId)}/tag-ranges`, body });

export const registerHousehold = (opId: string, body: HouseholdInput, clientId?: string) =>
  write<Household>({ method: 'POST', path: `${op(opId)}/households`, body, ...(clientId ? { clientId } : {}) });
export const addMember = (opId: string, householdId: string, body: PersonInput, clientId?: string) =>
  write<Person>({
    method: 'POST',
    path: `${op(opId)}/households/${encodeURIComponent(householdId)}/members`,
    body,
    ...(clientId ? { clientId } : {}),
  });

// Evacuation: convoys, manifests, facts from the road, reception.
type VehicleBody = In<typeof vehicleInput>;
type HeadCountBody = { vehicleId: string; rows: In<typeof headCountRows> };
type Transition = {
  event: ConvoyEvent;
  siteId?: string;
  vehicleId?: string;
  reason?: (typeof haltReasons)[number];
  note?: string;
  observedHeadCount?: number;
  override?: { reason: string };
};
export const createRoute = (opId: string, body: In<typeof routeInput>) =>
  write<RouteInfo>({ method: 'POST', path: `${op(opId)}/routes`, body });
export const createMovementWindow = (opId: string, body: In<typeof movementWindowInput>) =>
  write<MovementWindowInfo>({ method: 'POST', path: `${op(opId)}/movement-windows`, body });
const convoy = (opId: string, convoyId: string) => `${op(opId)}/convoys/${encodeURIComponent(convoyId)}`;

export const createConvoy = (opId: string, body: { routeId: string; name?: string }) =>
  write<ConvoyDetail>({ method: 'POST', path: `${op(opId)}/convoys`, body });
export const addVehicle = (opId: string, convoyId: string, body: VehicleBody) =>
  write<ConvoyDetail>({ method: 'POST', path: `${convoy(opId, convoyId)}/vehicles`, body });
export const boardHousehold = (
  opId: string,
  convoyId: string,
  body: { householdId: string; vehicleId: string; memberIds?: string[]; splitReason?: string },
  clientId?: string,
) => write<BoardingResult>({ method: 'POST', path: `${convoy(opId, convoyId)}/boardings`, body, ...(clientId ? { clientId } : {}) });
export const recordHeadCount = (opId: string, convoyId: string, body: HeadCountBody) =>
  write<HeadCountResult>({ method: 'POST', path: `${convoy(opId, convoyId)}/head-counts`, body });
/** What the server answers when people are taken off a vehicle (before departure; their boarding facts voided). */
export interface RemovalResult {
  convoyId: string;
  state: ConvoyDetail['state'];
  removed: { personId: string; householdId: string; vehicleId: string }[];
  /** Members who stay, with their flags and split reason as they are now. */
  updated: BoardingResult['entries'];
  warnings: BoardingResult['warnings'];
  voids: string[];
  factIds: string[];
}
/** Take a household (or some members; a reason when the rest stays) off its vehicle. Sent now: the officer needs the answer (a 409 after departure). */
export const removeFromVehicle = (
  opId: string,
  convoyId: string,
  body: { householdId: string; memberIds?: string[]; reason?: string },
  clientId?: string,
) => write<RemovalResult>({ method: 'POST', path: `${convoy(opId, convoyId)}/removals`, body, ...(clientId ? { clientId } : {}) });
/** Remove a head-count vehicle's count before departure (to correct it, save it again). */
export const removeHeadCount = (opId: string, convoyId: string, body: { vehicleId: string; reason?: string }, clientId?: string) =>
  write<{ convoyId: string; vehicleId: string; removedTotal: number; voids: string[]; factIds: string[] }>({
    method: 'POST',
    path: `${convoy(opId, convoyId)}/head-count-removals`,
    body,
    ...(clientId ? { clientId } : {}),
  });
export const moveConvoy = (opId: string, convoyId: string, body: Transition, clientId?: string) =>
  write<ConvoyDetail & { factId: string | null }>({
    method: 'POST',
    path: `${convoy(opId, convoyId)}/transitions`,
    body,
    ...(clientId ? { clientId } : {}),
  });
/** Facts already stamped (stampFact); a retry sends the same facts with the same client id. */
export const recordFacts = (opId: string, facts: StampedFact[], clientId?: string) =>
  writeOrQueue<FactBatchResult>({
    kind: 'facts',
    method: 'POST',
    path: `${op(opId)}/facts`,
    body: { facts },
    ...(clientId ? { clientId } : {}),
  });
export const checkIn = (
  opId: string,
  body: { siteId: string; tag?: string; personId?: string; convoyId?: string; shelter?: string },
  clientId?: string,
) =>
  writeOrQueue<CheckInResult>({ kind: 'check_in', method: 'POST', path: `${op(opId)}/check-ins`, body, ...(clientId ? { clientId } : {}) });

// Duplicates and tracing.
/** Possible duplicates of a member not yet saved: a read sent as POST so names stay out of the URL (no client id). */
export const draftCandidates = (opId: string, body: In<typeof draftCandidatesInput>) =>
  write<DraftCandidate[]>({ method: 'POST', path: `${op(opId)}/persons/candidates`, body, idempotent: false });
const review = (opId: string, id: string) => `${op(opId)}/duplicates/${encodeURIComponent(id)}`;
export const mergeDuplicate = (opId: string, reviewId: string, keep: string) =>
  write<{ id: string; status: string }>({ method: 'POST', path: `${review(opId, reviewId)}/merge`, body: { keep } });
export const rejectDuplicate = (opId: string, reviewId: string) =>
  write<{ id: string; status: string }>({ method: 'POST', path: `${review(opId, reviewId)}/reject` });
export const undoMerge = (opId: string, reviewId: string) =>
  write<{ id: string; status: string }>({ method: 'POST', path: `${review(opId, reviewId)}/undo` });
export const scanDuplicates = (opId: string) =>
  write<{ people: number; proposed: number }>({ method: 'POST', path: `${op(opId)}/duplicates/scan` });
const tracingPath = (opId: string, id: string) => `${op(opId)}/tracing/${encodeURIComponent(id)}`;
export const openTracingRequest = (opId: string, body: In<typeof tracingRequestInput>) =>
  write<TracingDetail>({ method: 'POST', path: `${op(opId)}/tracing`, body });
export const rematchTracing = (opId: string, id: string) =>
  write<TracingDetail>({ method: 'POST', path: `${tracingPath(opId, id)}/rematch` });
export const recordTracingOutcome = (opId: string, id: string, body: In<typeof tracingOutcomeInput>) =>
  write<TracingDetail>({ method: 'POST', path: `${tracingPath(opId, id)}/outcome`, body });
/** A person reconciliation found missing in transit becomes a tracing case (have they arrived under another registration?). */
export const openTracingFromMissing = (opId: string, personId: string) =>
  write<TracingDetail>({ method: 'POST', path: `${op(opId)}/tracing/from-missing`, body: { personId } });

// Protection alerts (tracing officers). The outcomes the server accepts (services/reception.ts `alertOutcomes`).
export const alertOutcomes = ['reunited', 'interim_care', 'referred', 'tracing_case', 'raised_in_error'] as const;
export type AlertOutcome = (typeof alertOutcomes)[number];
const alertPath = (opId: string, id: string) => `${op(opId)}/protection-alerts/${encodeURIComponent(id)}`;
/** Someone is with the child; the alert stays open until closed with an outcome. A 409 when someone acknowledged or closed it first. */
export const acknowledgeAlert = (opId: string, alertId: string) =>
  write<ProtectionAlert>({ method: 'POST', path: `${alertPath(opId, alertId)}/acknowledge` });
/** Closes the alert with its outcome and a note (sealed by the server); a 409 `protection_alert.closed` when someone closed it first. */
export const closeAlert = (opId: string, alertId: string, body: { outcome: AlertOutcome; note: string }) =>
  write<ProtectionAlert>({ method: 'POST', path: `${alertPath(opId, alertId)}/close`, body });
