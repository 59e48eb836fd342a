/**
 * The policy table: every route of the API and the access it needs. A route that is not in
 * this table cannot be registered (buildApp throws), and a test walks every route × role
 * against it. `public` needs nothing; `authenticated` any logged-in account; `system_admin`
 * an account with the admin flag; a permission is checked against the roles the caller holds
 * in the operation named by the route's `:operationId`.
 */
import type { Permission } from '../domain/policy.js';

export type Access = 'public' | 'authenticated' | 'system_admin' | Permission;

export const routePolicy: Record<string, Access> = {
  'GET /api/health': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'authenticated',
  'GET /api/auth/me': 'authenticated',

  'GET /api/users': 'system_admin',
  'POST /api/users': 'system_admin',
  'GET /api/audit/verify': 'system_admin',

  'GET /api/operations': 'authenticated',
  'POST /api/operations': 'system_admin',
  'GET /api/operations/:operationId': 'operation.read',

  'GET /api/operations/:operationId/sites': 'operation.read',
  'POST /api/operations/:operationId/sites': 'operation.manage',

  'GET /api/operations/:operationId/staff': 'operation.staff',
  'PUT /api/operations/:operationId/staff/:userId': 'operation.staff',
  'GET /api/operations/:operationId/devices': 'operation.staff',
  'POST /api/operations/:operationId/devices': 'operation.staff',
  'POST /api/operations/:operationId/devices/:deviceId/revoke': 'operation.staff',

  'GET /api/operations/:operationId/tag-ranges': 'operation.read',
  'POST /api/operations/:operationId/tag-ranges': 'operation.manage',

  'POST /api/operations/:operationId/households': 'person.register',
  'POST /api/operations/:operationId/households/batch': 'person.register',
  'GET /api/operations/:operationId/households/:householdId': 'person.read',
  'POST /api/operations/:operationId/households/:householdId/members': 'person.register',
  'GET /api/operations/:operationId/persons': 'person.read',
  'GET /api/operations/:operationId/persons/:personId': 'person.read',
  'PATCH /api/operations/:operationId/persons/:personId': 'person.update',

  'GET /api/operations/:operationId/audit': 'audit.read',

  'GET /api/operations/:operationId/routes': 'operation.read',
  'POST /api/operations/:operationId/routes': 'operation.manage',
  'GET /api/operations/:operationId/movement-windows': 'operation.read',
  'POST /api/operations/:operationId/movement-windows': 'operation.manage',
  'GET /api/operations/:operationId/convoys': 'operation.read',
  'POST /api/operations/:operationId/convoys': 'convoy.manage',
  'GET /api/operations/:operationId/convoys/:convoyId': 'operation.read',
  'POST /api/operations/:operationId/convoys/:convoyId/vehicles': 'convoy.manage',
  'GET /api/operations/:operationId/convoys/:convoyId/manifest': 'convoy.manage',
  'POST /api/operations/:operationId/convoys/:convoyId/boardings': 'convoy.manage',
  'POST /api/operations/:operationId/convoys/:convoyId/boardings/batch': 'convoy.manage',
  'POST /api/operations/:operationId/convoys/:convoyId/removals': 'convoy.manage',
  'POST /api/operations/:operationId/convoys/:convoyId/head-count-removals': 'convoy.manage',
  'POST /api/operations/:operationId/convoys/:convoyId/head-counts': 'convoy.manage',
  'POST /api/operations/:operationId/convoys/:convoyId/transitions': 'convoy.manage',
  // Any role that records some kind of fact; each fact's kind is then checked (checkpoint.log, reception.log, convoy.manage).
  'POST /api/operations/:operationId/facts': 'fact.submit',
  'POST /api/operations/:operationId/check-ins': 'reception.log',
  'GET /api/operations/:operationId/protection-alerts': 'tracing.manage',
  // Acting on an alert is child protection follow-up, which is the tracing officers' (the same people who list them);
  // reception raises alerts by checking children in and sees the alert in the check-in answer.
  'POST /api/operations/:operationId/protection-alerts/:alertId/acknowledge': 'tracing.manage',
  'POST /api/operations/:operationId/protection-alerts/:alertId/close': 'tracing.manage',
  'GET /api/operations/:operationId/reconciliation': 'person.read',
  'GET /api/operations/:operationId/counts': 'counts.read',
  'GET /api/operations/:operationId/counts/stream': 'counts.read',

  'POST /api/operations/:operationId/persons/candidates': 'person.register',
  'GET /api/operations/:operationId/duplicates': 'person.update',
  'POST /api/operations/:operationId/duplicates/scan': 'person.update',
  'POST /api/operations/:operationId/duplicates/:reviewId/merge': 'person.update',
  'POST /api/operations/:operationId/duplicates/:reviewId/reject': 'person.update',
  'POST /api/operations/:operationId/duplicates/:reviewId/undo': 'person.update',
  'GET /api/operations/:operationId/tracing': 'tracing.manage',
  'POST /api/operations/:operationId/tracing': 'tracing.manage',
  'POST /api/operations/:operationId/tracing/from-missing': 'tracing.manage',
  'GET /api/operations/:operationId/tracing/:requestId': 'tracing.manage',
  'POST /api/operations/:operationId/tracing/:requestId/rematch': 'tracing.manage',
  'POST /api/operations/:operationId/tracing/:requestId/outcome': 'tracing.manage',
};
