/**
 * The shapes the API answers with, as the pages read them: inferred from the response schemas
 * of the contract (src/domain/api), so they cannot drift from what the server sends. Inputs
 * come from the shared zod schemas in src/domain/schemas. Type-only imports: nothing here
 * reaches the bundle.
 */
import type { z } from 'zod';
import type { ResponseOf } from '../../domain/api/endpoint.js';
import type * as admin from '../../domain/api/admin.js';
import type * as auth from '../../domain/api/auth.js';
import type * as convoyOps from '../../domain/api/convoy-ops.js';
import type * as convoys from '../../domain/api/convoys.js';
import type * as counts from '../../domain/api/counts.js';
import type * as matching from '../../domain/api/matching.js';
import type * as operations from '../../domain/api/operations.js';
import type * as persons from '../../domain/api/persons.js';
import type * as reception from '../../domain/api/reception.js';
import type * as views from '../../domain/api/views.js';

export type Me = ResponseOf<typeof auth.me>;
export type Operation = ResponseOf<typeof operations.listOperations>[number] & {
  permissions?: ResponseOf<typeof operations.getOperation>['permissions'];
};
export type Site = z.infer<typeof operations.siteView>;
/** The live stream's `tracing` event: which requests have news, no person. */
export type TracingNews = z.infer<typeof counts.tracingNewsEvent>;
export type User = ResponseOf<typeof admin.listUsers>[number];
export type StaffMember = ResponseOf<typeof operations.listStaff>[number];
export type Device = ResponseOf<typeof operations.listDevices>[number];
export type RoleRequest = ResponseOf<typeof operations.listRoleRequests>[number];
export type NewDevice = ResponseOf<typeof operations.createDevice>;
export type TagRange = z.infer<typeof operations.tagRangeView>;

export type Person = z.infer<typeof views.personView>;
export type Household = z.infer<typeof views.householdView>;
export type PersonFound = z.infer<typeof persons.personFoundView>;
export type PersonTimeline = ResponseOf<typeof persons.getPersonTimeline>;
export type TimelineEntry = PersonTimeline['entries'][number];
export type TracingList = ResponseOf<typeof matching.listTracing>;

export type RouteInfo = z.infer<typeof convoys.routeView>;
export type MovementWindowInfo = z.infer<typeof convoys.movementWindowView>;
export type AllowedMove = z.infer<typeof views.allowedMoveView>;
export type ConvoySummary = z.infer<typeof convoys.convoySummaryView>;
export type VehicleInfo = z.infer<typeof convoys.vehicleView>;
export type ConvoyDetail = z.infer<typeof convoys.convoyDetailView>;
export type ManifestEntryInfo = z.infer<typeof views.manifestEntryView>;
export type Manifest = ResponseOf<typeof convoys.getManifest>;
export type BoardingResult = ResponseOf<typeof convoys.board>;
export type HeadCountResult = ResponseOf<typeof convoys.recordHeadCount>;
export type RemovalResult = ResponseOf<typeof convoys.removeFromVehicle>;

export type FactBatchResult = ResponseOf<typeof reception.recordFacts>;
export type CheckInResult = ResponseOf<typeof reception.checkIn>;
export type ProtectionAlert = z.infer<typeof reception.protectionAlertView>;

export type Reconciliation = ResponseOf<typeof convoys.getReconciliation>;
export type ReconciliationItemInfo = Reconciliation['items'][number];

export type Counts = ResponseOf<typeof counts.getCounts>;

export type IncidentList = ResponseOf<typeof convoyOps.listIncidents>;
export type IncidentInfo = IncidentList['incidents'][number];
export type ConvoyTimeline = ResponseOf<typeof convoyOps.getConvoyTimeline>;
export type ConvoyTimelineEntry = ConvoyTimeline['entries'][number];
export type ConvoyPosition = z.infer<typeof convoyOps.convoyPositionView>;
export type ConvoyAlert = z.infer<typeof convoyOps.convoyAlertView>;
export type Replay = ResponseOf<typeof convoyOps.getReplay>;

export type FieldExplanationInfo = z.infer<typeof views.fieldExplanationView>;
export type Match = z.infer<typeof views.matchView>;
export type DraftCandidate = ResponseOf<typeof matching.draftCandidates>[number];
export type DuplicateReview = z.infer<typeof matching.duplicateReviewView>;
export type TracingSought = z.infer<typeof matching.tracingSoughtView>;
export type TracingSummary = z.infer<typeof matching.tracingSummaryView>;
export type TracingCandidate = z.infer<typeof matching.tracingCandidateView>;
export type TracingDetail = z.infer<typeof matching.tracingDetailView>;
export type TracingElsewhere = ResponseOf<typeof matching.searchTracingElsewhere>;
