/** Operations and their set-up: sites, staff, devices, wristband ranges. */
import { z } from 'zod';
import { deviceInput, operationInput, siteInput, sitePatch, staffInput, tagRangeInput } from '../schemas/operations.js';
import { entityId } from '../schemas/common.js';
import { endpoint } from './endpoint.js';
import { operationParams as op, permissionView, roleView } from './views.js';

export const operationView = z.object({
  id: z.string(),
  code: z.string(),
  nameEn: z.string(),
  nameAr: z.string().nullable(),
  originArea: z.string().nullable(),
  status: z.string(),
  timeZone: z.string(),
  createdAt: z.string(),
});

export const siteView = z.object({
  id: z.string(),
  kind: z.string(),
  nameEn: z.string(),
  nameAr: z.string().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  capacity: z.number().nullable(),
});

export const tagRangeView = z.object({
  id: z.string(),
  firstSerial: z.number(),
  lastSerial: z.number(),
  count: z.number(),
  firstTag: z.string(),
  lastTag: z.string(),
  siteId: z.string().nullable(),
  deviceId: z.string().nullable(),
  label: z.string().nullable(),
  allocatedAt: z.string(),
});

export const listOperations = endpoint({
  method: 'GET',
  path: '/api/operations',
  access: 'authenticated',
  tag: 'operations',
  summary: 'Operations you hold a role in (all of them for a system admin)',
  response: z.array(operationView.extend({ roles: z.array(roleView) })),
});

export const createOperation = endpoint({
  method: 'POST',
  path: '/api/operations',
  access: 'system_admin',
  tag: 'operations',
  summary: 'Create an operation (with its own data key)',
  body: operationInput,
  response: operationView,
});

export const getOperation = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId',
  access: 'operation.read',
  tag: 'operations',
  summary: 'One operation, with your roles and permissions in it',
  params: op,
  response: operationView.extend({ roles: z.array(roleView), permissions: z.array(permissionView) }),
});

export const listSites = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/sites',
  access: 'operation.read',
  tag: 'operations',
  summary: 'Sites of the operation',
  params: op,
  response: z.array(siteView),
});

export const createSite = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/sites',
  access: 'operation.manage',
  tag: 'operations',
  summary: 'Add a site',
  params: op,
  body: siteInput,
  response: siteView,
});

export const updateSite = endpoint({
  method: 'PATCH',
  path: '/api/operations/:operationId/sites/:siteId',
  access: 'operation.manage',
  tag: 'operations',
  summary: 'Change a site: its kind, names, coordinates or capacity (its id stays)',
  params: op.extend({ siteId: entityId }),
  body: sitePatch,
  response: siteView,
});

export const listStaff = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/staff',
  access: 'operation.staff',
  tag: 'operations',
  summary: 'Accounts holding roles in the operation',
  params: op,
  response: z.array(z.object({ userId: z.string(), username: z.string(), displayName: z.string(), roles: z.array(roleView) })),
});

export const setStaffRoles = endpoint({
  method: 'PUT',
  path: '/api/operations/:operationId/staff/:userId',
  access: 'operation.staff',
  tag: 'operations',
  summary:
    'Set the roles an account holds in the operation; never your own added roles; protection-data roles and admin wait for a second admin unless a system admin sets them',
  params: op.extend({ userId: z.string().max(64) }),
  body: staffInput,
  // The refusal of a self-grant is audited.
  commitOnError: true,
  response: z.object({
    userId: z.string(),
    /** The roles in force now. */
    roles: z.array(roleView),
    /** Roles asked for that wait for another admin's approval (protection-data roles and admin). */
    pending: z.array(roleView),
  }),
});

export const roleRequestView = z.object({
  id: z.string(),
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleView,
  requestedBy: z.string(),
  requestedByUsername: z.string(),
  requestedAt: z.string(),
});

export const listRoleRequests = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/role-requests',
  access: 'operation.staff',
  tag: 'operations',
  summary: 'Roles asked for that wait for a second admin',
  params: op,
  response: z.array(roleRequestView),
});

const roleRequestParams = op.extend({ requestId: z.string().max(64) });
const decision = z.object({ id: z.string(), userId: z.string(), role: roleView, outcome: z.enum(['approved', 'rejected']) });

export const approveRoleRequest = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/role-requests/:requestId/approve',
  access: 'operation.staff',
  tag: 'operations',
  summary: 'Approve a role another admin asked for (not your own request, not a role for yourself)',
  params: roleRequestParams,
  status: 200,
  response: decision,
});

export const rejectRoleRequest = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/role-requests/:requestId/reject',
  access: 'operation.staff',
  tag: 'operations',
  summary: 'Reject a role asked for',
  params: roleRequestParams,
  status: 200,
  response: decision,
});

export const listDevices = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/devices',
  access: 'operation.staff',
  tag: 'operations',
  summary: 'Field devices of the operation, with their last contact and the writes each still holds',
  params: op,
  response: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      siteId: z.string().nullable(),
      createdAt: z.string(),
      expiresAt: z.string(),
      revoked: z.boolean(),
      /** The device's last request (its last sync), whatever it answered (a revoked device's too). */
      lastSeenAt: z.string().nullable(),
      /** The writes its outbox held when it last said (the Corridor-Outbox-Size header), and when. */
      heldWrites: z.number().int().nullable(),
      heldReportedAt: z.string().nullable(),
    }),
  ),
});

export const createDevice = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/devices',
  access: 'operation.staff',
  tag: 'operations',
  summary: 'Register a field device; its token is shown once and expires (validDays); never with a role you do not hold',
  params: op,
  body: deviceInput,
  // The refusal of a role the maker does not hold is audited.
  commitOnError: true,
  response: z.object({
    id: z.string(),
    name: z.string(),
    siteId: z.string().nullable(),
    role: roleView,
    token: z.string(),
    expiresAt: z.string(),
  }),
});

export const revokeDevice = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/devices/:deviceId/revoke',
  access: 'operation.staff',
  tag: 'operations',
  summary: 'Revoke a device token',
  params: op.extend({ deviceId: z.string().max(64) }),
  status: 200,
  response: z.object({ id: z.string(), revoked: z.boolean() }),
});

export const listTagRanges = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/tag-ranges',
  access: 'operation.read',
  tag: 'operations',
  summary: 'Wristband ranges handed out',
  params: op,
  response: z.array(tagRangeView),
});

export const allocateTagRange = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/tag-ranges',
  access: 'operation.manage',
  tag: 'operations',
  summary: 'Allocate the next block of wristband tags to a site or device',
  params: op,
  body: tagRangeInput,
  response: tagRangeView,
});
