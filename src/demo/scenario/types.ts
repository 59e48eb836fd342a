/**
 * The shape of a generated scenario, as plain data (no classes, no functions), so it can be
 * written to JSON, imported through the API or handed to tests. Persons are shaped like the
 * API's `personInput` (src/domain/schemas/persons.ts) and a household's `{ id, siteId, members }`
 * like `householdInput`; movement facts like the movement fact schema (kind, device time,
 * received time, payload). The truth the generator knows — who is whom, who went missing,
 * what the totals are — is kept beside the data, never inside it.
 */
import type { AgeBand } from '../../domain/schemas/persons.js';

export type Sex = 'female' | 'male' | 'unknown';
export type SiteKind = 'origin' | 'assembly_point' | 'checkpoint' | 'reception_centre' | 'camp' | 'hospital';
export type VehicleKind = 'bus' | 'ambulance' | 'private_car' | 'van' | 'pickup';
export type Vulnerability =
  | 'wounded'
  | 'sick'
  | 'chronic_illness'
  | 'disability'
  | 'pregnant'
  | 'lactating'
  | 'older_person'
  | 'unaccompanied_child'
  | 'separated_child'
  | 'single_caregiver'
  | 'mental_health';
export type Relationship =
  'head' | 'spouse' | 'child' | 'parent' | 'sibling' | 'grandchild' | 'grandparent' | 'other_relative' | 'unrelated';

export interface ScenarioOperation {
  id: string;
  code: string;
  nameEn: string;
  nameAr: string;
  originArea: string;
  timeZone: string;
  /** Offset of the time zone during the operation, e.g. +02:00. */
  utcOffset: string;
  startsAt: string;
  endsAt: string;
}

/** A span of time in which departures were or were not allowed. */
export interface MovementWindow {
  id: string;
  from: string;
  to: string;
  departuresAllowed: boolean;
  reason: 'ceasefire_agreement' | 'ceasefire_suspended' | 'ceasefire_resumed' | 'demo_continuing';
  noteEn: string;
  noteAr: string;
}

export interface ScenarioSite {
  id: string;
  kind: SiteKind;
  nameEn: string;
  nameAr: string;
  lat: number;
  lon: number;
  capacity: number;
  /** Wristband serials pre-printed for this site (inclusive). */
  tagRange: { first: number; last: number };
}

export interface ScenarioRoute {
  id: string;
  nameEn: string;
  /** The route's name in Arabic (a fixed text: no draw of the scenario's generator). */
  nameAr: string;
  /** Ordered: origin first, destination last. */
  siteIds: string[];
  /** Minutes the coordinators expect per leg: the longest drive plus half an hour for a checkpoint. */
  legMinutes: number[];
}

export interface NamePartsOut {
  given?: string;
  father?: string;
  grandfather?: string;
  family?: string;
}

/** One person as registered: the fields of the API's personInput, nothing else. */
export interface ScenarioPerson {
  id: string;
  names: { ar?: NamePartsOut; lat?: NamePartsOut };
  sex: Sex;
  dateOfBirth?: string;
  estimatedAge?: number;
  relationship: Relationship;
  vulnerabilities: Vulnerability[];
  category: 'civilian' | 'combatant' | 'unknown';
  consent: { tracing: boolean; disclosure: boolean };
  tag?: string;
  origin?: string;
  medicalNotes?: string;
}

export interface ScenarioHousehold {
  id: string;
  siteId: string;
  registeredAt: string;
  /** The registration desk's device, which bound the wristbands from its range. */
  deviceId: string;
  members: ScenarioPerson[];
}

export interface HeadCountRow {
  sex: Sex;
  ageBand: AgeBand;
  category: 'civilian' | 'combatant' | 'unknown';
  count: number;
}

export interface ManifestItem {
  personId: string;
  householdId: string;
  splitReason?: string;
}

export interface ScenarioVehicle {
  id: string;
  convoyId: string;
  /** Painted or plate-like label, e.g. BUS-0012. */
  label: string;
  kind: VehicleKind;
  capacity: number;
  mode: 'named' | 'head_count';
  manifest: ManifestItem[];
  headCount?: HeadCountRow[];
}

export interface ScenarioConvoy {
  id: string;
  label: string;
  routeId: string;
  /** Local calendar day of departure, YYYY-MM-DD. */
  day: string;
  departedAt: string;
  outcome: 'arrived' | 'turned_back';
  vehicles: ScenarioVehicle[];
}

export type HaltReason =
  'checkpoint_inspection' | 'ceasefire_suspended' | 'security' | 'negotiation' | 'vehicle_breakdown' | 'road_blocked' | 'other';
export type IncidentKind =
  'shooting' | 'shelling' | 'halt' | 'taken_off' | 'medical' | 'vehicle_breakdown' | 'blocked' | 'detention' | 'other';
export type Severity = 'low' | 'medium' | 'high' | 'critical';

interface FactBase {
  id: string;
  operationId: string;
  /** Device that recorded the fact (a phone or tablet at a site). */
  deviceId: string;
  deviceTime: string;
  /** When the server got it; offline phones send hours later, so receive order ≠ device order. */
  receivedAt: string;
  convoyId?: string;
  vehicleId?: string;
  personId?: string;
  siteId?: string;
}

export type ScenarioFact = FactBase &
  (
    | { kind: 'boarded'; vehicleId: string; payload: { headCount?: HeadCountRow[]; splitReason?: string } }
    | { kind: 'departed'; payload: Record<string, never> }
    | { kind: 'passed_checkpoint'; siteId: string; payload: { observedHeadCount?: number } }
    | { kind: 'halted'; payload: { reason: HaltReason; note?: string } }
    | { kind: 'resumed'; payload: { note?: string } }
    | {
        kind: 'incident';
        payload: { incidentKind: IncidentKind; severity: Severity; injured?: number; killed?: number; detained?: number; text?: string };
      }
    | { kind: 'turned_back'; payload: { reason: HaltReason; note?: string } }
    | { kind: 'arrived'; siteId: string; payload: { observedHeadCount?: number } }
    | { kind: 'checked_in'; personId: string; siteId: string; payload: { shelter?: string } }
  );
export type ScenarioFactKind = ScenarioFact['kind'];

export interface TracingRequest {
  id: string;
  createdAt: string;
  siteId: string;
  /** The person asking: a registered person's id, or only a name for someone outside. */
  enquirer: { personId: string | null; names: NamePartsOut };
  /** Whatever the enquirer knows of the sought person, in one script. */
  sought: { names: NamePartsOut; sex?: Sex; ageMin?: number; ageMax?: number };
  /** What the sought person is to the enquirer. */
  relation: 'child' | 'sibling' | 'parent' | 'spouse' | 'grandchild' | 'other_relative';
  lastSeen: { place: string; date: string };
}

export type TracingOutcome = 'registered' | 'missing_in_transit' | 'never_registered';
export interface TracingTruth {
  requestId: string;
  personId: string | null;
  status: TracingOutcome;
}

export interface SaddRow {
  sex: Sex;
  ageBand: AgeBand;
  count: number;
}
export interface Sadd {
  total: number;
  rows: SaddRow[];
}

export interface ExpectedTotals {
  /** Person records, duplicates included. */
  registeredRecords: number;
  /** Distinct people registered by name (a duplicate counted once), arrivals registered at reception included. */
  registeredPeople: Sadd;
  /** Distinct people who boarded a named vehicle (once, however often they boarded). */
  boarded: Sadd;
  /** Distinct people checked in at a reception site or camp. */
  arrived: Sadd;
  missingInTransit: Sadd;
  /** Arrived without being on any manifest (registered at reception). */
  unmanifestedArrivals: Sadd;
  /** People in head-count-only vehicles. */
  headCountOnly: Sadd & { byCategory: Record<string, number> };
  /** Everyone who left: boarded by name + unmanifested + head-count-only. */
  evacuated: number;
  convoys: number;
  vehicles: Record<VehicleKind, number>;
  facts: number;
  tracingRequests: number;
  duplicatePairs: number;
}

export interface ScenarioTruth {
  /** [first registration, second registration] of the same person. */
  duplicates: Array<[string, string]>;
  tracing: TracingTruth[];
  missingInTransit: string[];
  totals: ExpectedTotals;
}

export interface Scenario {
  seed: number;
  operation: ScenarioOperation;
  windows: MovementWindow[];
  sites: ScenarioSite[];
  routes: ScenarioRoute[];
  households: ScenarioHousehold[];
  convoys: ScenarioConvoy[];
  /** In receive order (by `receivedAt`). */
  facts: ScenarioFact[];
  tracingRequests: TracingRequest[];
  truth: ScenarioTruth;
}

/** What one step of the streaming generator hands over: one convoy and what came with it. */
export interface ScenarioChunk {
  households: ScenarioHousehold[];
  convoy: ScenarioConvoy | null;
  facts: ScenarioFact[];
  /** Requests taken down meanwhile; their truth comes at the end (a sought person may go missing later). */
  tracingRequests: TracingRequest[];
  duplicates: Array<[string, string]>;
  missingInTransit: string[];
}
