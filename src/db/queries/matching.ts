/**
 * The reads and writes of duplicate detection: candidates of descriptions in one query,
 * the operation's people and blocking keys in pages for the batch scan, and proposals
 * written many rows at a time. No function here sees a plaintext name.
 */
import { sql } from 'kysely';
import type { PersonRow } from './persons.js';
import type { Executor } from './executor.js';

/**
 * People sharing keyed hashes with each of several descriptions (a desk's queue checked at
 * once), with their rows, in one round trip: `keys[i]` are the hashes of description i, and the
 * answer's `subject` says which description a row is a candidate of. Each key is read through its
 * index with its own limit (`perKey`), so a very common key costs no more than a rare one; for
 * each description the people sharing the most keys come first (ties by id), `limit` of them.
 * Merged records and the excluded ids are dropped after the ranking, as for one description.
 */
export async function findCandidateRowsMany(db: Executor, operationId: string, keys: readonly (readonly { kind: string; hash: Buffer }[])[], opts: {
  limit: number; perKey: number; excludeIds?: readonly string[]; consentTracingOnly?: boolean;
}): Promise<(PersonRow & { hits: number; subject: number })[]> {
  const pairs = keys.flatMap((ks, i) => ks.map((k) => sql`(${i}::int, ${k.kind}::text, ${k.hash}::bytea)`));
  if (pairs.length === 0) return [];
  const exclude = opts.excludeIds?.length ? sql`and p.id <> all(${[...opts.excludeIds]}::text[])` : sql``;
  const consent = opts.consentTracingOnly ? sql`and p.consent_tracing` : sql``;
  const r = await sql<PersonRow & { hits: number; subject: number }>`
    with hits as (
      select q.subject, k.person_id, count(*)::int as hits
      from (values ${sql.join(pairs)}) as q (subject, kind, key_hash)
      cross join lateral (
        select pk.person_id from person_keys pk
        where pk.operation_id = ${operationId} and pk.kind = q.kind and pk.key_hash = q.key_hash
        limit ${opts.perKey}
      ) k
      group by q.subject, k.person_id
    ), ranked as (
      select subject, person_id, hits, row_number() over (partition by subject order by hits desc, person_id) as n
      from hits
    )
    select p.*, ranked.hits, ranked.subject from ranked
    join persons p on p.operation_id = ${operationId} and p.id = ranked.person_id
    where ranked.n <= ${opts.limit} and p.merged_into is null ${exclude} ${consent}
    order by ranked.subject, ranked.hits desc, p.id`.execute(db);
  return r.rows;
}

export interface MatchingPersonRow {
  id: string;
  pii: Buffer;
  sex: string;
  birth_year: number | null;
  age_estimated: boolean;
  household_id: string;
}

/** Unmerged people of an operation in id order, one page after `afterId`. */
export async function listPersonsForMatching(db: Executor, operationId: string, afterId: string, limit: number): Promise<MatchingPersonRow[]> {
  return db.selectFrom('persons').select(['id', 'pii', 'sex', 'birth_year', 'age_estimated', 'household_id'])
    .where('operation_id', '=', operationId).where('merged_into', 'is', null).where('id', '>', afterId)
    .orderBy('id').limit(limit).execute() as Promise<MatchingPersonRow[]>;
}

export interface KeyBlockRow {
  kind: string;
  key_hash: Buffer;
  size: number;
  /** Null when the block is larger than the cap: too common a key to compare everyone in it. */
  members: string[] | null;
}

/**
 * Blocks (people sharing one keyed hash) of two people or more, in key order, one page after
 * the given key; blocks larger than `maxSize` come with their size only.
 */
export async function listKeyBlocks(db: Executor, operationId: string, after: { kind: string; hash: Buffer } | null, limit: number, maxSize: number): Promise<KeyBlockRow[]> {
  const from = after ? sql`and (kind, key_hash) > (${after.kind}::text, ${after.hash}::bytea)` : sql``;
  const r = await sql<KeyBlockRow>`
    select kind, key_hash, count(*)::int as size,
           case when count(*) <= ${maxSize} then array_agg(person_id) end as members
    from person_keys
    where operation_id = ${operationId} ${from}
    group by kind, key_hash
    having count(*) >= 2
    order by kind, key_hash
    limit ${limit}`.execute(db);
  return r.rows;
}

export interface ProposalRow {
  operation_id: string;
  id: string;
  person_a: string;
  person_b: string;
  weight: number;
  probability: number;
  decision: 'link' | 'review';
  explanation: string;
  source: 'registration' | 'batch' | 'manual';
  created_at: Date;
}

/**
 * Inserts proposals many rows at a time; a pair already proposed (in any status) is left as it
 * is. Returns the rows written. The rows travel as one JSON parameter per statement: binding
 * ten parameters a row costs PGlite more than the insert itself.
 */
export async function insertProposals(db: Executor, rows: readonly ProposalRow[]): Promise<ProposalRow[]> {
  const written: ProposalRow[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    // Each explanation is JSON text already: spliced in as it is, not parsed and written again.
    const json = `[${chunk.map((r) => `${JSON.stringify({ o: r.operation_id, id: r.id, a: r.person_a, b: r.person_b, w: r.weight, p: r.probability, d: r.decision, s: r.source, t: r.created_at }).slice(0, -1)},"e":${r.explanation}}`).join(',')}]`;
    const ids = await sql<{ id: string }>`
      insert into duplicate_reviews (operation_id, id, person_a, person_b, weight, probability, decision, explanation, source, created_at)
      select x.o, x.id, x.a, x.b, x.w, x.p, x.d, x.e, x.s, x.t
      from jsonb_to_recordset(${json}::jsonb) as x (o text, id text, a text, b text, w float8, p float8, d text, e jsonb, s text, t timestamptz)
      on conflict (operation_id, person_a, person_b) do nothing
      returning id`.execute(db);
    const got = new Set(ids.rows.map((x) => x.id));
    for (const r of chunk) if (got.has(r.id)) written.push(r);
  }
  return written;
}
