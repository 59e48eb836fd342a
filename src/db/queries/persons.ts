/**
 * Households and people as stored: clear counting fields, sealed identifiers, and the keyed
 * hashes through which they are found. No function here sees a plaintext name.
 */
import { anyOf } from './any-of.js';
import { queueDuplicateChecks } from './duplicate-checks.js';
import { enqueuePersons } from './counts.js';
import { sql, type Insertable, type Updateable } from 'kysely';
import type { PersonsTable } from '../schema.js';
import type { Executor } from './executor.js';

export type PersonRow = Awaited<ReturnType<typeof findPerson>> & object;

export async function insertHousehold(
  db: Executor,
  h: { operationId: string; id: string; siteId: string; pii: Buffer | null; at: Date; by: string },
) {
  await db
    .insertInto('households')
    .values({
      operation_id: h.operationId,
      id: h.id,
      site_id: h.siteId,
      pii: h.pii,
      registered_at: h.at,
      registered_by: h.by,
    })
    .execute();
}

/** Many households in multi-row inserts (a batch registration). */
export async function insertHouseholds(
  db: Executor,
  rows: { operationId: string; id: string; siteId: string; pii: Buffer | null; at: Date; by: string }[],
) {
  for (const part of chunks(rows, 2000)) {
    await db
      .insertInto('households')
      .values(
        part.map((h) => ({
          operation_id: h.operationId,
          id: h.id,
          site_id: h.siteId,
          pii: h.pii,
          registered_at: h.at,
          registered_by: h.by,
        })),
      )
      .execute();
  }
}

/**
 * What registering checks before it writes, read in one statement (a round trip each was a
 * fifth of a registration's statements on PGlite): which of the given sites are the
 * operation's, its wristband ranges, which of the given household ids are taken, which of the
 * given tags are bound.
 */
export async function registrationChecks(
  db: Executor,
  operationId: string,
  given: { siteIds: readonly string[]; householdIds: readonly string[]; tagCodes: readonly string[] },
): Promise<{ sites: string[]; ranges: { firstSerial: number; lastSerial: number }[]; householdsTaken: string[]; tagsBound: string[] }> {
  const r = await sql<{ sites: string[]; ranges: { f: number; l: number }[]; households: string[]; tags: string[] }>`
    select
      array(select id from sites where operation_id = ${operationId} and id = any(${[...given.siteIds]}::text[])) as sites,
      coalesce((select json_agg(json_build_object('f', first_serial, 'l', last_serial) order by first_serial)
        from tag_ranges where operation_id = ${operationId}), '[]'::json) as ranges,
      array(select id from households where operation_id = ${operationId} and id = any(${[...given.householdIds]}::text[])) as households,
      array(select tag_code from persons where operation_id = ${operationId} and tag_code = any(${[...given.tagCodes]}::text[])) as tags`.execute(
    db,
  );
  const row = r.rows[0]!;
  return {
    sites: row.sites,
    ranges: row.ranges.map((x) => ({ firstSerial: Number(x.f), lastSerial: Number(x.l) })),
    householdsTaken: row.households,
    tagsBound: row.tags,
  };
}

/** Households, people and keys up to these sizes are written in one statement (`insertRegistered`). */
const ONE_STATEMENT_PERSONS = 500;

/**
 * A registration's rows — households, people, their keyed hashes, and the people's note for the
 * count projection (count_pending_persons, as counts' `enqueuePersons` writes it) — in one
 * statement of data-modifying CTEs when small (a desk's request: one round trip instead of four;
 * the foreign keys are checked at its end, as for four statements), else in the multi-row inserts above.
 */
export async function insertRegistered(
  db: Executor,
  operationId: string,
  w: {
    households: Parameters<typeof insertHouseholds>[1];
    persons: Insertable<PersonsTable>[];
    keys: { operation_id: string; kind: string; key_hash: Buffer; person_id: string }[];
    countToken: string;
    /** The people's note for the duplicate checker (duplicate-checks.ts): when, and who registered them. */
    duplicateCheck?: { at: Date; by: string | null };
  },
): Promise<void> {
  const ids = [...new Set(w.persons.map((p) => p.id))];
  if (w.persons.length === 0 || w.persons.length > ONE_STATEMENT_PERSONS || w.keys.some((k) => k.operation_id !== operationId)) {
    await insertHouseholds(db, w.households);
    await insertPersons(db, w.persons);
    await enqueuePersons(db, operationId, ids, w.countToken);
    await insertPersonKeys(db, w.keys);
    if (w.duplicateCheck) await queueDuplicateChecks(db, operationId, ids, w.duplicateCheck.at, w.duplicateCheck.by);
    return;
  }
  const checks = w.duplicateCheck
    ? sql`, d as (insert into duplicate_checks_pending (operation_id, person_id, queued_at, queued_by)
      select ${operationId}, x.id, ${w.duplicateCheck.at}, ${w.duplicateCheck.by} from unnest(${ids}::text[]) as x (id) on conflict do nothing)`
    : sql``;
  const households = w.households.length
    ? sql`, h as (${db.insertInto('households').values(
        w.households.map((h) => ({
          operation_id: h.operationId,
          id: h.id,
          site_id: h.siteId,
          pii: h.pii,
          registered_at: h.at,
          registered_by: h.by,
        })),
      )})`
    : sql``;
  await sql`with p as (${db.insertInto('persons').values(w.persons)})${households},
    c as (insert into count_pending_persons (operation_id, person_id, token)
      select ${operationId}, x.id, ${w.countToken} from unnest(${ids}::text[]) as x (id) on conflict do nothing)${checks}
    insert into person_keys (operation_id, kind, key_hash, person_id)
      select ${operationId}, k.kind, k.key_hash, k.person_id
      from unnest(${w.keys.map((r) => r.kind)}::text[], ${w.keys.map((r) => r.key_hash)}::bytea[], ${w.keys.map((r) => r.person_id)}::text[]) as k (kind, key_hash, person_id)
      on conflict do nothing`.execute(db);
}

/** Slices of at most `size`: one INSERT stays under PostgreSQL's 65,535 parameters. */
function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

export async function findHouseholdsByIds(db: Executor, operationId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('households')
    .select(['id', 'site_id'])
    .where('operation_id', '=', operationId)
    .where('id', '=', anyOf(ids))
    .execute();
}

export async function findHousehold(db: Executor, operationId: string, id: string) {
  return db.selectFrom('households').selectAll().where('operation_id', '=', operationId).where('id', '=', id).executeTakeFirst();
}

export async function insertPersons(db: Executor, rows: Insertable<PersonsTable>[]) {
  for (const part of chunks(rows, 1000)) await db.insertInto('persons').values(part).execute();
}

/**
 * Keys as three arrays unnested in one statement, not a VALUES list: a person has a dozen keys,
 * and binding four parameters per row costs more than the insert itself (PGlite, ≈ 3×).
 */
export async function insertPersonKeys(db: Executor, rows: { operation_id: string; kind: string; key_hash: Buffer; person_id: string }[]) {
  const byOperation = new Map<string, typeof rows>();
  for (const r of rows) {
    const mine = byOperation.get(r.operation_id);
    // Pushed, not spread: a spread per row copied the list each time (quadratic on a large batch).
    if (mine) mine.push(r);
    else byOperation.set(r.operation_id, [r]);
  }
  for (const [operationId, mine] of byOperation) {
    for (const part of chunks(mine, 20_000)) {
      await sql`insert into person_keys (operation_id, kind, key_hash, person_id)
        select ${operationId}, k.kind, k.key_hash, k.person_id
        from unnest(${part.map((r) => r.kind)}::text[], ${part.map((r) => r.key_hash)}::bytea[], ${part.map((r) => r.person_id)}::text[]) as k (kind, key_hash, person_id)
        on conflict do nothing`.execute(db);
    }
  }
}

export async function deletePersonKeys(db: Executor, operationId: string, personId: string) {
  await db.deleteFrom('person_keys').where('operation_id', '=', operationId).where('person_id', '=', personId).execute();
}

/** Removes every keyed hash of an operation's people (shredding); returns how many went. */
export async function deleteOperationPersonKeys(db: Executor, operationId: string): Promise<number> {
  const removed = await sql<{
    n: number;
  }>`with d as (delete from person_keys where operation_id = ${operationId} returning 1) select count(*)::int as n from d`.execute(db);
  return removed.rows[0]?.n ?? 0;
}

export async function findPerson(db: Executor, operationId: string, id: string) {
  return db.selectFrom('persons').selectAll().where('operation_id', '=', operationId).where('id', '=', id).executeTakeFirst();
}

export async function findPersonByTag(db: Executor, operationId: string, tag: string) {
  return db.selectFrom('persons').selectAll().where('operation_id', '=', operationId).where('tag_code', '=', tag).executeTakeFirst();
}

/** People wearing any of these tags. */
export async function findPersonsByTags(db: Executor, operationId: string, tags: readonly string[]) {
  if (tags.length === 0) return [];
  return db
    .selectFrom('persons')
    .select(['id', 'tag_code'])
    .where('operation_id', '=', operationId)
    .where('tag_code', '=', anyOf(tags))
    .execute();
}

/**
 * Members of several households at once, in each household's registration order: what a
 * manifest knows of them (no sealed fields: a boarding reads no names).
 */
export async function listMembersOfHouseholds(db: Executor, operationId: string, householdIds: readonly string[]) {
  if (householdIds.length === 0) return [];
  return db
    .selectFrom('persons')
    .select(['id', 'household_id', 'sex', 'age_band', 'category', 'vulnerabilities', 'protected', 'merged_into'])
    .where('operation_id', '=', operationId)
    .where('household_id', '=', anyOf(householdIds))
    .orderBy('registered_at')
    .orderBy('id')
    .execute();
}

export async function listHouseholdMembers(db: Executor, operationId: string, householdId: string) {
  return db
    .selectFrom('persons')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('household_id', '=', householdId)
    .orderBy('registered_at')
    .orderBy('id')
    .execute();
}

/**
 * People having any of the keyed hashes, with how many of them each one has. Each key is read
 * through its index with its own limit, so a very common key (a frequent given name) costs no
 * more than a rare one; people sharing several keys rise to the top.
 */
export async function findPersonIdsByKeys(
  db: Executor,
  operationId: string,
  keys: { kind: string; hash: Buffer }[],
  limit: number,
  perKey = 400,
) {
  if (keys.length === 0) return [];
  const parts = keys.map(
    (k) =>
      sql`(select person_id from person_keys where operation_id = ${operationId} and kind = ${k.kind} and key_hash = ${k.hash} limit ${perKey})`,
  );
  const r = await sql<{ person_id: string }>`${sql.join(parts, sql` union all `)}`.execute(db);
  const hits = new Map<string, number>();
  for (const row of r.rows) hits.set(row.person_id, (hits.get(row.person_id) ?? 0) + 1);
  return [...hits.entries()]
    .map(([person_id, n]) => ({ person_id, hits: n }))
    .sort((a, b) => b.hits - a.hits || (a.person_id < b.person_id ? -1 : 1))
    .slice(0, limit);
}

export async function findPersonsByIds(db: Executor, operationId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('persons').selectAll().where('operation_id', '=', operationId).where('id', '=', anyOf(ids)).execute();
}

/**
 * Locks these people's rows until the transaction ends, in id order (two writers locking the same
 * people cannot deadlock on them). Boardings take it before they read where a person is seated, so
 * two devices boarding one person on two convoys at once are decided one after the other.
 */
export async function lockPersons(db: Executor, operationId: string, ids: readonly string[]) {
  if (ids.length === 0) return;
  await db
    .selectFrom('persons')
    .select('id')
    .where('operation_id', '=', operationId)
    .where('id', '=', anyOf([...new Set(ids)].sort()))
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function updatePerson(db: Executor, operationId: string, id: string, set: Updateable<PersonsTable>) {
  await db
    .updateTable('persons')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('operation_id', '=', operationId)
    .where('id', '=', id)
    .execute();
}

export async function countPersons(db: Executor, operationId: string): Promise<number> {
  const r = await db
    .selectFrom('persons')
    .select((eb) => eb.fn.countAll<number>().as('c'))
    .where('operation_id', '=', operationId)
    .executeTakeFirstOrThrow();
  return Number(r.c);
}

/** Points a record at the one it was merged into, or (null) makes it a record of its own again; the version is left as is. */
export async function setPersonMergedInto(db: Executor, operationId: string, id: string, mergedInto: string | null, at: Date) {
  await db
    .updateTable('persons')
    .set({ merged_into: mergedInto, updated_at: at })
    .where('operation_id', '=', operationId)
    .where('id', '=', id)
    .execute();
}

/** People whose category and vulnerabilities are still in clear (written before migration 0014), a page at a time. */
export async function personsWithClearProtected(db: Executor, operationId: string, limit: number) {
  return db
    .selectFrom('persons')
    .select(['id', 'category', 'vulnerabilities', 'protected'])
    .where('operation_id', '=', operationId)
    .where('protected', 'is', null)
    .where((eb) => eb.or([eb('category', 'is not', null), eb('vulnerabilities', 'is not', null)]))
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Stores a person's sealed category and vulnerabilities and empties the clear columns. */
export async function setPersonProtected(db: Executor, operationId: string, id: string, sealed: Uint8Array | null) {
  await db
    .updateTable('persons')
    .set({ protected: sealed, category: null, vulnerabilities: null })
    .where('operation_id', '=', operationId)
    .where('id', '=', id)
    .execute();
}

/** Registry rows as counted whose category and vulnerabilities are still in clear, a page at a time. */
export async function countedWithClearProtected(db: Executor, operationId: string, limit: number) {
  return db
    .selectFrom('count_registry')
    .select(['person_id as id', 'category', 'vulnerabilities', 'protected'])
    .where('operation_id', '=', operationId)
    .where('protected', 'is', null)
    .where((eb) => eb.or([eb('category', 'is not', null), eb('vulnerabilities', 'is not', null)]))
    .orderBy('person_id')
    .limit(limit)
    .execute();
}

export async function setCountedProtected(db: Executor, operationId: string, id: string, sealed: Uint8Array | null) {
  await db
    .updateTable('count_registry')
    .set({ protected: sealed, category: null, vulnerabilities: null })
    .where('operation_id', '=', operationId)
    .where('person_id', '=', id)
    .execute();
}

/** Every person of the operation loses category and vulnerabilities, sealed or clear (shredding). */
export async function withholdOperationProtected(db: Executor, operationId: string): Promise<void> {
  await db
    .updateTable('persons')
    .set({ protected: null, category: null, vulnerabilities: null })
    .where('operation_id', '=', operationId)
    .execute();
  await db
    .updateTable('count_registry')
    .set({ protected: null, category: null, vulnerabilities: null })
    .where('operation_id', '=', operationId)
    .execute();
}

/** Erases what is sealed about one person (crypto-shredding of a person): see services/persons/shred-person.ts. */
export async function shredPersonRow(db: Executor, operationId: string, id: string, emptyPii: Uint8Array, at: Date): Promise<void> {
  await db
    .updateTable('persons')
    .set({ pii: emptyPii, medical: null, protected: null, category: null, vulnerabilities: null, tag_code: null, shredded_at: at })
    .where('operation_id', '=', operationId)
    .where('id', '=', id)
    .execute();
  await db.deleteFrom('person_keys').where('operation_id', '=', operationId).where('person_id', '=', id).execute();
  await db
    .updateTable('manifest_entries')
    .set({ split_reason: null })
    .where('operation_id', '=', operationId)
    .where('person_id', '=', id)
    .execute();
}
