/**
 * Households and people as stored: clear counting fields, sealed identifiers, and the keyed
 * hashes through which they are found. No function here sees a plaintext name.
 */
import type { Insertable, Updateable } from 'kysely';
import type { PersonsTable } from '../schema.js';
import type { Executor } from './executor.js';

export type PersonRow = Awaited<ReturnType<typeof findPerson>> & object;

export async function insertHousehold(db: Executor, h: { operationId: string; id: string; siteId: string; pii: Buffer | null; at: Date; by: string }) {
  await db.insertInto('households').values({
    operation_id: h.operationId, id: h.id, site_id: h.siteId, pii: h.pii, registered_at: h.at, registered_by: h.by,
  }).execute();
}

export async function findHousehold(db: Executor, operationId: string, id: string) {
  return db.selectFrom('households').selectAll().where('operation_id', '=', operationId).where('id', '=', id).executeTakeFirst();
}

export async function insertPersons(db: Executor, rows: Insertable<PersonsTable>[]) {
  if (rows.length) await db.insertInto('persons').values(rows).execute();
}

export async function insertPersonKeys(db: Executor, rows: { operation_id: string; kind: string; key_hash: Buffer; person_id: string }[]) {
  if (rows.length) await db.insertInto('person_keys').values(rows).onConflict((oc) => oc.doNothing()).execute();
}

export async function deletePersonKeys(db: Executor, operationId: string, personId: string) {
  await db.deleteFrom('person_keys').where('operation_id', '=', operationId).where('person_id', '=', personId).execute();
}

export async function findPerson(db: Executor, operationId: string, id: string) {
  return db.selectFrom('persons').selectAll().where('operation_id', '=', operationId).where('id', '=', id).executeTakeFirst();
}

export async function findPersonByTag(db: Executor, operationId: string, tag: string) {
  return db.selectFrom('persons').selectAll().where('operation_id', '=', operationId).where('tag_code', '=', tag).executeTakeFirst();
}

export async function listHouseholdMembers(db: Executor, operationId: string, householdId: string) {
  return db.selectFrom('persons').selectAll().where('operation_id', '=', operationId).where('household_id', '=', householdId)
    .orderBy('registered_at').orderBy('id').execute();
}

/** People having any of the keyed hashes, with how many of them each one has. */
export async function findPersonIdsByKeys(db: Executor, operationId: string, keys: { kind: string; hash: Buffer }[], limit: number) {
  if (keys.length === 0) return [];
  return db.selectFrom('person_keys').select(['person_id']).select((eb) => eb.fn.countAll<number>().as('hits'))
    .where('operation_id', '=', operationId)
    .where((eb) => eb.or(keys.map((k) => eb.and([eb('kind', '=', k.kind), eb('key_hash', '=', k.hash)]))))
    .groupBy('person_id').orderBy('hits', 'desc').orderBy('person_id').limit(limit).execute();
}

export async function findPersonsByIds(db: Executor, operationId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('persons').selectAll().where('operation_id', '=', operationId).where('id', 'in', ids).execute();
}

export async function updatePerson(db: Executor, operationId: string, id: string, set: Updateable<PersonsTable>) {
  await db.updateTable('persons').set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('operation_id', '=', operationId).where('id', '=', id).execute();
}

export async function countPersons(db: Executor, operationId: string): Promise<number> {
  const r = await db.selectFrom('persons').select((eb) => eb.fn.countAll<number>().as('c')).where('operation_id', '=', operationId).executeTakeFirstOrThrow();
  return Number(r.c);
}
