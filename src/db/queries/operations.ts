/** Operations, their keys, staff roles, sites, devices and wristband ranges. */
import { sql } from 'kysely';
import type { Executor } from './executor.js';

export async function insertOperation(
  db: Executor,
  o: {
    id: string;
    code: string;
    nameEn: string;
    nameAr: string | null;
    originArea: string | null;
    status: string;
    timeZone: string;
    at: Date;
    createdBy: string;
    wrappedKey: Buffer;
  },
) {
  await db
    .insertInto('operations')
    .values({
      id: o.id,
      code: o.code,
      name_en: o.nameEn,
      name_ar: o.nameAr,
      origin_area: o.originArea,
      status: o.status,
      time_zone: o.timeZone,
      created_at: o.at,
      created_by: o.createdBy,
    })
    .execute();
  await db.insertInto('operation_keys').values({ operation_id: o.id, wrapped_key: o.wrappedKey, created_at: o.at }).execute();
}

export async function findOperation(db: Executor, id: string) {
  return db.selectFrom('operations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOperationByCode(db: Executor, code: string) {
  return db.selectFrom('operations').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Any operation (none: a fresh install). */
export async function findAnyOperation(db: Executor) {
  return db.selectFrom('operations').select('id').limit(1).executeTakeFirst();
}

/** An operation named by its id or its code, in one statement. */
export async function findOperationIdByIdOrCode(db: Executor, idOrCode: string) {
  return db
    .selectFrom('operations')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', idOrCode), eb('code', '=', idOrCode)]))
    .executeTakeFirst();
}

/** Locks the operation's row until the transaction ends (serialises allocations within it). */
export async function lockOperation(db: Executor, operationId: string) {
  await db.selectFrom('operations').select('id').where('id', '=', operationId).forUpdate().execute();
}

export async function listOperations(db: Executor, onlyFor?: string) {
  let q = db.selectFrom('operations').selectAll();
  if (onlyFor) {
    q = q.where('id', 'in', db.selectFrom('role_grants').select('operation_id').where('user_id', '=', onlyFor));
  }
  return q.orderBy('created_at', 'desc').execute();
}

export async function findWrappedKey(db: Executor, operationId: string) {
  return db.selectFrom('operation_keys').select(['wrapped_key', 'destroyed_at']).where('operation_id', '=', operationId).executeTakeFirst();
}

export async function destroyOperationKey(db: Executor, operationId: string, at: Date) {
  await db.updateTable('operation_keys').set({ wrapped_key: null, destroyed_at: at }).where('operation_id', '=', operationId).execute();
}

export async function grantRoles(db: Executor, operationId: string, userId: string, roles: string[], by: string, at: Date) {
  await db.deleteFrom('role_grants').where('operation_id', '=', operationId).where('user_id', '=', userId).execute();
  if (roles.length === 0) return;
  await db
    .insertInto('role_grants')
    .values(
      roles.map((role) => ({
        operation_id: operationId,
        user_id: userId,
        role,
        granted_by: by,
        granted_at: at,
      })),
    )
    .execute();
}

export async function listStaff(db: Executor, operationId: string) {
  return db
    .selectFrom('role_grants')
    .innerJoin('users', 'users.id', 'role_grants.user_id')
    .select(['users.id', 'users.username', 'users.display_name', 'role_grants.role'])
    .where('role_grants.operation_id', '=', operationId)
    .orderBy('users.username')
    .execute();
}

export async function insertSite(
  db: Executor,
  operationId: string,
  s: {
    id: string;
    kind: string;
    nameEn: string;
    nameAr: string | null;
    lat: number | null;
    lon: number | null;
    capacity: number | null;
    at: Date;
  },
) {
  await db
    .insertInto('sites')
    .values({
      operation_id: operationId,
      id: s.id,
      kind: s.kind,
      name_en: s.nameEn,
      name_ar: s.nameAr,
      lat: s.lat,
      lon: s.lon,
      capacity: s.capacity,
      created_at: s.at,
    })
    .execute();
}

/** Changes the fields given (null clears one); answers the site as it is now, or undefined if there is none. */
export async function updateSite(
  db: Executor,
  operationId: string,
  siteId: string,
  change: { kind?: string; nameEn?: string; nameAr?: string | null; lat?: number | null; lon?: number | null; capacity?: number | null },
) {
  return db
    .updateTable('sites')
    .set({
      ...(change.kind !== undefined ? { kind: change.kind } : {}),
      ...(change.nameEn !== undefined ? { name_en: change.nameEn } : {}),
      ...(change.nameAr !== undefined ? { name_ar: change.nameAr } : {}),
      ...(change.lat !== undefined ? { lat: change.lat } : {}),
      ...(change.lon !== undefined ? { lon: change.lon } : {}),
      ...(change.capacity !== undefined ? { capacity: change.capacity } : {}),
    })
    .where('operation_id', '=', operationId)
    .where('id', '=', siteId)
    .returningAll()
    .executeTakeFirst();
}

export async function listSites(db: Executor, operationId: string) {
  return db.selectFrom('sites').selectAll().where('operation_id', '=', operationId).orderBy('created_at').orderBy('id').execute();
}

export async function findSite(db: Executor, operationId: string, siteId: string) {
  return db.selectFrom('sites').selectAll().where('operation_id', '=', operationId).where('id', '=', siteId).executeTakeFirst();
}

export async function insertDevice(
  db: Executor,
  d: { operationId: string; id: string; name: string; siteId: string | null; tokenHash: Buffer; by: string; at: Date; expiresAt: Date },
) {
  await db
    .insertInto('devices')
    .values({
      operation_id: d.operationId,
      id: d.id,
      name: d.name,
      site_id: d.siteId,
      token_hash: d.tokenHash,
      created_by: d.by,
      created_at: d.at,
      expires_at: d.expiresAt,
    })
    .execute();
}

export async function findDevice(db: Executor, operationId: string, id: string) {
  return db.selectFrom('devices').select('id').where('operation_id', '=', operationId).where('id', '=', id).executeTakeFirst();
}

export async function listDevices(db: Executor, operationId: string) {
  return db
    .selectFrom('devices')
    .select(['id', 'name', 'site_id', 'created_at', 'expires_at', 'revoked_at', 'last_seen_at', 'held_writes', 'held_reported_at'])
    .where('operation_id', '=', operationId)
    .orderBy('created_at')
    .execute();
}

export async function revokeDevice(db: Executor, operationId: string, id: string, at: Date) {
  const r = await db
    .updateTable('devices')
    .set({ revoked_at: at })
    .where('operation_id', '=', operationId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The device of a token, with whether its maker's account is disabled and the roles the maker holds now in its operation. */
export async function findDeviceByToken(db: Executor, tokenHash: Buffer) {
  return db
    .selectFrom('devices')
    .innerJoin('users', 'users.id', 'devices.created_by')
    .select((eb) => [
      'devices.operation_id',
      'devices.id',
      'devices.name',
      'devices.site_id',
      'devices.revoked_at',
      'devices.expires_at',
      'devices.last_seen_at',
      'devices.held_writes',
      'users.disabled_at as maker_disabled_at',
      eb
        .selectFrom('role_grants')
        .select((g) => g.fn.coalesce(g.fn.agg<string[]>('array_agg', ['role_grants.role']), eb.val<string[]>([])).as('roles'))
        .whereRef('role_grants.operation_id', '=', 'devices.operation_id')
        .whereRef('role_grants.user_id', '=', 'devices.created_by')
        .as('maker_roles'),
    ])
    .where('devices.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * The device of a token (as `findDeviceByToken`, as it was before this contact), noting the
 * contact in the same statement: its last sight when it was last seen `seenBefore` or earlier
 * (or never), and the writes it says it holds when it says another number than before.
 */
export async function findDeviceByTokenNotingContact(
  db: Executor,
  tokenHash: Buffer,
  contact: { at: Date; heldWrites: number | undefined; seenBefore: Date },
) {
  const held = contact.heldWrites ?? null;
  const r = await sql<{
    operation_id: string;
    id: string;
    name: string;
    site_id: string | null;
    revoked_at: Date | string | null;
    expires_at: Date | string;
    last_seen_at: Date | string | null;
    held_writes: number | null;
    maker_disabled_at: Date | string | null;
    maker_roles: string[];
  }>`
    with d as (
      select devices.operation_id, devices.id, devices.name, devices.site_id, devices.revoked_at, devices.expires_at,
             devices.last_seen_at, devices.held_writes, users.disabled_at as maker_disabled_at,
             (select coalesce(array_agg(g.role), '{}'::text[]) from role_grants g
               where g.operation_id = devices.operation_id and g.user_id = devices.created_by) as maker_roles
        from devices join users on users.id = devices.created_by
       where devices.token_hash = ${tokenHash}
    ), noted as (
      update devices set
        last_seen_at = ${contact.at},
        held_writes = case when ${held}::int is null then devices.held_writes else ${held}::int end,
        held_reported_at = case when ${held}::int is null then devices.held_reported_at else ${contact.at}::timestamptz end
      from d
      where devices.operation_id = d.operation_id and devices.id = d.id
        and ((${held}::int is not null and d.held_writes is distinct from ${held}::int)
             or d.last_seen_at is null or d.last_seen_at <= ${contact.seenBefore})
    )
    select * from d`.execute(db);
  return r.rows[0];
}

export async function lastTagSerial(db: Executor, operationId: string): Promise<number> {
  const r = await db
    .selectFrom('tag_ranges')
    .select((eb) => eb.fn.max('last_serial').as('m'))
    .where('operation_id', '=', operationId)
    .executeTakeFirst();
  return r?.m === null || r?.m === undefined ? -1 : Number(r.m);
}

export async function insertTagRange(
  db: Executor,
  r: {
    operationId: string;
    id: string;
    first: number;
    last: number;
    siteId: string | null;
    deviceId: string | null;
    label: string | null;
    at: Date;
    by: string;
  },
) {
  await db
    .insertInto('tag_ranges')
    .values({
      operation_id: r.operationId,
      id: r.id,
      first_serial: r.first,
      last_serial: r.last,
      site_id: r.siteId,
      device_id: r.deviceId,
      label: r.label,
      allocated_at: r.at,
      allocated_by: r.by,
    })
    .execute();
}

export async function listTagRanges(db: Executor, operationId: string) {
  return db.selectFrom('tag_ranges').selectAll().where('operation_id', '=', operationId).orderBy('first_serial').execute();
}

/** Closes an operation (the closing time is kept from the first close) and sets its retention. */
export async function closeOperation(db: Executor, operationId: string, at: Date, retentionDays: number | null | undefined) {
  await db
    .updateTable('operations')
    .set((eb) => ({
      status: 'closed',
      closed_at: eb.fn.coalesce('closed_at', eb.val(at)),
      ...(retentionDays !== undefined ? { retention_days: retentionDays } : {}),
    }))
    .where('id', '=', operationId)
    .execute();
}

/** Closed operations whose retention period has run out by `now` and whose key still exists. */
export async function operationsPastRetention(db: Executor, now: Date) {
  return db
    .selectFrom('operations')
    .innerJoin('operation_keys', 'operation_keys.operation_id', 'operations.id')
    .select(['operations.id', 'operations.code', 'operations.closed_at', 'operations.retention_days'])
    .where('operations.status', '=', 'closed')
    .where('operations.closed_at', 'is not', null)
    .where('operations.retention_days', 'is not', null)
    .where('operation_keys.wrapped_key', 'is not', null)
    .where(sql<boolean>`operations.closed_at + make_interval(days => operations.retention_days) <= ${now}`)
    .orderBy('operations.id')
    .execute();
}

/** The roles one account holds in one operation. */
export async function rolesOf(db: Executor, operationId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('role_grants')
    .select('role')
    .where('operation_id', '=', operationId)
    .where('user_id', '=', userId)
    .execute();
  return rows.map((r) => r.role);
}
