/** Convoys, their vehicles and manifests as stored. Split reasons are sealed by the service. */
import { anyOf } from './any-of.js';
import { sql, type Insertable } from 'kysely';
import type { ManifestEntriesTable } from '../schema.js';
import type { Executor } from './executor.js';

export async function insertConvoy(
  db: Executor,
  c: { operationId: string; id: string; routeId: string; name: string | null; at: Date; by: string },
) {
  await db
    .insertInto('convoys')
    .values({
      operation_id: c.operationId,
      id: c.id,
      route_id: c.routeId,
      name: c.name,
      created_at: c.at,
      created_by: c.by,
      updated_at: c.at,
    })
    .execute();
}

export async function findConvoy(db: Executor, operationId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('convoys').selectAll().where('operation_id', '=', operationId).where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Locks these convoys' rows until the transaction ends, in id order (writers locking several convoys cannot deadlock). */
export async function lockConvoys(db: Executor, operationId: string, ids: readonly string[]) {
  if (ids.length === 0) return;
  await db
    .selectFrom('convoys')
    .select('id')
    .where('operation_id', '=', operationId)
    .where('id', '=', anyOf([...new Set(ids)].sort()))
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function listConvoys(db: Executor, operationId: string) {
  return db
    .selectFrom('convoys')
    .selectAll()
    .where('operation_id', '=', operationId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(500)
    .execute();
}

export async function findConvoysByIds(db: Executor, operationId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('convoys')
    .select(['id', 'state', 'route_id'])
    .where('operation_id', '=', operationId)
    .where('id', '=', anyOf(ids))
    .execute();
}

export async function setConvoyState(
  db: Executor,
  operationId: string,
  id: string,
  state: string,
  at: Date,
  dispatch?: { at: Date; overrideBy: string | null; overrideReason: Buffer | null },
) {
  await db
    .updateTable('convoys')
    .set({
      state,
      updated_at: at,
      ...(dispatch ? { dispatched_at: dispatch.at, override_by: dispatch.overrideBy, override_reason: dispatch.overrideReason } : {}),
    })
    .where('operation_id', '=', operationId)
    .where('id', '=', id)
    .execute();
}

export async function insertVehicles(
  db: Executor,
  rows: {
    operationId: string;
    convoyId: string;
    id: string;
    kind: string;
    capacity: number;
    mode: string;
    plate: string | null;
    at: Date;
  }[],
) {
  for (let i = 0; i < rows.length; i += 2000) {
    await db
      .insertInto('vehicles')
      .values(
        rows.slice(i, i + 2000).map((v) => ({
          operation_id: v.operationId,
          convoy_id: v.convoyId,
          id: v.id,
          kind: v.kind,
          capacity: v.capacity,
          mode: v.mode,
          plate: v.plate,
          head_count: null,
          created_at: v.at,
        })),
      )
      .execute();
  }
}

export async function findVehiclesByIds(db: Executor, operationId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('vehicles')
    .select(['id', 'convoy_id', 'mode'])
    .where('operation_id', '=', operationId)
    .where('id', '=', anyOf(ids))
    .execute();
}

export async function findVehicle(db: Executor, operationId: string, id: string) {
  return db.selectFrom('vehicles').selectAll().where('operation_id', '=', operationId).where('id', '=', id).executeTakeFirst();
}

export async function listVehicles(db: Executor, operationId: string, convoyId: string) {
  return db
    .selectFrom('vehicles')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('convoy_id', '=', convoyId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Several vehicles' head counts in one statement. */
export async function setHeadCounts(db: Executor, operationId: string, counts: readonly { vehicleId: string; rows: unknown }[]) {
  if (counts.length === 0) return;
  await sql`update vehicles as v set head_count = x.head_count::jsonb
    from unnest(${counts.map((c) => c.vehicleId)}::text[], ${counts.map((c) => JSON.stringify(c.rows))}::text[]) as x (id, head_count)
    where v.operation_id = ${operationId} and v.id = x.id`.execute(db);
}

export async function listManifest(db: Executor, operationId: string, convoyId: string) {
  return db
    .selectFrom('manifest_entries')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('convoy_id', '=', convoyId)
    .orderBy('added_at')
    .orderBy('person_id')
    .execute();
}

/** Seats taken per vehicle by the people on the manifest (one each, more with a wheelchair or a stretcher). */
export async function countManifestByVehicle(db: Executor, operationId: string, convoyId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('manifest_entries')
    .select(['vehicle_id', (eb) => eb.fn.sum<number>('seats').as('n')])
    .where('operation_id', '=', operationId)
    .where('convoy_id', '=', convoyId)
    .groupBy('vehicle_id')
    .execute();
  return new Map(rows.map((r) => [r.vehicle_id, Number(r.n)]));
}

export async function insertManifestEntries(db: Executor, rows: Insertable<ManifestEntriesTable>[]) {
  for (let i = 0; i < rows.length; i += 2000)
    await db
      .insertInto('manifest_entries')
      .values(rows.slice(i, i + 2000))
      .execute();
}

/** These people's manifest entries (their seats), by the person index. */
export async function findManifestEntriesOfPersons(db: Executor, operationId: string, personIds: readonly string[]) {
  return db
    .selectFrom('manifest_entries')
    .select(['person_id', 'convoy_id', 'vehicle_id'])
    .where('operation_id', '=', operationId)
    .where('person_id', '=', anyOf(personIds))
    .execute();
}

/** Manifest entries of these people on convoys other than `convoyId`, with those convoys' states and names. */
export async function findOtherManifests(db: Executor, operationId: string, personIds: readonly string[], convoyId: string) {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('manifest_entries')
    .innerJoin('convoys', (j) =>
      j.onRef('convoys.operation_id', '=', 'manifest_entries.operation_id').onRef('convoys.id', '=', 'manifest_entries.convoy_id'),
    )
    .select(['manifest_entries.person_id', 'manifest_entries.convoy_id', 'manifest_entries.vehicle_id', 'convoys.state', 'convoys.name'])
    .where('manifest_entries.operation_id', '=', operationId)
    .where('manifest_entries.person_id', '=', anyOf(personIds))
    .where('manifest_entries.convoy_id', '<>', convoyId)
    .execute();
}

export async function isManifested(db: Executor, operationId: string, personIds: readonly string[]): Promise<boolean> {
  if (personIds.length === 0) return false;
  const r = await db
    .selectFrom('manifest_entries')
    .select('person_id')
    .where('operation_id', '=', operationId)
    .where('person_id', '=', anyOf(personIds))
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/**
 * The people manifested on convoys in one of `states` whose route passes `siteId` (a reception's
 * incoming convoys), with their convoy and vehicle; at most `limit` entries.
 */
export async function listExpectedAt(db: Executor, operationId: string, siteId: string, states: readonly string[], limit: number) {
  return db
    .selectFrom('manifest_entries as m')
    .innerJoin('convoys as c', (j) => j.onRef('c.operation_id', '=', 'm.operation_id').onRef('c.id', '=', 'm.convoy_id'))
    .innerJoin('routes as r', (j) => j.onRef('r.operation_id', '=', 'c.operation_id').onRef('r.id', '=', 'c.route_id'))
    .select(['m.person_id', 'm.household_id', 'm.convoy_id', 'm.vehicle_id', 'c.name as convoy_name', 'c.state as convoy_state'])
    .where('m.operation_id', '=', operationId)
    .where('c.state', '=', anyOf(states))
    .where(sql<boolean>`${siteId} = any(r.site_ids)`)
    .orderBy('m.convoy_id')
    .orderBy('m.person_id')
    .limit(limit)
    .execute();
}

/**
 * The households that may still board a convoy being prepared (`openStates`): registered at a
 * site a route of such a convoy leaves from or passes before its last site, with at least one
 * member (not merged away) who is on no manifest of a convoy still in force (`boardedStates`:
 * every state but cancelled and turned back) and has not been checked in anywhere (a check-in
 * voided by a correction does not count; one restored by a correction of that correction does —
 * two corrections deep, as reception makes them: a deeper chain reads as checked in, which leaves
 * the household off the phone's list, never boards anyone twice). Oldest
 * registration first (the longest waiting board first); at most `limit`, with each one's size.
 */
export async function listBoardableHouseholds(
  db: Executor,
  operationId: string,
  opts: { openStates: readonly string[]; notBoardedStates: readonly string[]; siteId?: string; limit: number },
) {
  const departure = db
    .selectFrom('convoys as c')
    .innerJoin('routes as r', (j) => j.onRef('r.operation_id', '=', 'c.operation_id').onRef('r.id', '=', 'c.route_id'))
    .select(sql<string>`unnest(r.site_ids[1:array_length(r.site_ids, 1) - 1])`.as('site_id'))
    .where('c.operation_id', '=', operationId)
    .where('c.state', '=', anyOf(opts.openStates));
  let q = db
    .selectFrom('households as h')
    .select(['h.id', 'h.site_id', 'h.registered_at'])
    .select((eb) =>
      eb
        .selectFrom('persons as p')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('p.operation_id', '=', operationId)
        .whereRef('p.household_id', '=', 'h.id')
        .where('p.merged_into', 'is', null)
        .as('members'),
    )
    .where('h.operation_id', '=', operationId)
    .where('h.site_id', 'in', departure)
    // Someone of the household still to board: not merged away, on no manifest in force, not checked in.
    .where(
      sql<boolean>`exists (
        select 1 from persons p
        where p.operation_id = h.operation_id and p.household_id = h.id and p.merged_into is null
          and not exists (
            select 1 from manifest_entries m
            join convoys mc on mc.operation_id = m.operation_id and mc.id = m.convoy_id
            where m.operation_id = p.operation_id and m.person_id = p.id and mc.state = ${anyOf(opts.notBoardedStates)})
          and not exists (
            select 1 from movement_facts f
            where f.operation_id = p.operation_id and f.person_id = p.id and f.kind = 'checked_in'
              and not exists (
                select 1 from movement_facts x
                where x.operation_id = f.operation_id and x.voids = f.id
                  and not exists (select 1 from movement_facts y where y.operation_id = x.operation_id and y.voids = x.id))))`,
    );
  if (opts.siteId) q = q.where('h.site_id', '=', opts.siteId);
  return q.orderBy('h.registered_at').orderBy('h.id').limit(opts.limit).execute();
}

/** The people of these households (not merged away), in household order. */
export async function listHouseholdMembers(db: Executor, operationId: string, householdIds: string[]) {
  if (householdIds.length === 0) return [];
  return db
    .selectFrom('persons')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('household_id', '=', anyOf(householdIds))
    .where('merged_into', 'is', null)
    .orderBy('household_id')
    .orderBy('registered_at')
    .orderBy('id')
    .execute();
}

/** Where these people are manifested on convoys in one of `states`: convoy and vehicle. */
export async function listManifestPlaces(db: Executor, operationId: string, personIds: string[], states: readonly string[]) {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('manifest_entries as m')
    .innerJoin('convoys as c', (j) => j.onRef('c.operation_id', '=', 'm.operation_id').onRef('c.id', '=', 'm.convoy_id'))
    .select(['m.person_id', 'm.household_id', 'm.convoy_id', 'm.vehicle_id'])
    .select(sql<boolean>`m.split_reason is not null`.as('split'))
    .where('m.operation_id', '=', operationId)
    .where('m.person_id', '=', anyOf(personIds))
    .where('c.state', '=', anyOf(states))
    .orderBy('m.convoy_id')
    .orderBy('m.person_id')
    .execute();
}
