/**
 * The inserts of a large batch registration (an import's chunk of a thousand people and more),
 * each table's rows as one array per column unnested in one statement: the same rows as the
 * multi-row VALUES inserts of persons.ts, without binding twenty parameters a row (the cost of
 * parsing them grows with the batch, and a VALUES list is cut at PostgreSQL's 65,535). The
 * registration use case writes through these when its caller hands them in (`RegisterOptions.store`).
 */
import { sql, type Insertable } from 'kysely';
import type { PersonsTable } from '../schema.js';
import type { Executor } from './executor.js';
import * as personsDb from './persons.js';

/** Rows per statement: a few megabytes of parameters at most. */
const ROWS_PER_STATEMENT = 5000;

function slices<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

const iso = (t: Date | string) => (t instanceof Date ? t.toISOString() : t);

export async function insertHouseholdsBulk(
  db: Executor,
  rows: readonly { operationId: string; id: string; siteId: string; pii: Buffer | null; at: Date; by: string }[],
) {
  for (const part of slices(rows, ROWS_PER_STATEMENT)) {
    await sql`insert into households (operation_id, id, site_id, pii, registered_at, registered_by)
      select * from unnest(${part.map((h) => h.operationId)}::text[], ${part.map((h) => h.id)}::text[],
        ${part.map((h) => h.siteId)}::text[], ${part.map((h) => h.pii)}::bytea[],
        ${part.map((h) => iso(h.at))}::timestamptz[], ${part.map((h) => h.by)}::text[])`.execute(db);
  }
}

/** A row this statement writes as given: what a registration builds (no clear category or vulnerabilities, no version). */
function fitsBulk(r: Insertable<PersonsTable>): boolean {
  return (
    (r.vulnerabilities ?? null) === null &&
    (r.category ?? null) === null &&
    r.version === undefined &&
    r.merged_into === undefined &&
    r.shredded_at === undefined
  );
}

export async function insertPersonsBulk(db: Executor, rows: readonly Insertable<PersonsTable>[]) {
  const other = rows.filter((r) => !fitsBulk(r));
  if (other.length > 0) return personsDb.insertPersons(db, [...rows]);
  for (const p of slices(rows, ROWS_PER_STATEMENT)) {
    const col = <T>(f: (r: Insertable<PersonsTable>) => T) => p.map(f);
    await sql`insert into persons (operation_id, id, household_id, relationship, sex, birth_year, age_estimated,
        age_band, vulnerabilities, category, protected, consent_tracing, consent_disclosure, tag_code, site_id, pii,
        medical, registered_at, registered_by, updated_at)
      select u.operation_id, u.id, u.household_id, u.relationship, u.sex, u.birth_year, u.age_estimated, u.age_band,
        null, null, u.protected, u.consent_tracing, u.consent_disclosure, u.tag_code, u.site_id, u.pii, u.medical,
        u.registered_at, u.registered_by, u.updated_at
      from unnest(${col((r) => r.operation_id)}::text[], ${col((r) => r.id)}::text[], ${col((r) => r.household_id)}::text[],
        ${col((r) => r.relationship)}::text[], ${col((r) => r.sex)}::text[], ${col((r) => r.birth_year ?? null)}::int[],
        ${col((r) => r.age_estimated ?? false)}::boolean[], ${col((r) => r.age_band)}::text[],
        ${col((r) => r.protected ?? null)}::bytea[], ${col((r) => r.consent_tracing ?? false)}::boolean[],
        ${col((r) => r.consent_disclosure ?? false)}::boolean[], ${col((r) => r.tag_code ?? null)}::text[],
        ${col((r) => r.site_id)}::text[], ${col((r) => r.pii)}::bytea[], ${col((r) => r.medical ?? null)}::bytea[],
        ${col((r) => iso(r.registered_at as Date | string))}::timestamptz[], ${col((r) => r.registered_by)}::text[],
        ${col((r) => iso(r.updated_at as Date | string))}::timestamptz[])
        as u (operation_id, id, household_id, relationship, sex, birth_year, age_estimated, age_band, protected,
          consent_tracing, consent_disclosure, tag_code, site_id, pii, medical, registered_at, registered_by, updated_at)`.execute(db);
  }
}

/**
 * As `insertPersonKeys`, for people being registered in this statement's transaction: their
 * keys cannot be there already, so there is no conflict to look for, and the rows go in sorted
 * as the primary key is, so that each index page is visited once per batch rather than once a
 * row (about a third off the statement on a table of a million keys).
 */
export async function insertPersonKeysBulk(
  db: Executor,
  rows: readonly { operation_id: string; kind: string; key_hash: Buffer; person_id: string }[],
) {
  const byOperation = new Map<string, (typeof rows)[number][]>();
  for (const r of rows) {
    const mine = byOperation.get(r.operation_id);
    if (mine) mine.push(r);
    else byOperation.set(r.operation_id, [r]);
  }
  for (const [operationId, mine] of byOperation) {
    for (const part of slices(mine, 20_000)) {
      await sql`insert into person_keys (operation_id, kind, key_hash, person_id)
        select ${operationId}, k.kind, k.key_hash, k.person_id
        from unnest(${part.map((r) => r.kind)}::text[], ${part.map((r) => r.key_hash)}::bytea[], ${part.map((r) => r.person_id)}::text[]) as k (kind, key_hash, person_id)
        order by k.kind, k.key_hash, k.person_id`.execute(db);
    }
  }
}
