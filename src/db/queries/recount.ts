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
 * by those values (the class key), the domain computes each class's cells once, and SQL sums them
 * over the people of each class and their sex, age band, category and flags. Everyone else — and
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

const classColumns = sql.raw('site_id, reg_hour, nb, nc, b_convoy, b_vehicle, b_nosite, b_site, b_t, c_nosite, c_site, c_t');

/**
 * Every record the count may name as of `asOf` (registered by then, or named by a boarding or
 * check-in received by then), written once per recount (with its class's number) into a temporary table (dropped at the
 * end of the transaction, which `recountAsOf` always runs in) that the three reads below share:
 * `simple` and the class columns (nulls as '' and -1, so classes join by plain equality).
 */
export async function classifyPeople(db: Executor, operationId: string, asOf: Date | null): Promise<void> {
  await sql`drop table if exists recount_classed`.execute(db);
  // Each class numbered 1, 2, … (simple people only): the cells read a class's events by its number.
  await sql`create temporary table recount_classed on commit drop as
    select *, case when simple then dense_rank() over (partition by simple order by ${classColumns}) end::int as cls from (with
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
      from persons where operation_id = ${operationId} and ${upTo('registered_at', asOf)})
    select coalesce(r.id, a.person_id) as id, r.sex, r.age_band, r.site_id, r.category, r.vulnerabilities, r.protected,
      r.reg_t, floor(r.reg_t / 3600000)::float8 as reg_hour,
      coalesce(a.nb, 0)::int as nb, coalesce(a.nc, 0)::int as nc,
      coalesce(a.b_convoy, '') as b_convoy, coalesce(a.b_vehicle, '') as b_vehicle, a.b_site is null as b_nosite,
      coalesce(a.b_site, '') as b_site, coalesce(a.b_t, -1) as b_t,
      a.c_site is null as c_nosite, coalesce(a.c_site, '') as c_site, coalesce(a.c_t, -1) as c_t,
      (r.id is not null
        and not exists (select 1 from merged m where m.id = r.id)
        and not exists (select 1 from changed c where c.id = r.id)
        and (a.person_id is null
          or (a.nb <= 1 and a.nc <= 1 and not a.odd and r.reg_t < a.first_t and not (a.nb = 1 and a.nc = 1 and a.b_t = a.c_t)))) as simple
    from reg r full join agg a on a.person_id = r.id) everyone`.execute(db);
}

export interface ClassRow {
  /** The class's number (1, 2, …). */
  cls: number;
  site_id: string;
  /** The hour of registration (hours since the epoch). */
  reg_hour: number;
  /** A member's registration time (ms): any member's stands for the class. */
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

/** The classes of simple people (each once), with what the domain needs to count one of them (after `classifyPeople`). */
export async function simpleClasses(db: Executor): Promise<ClassRow[]> {
  const r = await sql<ClassRow>`select cls, ${classColumns}, min(reg_t) as reg_t from recount_classed where simple
    group by cls, ${classColumns} order by cls`.execute(db);
  return r.rows;
}

/**
 * The cells of each class (as the domain computed them for one person of no flags), numbered:
 * class `cls` has the events at positions `from[cls - 1]` … `to[cls - 1]` (1-based, inclusive) of
 * the other arrays; metric, site and hour are indexes into `names` (integer arrays are sliced in
 * place, whatever their length).
 */
export interface ClassEvents {
  from: number[];
  to: number[];
  metric: number[];
  site: number[];
  hour: number[];
  delta: number[];
}

export interface GroupedCell {
  metric: number;
  site: number;
  hour: number;
  sex: string;
  age_band: string;
  category: string;
  vulnerability: string;
  n: number;
}

/**
 * The cells of the simple people whose category and flags are in clear: each class's cells summed
 * over its people, by sex, age band, category and flag ('*' and each flag).
 */
export async function simpleCells(db: Executor, ev: ClassEvents): Promise<GroupedCell[]> {
  if (ev.metric.length === 0) return [];
  const r = await sql<GroupedCell>`with
    tally as (
      select cls, sex, age_band, coalesce(category, 'unknown') as category,
        coalesce(vulnerabilities, array[]::text[]) as vulnerabilities, count(*) as n
      from recount_classed where simple and protected is null
      group by 1, 2, 3, 4, 5),
    arr as (select ${ev.from}::int[] as f, ${ev.to}::int[] as t, ${ev.metric}::int[] as m, ${ev.site}::int[] as s,
      ${ev.hour}::int[] as h, ${ev.delta}::int[] as d)
    select e.metric, e.site, e.hour, t.sex, t.age_band, t.category, v.vulnerability, sum(e.delta * t.n)::float8 as n
    from tally t cross join arr a
      cross join lateral unnest(a.m[a.f[t.cls]:a.t[t.cls]], a.s[a.f[t.cls]:a.t[t.cls]], a.h[a.f[t.cls]:a.t[t.cls]], a.d[a.f[t.cls]:a.t[t.cls]])
        as e (metric, site, hour, delta)
      cross join lateral unnest(array['*']::text[] || t.vulnerabilities) as v (vulnerability)
    group by 1, 2, 3, 4, 5, 6, 7`.execute(db);
  return r.rows;
}

export interface OtherPersonRow extends ClassRow {
  id: string;
  simple: boolean;
  sex: string | null;
  age_band: string | null;
  protected: Uint8Array | null;
}

/** The people SQL does not count (after `classifyPeople`): those that are not simple, and simple ones whose category is sealed. */
export async function otherPeople(db: Executor): Promise<OtherPersonRow[]> {
  const r = await sql<OtherPersonRow>`select id, simple, sex, age_band, protected, cls, ${classColumns}, reg_t from recount_classed
    where not simple or protected is not null order by id`.execute(db);
  return r.rows;
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
