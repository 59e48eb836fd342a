/**
 * Following merged records in one statement each (`with recursive`), for every caller that needs
 * them: the chain from a record to the one that stands for it now, and the whole group of
 * records joined by merges in either direction. Merges can chain (C merged into A, then A into
 * B), so a fixed number of reads would miss the end of a long chain; each recursion is a UNION
 * over the links found, so a loop in the data (which the merge command never makes) ends the
 * walk instead of running forever.
 */
import { sql } from 'kysely';
import type { Executor } from './executor.js';

export interface MergeLink {
  id: string;
  merged_into: string | null;
}

/**
 * These records and every record their merges lead to, to the end of each chain: one row per
 * record on the chains (`merged_into` null for the one that stands). Ids of no record are left out.
 */
export async function mergeChainsOf(db: Executor, operationId: string, ids: readonly string[]): Promise<MergeLink[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<MergeLink>`
    with recursive chain (id, merged_into) as (
      select id, merged_into from persons where operation_id = ${operationId} and id = any(${[...new Set(ids)]}::text[])
      union
      select p.id, p.merged_into
        from persons p join chain c on p.id = c.merged_into
       where p.operation_id = ${operationId}
    )
    select id, merged_into from chain`.execute(db);
  return rows;
}

/**
 * These ids and every record joined to them by merges, in either direction (merged into them,
 * or they into it, however far), with the merge links among them. `counted`: the merges as the
 * counters last saw them (`count_registry`) as well as the ones stored now.
 */
export async function mergeGroupOf(
  db: Executor,
  operationId: string,
  ids: Iterable<string>,
  opts: { counted?: boolean } = {},
): Promise<{ ids: Set<string>; links: MergeLink[] }> {
  const start = [...new Set(ids)];
  if (start.length === 0) return { ids: new Set(), links: [] };
  const counted = opts.counted
    ? sql`union all select person_id, merged_into from count_registry where operation_id = ${operationId} and merged_into is not null`
    : sql``;
  const { rows } = await sql<MergeLink>`
    with recursive links (id, merged_into) as (
      select id, merged_into from persons where operation_id = ${operationId} and merged_into is not null
      ${counted}
    ),
    grp (id) as (
      select unnest(${start}::text[])
      union
      select case when l.id = g.id then l.merged_into else l.id end
        from links l join grp g on l.id = g.id or l.merged_into = g.id
    )
    select distinct l.id, l.merged_into from links l join grp g on l.id = g.id
    union all
    select g.id, null::text from grp g`.execute(db);
  const group = new Set<string>();
  const links: MergeLink[] = [];
  for (const r of rows) {
    if (r.merged_into === null) group.add(r.id);
    else links.push(r);
  }
  return { ids: group, links };
}
