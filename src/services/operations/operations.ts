/**
 * Setting up an operation: the operation with its own data key, its sites, its staff and
 * their roles, field devices with their tokens, and wristband ranges handed to sites/devices.
 */
import { newId } from '../ids.js';
import type { z } from 'zod';
import type { Executor } from '../../db/queries/executor.js';
import * as operationsDb from '../../db/queries/operations.js';
import { AppError } from '../../domain/errors.js';
import { permissionsOf, rolesCover, type Role } from '../../domain/policy.js';
import type { deviceInput, operationInput, siteInput, sitePatch, tagRangeInput } from '../../domain/schemas/operations.js';
import { encodeTag, formatTag, TAG_MAX_SERIAL } from '../../domain/tags.js';
import { hashToken, newToken } from '../accounts/auth.js';
import { audit, requireOperation, type Ctx } from '../context.js';

export function presentOperation(o: NonNullable<Awaited<ReturnType<typeof operationsDb.findOperation>>>) {
  return {
    id: o.id,
    code: o.code,
    nameEn: o.name_en,
    nameAr: o.name_ar,
    originArea: o.origin_area,
    status: o.status,
    timeZone: o.time_zone,
    createdAt: new Date(o.created_at).toISOString(),
  };
}

export async function createOperation(ctx: Ctx, input: z.output<typeof operationInput>, id = newId(ctx.now)) {
  const wrappedKey = ctx.keys.create(id);
  await operationsDb.insertOperation(ctx.db, {
    id,
    code: input.code,
    nameEn: input.nameEn,
    nameAr: input.nameAr ?? null,
    originArea: input.originArea ?? null,
    status: input.status,
    timeZone: input.timeZone,
    at: ctx.now,
    createdBy: ctx.actor.id,
    wrappedKey,
  });
  // The creator administers the new operation; other roles are granted explicitly.
  await operationsDb.grantRoles(ctx.db, id, ctx.actor.id, ['admin'], ctx.actor.id, ctx.now);
  await audit(ctx, { operationId: id, action: 'operation.create', subjectKind: 'operation', subjectId: id, details: { code: input.code } });
  const row = await operationsDb.findOperation(ctx.db, id);
  return presentOperation(row!);
}

export function presentSite(s: Awaited<ReturnType<typeof operationsDb.listSites>>[number]) {
  return { id: s.id, kind: s.kind, nameEn: s.name_en, nameAr: s.name_ar, lat: s.lat, lon: s.lon, capacity: s.capacity };
}

export async function createSite(ctx: Ctx, input: z.output<typeof siteInput>) {
  const operationId = requireOperation(ctx);
  if (await operationsDb.findSite(ctx.db, operationId, input.id))
    throw new AppError(
      'conflict',
      `A site with the id ${input.id} already exists: choose another id, or change that site (Edit in the list of sites).`,
      {
        fields: [{ path: 'id', message: 'This id is taken by another site.', key: 'id_taken' }],
      },
    );
  await operationsDb.insertSite(ctx.db, operationId, {
    id: input.id,
    kind: input.kind,
    nameEn: input.nameEn,
    nameAr: input.nameAr ?? null,
    lat: input.lat ?? null,
    lon: input.lon ?? null,
    capacity: input.capacity ?? null,
    at: ctx.now,
  });
  await audit(ctx, { action: 'site.create', subjectKind: 'site', subjectId: input.id });
  return presentSite((await operationsDb.findSite(ctx.db, operationId, input.id))!);
}

/** Changes a site (capacity raised on a busy day, a name corrected); the audit keeps each field's value before and after. */
export async function updateSite(ctx: Ctx, siteId: string, change: z.output<typeof sitePatch>) {
  const operationId = requireOperation(ctx);
  const before = await operationsDb.findSite(ctx.db, operationId, siteId);
  if (!before)
    throw new AppError('site.not_found', undefined, { fields: [{ path: 'siteId', message: 'There is no such site in this operation.' }] });
  const after = (await operationsDb.updateSite(ctx.db, operationId, siteId, change))!;
  const was = presentSite(before);
  const now = presentSite(after);
  const changed = (Object.keys(change) as (keyof typeof change)[]).filter((k) => was[k] !== now[k]);
  await audit(ctx, {
    action: 'site.update',
    subjectKind: 'site',
    subjectId: siteId,
    details: { changed: Object.fromEntries(changed.map((k) => [k, { from: was[k], to: now[k] }])) },
  });
  return now;
}

export async function createDevice(ctx: Ctx, input: z.output<typeof deviceInput>) {
  const operationId = requireOperation(ctx);
  if (input.siteId && !(await operationsDb.findSite(ctx.db, operationId, input.siteId))) throw new AppError('site.not_found');
  // A device token never holds more than the account that makes it (audit finding 3); while it
  // is used, its maker must still hold the role (src/server/plugins/auth.ts).
  if (!rolesCover(ctx.roles, input.role)) {
    await audit(ctx, { action: 'device.create_refused', subjectKind: 'device', details: { role: input.role } });
    throw new AppError('device.role_not_held', undefined, { role: input.role, yourRoles: ctx.roles });
  }
  const id = input.id ?? newId(ctx.now);
  const expiresAt = new Date(ctx.now.getTime() + input.validDays * 86_400_000);
  // The device's role is carried in its token's record; the token itself is shown once.
  const token = newToken(`cdv_${input.role}.`);
  await operationsDb.insertDevice(ctx.db, {
    operationId,
    id,
    name: input.name,
    siteId: input.siteId ?? null,
    tokenHash: hashToken(token),
    by: ctx.actor.id,
    at: ctx.now,
    expiresAt,
  });
  await audit(ctx, {
    action: 'device.create',
    subjectKind: 'device',
    subjectId: id,
    details: { role: input.role, siteId: input.siteId ?? null, expiresAt: expiresAt.toISOString() },
  });
  return { id, name: input.name, siteId: input.siteId ?? null, role: input.role, token, expiresAt: expiresAt.toISOString() };
}

export function presentRange(r: Awaited<ReturnType<typeof operationsDb.listTagRanges>>[number]) {
  return {
    id: r.id,
    firstSerial: r.first_serial,
    lastSerial: r.last_serial,
    count: r.last_serial - r.first_serial + 1,
    firstTag: formatTag(encodeTag(r.first_serial)),
    lastTag: formatTag(encodeTag(r.last_serial)),
    siteId: r.site_id,
    deviceId: r.device_id,
    label: r.label,
    allocatedAt: new Date(r.allocated_at).toISOString(),
  };
}

/**
 * Hands out the next block of serials. Blocks follow each other, so ranges never overlap;
 * the operation row is locked meanwhile so two allocations cannot take the same block.
 */
export async function allocateTagRange(ctx: Ctx, input: z.output<typeof tagRangeInput>) {
  const operationId = requireOperation(ctx);
  await operationsDb.lockOperation(ctx.db, operationId);
  if (input.siteId && !(await operationsDb.findSite(ctx.db, operationId, input.siteId))) throw new AppError('site.not_found');
  if (input.deviceId && !(await operationsDb.findDevice(ctx.db, operationId, input.deviceId))) throw new AppError('device.not_found');
  const first = (await operationsDb.lastTagSerial(ctx.db, operationId)) + 1;
  const last = first + input.count - 1;
  if (last > TAG_MAX_SERIAL) throw new AppError('conflict', 'No tag serials are left for this operation.');
  const id = newId(ctx.now);
  await operationsDb.insertTagRange(ctx.db, {
    operationId,
    id,
    first,
    last,
    siteId: input.siteId ?? null,
    deviceId: input.deviceId ?? null,
    label: input.label ?? null,
    at: ctx.now,
    by: ctx.actor.id,
  });
  await audit(ctx, { action: 'tag_range.allocate', subjectKind: 'tag_range', subjectId: id, details: { first, last } });
  return presentRange((await operationsDb.listTagRanges(ctx.db, operationId)).find((r) => r.id === id)!);
}

/** The id of the operation named by its id or its code (operators know the code), if there is one. */
export async function resolveOperationId(db: Executor, idOrCode: string): Promise<string | undefined> {
  return (await operationsDb.findOperationIdByIdOrCode(db, idOrCode))?.id;
}

/** The operations the caller may see (all for a system admin), each with the roles the caller holds in it. */
export async function listOperationsOf(ctx: Ctx, rolesByOperation: ReadonlyMap<string, Role[]> | undefined) {
  const rows = await operationsDb.listOperations(ctx.db, ctx.actor.isAdmin ? undefined : ctx.actor.id);
  return rows.map((o) => ({ ...presentOperation(o), roles: rolesByOperation?.get(o.id) ?? [] }));
}

/** The request's operation, with the caller's roles and permissions in it. */
export async function getOperation(ctx: Ctx) {
  const o = await operationsDb.findOperation(ctx.db, requireOperation(ctx));
  if (!o) throw new AppError('operation.not_found');
  return { ...presentOperation(o), roles: ctx.roles, permissions: [...permissionsOf(ctx.roles)] };
}

export async function listSites(ctx: Ctx) {
  return (await operationsDb.listSites(ctx.db, requireOperation(ctx))).map(presentSite);
}

export async function listDevices(ctx: Ctx) {
  return (await operationsDb.listDevices(ctx.db, requireOperation(ctx))).map((d) => ({
    id: d.id,
    name: d.name,
    siteId: d.site_id,
    createdAt: new Date(d.created_at).toISOString(),
    expiresAt: new Date(d.expires_at).toISOString(),
    revoked: !!d.revoked_at,
    lastSeenAt: d.last_seen_at ? new Date(d.last_seen_at).toISOString() : null,
    heldWrites: d.held_writes,
    heldReportedAt: d.held_reported_at ? new Date(d.held_reported_at).toISOString() : null,
  }));
}

export async function revokeDevice(ctx: Ctx, deviceId: string) {
  const n = await operationsDb.revokeDevice(ctx.db, requireOperation(ctx), deviceId, ctx.now);
  if (!n) throw new AppError('device.not_found');
  await audit(ctx, { action: 'device.revoke', subjectKind: 'device', subjectId: deviceId });
  return { id: deviceId, revoked: true };
}

export async function listTagRanges(ctx: Ctx) {
  return (await operationsDb.listTagRanges(ctx.db, requireOperation(ctx))).map(presentRange);
}
