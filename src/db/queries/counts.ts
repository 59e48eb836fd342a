/**
 * The maintained counters: upserts of signed deltas (`n = n + excluded.n`), the per-operation
 * head row that makes maintenance take turns, and the reads the counts endpoint serves from.
 */
import { anyOf } from './any-of.js';
import { sql } from 'kysely';
import type { Executor } from './executor.js';
import type { Selectable } from 'kysely';
import type { CountersTable, MovementFactsTable } from '../schema.js';

/** A counter as read back: the row of `counters` without its operation. */
export type CounterCell = Omit<CountersTable, 'operation_id'>;

/**
 * Takes the operation's count lock (the head row, held until commit) and bumps its version.
 * Everything read after this sees what every transaction that counted before committed.
 */
export async function lockCounts(db: Executor, operationId: string, at: Date): Promise<number> {
  const r = await db
    .insertInto('count_heads')
    .values({ operation_id: operationId, version: 1, updated_at: at })
    .onConflict((oc) => oc.column('operation_id').doUpdateSet((eb) => ({ version: eb('count_heads.version', '+', 1), updated_at: at })))
    .returning('version')
    .executeTakeFirstOrThrow();
  return Number(r.version);
}

export async function countVersion(db: Executor, operationId: string): Promise<number> {
  const r = await db.selectFrom('count_heads').select('version').where('operation_id', '=', operationId).executeTakeFirst();
  return r ? Number(r.version) : 0;
}

const CHUNK = 2000;

export async function addToCounters(db: Executor, operationId: string, cells: readonly Omit<CounterCell, never>[]) {
  for (let i = 0; i < cells.length; i += CHUNK) {
    const rows = cells.slice(i, i + CHUNK).map((c) => ({ operation_id: operationId, ...c }));
    await db
      .insertInto('counters')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['operation_id', 'metric', 'sex', 'age_band', 'category', 'site_id', 'vulnerability', 'hour'])
          .doUpdateSet((eb) => ({ n: eb('counters.n', '+', eb.ref('excluded.n')) })),
      )
      .execute();
  }
}

export async function addToCounterHours(db: Executor, operationId: string, cells: readonly { metric: string; hour: string; n: number }[]) {
  for (let i = 0; i < cells.length; i += CHUNK) {
    const rows = cells.slice(i, i + CHUNK).map((c) => ({ operation_id: operationId, ...c }));
    await db
      .insertInto('counter_hours')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['operation_id', 'metric', 'hour']).doUpdateSet((eb) => ({ n: eb('counter_hours.n', '+', eb.ref('excluded.n')) })),
      )
      .execute();
  }
}

/** Current cells (hour '*'), zero cells left out. */
export async function currentCells(db: Executor, operationId: string) {
  return db
    .selectFrom('counters')
    .select(['metric', 'sex', 'age_band', 'category', 'site_id', 'vulnerability', 'n'])
    .where('operation_id', '=', operationId)
    .where('hour', '=', '*')
    .where('n', '<>', 0)
    .execute();
}

export async function hourlyFlows(db: Executor, operationId: string) {
  return db
    .selectFrom('counter_hours')
    .select(['metric', 'hour', 'n'])
    .where('operation_id', '=', operationId)
    .where('n', '<>', 0)
    .orderBy('hour')
    .execute();
}

/** Every non-zero cell, for verification. */
export async function allCells(db: Executor, operationId: string): Promise<CounterCell[]> {
  const rows = await db
    .selectFrom('counters')
    .select(['metric', 'sex', 'age_band', 'category', 'site_id', 'vulnerability', 'hour', 'n'])
    .where('operation_id', '=', operationId)
    .where('n', '<>', 0)
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

export async function allHourCells(db: Executor, operationId: string) {
  const rows = await db
    .selectFrom('counter_hours')
    .select(['metric', 'hour', 'n'])
    .where('operation_id', '=', operationId)
    .where('n', '<>', 0)
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** Arrived now at a site (every subject, vulnerability '*'): what shelter capacity is checked against. */
export async function arrivedAt(db: Executor, operationId: string, siteId: string): Promise<number> {
  const r = await sql<{ n: number | null }>`select sum(n)::int as n from counters where operation_id = ${operationId} and metric = 'arrived'
    and site_id = ${siteId} and vulnerability = '*' and hour = '*'`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** Arrived now at every site that has anyone (site id → people): overflow shelters are chosen by it. */
export async function arrivedBySite(db: Executor, operationId: string): Promise<Record<string, number>> {
  const r = await sql<{ site_id: string; n: number }>`select site_id, sum(n)::int as n from counters where operation_id = ${operationId}
    and metric = 'arrived' and vulnerability = '*' and hour = '*' group by site_id`.execute(db);
  return Object.fromEntries(r.rows.map((row) => [row.site_id, Number(row.n)]));
}

export async function operationIdsWithCounts(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('operations').select('id').orderBy('created_at').execute();
  return rows.map((r) => r.id);
}

/** People as counting knows them (category and vulnerabilities sealed), with the merges that join records. */
export async function registryRows(db: Executor, operationId: string, ids?: readonly string[]) {
  let q = db
    .selectFrom('persons')
    .select(['id', 'sex', 'age_band', 'category', 'vulnerabilities', 'protected', 'site_id', 'registered_at', 'merged_into'])
    .where('operation_id', '=', operationId);
  if (ids) {
    if (ids.length === 0) return [];
    q = q.where('id', '=', anyOf(ids));
  }
  return q.execute();
}

/** Registry changes the counters have not seen yet (see migration 0004). */
export async function enqueuePersons(db: Executor, operationId: string, personIds: readonly string[], token: string): Promise<void> {
  const ids = [...new Set(personIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    await db
      .insertInto('count_pending_persons')
      .values(ids.slice(i, i + CHUNK).map((person_id) => ({ operation_id: operationId, person_id, token })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/**
 * Where the counting of an operation stands (count_heads, migration 0007): the snapshot every
 * counted fact's transaction is visible in, and the round under way, if any — a newer snapshot
 * counted in (tx, id) order up to (tx, id).
 */
export interface CountCursor {
  counted: string;
  round: { snapshot: string; tx: string; id: string } | null;
}

const NOTHING_COUNTED = '1:1:';

/**
 * A fact not counted yet under this cursor, as SQL over `f` (a movement_facts row). The row
 * comparison is the index scan's lower bound: every transaction before the counted snapshot's
 * xmin is counted, and (tx, '') comes before every id of tx.
 */
function pendingFact(cursor: CountCursor) {
  const xmin = parseSnapshot(cursor.counted).xmin.toString();
  const r = cursor.round;
  return sql`(f.tx, f.id collate "C") > (${xmin}::xid8, ${''} collate "C")
    and not pg_visible_in_snapshot(f.tx, ${cursor.counted}::pg_snapshot)
    ${r ? sql`and not (pg_visible_in_snapshot(f.tx, ${r.snapshot}::pg_snapshot) and (f.tx, f.id collate "C") <= (${r.tx}::xid8, ${r.id} collate "C"))` : sql``}`;
}

async function hasPendingFacts(db: Executor, operationId: string): Promise<boolean> {
  const cursor = await readCursor(db, operationId);
  const r = await sql<{
    p: boolean;
  }>`select exists (select 1 from movement_facts f where f.operation_id = ${operationId} and ${pendingFact(cursor)}) as p`.execute(db);
  return Boolean(r.rows[0]?.p);
}

export async function hasPending(db: Executor, operationId: string): Promise<boolean> {
  const notes = await sql<{
    p: boolean;
  }>`select exists (select 1 from count_pending_persons where operation_id = ${operationId}) as p`.execute(db);
  return Boolean(notes.rows[0]?.p) || hasPendingFacts(db, operationId);
}

export async function pendingTotals(db: Executor, operationId: string): Promise<{ facts: number; persons: number }> {
  const cursor = await readCursor(db, operationId);
  const r = await sql<{
    f: number;
    p: number;
  }>`select (select count(*)::int from movement_facts f where f.operation_id = ${operationId} and ${pendingFact(cursor)}) as f,
    (select count(*)::int from count_pending_persons where operation_id = ${operationId}) as p`.execute(db);
  return { facts: Number(r.rows[0]?.f ?? 0), persons: Number(r.rows[0]?.p ?? 0) };
}

/** Operations with something to count (the projector's sweep): one indexed probe per operation. */
export async function operationsWithPending(db: Executor): Promise<string[]> {
  const withNotes = await sql<{ operation_id: string }>`select distinct operation_id from count_pending_persons`.execute(db);
  const out = new Set(withNotes.rows.map((x) => x.operation_id));
  const ops = await sql<{ id: string }>`select id from operations`.execute(db);
  for (const { id } of ops.rows) if (!out.has(id) && (await hasPendingFacts(db, id))) out.add(id);
  return [...out];
}

interface Snapshot {
  xmin: bigint;
  xmax: bigint;
  xip: Set<bigint>;
}

const parsed = new Map<string, Snapshot>();
function parseSnapshot(text: string): Snapshot {
  let s = parsed.get(text);
  if (!s) {
    const [xmin, xmax, xip] = text.split(':') as [string, string, string];
    s = { xmin: BigInt(xmin), xmax: BigInt(xmax), xip: new Set(xip ? xip.split(',').map((x) => BigInt(x)) : []) };
    if (parsed.size > 64) parsed.clear();
    parsed.set(text, s);
  }
  return s;
}

/** pg_visible_in_snapshot in JavaScript: committed before the snapshot was taken. */
function visibleIn(tx: bigint, snapshot: string): boolean {
  const s = parseSnapshot(snapshot);
  return tx < s.xmin || (tx < s.xmax && !s.xip.has(tx));
}

/** Byte order of the UTF-8 text: `collate "C"`, as the queries order ids. */
function compareC(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Whether the cursor counts a fact written by transaction `tx` (as text) with this id — the SQL of `pendingFact`, negated. */
export function isCounted(cursor: CountCursor, tx: string, id: string): boolean {
  const x = BigInt(tx);
  if (visibleIn(x, cursor.counted)) return true;
  const r = cursor.round;
  if (!r || !visibleIn(x, r.snapshot)) return false;
  const rt = BigInt(r.tx);
  return x < rt || (x === rt && compareC(id, r.id) <= 0);
}

/** The cursor, read under the count lock (lockCounts or lockCountsQuietly first). */
export async function readCursor(db: Executor, operationId: string): Promise<CountCursor> {
  const r = await sql<{
    counted: string;
    rs: string | null;
    rt: string | null;
    ri: string | null;
  }>`select counted_snapshot::text as counted,
    round_snapshot::text as rs, round_tx::text as rt, round_id as ri from count_heads where operation_id = ${operationId}`.execute(db);
  const row = r.rows[0];
  if (!row) return { counted: NOTHING_COUNTED, round: null };
  return { counted: row.counted, round: row.rs !== null ? { snapshot: row.rs, tx: row.rt ?? '0', id: row.ri ?? '' } : null };
}

export async function saveCursor(db: Executor, operationId: string, cursor: CountCursor): Promise<void> {
  await sql`update count_heads set counted_snapshot = ${cursor.counted}::pg_snapshot,
      round_snapshot = ${cursor.round?.snapshot ?? null}::pg_snapshot, round_tx = ${cursor.round?.tx ?? null}::xid8, round_id = ${cursor.round?.id ?? null}
    where operation_id = ${operationId}`.execute(db);
}

/**
 * The snapshot of this moment: which transactions have committed. PostgreSQL leaves the asking
 * transaction's own id out of its snapshot's in-progress list, so a snapshot taken by a request
 * that already holds an id (the count lock gives it one) would call that request's own facts
 * committed — and a fact it writes after counting would never be counted. Its own id is put
 * back among those in progress: its facts are counted once it has committed. A recount that has
 * just counted everything the transaction wrote itself asks for `own: 'counted'`.
 */
export async function currentSnapshot(db: Executor, own: 'pending' | 'counted' = 'pending'): Promise<string> {
  if (own === 'counted') return (await sql<{ s: string }>`select pg_current_snapshot()::text as s`.execute(db)).rows[0]!.s;
  const r = await sql<{ s: string; own: string | null }>`select pg_current_snapshot()::text as s,
    pg_current_xact_id_if_assigned()::text as own`.execute(db);
  const row = r.rows[0]!;
  return row.own === null ? row.s : withInProgress(row.s, BigInt(row.own));
}

/** The snapshot's text with one more transaction in progress. */
export function withInProgress(text: string, tx: bigint): string {
  const { xmin, xmax, xip } = parseSnapshot(text);
  if (tx >= xmax || xip.has(tx)) return text;
  const ids = [...xip, tx].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `${tx < xmin ? tx : xmin}:${xmax}:${ids.join(',')}`;
}

/**
 * The next facts of the round to count, as stored, in (tx, id) order: committed in the round's
 * snapshot, not in the counted one, after the round's position.
 */
export async function pendingFactRows(
  db: Executor,
  operationId: string,
  counted: string,
  round: { snapshot: string; tx: string; id: string },
  limit: number,
) {
  // One lower bound for the index scan: the round's position, or the counted snapshot's xmin
  // (every earlier transaction is counted) when that is further on. (tx, '') is before every id.
  const xmin = parseSnapshot(counted).xmin;
  const from = BigInt(round.tx) >= xmin ? round : { tx: xmin.toString(), id: '' };
  const r = await sql<FactRowWithTx>`select f.* from movement_facts f
    where f.operation_id = ${operationId}
      and (f.tx, f.id collate "C") > (${from.tx}::xid8, ${from.id} collate "C")
      and not pg_visible_in_snapshot(f.tx, ${counted}::pg_snapshot)
      and pg_visible_in_snapshot(f.tx, ${round.snapshot}::pg_snapshot)
    order by f.tx, f.id collate "C" limit ${limit}`.execute(db);
  return r.rows;
}

export type FactRowWithTx = Selectable<MovementFactsTable>;

export async function pendingPersons(db: Executor, operationId: string, limit: number) {
  return db
    .selectFrom('count_pending_persons')
    .select(['person_id', 'token'])
    .where('operation_id', '=', operationId)
    .orderBy('person_id')
    .orderBy('token')
    .limit(limit)
    .execute();
}

export async function deletePendingPersons(
  db: Executor,
  operationId: string,
  rows: readonly { person_id: string; token: string }[],
): Promise<void> {
  // Two array parameters, not a list of thousands of pairs (PGlite's WASM build aborts on those).
  for (let i = 0; i < rows.length; i += 10_000) {
    const slice = rows.slice(i, i + 10_000);
    await sql`delete from count_pending_persons p using unnest(${slice.map((r) => r.person_id)}::text[], ${slice.map((r) => r.token)}::text[]) as d(person_id, token)
      where p.operation_id = ${operationId} and p.person_id = d.person_id and p.token = d.token`.execute(db);
  }
}

/** Takes the count lock without moving the version (a projector that may find nothing to do). */
export async function lockCountsQuietly(db: Executor, operationId: string, at: Date): Promise<void> {
  await db
    .insertInto('count_heads')
    .values({ operation_id: operationId, version: 0, updated_at: at })
    .onConflict((oc) => oc.column('operation_id').doNothing())
    .execute();
  await db.selectFrom('count_heads').select('version').where('operation_id', '=', operationId).forUpdate().execute();
}

/** The registry as counted: what these people's counted fields were when last counted. */
export async function countedRegistryRows(db: Executor, operationId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const out = [];
  for (let i = 0; i < ids.length; i += 10_000) {
    out.push(
      ...(await db
        .selectFrom('count_registry')
        .select([
          'person_id as id',
          'sex',
          'age_band',
          'category',
          'vulnerabilities',
          'protected',
          'site_id',
          'registered_at',
          'merged_into',
        ])
        .where('operation_id', '=', operationId)
        .where('person_id', '=', anyOf(ids.slice(i, i + 10_000)))
        .execute()),
    );
  }
  return out;
}

export type RegistryRow = Awaited<ReturnType<typeof registryRows>>[number];

export async function saveCountedRegistry(db: Executor, operationId: string, rows: readonly RegistryRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('count_registry')
      .values(
        rows.slice(i, i + CHUNK).map((r) => ({
          operation_id: operationId,
          person_id: r.id,
          sex: r.sex,
          age_band: r.age_band,
          category: r.category,
          vulnerabilities: r.vulnerabilities,
          protected: r.protected,
          site_id: r.site_id,
          registered_at: r.registered_at,
          merged_into: r.merged_into,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['operation_id', 'person_id']).doUpdateSet((eb) => ({
          sex: eb.ref('excluded.sex'),
          age_band: eb.ref('excluded.age_band'),
          category: eb.ref('excluded.category'),
          vulnerabilities: eb.ref('excluded.vulnerabilities'),
          protected: eb.ref('excluded.protected'),
          site_id: eb.ref('excluded.site_id'),
          registered_at: eb.ref('excluded.registered_at'),
          merged_into: eb.ref('excluded.merged_into'),
        })),
      )
      .execute();
  }
}

/** Empties an operation's counters, their hourly rollup and its person notes (before they are written again whole). */
export async function clearCounts(db: Executor, operationId: string): Promise<void> {
  await db.deleteFrom('counters').where('operation_id', '=', operationId).execute();
  await db.deleteFrom('counter_hours').where('operation_id', '=', operationId).execute();
  await db.deleteFrom('count_pending_persons').where('operation_id', '=', operationId).execute();
}

/**
 * The counters as they stood at the start of `hour` (`YYYY-MM-DDTHH:00Z`): the hourly flows of
 * every earlier hour summed, per metric and site (totals rows only). What a replay shows.
 */
export async function cellsBeforeHour(db: Executor, operationId: string, hour: string) {
  const rows = await db
    .selectFrom('counters')
    .select(['metric', 'site_id'])
    .select((eb) => eb.fn.sum<string>('n').as('n'))
    .where('operation_id', '=', operationId)
    .where('hour', '!=', '*')
    .where('hour', '<', hour)
    .where('vulnerability', '=', '*')
    .groupBy(['metric', 'site_id'])
    .execute();
  return rows.map((r) => ({ metric: r.metric, site_id: r.site_id, n: Number(r.n) }));
}

/** The first and last hour with a flow in the counts (null when nothing was counted). */
export async function hourSpan(db: Executor, operationId: string): Promise<{ first: string | null; last: string | null }> {
  const r = await db
    .selectFrom('counter_hours')
    .select((eb) => [eb.fn.min<string>('hour').as('first'), eb.fn.max<string>('hour').as('last')])
    .where('operation_id', '=', operationId)
    .executeTakeFirst();
  return { first: r?.first ?? null, last: r?.last ?? null };
}
