/**
 * The end of the demo load: the scenario's tracing requests made at the tracing desk (ranked
 * candidates proposed by the tracing service, as for any enquiry), then the batch duplicate
 * scan that fills the review queue — the load registers without flagging duplicates one by one.
 */
import type { Db } from '../db/connection.js';
import type { Scenario, TracingRequest } from './scenario/index.js';
import { tracingRequestInput, type TracingRequestInput } from '../domain/schemas/tracing.js';
import type { Actor } from '../services/context.js';
import { countTracingRequestsOf } from '../services/demo/load-state.js';
import { dedupeOperation } from '../services/matching/duplicate-reviews.js';
import type { KeyRing } from '../services/keys/keyring.js';
import { createTracingRequest } from '../services/tracing/tracing.js';
import { ctxOf, yieldToServer } from './load-convoy.js';

const ARABIC = /[\u0600-\u06FF]/;
const TRACING_PER_TRANSACTION = 25;

/** A scenario request as the tracing officer types it in: the names in the script they came in. */
export function tracingInputOf(s: Scenario, r: TracingRequest): TracingRequestInput {
  const name = (n: TracingRequest['enquirer']['names']) => [n.given, n.father, n.grandfather, n.family].filter(Boolean).join(' ');
  const script = Object.values(r.sought.names).some((v) => v && ARABIC.test(v)) ? 'ar' : 'lat';
  const place = s.sites.find((x) => x.id === r.siteId);
  return tracingRequestInput.parse({
    enquirer: { name: name(r.enquirer.names) || 'unknown', ...(place ? { siteId: place.id } : {}) },
    relation: r.relation,
    sought: {
      names: { [script]: r.sought.names },
      ...(r.sought.sex ? { sex: r.sought.sex } : {}),
      ...(r.sought.ageMin !== undefined ? { ageMin: r.sought.ageMin } : {}),
      ...(r.sought.ageMax !== undefined ? { ageMax: r.sought.ageMax } : {}),
      lastSeenPlace: r.lastSeen.place,
      lastSeenOn: r.lastSeen.date,
    },
  });
}

/**
 * The requests in the order they were made, each at its own time. The service gives them new
 * ids, so a load cut short resumes after the ones already made (as many as there are rows).
 */
export async function loadTracingRequests(
  db: Db,
  keys: KeyRing,
  s: Scenario,
  operationId: string,
  officer: Actor,
  onStep?: (done: number) => void,
): Promise<number> {
  const requests = [...s.tracingRequests].sort((a, b) =>
    a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1,
  );
  let done = await countTracingRequestsOf(db.kysely, operationId);
  while (done < requests.length) {
    const part = requests.slice(done, done + TRACING_PER_TRANSACTION);
    await db.kysely.transaction().execute(async (trx) => {
      for (const r of part) {
        await createTracingRequest(
          ctxOf(trx, keys, officer, ['tracing_officer'], new Date(r.createdAt), operationId),
          tracingInputOf(s, r),
        );
      }
    });
    done += part.length;
    onStep?.(done);
    await yieldToServer();
  }
  return requests.length;
}

/** `corridor dedupe` for the demo operation, by the coordinator, once everyone is registered. */
export async function scanDuplicates(db: Db, keys: KeyRing, operationId: string, coordinator: Actor, at: Date) {
  return db.kysely.transaction().execute((trx) => dedupeOperation(ctxOf(trx, keys, coordinator, ['coordinator'], at, operationId)));
}
