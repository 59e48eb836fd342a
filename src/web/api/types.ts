/**
 * The shapes the API answers with, as the pages read them. Inputs are not redefined here: they
 * come from the shared zod schemas in src/domain/schemas.
 */
import type { Permission, Role } from '../../domain/policy.js';
import type { NameParts } from '../../domain/schemas/common.js';
import type {
  ConvoyEvent,
  ConvoyState,
  HeadCountRow,
  ManifestFlag,
  ManifestWarning,
  VehicleKind,
  VehicleMode,
} from '../../domain/convoys/index.js';
import type { ReconciliationItem, ReconciliationKind } from '../../domain/reconciliation/index.js';
import type { FieldExplanation } from '../../domain/matching/index.js';

export interface Me {
  kind: string;
  id: string;
  name: string;
  isAdmin: boolean;
  locale: string;
  operations: { operationId: string; roles: Role[]; permissions: Permission[] }[];
}

export interface Operation {
  id: string;
  code: string;
  nameEn: string;
  nameAr: string | null;
  originArea: string | null;
  status: string;
  timeZone: string;
  createdAt: string;
  roles: Role[];
  permissions?: Permission[];
}

export interface Site {
  id: string;
  kind: string;
  nameEn: string;
  nameAr: string | null;
  lat: number | null;
  lon: number | null;
  capacity: number | null;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  locale: string;
  disabled: boolean;
}
export interface StaffMember {
  userId: string;
  username: string;
  displayName: string;
  roles: Role[];
}
export interface Device {
  id: string;
  name: string;
  siteId: string | null;
  createdAt: string;
  revoked: boolean;
}
export interface NewDevice {
  id: string;
  name: string;
  siteId: string | null;
  role: string;
  token: string;
}

export interface TagRange {
  id: string;
  firstSerial: number;
  lastSerial: number;
  count: number;
  firstTag: string;
  lastTag: string;
  siteId: string | null;
  deviceId: string | null;
  label: string | null;
  allocatedAt: string;
}

export interface Person {
  id: string;
  householdId: string;
  relationship: string;
  names: { ar?: NameParts; lat?: NameParts };
  sex: string;
  dateOfBirth: string | null;
  birthYear: number | null;
  ageEstimated: boolean;
  ageBand: string;
  vulnerabilities: string[];
  consent: { tracing: boolean; disclosure: boolean };
  tag: string | null;
  siteId: string | null;
  registeredAt: string;
  category?: string;
  medicalNotes?: string | null;
}

export interface Household {
  id: string;
  siteId: string;
  registeredAt: string;
  notes: string | null;
  members: Person[];
}

export interface RouteInfo {
  id: string;
  name: string | null;
  siteIds: string[];
  createdAt: string;
}
export interface MovementWindowInfo {
  id: string;
  start: string;
  end: string;
  note: string | null;
}

export interface AllowedMove {
  event: ConvoyEvent;
  to: ConvoyState;
}

export interface ConvoySummary {
  id: string;
  routeId: string;
  name: string | null;
  state: ConvoyState;
  dispatchedAt: string | null;
  createdAt: string;
}

export interface VehicleInfo {
  id: string;
  kind: VehicleKind;
  capacity: number;
  mode: VehicleMode;
  plate: string | null;
  occupancy: number;
}

export interface ConvoyDetail extends ConvoySummary {
  allowed: AllowedMove[];
  overridden: boolean;
  overrideBy: string | null;
  vehicles: VehicleInfo[];
}

export interface ManifestEntryInfo {
  personId: string;
  householdId: string;
  vehicleId: string;
  flags: ManifestFlag[];
  splitReason: string | null;
}

export interface Manifest {
  convoyId: string;
  state: ConvoyState;
  vehicles: {
    id: string;
    convoyId: string;
    kind: VehicleKind;
    capacity: number;
    mode: VehicleMode;
    occupancy: number;
    headCount: HeadCountRow[] | null;
  }[];
  entries: ManifestEntryInfo[];
}

export interface BoardingResult {
  convoyId: string;
  state: ConvoyState;
  entries: ManifestEntryInfo[];
  warnings: ManifestWarning[];
  factIds: string[];
}
export interface HeadCountResult {
  convoyId: string;
  vehicleId: string;
  rows: HeadCountRow[];
  total: number;
  warnings: ManifestWarning[];
  factId: string;
}

export interface FactBatchResult {
  results: { id: string; status: 'accepted' | 'duplicate' }[];
  accepted: number;
  duplicates: number;
  alerts: { id: string; personId: string; kind: string }[];
}

export interface CheckInResult {
  factId: string;
  personId: string;
  householdId: string;
  tag: string | null;
  siteId: string;
  flags: string[];
  alerts: { id: string; kind: string }[];
}

export interface ProtectionAlert {
  id: string;
  personId: string;
  siteId: string;
  factId: string;
  kind: string;
  status: 'open' | 'closed';
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  closedAt: string | null;
  closedBy: string | null;
  outcome: string | null;
  note: string | null;
  /** Display names of the accounts that acted (null when the actor is not an account); the ids above are for the record only. */
  acknowledgedByName?: string | null;
  closedByName?: string | null;
}

export type ReconciliationItemInfo = ReconciliationItem;
export interface Reconciliation {
  scope: Record<string, string>;
  summary: { operation: Partial<Record<ReconciliationKind, number>> };
  items: ReconciliationItemInfo[];
}

export type FieldExplanationInfo = FieldExplanation;
export interface Match {
  decision: 'link' | 'review' | 'none';
  probability: number;
  weight: number;
  explanation: FieldExplanationInfo[];
}
export interface DraftCandidate extends Match {
  person: Person;
}
export interface DuplicateReview extends Match {
  id: string;
  status: 'open' | 'merged' | 'rejected' | 'undone';
  source: string;
  createdAt: string;
  personA: Person | null;
  personB: Person | null;
}

export interface TracingSought {
  names: { ar?: NameParts; lat?: NameParts };
  sex?: string;
  ageMin?: number;
  ageMax?: number;
  lastSeenPlace?: string;
  lastSeenOn?: string;
  notes?: string;
}
export interface TracingSummary {
  id: string;
  status: string;
  origin: string;
  relation: string;
  enquirer: { name: string; phone?: string; contactNotes?: string; siteId?: string };
  sought: TracingSought;
  candidates: number;
  createdAt: string;
  updatedAt: string;
}
export interface TracingCandidate extends Match {
  personId: string;
  person: Person;
  lastCheckIn: { siteId: string | null; at: string } | null;
}
export interface TracingDetail extends Omit<TracingSummary, 'candidates'> {
  foundPersonId: string | null;
  disclosure: { allowed: boolean; siteId?: string | null; message: string } | null;
  candidates: TracingCandidate[];
  events: { id: string; kind: string; personId: string | null; at: string; note: string | null }[];
}
