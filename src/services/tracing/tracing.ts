/**
 * Restoring family links. A tracing request records who asks (contact details sealed) and
 * whatever is known of the person sought; Corridor ranks candidates with explanations, only
 * among people who consented to be traced. The enquirer learns where someone is only if that
 * person consented to disclosure; otherwise the case says "found, does not wish contact" and
 * stays with the tracing officer. Every look at a candidate is audited.
 */
import { openJson, sealJson } from '../../crypto/envelope.js';
import * as operationsDb from '../../db/queries/operations.js';
import * as personsDb from '../../db/queries/persons.js';
import * as usersDb from '../../db/queries/users.js';
import { isRole, permissionsOf, type Role } from '../../domain/policy.js';
import * as tracingDb from '../../db/queries/tracing.js';
import { AppError } from '../../domain/errors.js';
import type { TracingRequestInput } from '../../domain/schemas/tracing.js';
import { textFilterMatches } from '../../domain/text-filter.js';
import { describeRow, findCandidates, type Description } from '../matching/candidates.js';
import { audit, requireOperation, type Ctx } from '../context.js';
import { newId } from '../ids.js';
import { presentPerson } from '../persons/person-record.js';
import { keepMissingRequestKeys, keepRequestKeys, linkRequest } from './loop.js';
import { publishTracingNews } from './news.js';
import { describeSought, requestAad, unsealRequest, unsealRow, type TracingPii } from './request-pii.js';

/** Where a person was last checked in, if anywhere (in the context's operation). */
async function lastCheckIn(ctx: Ctx, personId: string) {
  const r = await tracingDb.findLastCheckIn(ctx.db, requireOperation(ctx), personId);
  return r ? { siteId: r.site_id, at: new Date(r.device_time).toISOString() } : null;
}

async function proposeCandidates(ctx: Ctx, requestId: string, subject: Description, exclude: string[]) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const found = await findCandidates(ctx.db, keys, operationId, subject, { consentTracingOnly: true, excludeIds: exclude, limit: 10 });
  for (const c of found) {
    await tracingDb.upsertTracingCandidate(ctx.db, {
      operationId,
      requestId,
      personId: c.row.id,
      weight: c.weight,
      probability: c.probability,
      decision: c.decision,
      explanation: JSON.stringify(c.explanation),
      at: ctx.now,
    });
  }
  return found.length;
}

export async function createTracingRequest(
  ctx: Ctx,
  input: TracingRequestInput,
  origin: 'enquiry' | 'missing_in_transit' = 'enquiry',
  exclude: string[] = [],
) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  if (input.enquirer.personId && !(await personsDb.findPerson(ctx.db, operationId, input.enquirer.personId)))
    throw new AppError('person.not_found', undefined, {
      fields: [{ path: 'enquirer.personId', message: 'is not a person of this operation' }],
    });
  const id = newId(ctx.now);
  const pii: TracingPii = { enquirer: input.enquirer, sought: input.sought };
  await tracingDb.insertTracingRequest(ctx.db, {
    operation_id: operationId,
    id,
    origin,
    relation: input.relation,
    pii: sealJson(keys, pii, requestAad(id)),
    found_person_id: null,
    created_at: ctx.now,
    created_by: ctx.actor.id,
    updated_at: ctx.now,
  });
  // The enquirer is not the person they are looking for.
  const notThem = input.enquirer.personId ? [...exclude, input.enquirer.personId] : exclude;
  const proposed = await proposeCandidates(ctx, id, describeSought(input.sought, ctx.now), notThem);
  // Kept so that later registrations find this request, and matched against the other requests.
  const enquirer = await keepRequestKeys(ctx, keys, id, pii);
  const linked = await linkRequest(ctx, keys, id, pii, enquirer);
  await audit(ctx, { action: 'tracing.create', subjectKind: 'tracing_request', subjectId: id, details: { origin, proposed, linked } });
  return getTracingRequest(ctx, id);
}

/** A missing-in-transit person from reconciliation becomes a case: have they arrived under another registration? */
export async function openFromMissing(ctx: Ctx, personId: string) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const row = await personsDb.findPerson(ctx.db, operationId, personId);
  if (!row) throw new AppError('person.not_found');
  const d = describeRow(keys, row);
  const age = row.birth_year === null ? undefined : ctx.now.getUTCFullYear() - row.birth_year;
  const input: TracingRequestInput = {
    enquirer: { name: 'Reconciliation: missing in transit' },
    relation: 'other',
    sought: {
      names: d.names,
      ...(row.sex !== 'unknown' ? { sex: row.sex as 'female' | 'male' } : {}),
      ...(age !== undefined ? { ageMin: Math.max(0, age - 2), ageMax: age + 2 } : {}),
      notes: `missing-in-transit person ${personId}`,
    },
  };
  return createTracingRequest(ctx, input, 'missing_in_transit', [personId]);
}

export interface TracingListQuery {
  /** Only the requests with something new since an officer last opened them. */
  attention?: boolean;
  status?: string;
  origin?: string;
  q?: string;
  offset: number;
  limit: number;
}

/**
 * A page of requests. Without words, the database pages; with words, the filtered requests are
 * opened and read in the application (their names are sealed), newest first, then paged.
 */
export async function listTracingRequests(ctx: Ctx, query: TracingListQuery) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  // Requests opened before their keys were kept (an upgraded database) get them now, so that new registrations find them.
  await keepMissingRequestKeys(ctx, keys);
  const filter = { status: query.status, origin: query.origin, ...(query.attention ? { attention: true } : {}) };
  const open = (r: tracingDb.TracingRow) => unsealRow(keys, r);
  let page: { r: tracingDb.TracingRow; pii: TracingPii }[];
  let total: number;
  if (query.q?.trim()) {
    const q = query.q;
    const hits = (await tracingDb.listTracingRequests(ctx.db, operationId, filter)).map(open).filter(({ pii }) => {
      const names = [...Object.values(pii.sought.names.ar ?? {}), ...Object.values(pii.sought.names.lat ?? {})];
      return textFilterMatches(q, [pii.enquirer.name, ...names, pii.sought.lastSeenPlace, pii.sought.notes]);
    });
    total = hits.length;
    page = hits.slice(query.offset, query.offset + query.limit);
  } else {
    total = await tracingDb.countTracingRequestsWhere(ctx.db, operationId, filter);
    page = (await tracingDb.listTracingRequests(ctx.db, operationId, filter, { offset: query.offset, limit: query.limit })).map(open);
  }
  const counts = await tracingDb.countCandidatesByRequest(
    ctx.db,
    operationId,
    page.map((p) => p.r.id),
  );
  const byId = new Map(counts.map((c) => [c.request_id, Number(c.n)]));
  await audit(ctx, { action: 'tracing.list', subjectKind: 'tracing_request', details: { results: page.map((p) => p.r.id) } });
  return {
    requests: page.map(({ r, pii }) => ({
      id: r.id,
      status: r.status,
      origin: r.origin,
      relation: r.relation,
      enquirer: pii.enquirer,
      sought: pii.sought,
      candidates: byId.get(r.id) ?? 0,
      attentionAt: r.attention_at ? new Date(r.attention_at).toISOString() : null,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    })),
    total,
    needingAttention: await tracingDb.countAttention(ctx.db, operationId),
    offset: query.offset,
    limit: query.limit,
  };
}

export async function getTracingRequest(ctx: Ctx, id: string) {
  const { operationId, keys, r, pii } = await unsealRequest(ctx, id);
  const cands = await tracingDb.listTracingCandidates(ctx.db, operationId, id);
  const persons = new Map(
    (
      await personsDb.findPersonsByIds(
        ctx.db,
        operationId,
        cands.map((c) => c.person_id),
      )
    ).map((p) => [p.id, p]),
  );
  const candidates = [];
  for (const c of cands) {
    const p = persons.get(c.person_id);
    // Consent can be withdrawn after a proposal: such a person is no longer shown.
    if (!p || !p.consent_tracing) continue;
    candidates.push({
      personId: c.person_id,
      decision: c.decision,
      probability: c.probability,
      weight: c.weight,
      explanation: c.explanation,
      person: presentPerson(ctx, keys, p),
      lastCheckIn: await lastCheckIn(ctx, p.id),
    });
  }
  const events = await tracingDb.listTracingEvents(ctx.db, operationId, id);
  const links = await tracingDb.listLinks(ctx.db, operationId, id);
  // An officer has now seen what was new on this request.
  if (r.attention_at) {
    await tracingDb.clearAttention(ctx.db, operationId, id);
    publishTracingNews(operationId);
  }
  let disclosure: { allowed: boolean; siteId?: string | null; message: string } | null = null;
  // A proposed "found" discloses nothing until it is confirmed.
  if (r.found_person_id && r.status !== 'found_pending') {
    const found = await personsDb.findPerson(ctx.db, operationId, r.found_person_id);
    disclosure = found?.consent_disclosure
      ? {
          allowed: true,
          siteId: (await lastCheckIn(ctx, found.id))?.siteId ?? found.site_id,
          message: 'The person consented: the enquirer may be told where they are.',
        }
      : { allowed: false, message: 'Found, does not wish contact: tell the enquirer nothing about where the person is.' };
  }
  await audit(ctx, {
    action: 'tracing.read',
    subjectKind: 'tracing_request',
    subjectId: id,
    details: { candidatesViewed: candidates.map((c) => c.personId) },
  });
  return {
    id: r.id,
    status: r.status,
    origin: r.origin,
    relation: r.relation,
    enquirer: pii.enquirer,
    sought: pii.sought,
    foundPersonId: r.found_person_id,
    // The confirmation is another officer's: the desk tells the proposer so instead of offering it.
    proposedByYou: r.status === 'found_pending' && events.filter((e) => e.kind === 'found_pending').at(-1)?.actor_id === ctx.actor.id,
    disclosure,
    candidates,
    attentionAt: r.attention_at ? new Date(r.attention_at).toISOString() : null,
    linkedRequests: links.map((l) => ({
      requestId: l.other_request_id,
      direction: l.direction,
      probability: l.probability,
      status: l.status,
      proposedAt: new Date(l.proposed_at).toISOString(),
    })),
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      personId: e.person_id,
      at: new Date(e.at).toISOString(),
      note: e.pii ? openJson<{ note: string }>(keys, e.pii, `tracing-event:${e.id}`).note : null,
    })),
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export async function rematch(ctx: Ctx, id: string) {
  const { pii } = await unsealRequest(ctx, id);
  await proposeCandidates(ctx, id, describeSought(pii.sought, ctx.now), pii.enquirer.personId ? [pii.enquirer.personId] : []);
  return getTracingRequest(ctx, id);
}

/** Who proposed the found person now waiting for confirmation (the last `found_pending` event). */
async function proposerOf(ctx: Ctx, operationId: string, requestId: string): Promise<string | null> {
  const events = await tracingDb.listTracingEvents(ctx.db, operationId, requestId);
  return events.filter((e) => e.kind === 'found_pending').at(-1)?.actor_id ?? null;
}

/**
 * Records an outcome. "found" only proposes the person (found_pending: nothing is disclosed);
 * "confirm_found", naming the same person, makes the case found — or found_no_contact when the
 * person did not consent to disclosure, as they stand at the confirmation — and is made by another
 * officer than the one who proposed (tracing.same_officer); "not_the_person" reopens the case.
 */
export async function recordOutcome(ctx: Ctx, id: string, input: { outcome: string; personId?: string; note?: string }) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const r = await tracingDb.findTracingRequest(ctx.db, operationId, id, { forUpdate: true });
  if (!r) throw new AppError('tracing.not_found');
  let status = input.outcome;
  let found = r.found_person_id;
  const consentingPerson = async (personId: string) => {
    const p = await personsDb.findPerson(ctx.db, operationId, personId);
    if (!p)
      throw new AppError('person.not_found', undefined, {
        fields: [{ path: 'personId', message: 'This person is not in this operation.' }],
      });
    if (!p.consent_tracing)
      throw new AppError('tracing.consent_missing', undefined, {
        fields: [{ path: 'personId', message: 'This person has not consented to be traced.' }],
      });
    return p;
  };
  const pendingFor = (personId: string | undefined) => {
    if (r.status !== 'found_pending' || (personId !== undefined && personId !== r.found_person_id))
      throw new AppError('tracing.not_pending', undefined, { status: r.status, foundPersonId: r.found_person_id });
  };
  if (input.outcome === 'found') {
    if (r.status === 'found_pending')
      throw new AppError('conflict', 'A found person is waiting for confirmation: confirm it or say it is not the person first.', {
        status: r.status,
      });
    found = (await consentingPerson(input.personId!)).id;
    status = 'found_pending';
  } else if (input.outcome === 'confirm_found') {
    pendingFor(input.personId);
    // Four eyes: the officer who proposed the person does not confirm it too.
    if ((await proposerOf(ctx, operationId, id)) === ctx.actor.id) throw new AppError('tracing.same_officer');
    const p = await consentingPerson(input.personId!);
    status = p.consent_disclosure ? 'found' : 'found_no_contact';
  } else if (input.outcome === 'not_the_person') {
    pendingFor(input.personId);
    found = null;
    status = 'open';
  }
  if (input.outcome === 'reunited' && r.status !== 'found') {
    throw new AppError('conflict', 'A family is reunited only after the person was found and consented to contact.', { status: r.status });
  }
  const eventId = newId(ctx.now);
  await tracingDb.insertTracingEvent(ctx.db, {
    operation_id: operationId,
    request_id: id,
    id: eventId,
    kind: input.outcome === 'not_the_person' ? 'not_the_person' : status,
    person_id: input.personId ?? (input.outcome === 'not_the_person' ? r.found_person_id : null),
    at: ctx.now,
    actor_id: ctx.actor.id,
    pii: input.note ? sealJson(keys, { note: input.note }, `tracing-event:${eventId}`) : null,
  });
  await tracingDb.updateTracingRequestStatus(ctx.db, operationId, id, { status, foundPersonId: found, at: ctx.now });
  await audit(ctx, {
    action: 'tracing.outcome',
    subjectKind: 'tracing_request',
    subjectId: id,
    details: { outcome: status, personId: input.personId ?? null },
  });
  return getTracingRequest(ctx, id);
}

/**
 * The request's sought person looked for in the deployment's other operations where the officer
 * holds the tracing right too (an evacuation in two phases, a second corridor). Each operation's
 * own key makes its blocking keys, only people who consented to tracing are proposed, and every
 * look is audited in both operations. Nothing is recorded as a candidate of this request: the
 * officer follows up in the other operation.
 */
export async function searchElsewhere(ctx: Ctx, id: string) {
  const { operationId, pii } = await unsealRequest(ctx, id);
  const grants = ctx.actor.kind === 'user' && ctx.actor.id ? await usersDb.rolesOfUser(ctx.db, ctx.actor.id) : [];
  const rolesByOperation = new Map<string, Role[]>();
  for (const g of grants)
    if (g.operation_id !== operationId && isRole(g.role))
      rolesByOperation.set(g.operation_id, [...(rolesByOperation.get(g.operation_id) ?? []), g.role]);
  const sought = describeSought(pii.sought, ctx.now);
  const operations = [];
  for (const [otherId, roles] of [...rolesByOperation].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const permissions = permissionsOf(roles);
    if (!permissions.has('tracing.manage')) continue;
    const op = await operationsDb.findOperation(ctx.db, otherId);
    if (!op) continue;
    const other: Ctx = { ...ctx, operationId: otherId, roles, permissions };
    let keys;
    try {
      keys = await ctx.keys.forOperation(ctx.db, otherId);
    } catch {
      continue; // an operation whose key was destroyed holds nobody to find
    }
    const found = await findCandidates(ctx.db, keys, otherId, sought, { consentTracingOnly: true, limit: 10 });
    const candidates = [];
    for (const c of found)
      candidates.push({
        personId: c.row.id,
        decision: c.decision,
        probability: c.probability,
        weight: c.weight,
        explanation: c.explanation,
        person: presentPerson(other, keys, c.row),
        lastCheckIn: await lastCheckIn(other, c.row.id),
      });
    await audit(other, {
      action: 'tracing.read_elsewhere',
      subjectKind: 'tracing_request',
      subjectId: id,
      details: { fromOperation: operationId, candidatesViewed: candidates.map((c) => c.personId) },
    });
    operations.push({ operationId: otherId, code: op.code, nameEn: op.name_en, nameAr: op.name_ar ?? null, candidates });
  }
  await audit(ctx, {
    action: 'tracing.search_elsewhere',
    subjectKind: 'tracing_request',
    subjectId: id,
    details: { operations: operations.map((o) => ({ id: o.operationId, candidates: o.candidates.length })) },
  });
  return { operations };
}
