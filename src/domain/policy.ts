/**
 * Who may do what. Roles are held per operation; each role grants a fixed set of
 * permissions. Endpoints name the permission they need beside their path (src/domain/api); this module only
 * knows roles and permissions, so the browser can use it to decide which desks to show.
 */
import type { FactKind } from './movements/facts.js';

export const roles = [
  'admin',
  'coordinator',
  'registrar',
  'convoy_officer',
  'checkpoint_monitor',
  'reception_officer',
  'tracing_officer',
  'viewer',
] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  /** See the operation itself: its name, sites, routes, windows. */
  'operation.read',
  /** Change the operation: sites, routes, windows, wristband ranges. */
  'operation.manage',
  /** Aggregate counts only; never a person. */
  'counts.read',
  /** Register households and people, bind tags. */
  'person.register',
  /** Read a person's record (names, tag, household). Every read is audited. */
  'person.read',
  /** Change a person's record after registration. */
  'person.update',
  /** Read and write the restricted category field (civilian, combatant, …). */
  'person.category',
  /** Read and write medical notes. */
  'person.medical',
  /** Tracing requests, their enquirers and candidates. */
  'tracing.manage',
  /** Convoys, vehicles and manifests. */
  'convoy.manage',
  /** Checkpoint facts: passes, head counts, halts, incidents. */
  'checkpoint.log',
  /** Reception facts: arrival, check-in, shelter. */
  'reception.log',
  /** Send movement facts at all (the batch endpoint); each fact's kind needs checkpoint.log, reception.log or convoy.manage too. */
  'fact.submit',
  /** Operation-level user roles and devices. */
  'operation.staff',
  /** The audit log of the operation. */
  'audit.read',
  /** Crypto-shred one person: everything sealed about them is erased, their counts remain. */
  'person.erase',
] as const;
export type Permission = (typeof permissions)[number];

const grants: Record<Role, readonly Permission[]> = {
  admin: ['operation.read', 'operation.manage', 'counts.read', 'operation.staff', 'audit.read'],
  coordinator: [
    'operation.read',
    'operation.manage',
    'counts.read',
    'person.read',
    'person.update',
    'person.category',
    'person.erase',
    'convoy.manage',
    'fact.submit',
  ],
  registrar: ['operation.read', 'counts.read', 'person.register', 'person.read', 'person.update'],
  convoy_officer: ['operation.read', 'counts.read', 'person.read', 'convoy.manage', 'fact.submit'],
  checkpoint_monitor: ['operation.read', 'counts.read', 'checkpoint.log', 'fact.submit'],
  reception_officer: ['operation.read', 'counts.read', 'person.read', 'person.medical', 'reception.log', 'fact.submit'],
  tracing_officer: ['operation.read', 'counts.read', 'person.read', 'tracing.manage'],
  viewer: ['operation.read', 'counts.read'],
};

/** Which permission records which kind of fact (a correction: the permission of the kind of the fact it voids). */
export const factPermission: Record<Exclude<FactKind, 'correction'>, Permission> = {
  passed_checkpoint: 'checkpoint.log',
  halted: 'checkpoint.log',
  resumed: 'checkpoint.log',
  incident: 'checkpoint.log',
  turned_back: 'checkpoint.log',
  arrived: 'reception.log',
  checked_in: 'reception.log',
  boarded: 'convoy.manage',
  departed: 'convoy.manage',
  cancelled: 'convoy.manage',
};

export function permissionsOf(heldRoles: readonly Role[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const role of heldRoles) for (const p of grants[role]) out.add(p);
  return out;
}

export function roleGrants(role: Role, permission: Permission): boolean {
  return grants[role].includes(permission);
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** Permissions that read protection data: names, category, medical notes, tracing. */
export const protectionReading: readonly Permission[] = ['person.read', 'person.category', 'person.medical', 'tracing.manage'];

/**
 * Roles one operation admin alone may not grant: those that read protection data, and admin
 * (which grants roles). They need a second admin's approval, or a system admin (src/services/operations/staff.ts).
 */
export function grantNeedsApproval(role: Role): boolean {
  return role === 'admin' || grants[role].some((p) => protectionReading.includes(p));
}

/** True when the roles held give every permission of `role`: a device token never holds more than its maker. */
export function rolesCover(held: readonly Role[], role: Role): boolean {
  const mine = permissionsOf(held);
  return grants[role].every((p) => mine.has(p));
}

/**
 * The permissions of the desks that keep names on a phone, sealed to its vault (docs/decisions/021-phone-vault.md):
 * registration (unsent registrations), reception (the expected list), the convoy board (the households to board).
 * The server releases the vault's key only to an account holding one of them; a phone wipes the vault when none is held.
 */
export const phoneNamesPermissions: readonly Permission[] = ['person.register', 'reception.log', 'convoy.manage'];
