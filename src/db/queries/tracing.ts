/**
 * Tracing requests, their proposed candidates and their events. The service seals and opens
 * the personal data and ranks the candidates; these functions only read and write the rows,
 * always scoped by operation.
 */
import { anyOf } from './any-of.js';
import { sql, type Insertable, type Selectable } from 'kysely';
import type { TracingEventsTable, TracingRequestsTable } from '../schema.js';
import type { Executor } from './executor.js';

/** The latest check-in of a person, if any. */
export async function findLastCheckIn(db: Executor, operationId: string, personId: string) {
  return db
    .selectFrom('movement_facts')
    .select(['site_id', 'device_time'])
    .where('operation_id', '=', operationId)
    .where('person_id', '=', personId)
    .where('kind', '=', 'checked_in')
    .orderBy('device_time', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Proposes a candidate for a request, or refreshes the proposal already there. */
export async function upsertTracingCandidate(
  db: Executor,
  c: {
    operationId: string;
    requestId: string;
    personId: string;
    weight: number;
    probability: number;
    decision: string;
    explanation: string;
    at: Date;
  },
) {
  await db
    .insertInto('tracing_candidates')
    .values({
      operation_id: c.operationId,
      request_id: c.requestId,
      person_id: c.personId,
      weight: c.weight,
      probability: c.probability,
      decision: c.decision,
      explanation: c.explanation,
      proposed_at: c.at,
    })
    .onConflict((oc) =>
      oc.columns(['operation_id', 'request_id', 'person_id']).doUpdateSet({
        weight: c.weight,
        probability: c.probability,
        decision: c.decision,
        explanation: c.explanation,
        proposed_at: c.at,
      }),
    )
    .execute();
}

export async function insertTracingRequest(db: Executor, row: Insertable<TracingRequestsTable>) {
  await db.insertInto('tracing_requests').values(row).execute();
}

export type TracingRow = Selectable<TracingRequestsTable>;

export interface TracingFilter {
  status?: string;
  origin?: string;
  attention?: boolean;
}

function requestsOf(db: Executor, operationId: string, f: TracingFilter) {
  let qb = db.selectFrom('tracing_requests').where('operation_id', '=', operationId);
  if (f.status) qb = qb.where('status', '=', f.status);
  if (f.origin) qb = qb.where('origin', '=', f.origin);
  if (f.attention) qb = qb.where('attention_at', 'is not', null);
  return qb;
}

/**
 * The requests of an operation, those with something new first (the longest waiting first), then
 * newest first, narrowed by the filter; a page of them when `page` is given.
 */
export async function listTracingRequests(db: Executor, operationId: string, f: TracingFilter, page?: { offset: number; limit: number }) {
  let qb = requestsOf(db, operationId, f)
    .selectAll()
    .orderBy(sql`attention_at is null`)
    .orderBy('attention_at')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc');
  if (page) qb = qb.offset(page.offset).limit(page.limit);
  return qb.execute();
}

/** How many requests the filter selects. */
export async function countTracingRequestsWhere(db: Executor, operationId: string, f: TracingFilter): Promise<number> {
  const r = await requestsOf(db, operationId, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** How many candidates each of these requests has (requests with none are absent). */
export async function countCandidatesByRequest(db: Executor, operationId: string, requestIds: string[]) {
  return db
    .selectFrom('tracing_candidates')
    .select(['request_id', sql<number>`count(*)::int`.as('n')])
    .where('operation_id', '=', operationId)
    .where('request_id', '=', anyOf(requestIds))
    .groupBy('request_id')
    .execute();
}

/** One request; `forUpdate` locks its row until the transaction ends. */
export async function findTracingRequest(db: Executor, operationId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  let qb = db.selectFrom('tracing_requests').selectAll().where('operation_id', '=', operationId).where('id', '=', id);
  if (opts.forUpdate) qb = qb.forUpdate();
  return qb.executeTakeFirst();
}

/** A request's candidates, strongest first. */
export async function listTracingCandidates(db: Executor, operationId: string, requestId: string) {
  return db
    .selectFrom('tracing_candidates')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('request_id', '=', requestId)
    .orderBy('weight', 'desc')
    .execute();
}

/** A request's events, oldest first. */
export async function listTracingEvents(db: Executor, operationId: string, requestId: string) {
  return db
    .selectFrom('tracing_events')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
}

export async function insertTracingEvent(db: Executor, row: Insertable<TracingEventsTable>) {
  await db.insertInto('tracing_events').values(row).execute();
}

export async function updateTracingRequestStatus(
  db: Executor,
  operationId: string,
  id: string,
  s: { status: string; foundPersonId: string | null; at: Date },
) {
  await db
    .updateTable('tracing_requests')
    .set({ status: s.status, found_person_id: s.foundPersonId, updated_at: s.at })
    .where('operation_id', '=', operationId)
    .where('id', '=', id)
    .execute();
}

export async function countTracingRequests(db: Executor, operationId: string): Promise<number> {
  const have = await db
    .selectFrom('tracing_requests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('operation_id', '=', operationId)
    .executeTakeFirstOrThrow();
  return Number(have.n);
}

/** A request's blocking keys (its sought person's and its enquirer's), written once when it is opened. */
export async function insertRequestKeys(
  db: Executor,
  operationId: string,
  requestId: string,
  rows: readonly { side: 'sought' | 'enquirer'; kind: string; hash: Buffer }[],
) {
  if (rows.length === 0) return;
  await sql`insert into tracing_request_keys (operation_id, request_id, side, kind, key_hash)
    select ${operationId}, ${requestId}, k.side, k.kind, k.key_hash
    from unnest(${rows.map((r) => r.side)}::text[], ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.hash)}::bytea[])
      as k (side, kind, key_hash)
    on conflict do nothing`.execute(db);
}

/** Statuses of a request that is still looking: a new registration may answer it. */
const LOOKING = ['open', 'found_pending'];

/**
 * The open requests one of whose `side` keys is among these (kind, hash) pairs, with the hashes
 * that matched: one index lookup however many requests the operation has.
 */
export async function openRequestsSharingKeys(
  db: Executor,
  operationId: string,
  side: 'sought' | 'enquirer',
  keys: readonly { kind: string; hash: Buffer }[],
  opts: { excludeId?: string } = {},
): Promise<string[]> {
  if (keys.length === 0) return [];
  const r = await sql<{ request_id: string }>`select distinct k.request_id
    from unnest(${keys.map((k) => k.kind)}::text[], ${keys.map((k) => k.hash)}::bytea[]) as q (kind, key_hash)
    join tracing_request_keys k on k.operation_id = ${operationId} and k.side = ${side} and k.kind = q.kind and k.key_hash = q.key_hash
    join tracing_requests r on r.operation_id = k.operation_id and r.id = k.request_id
    where r.status = any(${LOOKING}::text[]) and k.request_id <> ${opts.excludeId ?? ''}
    order by k.request_id`.execute(db);
  return r.rows.map((x) => x.request_id);
}

export async function findTracingRequestsByIds(db: Executor, operationId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('tracing_requests').selectAll().where('operation_id', '=', operationId).where('id', '=', anyOf(ids)).execute();
}

/** The requests still looking that propose any of these people as a candidate. */
export async function lookingRequestsWithCandidates(db: Executor, operationId: string, personIds: readonly string[]) {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('tracing_candidates as c')
    .innerJoin('tracing_requests as r', (j) => j.onRef('r.operation_id', '=', 'c.operation_id').onRef('r.id', '=', 'c.request_id'))
    .select(['c.request_id', 'c.person_id'])
    .where('c.operation_id', '=', operationId)
    .where('c.person_id', '=', anyOf(personIds))
    .where('r.status', '=', anyOf(LOOKING))
    .orderBy('c.request_id')
    .execute();
}

/** Which of these people a request already proposes. */
export async function candidatesOf(db: Executor, operationId: string, requestId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('tracing_candidates')
    .select('person_id')
    .where('operation_id', '=', operationId)
    .where('request_id', '=', requestId)
    .execute();
  return new Set(rows.map((r) => r.person_id));
}

/** Something new for the tracing desk on these requests (kept at the first moment until an officer opens it). */
export async function markAttention(db: Executor, operationId: string, requestIds: readonly string[], at: Date) {
  if (requestIds.length === 0) return;
  await db
    .updateTable('tracing_requests')
    .set((eb) => ({ attention_at: eb.fn.coalesce('attention_at', sql<Date>`${at}::timestamptz`) }))
    .where('operation_id', '=', operationId)
    .where('id', '=', anyOf(requestIds))
    .execute();
}

export async function clearAttention(db: Executor, operationId: string, requestId: string) {
  await db
    .updateTable('tracing_requests')
    .set({ attention_at: null })
    .where('operation_id', '=', operationId)
    .where('id', '=', requestId)
    .where('attention_at', 'is not', null)
    .execute();
}

export async function countAttention(db: Executor, operationId: string): Promise<number> {
  const r = await db
    .selectFrom('tracing_requests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('operation_id', '=', operationId)
    .where('attention_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** A link between two requests, both ways (refreshed when it is found again). */
export async function upsertLinks(
  db: Executor,
  operationId: string,
  links: readonly {
    requestId: string;
    otherRequestId: string;
    direction: 'mutual' | 'their_enquirer_is_sought' | 'they_seek_our_enquirer';
    probability: number;
  }[],
  at: Date,
) {
  for (const l of links)
    await db
      .insertInto('tracing_links')
      .values({
        operation_id: operationId,
        request_id: l.requestId,
        other_request_id: l.otherRequestId,
        direction: l.direction,
        probability: l.probability,
        proposed_at: at,
      })
      .onConflict((oc) =>
        oc.columns(['operation_id', 'request_id', 'other_request_id']).doUpdateSet({ direction: l.direction, probability: l.probability }),
      )
      .execute();
}

export async function listLinks(db: Executor, operationId: string, requestId: string) {
  return db
    .selectFrom('tracing_links as l')
    .innerJoin('tracing_requests as r', (j) => j.onRef('r.operation_id', '=', 'l.operation_id').onRef('r.id', '=', 'l.other_request_id'))
    .select(['l.other_request_id', 'l.direction', 'l.probability', 'l.proposed_at', 'r.status'])
    .where('l.operation_id', '=', operationId)
    .where('l.request_id', '=', requestId)
    .orderBy('l.probability', 'desc')
    .execute();
}

/** Requests opened before their keys were kept (migration 0033): their keys are written on the next look. */
export async function requestsWithoutKeys(db: Executor, operationId: string, limit: number) {
  return db
    .selectFrom('tracing_requests as r')
    .selectAll('r')
    .where('r.operation_id', '=', operationId)
    .where('r.status', '=', anyOf(LOOKING))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('tracing_request_keys as k')
            .select('k.request_id')
            .whereRef('k.operation_id', '=', 'r.operation_id')
            .whereRef('k.request_id', '=', 'r.id'),
        ),
      ),
    )
    .limit(limit)
    .execute();
}

/** The news kinds of tracing events: what the loop records for a request (loop.ts). */
export const NEWS_EVENT_KINDS = ['candidate_proposed', 'candidate_checked_in', 'request_linked'] as const;

/**
 * What the tracing desk's live stream says, with no person in it: the requests with news (their
 * ids, the longest waiting first, at most `limit`), how many there are, and the id of the latest
 * news event of the operation, which moves with every news even on a request that already had some.
 */
export async function tracingNewsSummary(db: Executor, operationId: string, limit: number) {
  const ids = await db
    .selectFrom('tracing_requests')
    .select('id')
    .where('operation_id', '=', operationId)
    .where('attention_at', 'is not', null)
    .orderBy('attention_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  const n = await countAttention(db, operationId);
  const latest = await db
    .selectFrom('tracing_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('operation_id', '=', operationId)
    .where('kind', '=', anyOf(NEWS_EVENT_KINDS))
    .executeTakeFirst();
  return { requestIds: ids.map((r) => r.id), needingAttention: n, latestNews: latest?.id ?? null };
}
