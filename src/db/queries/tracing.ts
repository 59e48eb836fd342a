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
}

function requestsOf(db: Executor, operationId: string, f: TracingFilter) {
  let qb = db.selectFrom('tracing_requests').where('operation_id', '=', operationId);
  if (f.status) qb = qb.where('status', '=', f.status);
  if (f.origin) qb = qb.where('origin', '=', f.origin);
  return qb;
}

/** The requests of an operation, newest first, narrowed by status and origin; a page of them when `page` is given. */
export async function listTracingRequests(db: Executor, operationId: string, f: TracingFilter, page?: { offset: number; limit: number }) {
  let qb = requestsOf(db, operationId, f).selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
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
