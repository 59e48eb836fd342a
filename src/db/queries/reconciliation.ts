/**
 * What reconciliation reads, for the whole operation or a slice of it: convoys in the order
 * reconciliation walks them, their vehicles, manifest entries by convoy, person or household,
 * the convoys and check-ins seen at a site, and the merge links around some people.
 */
import { anyOf } from './any-of.js';
import type { Executor } from './executor.js';

/** Convoys, newest first (the order the convoy board lists them), all of them or these. */
export async function convoysInOrder(db: Executor, operationId: string, ids?: readonly string[]) {
  let q = db.selectFrom('convoys').select(['id', 'route_id', 'state', 'created_at']).where('operation_id', '=', operationId);
  if (ids) {
    if (ids.length === 0) return [];
    q = q.where('id', '=', anyOf(ids));
  }
  return q.orderBy('created_at', 'desc').orderBy('id').execute();
}

export async function vehiclesOf(db: Executor, operationId: string, convoyIds?: readonly string[]) {
  let q = db
    .selectFrom('vehicles')
    .select(['id', 'convoy_id', 'kind', 'capacity', 'mode', 'head_count'])
    .where('operation_id', '=', operationId);
  if (convoyIds) {
    if (convoyIds.length === 0) return [];
    q = q.where('convoy_id', '=', anyOf(convoyIds));
  }
  return q.orderBy('created_at').orderBy('id').execute();
}

/** Manifest entries of the whole operation, or those on these convoys, of these people or of these households (any of them). */
export async function manifestEntries(
  db: Executor,
  operationId: string,
  of?: { convoyIds?: readonly string[]; personIds?: readonly string[]; householdIds?: readonly string[] },
) {
  let q = db
    .selectFrom('manifest_entries')
    .select(['convoy_id', 'person_id', 'household_id', 'vehicle_id', 'flags', 'split_reason', 'added_at'])
    .where('operation_id', '=', operationId);
  if (of) {
    const convoyIds = [...(of.convoyIds ?? [])];
    const personIds = [...(of.personIds ?? [])];
    const householdIds = [...(of.householdIds ?? [])];
    if (convoyIds.length + personIds.length + householdIds.length === 0) return [];
    q = q.where((eb) =>
      eb.or([
        ...(convoyIds.length ? [eb('convoy_id', '=', anyOf(convoyIds))] : []),
        ...(personIds.length ? [eb('person_id', '=', anyOf(personIds))] : []),
        ...(householdIds.length ? [eb('household_id', '=', anyOf(householdIds))] : []),
      ]),
    );
  }
  return q.orderBy('convoy_id').orderBy('added_at').orderBy('person_id').execute();
}

/** Convoys with a fact at this site (a departure, a checkpoint, a halt, an arrival …). */
export async function convoysSeenAt(db: Executor, operationId: string, siteId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('movement_facts')
    .select('convoy_id')
    .distinct()
    .where('operation_id', '=', operationId)
    .where('site_id', '=', siteId)
    .where('convoy_id', 'is not', null)
    .execute();
  return rows.map((r) => r.convoy_id as string);
}

/** People checked in at this site. */
export async function personsCheckedInAt(db: Executor, operationId: string, siteId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('movement_facts')
    .select('person_id')
    .distinct()
    .where('operation_id', '=', operationId)
    .where('site_id', '=', siteId)
    .where('kind', '=', 'checked_in')
    .where('person_id', 'is not', null)
    .execute();
  return rows.map((r) => r.person_id as string);
}

/** Every merge link of the operation. */
export async function allMergeLinks(db: Executor, operationId: string) {
  return db
    .selectFrom('persons')
    .select(['id', 'merged_into'])
    .where('operation_id', '=', operationId)
    .where('merged_into', 'is not', null)
    .execute();
}
