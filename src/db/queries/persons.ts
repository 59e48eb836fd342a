/**
 * Households and people as stored: clear counting fields, sealed identifiers, and the keyed
 * hashes through which they are found. No function here sees a plaintext name.
 */
import { sql, type Insertable, type Updateable } from 'kysely';
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

/**
 * People having any of the keyed hashes, with how many of them each one has. Each key is read
 * through its index with its own limit, so a very common key (a frequent given name) costs no
 * more than a rare one; people sharing several keys rise to the top.
 */
export async function findPersonIdsByKeys(db: Executor, operationId: string, keys: { kind: string; hash: Buffer }[], limit: number, perKey = 400) {
  if (keys.length === 0) return [];
  const parts = keys.map((k) => sql`(select person_id from person_keys where operation_id = ${operationId} and kind = ${k.kind} and key_hash = ${k.hash} limit ${perKey})`);
  const r = await sql<{ person_id: string }>`${sql.join(parts, sql` union all `)}`.execute(db);
  const hits = new Map<string, number>();
  for (const row of r.rows) hits.set(row.person_id, (hits.get(row.person_id) ?? 0) + 1);
  return [...hits.entries()].map(([person_id, n]) => ({ person_id, hits: n }))
    .sort((a, b) => b.hits - a.hits || (a.person_id < b.person_id ? -1 : 1)).slice(0, limit);
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
