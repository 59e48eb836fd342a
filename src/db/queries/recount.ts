/**
 * The count recomputed from the facts by grouped SQL (what `counts verify` and the situation
 * report read), instead of every person and fact loaded into Node.
 *
 * Most people are "simple": registered (by the moment asked), never touched by a merge, their
 * counted fields not changed since that moment, at most one boarding and one check-in (both
 * standing: no correction names them; not a head count), registered strictly before their first
 * fact, the boarding and check-in at different milliseconds. For such a person the domain's
 * contribution depends only on a few values — where and in which hour they registered, the
 * boarding's convoy, vehicle, site and time, the check-in's site and time — so people are grouped
 * by those values (the class key) and SQL counts the people of each class by sex, age band,
 * category and flags; the domain computes each class's cells once and multiplies. Everyone else — and
 * people whose category is sealed, which only the application can open — is returned for the
 * domain to count one by one (src/services/counts/recount.ts). Times are compared as the
 * application reads them: in whole milliseconds.
 */
import { sql, type RawBuilder } from 'kysely';
import { convoyMovementKinds } from '../../domain/movements/index.js';
import { anyOf } from './any-of.js';
import type { Executor } from './executor.js';
import type { FactRow } from './facts.js';

/** `received_at <= asOf` (or `registered_at`), or nothing when the count is asked as of now. */
const upTo = (column: string, asOf: Date | null): RawBuilder<boolean> =>
  asOf ? sql<boolean>`${sql.ref(column)} <= ${asOf}` : sql<boolean>`true`;
const ms = (column: string) => sql.raw(`floor(extract(epoch from ${column}) * 1000)`);

/**
 * Sealed people come as one byte string per group, each person framed as [id length][id][sealed
 * length][sealed fields] (lengths big-endian: two bytes for an id, four for the fields), read back
 * here: a million array elements parsed by the driver, or a million hex strings, cost seconds; one
 * buffer per group read in place costs little. One aggregate carries both, so an id is never paired
 * with another's fields.
 */
function unframe(bytes: Uint8Array): { ids: string[]; fields: Uint8Array[] } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: { ids: string[]; fields: Uint8Array[] } = { ids: [], fields: [] };
  let at = 0;
  while (at < buf.length) {
    const idEnd = at + 2 + buf.readUInt16BE(at);
    out.ids.push(buf.toString('utf8', at + 2, idEnd));
    const fieldsEnd = idEnd + 4 + buf.readUInt32BE(idEnd);
    out.fields.push(buf.subarray(idEnd + 4, fieldsEnd));
    at = fieldsEnd;
  }
  return out;
}

/** What a person's class is made of (see the file's header); nulls as '' and -1, so classes compare by plain equality. */
export interface ClassRow {
  site_id: string;
  /** The hour of registration (hours since the epoch). */
  reg_hour: number;
  /** A member's registration time (ms): the earliest of the row's people. */
  reg_t: number;
  nb: number;
  nc: number;
  b_convoy: string;
  b_vehicle: string;
  b_nosite: boolean;
  b_site: string;
  b_t: number;
  c_nosite: boolean;
  c_site: string;
  c_t: number;
}

/** The columns that make a class, in one place: the grouping below and the application's key of a class read them. */
export const CLASS_COLUMNS = [
  'site_id',
  'reg_hour',
  'nb',
  'nc',
  'b_convoy',
  'b_vehicle',
  'b_nosite',
  'b_site',
  'b_t',
  'c_nosite',
  'c_site',
  'c_t',
] as const satisfies readonly (keyof ClassRow)[];
const classColumns = sql.raw(CLASS_COLUMNS.join(', '));

/**
 * One row of the grouped recount, of one of three kinds:
 *   - a tally (`sealed` null): `n` simple people whose category and flags are in clear, of one
 *     class, sex, age band, category and set of flags;
 *   - the simple people of one class, sex and age band whose category and flags are sealed
 *     (`sealed`: their ids and sealed fields, side by side; only the application opens them);
 *   - one person SQL does not count (`simple` false, `id` set): merged, corrected, changed since…
 */
export interface RecountGroupRow extends ClassRow {
  id: string | null;
  simple: boolean;
  sex: string | null;
  age_band: string | null;
  category: string;
  vulnerabilities: string[];
  n: number;
  sealed: { ids: string[]; fields: Uint8Array[] } | null;
}

/**
 * Every record the count may name as of `asOf` (registered by then, or named by a boarding or
 * check-in received by then), classified and grouped in one pass: the simple people in clear
 * summed by class, sex, age band, category and flags; those whose category is sealed (everyone
 * registered since it is sealed) framed together per class, sex and age band; everyone else one row
 * each. One aggregate over the people and their facts, with no table written and no sort.
 */
export async function recountGroups(db: Executor, operationId: string, asOf: Date | null): Promise<RecountGroupRow[]> {
  // The grouping hashes every person and their facts at once: a million people need a few hundred
  // megabytes to do it in memory, where the default 4 MB hashes on disk in batches. And the planner,
  // seeing a group per person and texts growing in each, would sort a million wide rows instead
  // (measured at 1M on PostgreSQL: 14.9 s sorted, 10.8 s hashed, on a loaded machine). Both set for
  // the recount's own transaction only; work_mem is a ceiling, not memory taken up front.
  await sql`set local work_mem = '256MB'`.execute(db);
  await sql`set local enable_sort = off`.execute(db);
  const r = await sql<Omit<RecountGroupRow, 'sealed'> & { sealed: Uint8Array | null }>`with
    targeted as (select distinct voids as id from movement_facts where operation_id = ${operationId} and voids is not null),
    merged as (
      select id from persons where operation_id = ${operationId} and merged_into is not null
      union select merged_into from persons where operation_id = ${operationId} and merged_into is not null
      union select person_id from person_merges where operation_id = ${operationId}
      union select into_id from person_merges where operation_id = ${operationId}),
    changed as (
      select distinct person_id as id from person_counted_history
      where operation_id = ${operationId} and ${asOf ? sql`changed_at > ${asOf}` : sql`false`}),
    pf as (
      select f.person_id, f.kind, f.convoy_id, f.vehicle_id, f.site_id, ${ms('f.device_time')}::float8 as t,
        (f.payload -> 'headCount') is not null or t.id is not null
          or (f.kind = 'boarded' and (f.convoy_id is null or f.vehicle_id is null)) as odd
      from movement_facts f left join targeted t on t.id = f.id
      where f.operation_id = ${operationId} and f.person_id is not null and f.kind in ('boarded', 'checked_in')
        and ${upTo('f.received_at', asOf)}),
    agg as (
      select person_id,
        count(*) filter (where kind = 'boarded') as nb, count(*) filter (where kind = 'checked_in') as nc,
        bool_or(odd) as odd, min(t) as first_t,
        max(convoy_id) filter (where kind = 'boarded') as b_convoy, max(vehicle_id) filter (where kind = 'boarded') as b_vehicle,
        max(site_id) filter (where kind = 'boarded') as b_site, max(t) filter (where kind = 'boarded') as b_t,
        max(site_id) filter (where kind = 'checked_in') as c_site, max(t) filter (where kind = 'checked_in') as c_t
      from pf group by person_id),
    reg as (
      select id, sex, age_band, site_id, category, vulnerabilities, protected, ${ms('registered_at')}::float8 as reg_t
      from persons where operation_id = ${operationId} and ${upTo('registered_at', asOf)}),
    everyone as (
      select coalesce(r.id, a.person_id) as id, r.sex, r.age_band, r.site_id,
        coalesce(r.category, 'unknown') as category, coalesce(r.vulnerabilities, array[]::text[]) as vulnerabilities,
        r.protected, r.reg_t, floor(r.reg_t / 3600000)::float8 as reg_hour,
        coalesce(a.nb, 0)::int as nb, coalesce(a.nc, 0)::int as nc,
        coalesce(a.b_convoy, '') as b_convoy, coalesce(a.b_vehicle, '') as b_vehicle, a.b_site is null as b_nosite,
        coalesce(a.b_site, '') as b_site, coalesce(a.b_t, -1) as b_t,
        a.c_site is null as c_nosite, coalesce(a.c_site, '') as c_site, coalesce(a.c_t, -1) as c_t,
        (r.id is not null
          and not exists (select 1 from merged m where m.id = r.id)
          and not exists (select 1 from changed c where c.id = r.id)
          and (a.person_id is null
            or (a.nb <= 1 and a.nc <= 1 and not a.odd and r.reg_t < a.first_t and not (a.nb = 1 and a.nc = 1 and a.b_t = a.c_t)))) as simple
      from reg r full join agg a on a.person_id = r.id)
    select case when simple then null else id end as id, simple, ${classColumns},
      sex, age_band, category, vulnerabilities, min(reg_t) as reg_t, count(*)::int as n,
      string_agg(int2send(octet_length(id)::int2) || convert_to(id, 'UTF8') || int4send(octet_length(protected)) || protected, ''::bytea)
        filter (where protected is not null) as sealed
    from everyone
    group by 1, 2, protected is null, ${classColumns}, sex, age_band, category, vulnerabilities`.execute(db);
  await sql`reset enable_sort`.execute(db);
  return r.rows.map(({ sealed: framed, ...row }) => {
    if (framed === null) return { ...row, sealed: null };
    const sealed = unframe(framed);
    if (sealed.ids.length !== row.n) throw new Error('a sealed group of the recount does not split into its people');
    return { ...row, sealed };
  });
}

/** Every record a merge ever joined (either side): their links are read whole for the domain. */
export async function mergeTouchedIds(db: Executor, operationId: string): Promise<string[]> {
  const r = await sql<{ id: string }>`
    select id from persons where operation_id = ${operationId} and merged_into is not null
    union select merged_into from persons where operation_id = ${operationId} and merged_into is not null
    union select person_id from person_merges where operation_id = ${operationId}
    union select into_id from person_merges where operation_id = ${operationId}`.execute(db);
  return r.rows.map((x) => x.id);
}

/**
 * The facts counted apart from the people (received by `asOf`): every convoy movement, correction,
 * incident and head count; the facts naming `personIds`; and, per convoy, one boarding no
 * correction names (it stands, so the convoy has boarded) with every boarding a correction names.
 */
export async function sideFacts(db: Executor, operationId: string, asOf: Date | null, personIds: readonly string[]): Promise<FactRow[]> {
  const kinds = [...convoyMovementKinds, 'correction', 'incident'];
  const r = await sql<FactRow>`
    select * from movement_facts where operation_id = ${operationId} and ${upTo('received_at', asOf)}
      and (kind = ${anyOf(kinds)} or (kind = 'boarded' and person_id is null) or person_id = ${anyOf(personIds)}
        or (kind = 'boarded' and id in (select voids from movement_facts where operation_id = ${operationId} and voids is not null)))
    union all
    select r.* from convoys c cross join lateral (
      select * from movement_facts f
      where f.operation_id = c.operation_id and f.convoy_id = c.id and f.kind = 'boarded' and ${upTo('f.received_at', asOf)}
        and not exists (select 1 from movement_facts x where x.operation_id = f.operation_id and x.voids = f.id)
      limit 1) r
    where c.operation_id = ${operationId}`.execute(db);
  return r.rows;
}

/** How many facts and person records the operation holds (what `counts verify` reports it read). */
export async function recountSizes(db: Executor, operationId: string): Promise<{ facts: number; persons: number }> {
  const r = await sql<{ facts: number; persons: number }>`select
    (select count(*) from movement_facts where operation_id = ${operationId})::float8 as facts,
    (select count(*) from persons where operation_id = ${operationId})::float8 as persons`.execute(db);
  return { facts: Number(r.rows[0]?.facts ?? 0), persons: Number(r.rows[0]?.persons ?? 0) };
}
