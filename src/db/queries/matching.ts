/**
 * The reads and writes of duplicate detection: candidates of one description in one query,
 * the operation's people and blocking keys in pages for the batch scan, and proposals
 * written many rows at a time. No function here sees a plaintext name.
 */
import { anyOf } from './any-of.js';
import { sql } from 'kysely';
import type { Executor } from './executor.js';

/**
 * What scoring a candidate needs besides the names, and the head of its sealed names (their
 * nonce and tag: a cache key that changes with them) in base64, the form the cache key is made
 * of — encoded by the database rather than read back as bytes and converted sixty times a
 * registration.
 */
export interface CandidateHead {
  id: string;
  sex: string;
  birth_year: number | null;
  age_estimated: boolean;
  household_id: string;
  pii_head: string;
  hits: number;
}

/**
 * People sharing keyed hashes with a description, in one round trip. Each key is read through
 * its index with its own limit (`perKey`, or `perKind[kind]`), so a very common key costs no more
 * than a rare one; a key of a kind in `perKind` held by more people than its limit is left out
 * (a given name shared by hundreds says nothing about who is whom, and would only rank arbitrary
 * holders up). People sharing the most keys come first (ties by id), `limit` of them. Merged records and the
 * excluded ids are dropped after the ranking. Only what scoring needs comes back, and the first
 * bytes of the sealed names: the caller keeps opened names in memory and asks for the sealed
 * names of the others alone (`findSealedNames`) — sixty full rows a registration, most of them
 * scored "no match", were most of a registration queue's time on PGlite.
 */
export async function findCandidateRows(
  db: Executor,
  operationId: string,
  keys: readonly { kind: string; hash: Buffer }[],
  opts: {
    limit: number;
    perKey: number;
    perKind?: Readonly<Record<string, number>>;
    excludeIds?: readonly string[];
    /** Leaves out the people of this household (a registration's own household). */
    excludeHousehold?: string;
    consentTracingOnly?: boolean;
  },
): Promise<CandidateHead[]> {
  if (keys.length === 0) return [];
  // Per key: its limit, and whether holders beyond it leave the key out (-1: they do not).
  const values = sql.join(
    keys.map((k, i) => {
      const capped = opts.perKind?.[k.kind];
      // Numbers of our own, written into the statement: each bound parameter costs PGlite more than its use.
      const [lim, keep] = capped === undefined ? [opts.perKey, -1] : [capped + 1, capped];
      return sql`(${sql.lit(i)}, ${k.kind}::text, ${k.hash}::bytea, ${sql.lit(Math.trunc(lim))}, ${sql.lit(Math.trunc(keep))})`;
    }),
  );
  const exclude = opts.excludeIds?.length ? sql`and p.id <> all(${[...opts.excludeIds]}::text[])` : sql``;
  const household = opts.excludeHousehold !== undefined ? sql`and p.household_id <> ${opts.excludeHousehold}` : sql``;
  const consent = opts.consentTracingOnly ? sql`and p.consent_tracing` : sql``;
  const r = await sql<CandidateHead>`
    with per_key as (
      select k.person_id, q.keep, count(*) over (partition by q.i) as holders
      from (values ${values}) as q (i, kind, key_hash, lim, keep)
      cross join lateral (
        select pk.person_id from person_keys pk
        where pk.operation_id = ${operationId} and pk.kind = q.kind and pk.key_hash = q.key_hash
        limit q.lim
      ) k
    ), hits as (
      select person_id, count(*)::int as hits
      from per_key where keep < 0 or holders <= keep
      group by person_id
      order by hits desc, person_id
      limit ${opts.limit}
    )
    select p.id, p.sex, p.birth_year, p.age_estimated, p.household_id, encode(substring(p.pii from 1 for ${SEALED_HEAD}), 'base64') as pii_head, hits.hits from hits
    join persons p on p.operation_id = ${operationId} and p.id = hits.person_id
    where p.merged_into is null ${exclude} ${household} ${consent}
    order by hits.hits desc, p.id`.execute(db);
  return r.rows;
}

/** Bytes of the sealed names that tell one sealing from another: version, nonce and tag. */
export const SEALED_HEAD = 29;

/** The sealed names of some people. */
export async function findSealedNames(
  db: Executor,
  operationId: string,
  ids: readonly string[],
): Promise<{ id: string; pii: Uint8Array }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('persons').select(['id', 'pii']).where('operation_id', '=', operationId).where('id', '=', anyOf(ids)).execute();
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
export async function listPersonsForMatching(
  db: Executor,
  operationId: string,
  afterId: string,
  limit: number,
): Promise<MatchingPersonRow[]> {
  return db
    .selectFrom('persons')
    .select(['id', 'pii', 'sex', 'birth_year', 'age_estimated', 'household_id'])
    .where('operation_id', '=', operationId)
    .where('merged_into', 'is', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute() as Promise<MatchingPersonRow[]>;
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
export async function listKeyBlocks(
  db: Executor,
  operationId: string,
  after: { kind: string; hash: Buffer } | null,
  limit: number,
  maxSize: number,
): Promise<KeyBlockRow[]> {
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
