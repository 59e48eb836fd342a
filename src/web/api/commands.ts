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
 * - registerHousehold, addMember — a registration. The desk makes the household's and each
 *   member's ids itself, so it goes on without the server's answer; the body has names, so it is
 *   sealed to the phone vault (api/vault.ts) while it waits. The tag's check character is checked
 *   on the phone; a tag already used elsewhere is refused when it arrives and shown then.
 * - printWristbands — the record of a wristband print (a reprint with its reason, sealed): a
 *   household still on the phone prints from the tags it holds, and the record follows it.
 * - boardHousehold, recordHeadCount — a boarding or a head count at the departure point. The page
 *   checks capacity and family unity with the shared manifest rules first; sent now when the
 *   server answers (its answer shown), kept when it cannot, and a later refusal is shown in the outbox.
 * Everything else is sent now or fails: logging in and out; convoy moves, taking people off a
 * vehicle (the convoy officer needs the state machine's 409 before acting on it); administration,
 * duplicates and tracing (office desks, and their answers drive the next step); acting on a
 * protection alert (the officer must know at once whether someone else closed it first).
 */
import type { z } from 'zod';
import type { deviceInput, operationInput, siteInput, sitePatch, tagRangeInput, userInput } from '../../domain/schemas/operations.js';
import type { HouseholdInput, PersonInput, householdBatchInput } from '../../domain/schemas/persons.js';
import type { Role } from '../../domain/policy.js';
import type { draftCandidatesInput, tracingOutcomeInput, tracingRequestInput } from '../../domain/schemas/tracing.js';
import type { ConvoyEvent } from '../../domain/convoys/state-machine.js';
import type { headCountRows } from '../../domain/convoys/head-count.js';
import type { vehicleInput } from '../../domain/convoys/vehicles.js';
import type { movementWindowInput, routeInput, routeNamesInput, routeTimingInput } from '../../domain/convoys/routes.js';
import type { haltReasons } from '../../domain/movements/facts.js';
import type { outsideSourceInput } from '../../domain/sitrep/sources.js';
import type * as sitrepContract from '../../domain/api/sitrep.js';
import type { exportInput } from '../../domain/schemas/exports.js';
import type { Endpoint } from '../../domain/api/endpoint.js';
import type * as importsContract from '../../domain/api/imports.js';
import { alertOutcomes, type AlertOutcome } from '../../domain/protection-alerts.js';
import {
  admin,
  auth,
  convoyOps,
  convoys,
  exportsApi,
  imports,
  matching,
  operations,
  paper,
  persons,
  reception,
  sitrep,
  sms,
  urlOf,
  type ResponseOf,
  type Route,
} from './endpoints.js';
import type { WriteMethod } from './send.js';
import { write, writeOrQueue, type StampedFact } from './write.js';

type In<S extends z.ZodType> = z.input<S>;
type WriteRoute = Route<Endpoint & { method: WriteMethod }>;

/** A write to an endpoint of the contract: its URL from the params, its answer typed by its response schema. */
function command<E extends WriteRoute>(e: E, params: Record<string, string> | undefined, body?: unknown, clientId?: string) {
  return write<ResponseOf<E>>({
    method: e.method,
    path: urlOf(e, params),
    ...(body !== undefined ? { body } : {}),
    ...(e.idempotent === false ? { idempotent: false } : {}),
    ...(clientId ? { clientId } : {}),
  });
}
/** The same, for a command that may wait in the offline outbox (`kind` names it there). */
function queueable<E extends WriteRoute>(
  kind: string,
  e: E,
  params: Record<string, string>,
  body: unknown,
  clientId?: string,
  seal?: boolean,
) {
  return writeOrQueue<ResponseOf<E>>({
    kind,
    method: e.method,
    path: urlOf(e, params),
    body,
    ...(clientId ? { clientId } : {}),
    ...(seal ? { seal } : {}),
  });
}

export const login = (username: string, password: string, code?: string) =>
  command(auth.login, undefined, { username, password, ...(code ? { code } : {}) });
export const changePassword = (body: { currentPassword: string; newPassword: string }) => command(auth.changePassword, undefined, body);
export const setUpSecondFactor = () => command(auth.setUpSecondFactor, undefined);
export const enableSecondFactor = (code: string) => command(auth.enableSecondFactor, undefined, { code });
export const disableUser = (userId: string) => command(admin.disableUser, { userId });
export const enableUser = (userId: string) => command(admin.enableUser, { userId });
export const resetUserPassword = (userId: string) => command(admin.resetUserPassword, { userId });
export const resetUserSecondFactor = (userId: string) => command(admin.resetUserSecondFactor, { userId });
export const endUserSessions = (userId: string) => command(admin.endUserSessions, { userId });
/** The number an account's checkpoint SMS come from (null removes it); the answer shows its last digits only. */
export const setUserPhone = (userId: string, phone: string | null) => command(sms.setUserPhone, { userId }, { phone });
export const logout = () => command(auth.logout, undefined);

/** An export: the file comes back in the answer (base64), its making is audited by the server. */
export const exportFile = (opId: string, body: In<typeof exportInput>) => command(exportsApi.exportFile, { operationId: opId }, body);

/** The situation report: the file comes back in the answer (base64); its making is audited by the server. */
export const produceSitrep = (opId: string, body: In<typeof sitrepContract.sitrepInput>) =>
  command(sitrep.produceSitrep, { operationId: opId }, body);
export const verifySitrep = (opId: string, contentBase64: string) => command(sitrep.verifySitrep, { operationId: opId }, { contentBase64 });
export const recordOutsideSource = (opId: string, body: In<typeof outsideSourceInput>) =>
  command(sitrep.recordOutsideSource, { operationId: opId }, body);

export const createUser = (body: In<typeof userInput>) => command(admin.createUser, undefined, body);
export const createOperation = (body: In<typeof operationInput>) => command(operations.createOperation, undefined, body);
export const createSite = (opId: string, body: In<typeof siteInput>) => command(operations.createSite, { operationId: opId }, body);
export const updateSite = (opId: string, siteId: string, body: In<typeof sitePatch>) =>
  command(operations.updateSite, { operationId: opId, siteId }, body);
export const setStaffRoles = (opId: string, userId: string, roles: Role[]) =>
  command(operations.setStaffRoles, { operationId: opId, userId }, { roles });
export const approveRoleRequest = (opId: string, requestId: string) =>
  command(operations.approveRoleRequest, { operationId: opId, requestId });
export const rejectRoleRequest = (opId: string, requestId: string) =>
  command(operations.rejectRoleRequest, { operationId: opId, requestId });
export const createDevice = (opId: string, body: In<typeof deviceInput>) => command(operations.createDevice, { operationId: opId }, body);
export const revokeDevice = (opId: string, deviceId: string) => command(operations.revokeDevice, { operationId: opId, deviceId });
export const allocateTagRange = (opId: string, body: In<typeof tagRangeInput>) =>
  command(operations.allocateTagRange, { operationId: opId }, body);

/** Sealed in the outbox (names inside): the household's and members' ids are made on the phone, so a member can be added to a household still queued. */
export const registerHousehold = (opId: string, body: HouseholdInput, clientId?: string) =>
  queueable('registration', persons.registerHousehold, { operationId: opId }, body, clientId, true);
export const addMember = (opId: string, householdId: string, body: PersonInput, clientId?: string) =>
  queueable('registration', persons.addMember, { operationId: opId, householdId }, body, clientId, true);
/** Filled paper forms typed in later: each household at the time written on its form (sent now: the desk needs the ids). */
export const registerPaperForms = (opId: string, body: In<typeof householdBatchInput>, clientId?: string) =>
  command(persons.registerHouseholdBatch, { operationId: opId }, body, clientId);
/**
 * A print of a household's wristbands, recorded before the sheet is made (a reprint with its
 * reason). Through the outbox: a household still on the phone prints from the tags it holds, and
 * the print reaches the server after the household (the outbox keeps the order). A reprint's
 * reason may name someone: it waits sealed.
 */
export const printWristbands = (opId: string, householdId: string, body: { reason?: string }, clientId?: string) =>
  queueable('wristbands', paper.printWristbands, { operationId: opId, householdId }, body, clientId, body.reason !== undefined);

// Imports: the dry run and the run itself are sent now (the page needs the report and the run's id).
type ImportBody = In<typeof importsContract.importFilesInput>;
export const previewImport = (opId: string, body: ImportBody) => command(imports.previewImport, { operationId: opId }, body);
export const startImport = (opId: string, body: ImportBody & { allOrNothing: boolean }) =>
  command(imports.startImport, { operationId: opId }, body);
export const saveImportMapping = (opId: string, name: string, mapping: ImportBody['mapping']) =>
  command(imports.saveImportMapping, { operationId: opId, name }, { mapping });

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
const onConvoy = (opId: string, convoyId: string) => ({ operationId: opId, convoyId });
export const createRoute = (opId: string, body: In<typeof routeInput>) => command(convoys.createRoute, { operationId: opId }, body);
/** Sets the expected minutes of each leg of a route (null: none) and the escalation delay of its overdue alerts. */
export const setRouteTiming = (opId: string, routeId: string, body: In<typeof routeTimingInput>) =>
  command(convoyOps.setRouteTiming, { operationId: opId, routeId }, body);
/** Renames a route: English and Arabic names (null clears one). */
export const renameRoute = (opId: string, routeId: string, body: In<typeof routeNamesInput>) =>
  command(convoyOps.renameRoute, { operationId: opId, routeId }, body);
export const createMovementWindow = (opId: string, body: In<typeof movementWindowInput>) =>
  command(convoys.createMovementWindow, { operationId: opId }, body);

export const createConvoy = (opId: string, body: { routeId: string; name?: string }) =>
  command(convoys.createConvoy, { operationId: opId }, body);
export const addVehicle = (opId: string, convoyId: string, body: VehicleBody) =>
  command(convoys.addVehicle, onConvoy(opId, convoyId), body);
/** Through the outbox (ids only; the page checked the plan with the shared manifest rules): the server's refusal, when it comes, is shown in the outbox. */
export const boardHousehold = (
  opId: string,
  convoyId: string,
  body: { householdId: string; vehicleId: string; memberIds?: string[]; splitReason?: string; at?: string },
  clientId?: string,
  // A split's reason may name someone: while it waits on the phone it is sealed, as a reprint's is.
) => queueable('boarding', convoys.board, onConvoy(opId, convoyId), body, clientId, body.splitReason !== undefined);
/** Through the outbox: a count of who is in a vehicle, taken at the departure point. */
export const recordHeadCount = (opId: string, convoyId: string, body: HeadCountBody, clientId?: string) =>
  queueable('head_count', convoys.recordHeadCount, onConvoy(opId, convoyId), body, clientId);
/** What the server answers when people are taken off a vehicle (before departure; their boarding facts voided). */
export type { RemovalResult } from './types.js';
/** Take a household (or some members; a reason when the rest stays) off its vehicle. Sent now: the officer needs the answer (a 409 after departure). */
export const removeFromVehicle = (
  opId: string,
  convoyId: string,
  body: { householdId: string; memberIds?: string[]; reason?: string },
  clientId?: string,
) => command(convoys.removeFromVehicle, onConvoy(opId, convoyId), body, clientId);
/** Remove a head-count vehicle's count before departure (to correct it, save it again). */
export const removeHeadCount = (opId: string, convoyId: string, body: { vehicleId: string; reason?: string }, clientId?: string) =>
  command(convoys.removeHeadCount, onConvoy(opId, convoyId), body, clientId);
export const moveConvoy = (opId: string, convoyId: string, body: Transition, clientId?: string) =>
  command(convoys.moveConvoy, onConvoy(opId, convoyId), body, clientId);
/** Facts already stamped (stampFact); a retry sends the same facts with the same client id. */
export const recordFacts = (opId: string, facts: StampedFact[], clientId?: string) =>
  queueable('facts', reception.recordFacts, { operationId: opId }, { facts }, clientId);
export const checkIn = (
  opId: string,
  body: { siteId: string; tag?: string; personId?: string; convoyId?: string; shelter?: string },
  clientId?: string,
) => queueable('check_in', reception.checkIn, { operationId: opId }, body, clientId);

// Duplicates and tracing.
/** Possible duplicates of a member not yet saved: a read sent as POST so names stay out of the URL (no client id). */
export const draftCandidates = (opId: string, body: In<typeof draftCandidatesInput>) =>
  command(matching.draftCandidates, { operationId: opId }, body);
const onReview = (opId: string, reviewId: string) => ({ operationId: opId, reviewId });
export const mergeDuplicate = (opId: string, reviewId: string, keep: string) =>
  command(matching.mergeDuplicate, onReview(opId, reviewId), { keep });
export const rejectDuplicate = (opId: string, reviewId: string) => command(matching.rejectDuplicate, onReview(opId, reviewId));
export const undoMerge = (opId: string, reviewId: string) => command(matching.undoDuplicate, onReview(opId, reviewId));
export const scanDuplicates = (opId: string) => command(matching.scanDuplicates, { operationId: opId });
const onRequest = (opId: string, requestId: string) => ({ operationId: opId, requestId });
export const openTracingRequest = (opId: string, body: In<typeof tracingRequestInput>) =>
  command(matching.createTracing, { operationId: opId }, body);
export const rematchTracing = (opId: string, id: string) => command(matching.rematchTracing, onRequest(opId, id));
export const recordTracingOutcome = (opId: string, id: string, body: In<typeof tracingOutcomeInput>) =>
  command(matching.recordTracingOutcome, onRequest(opId, id), body);
/** A person reconciliation found missing in transit becomes a tracing case (have they arrived under another registration?). */
export const openTracingFromMissing = (opId: string, personId: string) =>
  command(matching.tracingFromMissing, { operationId: opId }, { personId });

// Protection alerts (tracing officers). The outcomes the server accepts, from the contract.
export { alertOutcomes, type AlertOutcome };
const onAlert = (opId: string, alertId: string) => ({ operationId: opId, alertId });
/** Someone is with the child; the alert stays open until closed with an outcome. A 409 when someone acknowledged or closed it first. */
export const acknowledgeAlert = (opId: string, alertId: string) => command(reception.acknowledgeAlert, onAlert(opId, alertId));
/** Says someone follows an overdue convoy up; a 409 `convoy_alert.already_acknowledged` when someone did first. */
export const acknowledgeConvoyAlert = (opId: string, alertId: string) => command(convoyOps.acknowledgeConvoyAlert, onAlert(opId, alertId));
/** Closes the alert with its outcome and a note (sealed by the server); a 409 `protection_alert.closed` when someone closed it first. */
export const closeAlert = (opId: string, alertId: string, body: { outcome: AlertOutcome; note: string }) =>
  command(reception.closeAlert, onAlert(opId, alertId), body);
