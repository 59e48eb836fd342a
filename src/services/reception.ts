/**
 * The reception desk: checking people in by their wristband (scanned or typed — a mistyped tag
 * is caught by its check character) or by their record, assigning them to a shelter site
 * within its capacity, flagging people who were on no manifest, and raising a protection
 * alert for tracing officers when an unaccompanied or separated child arrives.
 */
import * as cq from '../db/queries/counts.js';
import * as cvq from '../db/queries/convoys.js';
import * as fq from '../db/queries/facts.js';
import * as ops from '../db/queries/operations.js';
import * as pq from '../db/queries/persons.js';
import { AppError } from '../domain/errors.js';
import { buildFact } from '../domain/movements/index.js';
import { formatTag, parseTag } from '../domain/tags.js';
import { appendFacts } from './facts.js';
import { audit, requireOperation, type Ctx } from './context.js';
import { newId } from './ids.js';

export interface CheckInInput {
  siteId: string;
  tag?: string;
  personId?: string;
  convoyId?: string;
  vehicleId?: string;
  shelter?: string;
  at?: string;
}

async function findPerson(ctx: Ctx, input: CheckInInput) {
  const operationId = requireOperation(ctx);
  if (input.tag !== undefined) {
    const parsed = parseTag(input.tag);
    if (!parsed.ok) throw new AppError('tag.invalid', parsed.message, { fields: [{ path: 'tag', message: parsed.message }], reason: parsed.reason });
    const p = await pq.findPersonByTag(ctx.db, operationId, parsed.code);
    if (!p) throw new AppError('person.not_found', 'Nobody in this operation wears this tag.', { fields: [{ path: 'tag', message: 'is bound to nobody' }] });
    return p;
  }
  const p = await pq.findPerson(ctx.db, operationId, input.personId as string);
  if (!p) throw new AppError('person.not_found', undefined, { fields: [{ path: 'personId', message: 'is not a person of this operation' }] });
  return p;
}

/** Check-in at a reception site, or (the same fact at another site) assignment to a shelter. */
export async function checkIn(ctx: Ctx, input: CheckInInput) {
  const operationId = requireOperation(ctx);
  const person = await findPerson(ctx, input);
  const site = await ops.findSite(ctx.db, operationId, input.siteId);
  if (!site) throw new AppError('site.not_found', undefined, { fields: [{ path: 'siteId', message: 'is not a site of this operation' }] });
  if (input.convoyId && !(await cvq.findConvoy(ctx.db, operationId, input.convoyId))) throw new AppError('convoy.not_found', undefined, { fields: [{ path: 'convoyId', message: 'is not a convoy of this operation' }] });
  if (input.vehicleId) {
    const v = await cvq.findVehicle(ctx.db, operationId, input.vehicleId);
    if (!v || (input.convoyId !== undefined && v.convoy_id !== input.convoyId)) throw new AppError('manifest.vehicle_not_found', undefined, { fields: [{ path: 'vehicleId', message: 'is not a vehicle of this convoy' }] });
  }
  // Everyone the person is counted as: the record itself and the one it was merged into.
  const ids = [person.id, ...(person.merged_into ? [person.merged_into] : [])];
  if (site.capacity !== null) {
    // Counted after merges: the arrived count holds canonical records. Someone already here takes no new place.
    await cq.lockCounts(ctx.db, operationId, ctx.now);
    const here = await cq.arrivedAt(ctx.db, operationId, site.id);
    const latest = (await fq.factsOfPersons(ctx.db, operationId, ids)).filter((f) => f.kind === 'checked_in').sort((a, b) => +new Date(b.device_time) - +new Date(a.device_time))[0];
    if (here >= site.capacity && latest?.site_id !== site.id) {
      throw new AppError('site.full', `${site.name_en} is full (${here} of ${site.capacity} places).`, { siteId: site.id, capacity: site.capacity, occupied: here, fields: [{ path: 'siteId', message: 'is full' }] });
    }
  }
  const manifested = (await cvq.isManifested(ctx.db, operationId, ids)) || (await fq.hasBoarding(ctx.db, operationId, ids));
  const fact = buildFact({
    id: newId(ctx.now), kind: 'checked_in', operationId, personId: person.id, siteId: site.id, deviceTime: input.at ?? ctx.now.toISOString(),
    ...(input.convoyId ? { convoyId: input.convoyId } : {}), ...(input.vehicleId ? { vehicleId: input.vehicleId } : {}),
    payload: input.shelter ? { shelter: input.shelter } : {},
  });
  const result = await appendFacts(ctx, [fact]);
  const flags = [...(manifested ? [] : ['not_manifested']), ...result.alerts.map((a) => a.kind)];
  await audit(ctx, { action: 'reception.check_in', subjectKind: 'person', subjectId: person.id, details: { siteId: site.id, factId: fact.id, by: input.tag !== undefined ? 'tag' : 'person_id', flags } });
  return {
    factId: fact.id, personId: person.id, householdId: person.household_id, tag: person.tag_code ? formatTag(person.tag_code) : null,
    siteId: site.id, flags, alerts: result.alerts.map((a) => ({ id: a.id, kind: a.kind })),
  };
}

export async function listProtectionAlerts(ctx: Ctx, query: { status?: 'open' | 'closed' }) {
  const rows = await cvq.listProtectionAlerts(ctx.db, requireOperation(ctx), query.status);
  return rows.map((a) => ({ id: a.id, personId: a.person_id, siteId: a.site_id, factId: a.fact_id, kind: a.kind, status: a.status, raisedAt: new Date(a.raised_at).toISOString() }));
}
