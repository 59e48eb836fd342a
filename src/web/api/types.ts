/**
 * The shapes the API answers with, as the pages read them. Inputs are not redefined here: they
 * come from the shared zod schemas in src/domain/schemas.
 */
import type { Permission, Role } from '../../domain/policy.js';
import type { NameParts } from '../../domain/schemas/common.js';

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

export interface User { id: string; username: string; displayName: string; isAdmin: boolean; locale: string; disabled: boolean }
export interface StaffMember { userId: string; username: string; displayName: string; roles: Role[] }
export interface Device { id: string; name: string; siteId: string | null; createdAt: string; revoked: boolean }
export interface NewDevice { id: string; name: string; siteId: string | null; role: string; token: string }

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

export interface Household { id: string; siteId: string; registeredAt: string; notes: string | null; members: Person[] }
