/**
 * What a person's timeline reads besides their facts: their household's manifest seats (with
 * who put them there), their protection alerts and merges, the names of the accounts and
 * devices that acted, and the labels of the convoys and vehicles named. Reads only, always
 * scoped by operation; the service orders and presents them.
 */
import { anyOf } from './any-of.js';
import type { Executor } from './executor.js';

/** The manifest seats of these people, with when and by whom they were given. */
export async function manifestSeatsOf(db: Executor, operationId: string, personIds: readonly string[]) {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('manifest_entries')
    .select(['person_id', 'convoy_id', 'vehicle_id', 'added_at', 'added_by'])
    .where('operation_id', '=', operationId)
    .where('person_id', '=', anyOf(personIds))
    .execute();
}

/** The protection alerts raised for these people. */
export async function alertsOf(db: Executor, operationId: string, personIds: readonly string[]) {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('protection_alerts')
    .select(['id', 'person_id', 'site_id', 'kind', 'raised_at', 'acknowledged_at', 'acknowledged_by', 'closed_at', 'closed_by', 'outcome'])
    .where('operation_id', '=', operationId)
    .where('person_id', '=', anyOf(personIds))
    .execute();
}

/** Merges and undone merges involving these records, on either side. */
export async function mergesOf(db: Executor, operationId: string, personIds: readonly string[]) {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('person_merges')
    .select(['id', 'kind', 'person_id', 'into_id', 'at', 'actor_id'])
    .where('operation_id', '=', operationId)
    .where((eb) => eb.or([eb('person_id', '=', anyOf(personIds)), eb('into_id', '=', anyOf(personIds))]))
    .execute();
}

/** Display names of accounts and names of the operation's devices, by id (unknown ids are absent). */
export async function actorNames(db: Executor, operationId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const users = await db.selectFrom('users').select(['id', 'display_name as name']).where('id', '=', anyOf(ids)).execute();
  const devices = await db
    .selectFrom('devices')
    .select(['id', 'name'])
    .where('operation_id', '=', operationId)
    .where('id', '=', anyOf(ids))
    .execute();
  return [...users.map((u) => ({ ...u, kind: 'user' as const })), ...devices.map((d) => ({ ...d, kind: 'device' as const }))];
}

/** Names of these convoys and plates of these vehicles: what a desk shows instead of ids. */
export async function convoyLabels(db: Executor, operationId: string, convoyIds: readonly string[], vehicleIds: readonly string[]) {
  const convoys =
    convoyIds.length === 0
      ? []
      : await db
          .selectFrom('convoys')
          .select(['id', 'name'])
          .where('operation_id', '=', operationId)
          .where('id', '=', anyOf(convoyIds))
          .execute();
  const vehicles =
    vehicleIds.length === 0
      ? []
      : await db
          .selectFrom('vehicles')
          .select(['id', 'convoy_id', 'kind', 'plate'])
          .where('operation_id', '=', operationId)
          .where('id', '=', anyOf(vehicleIds))
          .execute();
  return { convoys, vehicles };
}

/** How many records each of these households has (merged records included: they are still its members). */
export async function householdSizes(db: Executor, operationId: string, householdIds: readonly string[]) {
  if (householdIds.length === 0) return new Map<string, number>();
  const rows = await db
    .selectFrom('persons')
    .select(['household_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('operation_id', '=', operationId)
    .where('household_id', '=', anyOf(householdIds))
    .where('merged_into', 'is', null)
    .groupBy('household_id')
    .execute();
  return new Map(rows.map((r) => [r.household_id, Number(r.n)]));
}
