/**
 * Statements about the database itself rather than an aggregate: table sizes against their
 * statistics, analyze and vacuum, the autovacuum setting, and the other sessions connected.
 * Housekeeping, shredding and key rotation decide when to run them.
 */
import { sql } from 'kysely';
import type { Executor } from './executor.js';

/** Every table of the public schema, its size in 8 KB pages and the size its statistics were taken at. */
export async function listTableSizes(db: Executor) {
  const r = await sql<{ table: string; pages: number; counted: number }>`select c.relname as table,
      (pg_relation_size(c.oid) / 8192)::int as pages, greatest(c.relpages, 0)::int as counted
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' order by c.relname`.execute(db);
  return r.rows;
}

export async function vacuumAnalyzeTable(db: Executor, table: string) {
  await sql`vacuum (analyze) ${sql.table(table)}`.execute(db);
}

export async function analyzeTable(db: Executor, table: string) {
  await sql`analyze ${sql.table(table)}`.execute(db);
}

/** Analyzes these tables in one statement. */
export async function analyzeTables(db: Executor, tables: readonly string[]) {
  await sql`analyze ${sql.join(tables.map((t) => sql.table(t)))}`.execute(db);
}

/** The server's autovacuum setting ('on' or 'off'). */
export async function showAutovacuum(db: Executor): Promise<string | undefined> {
  const r = await sql<{ autovacuum: string }>`show autovacuum`.execute(db);
  return r.rows[0]?.autovacuum;
}

/** Vacuums operation_keys (a destroyed key's old row version stays in the file until then). */
export async function vacuumOperationKeys(db: Executor) {
  await sql`vacuum operation_keys`.execute(db);
}

/** Other client sessions on this PostgreSQL database, and who they are (application and address). */
export async function countOtherSessions(db: Executor): Promise<{ n: number; who: string | null } | undefined> {
  const r = await sql<{ n: number; who: string | null }>`
    select count(*)::int as n,
           string_agg(distinct coalesce(nullif(application_name, ''), 'unnamed') || ' from ' || coalesce(host(client_addr), 'a local socket or a hidden address'), ', ') as who
      from pg_stat_activity
     where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`.execute(db);
  return r.rows[0];
}
