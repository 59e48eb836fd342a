/**
 * What a backup reads and a restore writes: every table of the schema as JSON rows (bytea as hex,
 * arrays, jsonb and timestamps as PostgreSQL writes them), and back through
 * `jsonb_populate_recordset`, so each value goes through its column type's own input function.
 * The migration ledger is not carried: the target is migrated by the same code first.
 */
import { sql } from 'kysely';
import type { Executor } from './executor.js';

/** The schema's tables, each with the tables its foreign keys point to. */
export async function tablesWithReferences(db: Executor): Promise<{ table: string; refs: string[] }[]> {
  const rows = await sql<{ t: string; refs: string[] | null }>`
    select c.relname as t,
           array_remove(array_agg(distinct r.relname::text), null) as refs
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
    left join pg_constraint k on k.conrelid = c.oid and k.contype = 'f'
    left join pg_class r on r.oid = k.confrelid and r.oid <> c.oid
    where c.relkind = 'r' and c.relname <> 'schema_migrations'
    group by c.relname
    order by c.relname`.execute(db);
  return rows.rows.map((r) => ({ table: r.t, refs: r.refs ?? [] }));
}

/** A table's rows as one JSON array (text), in a stable order. */
export async function tableAsJson(db: Executor, table: string): Promise<string> {
  const r = await sql<{ j: string | null }>`select coalesce(jsonb_agg(to_jsonb(x) order by to_jsonb(x)::text), '[]'::jsonb)::text as j
    from ${sql.table(table)} x`.execute(db);
  return r.rows[0]?.j ?? '[]';
}

export async function countRows(db: Executor, table: string): Promise<number> {
  const r = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

export async function insertJsonRows(db: Executor, table: string, json: string): Promise<void> {
  await sql`insert into ${sql.table(table)} select * from jsonb_populate_recordset(null::${sql.table(table)}, ${json}::jsonb)`.execute(db);
}

/** After rows were inserted with their own ids: the audit log's sequence continues after them. */
export async function resetAuditSequence(db: Executor): Promise<void> {
  await sql`select setval(pg_get_serial_sequence('audit_log', 'seq'), coalesce((select max(seq) from audit_log), 0) + 1, false)`.execute(
    db,
  );
}
