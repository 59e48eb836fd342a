/**
 * Named write commands: what each desk may ask the server to do. Each is a thin call to
 * write(), which stamps the client id; inputs use the shared schema types.
 */
import type { z } from 'zod';
import type { deviceInput, operationInput, siteInput, tagRangeInput, userInput } from '../../domain/schemas/operations.js';
import type { HouseholdInput, PersonInput } from '../../domain/schemas/persons.js';
import type { Role } from '../../domain/policy.js';
import type { Household, NewDevice, Operation, Person, Site, TagRange, User } from './types.js';
import { write } from './write.js';

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
export const createDevice = (opId: string, body: In<typeof deviceInput>) => write<NewDevice>({ method: 'POST', path: `${op(opId)}/devices`, body });
export const revokeDevice = (opId: string, deviceId: string) =>
  write<{ id: string; revoked: boolean }>({ method: 'POST', path: `${op(opId)}/devices/${encodeURIComponent(deviceId)}/revoke` });
export const allocateTagRange = (opId: string, body: In<typeof tagRangeInput>) => write<TagRange>({ method: 'POST', path: `${op(opId)}/tag-ranges`, body });

export const registerHousehold = (opId: string, body: HouseholdInput, clientId?: string) =>
  write<Household>({ method: 'POST', path: `${op(opId)}/households`, body, ...(clientId ? { clientId } : {}) });
export const addMember = (opId: string, householdId: string, body: PersonInput, clientId?: string) =>
  write<Person>({ method: 'POST', path: `${op(opId)}/households/${encodeURIComponent(householdId)}/members`, body, ...(clientId ? { clientId } : {}) });
