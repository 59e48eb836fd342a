/**
 * The reception desk: checking people in by their wristband (scanned or typed — a mistyped tag
 * is caught by its check character) or by their record, assigning them to a shelter site
 * within its capacity, flagging people who were on no manifest, and raising a protection
 * alert for tracing officers when an unaccompanied or separated child arrives — which they
 * acknowledge, then close with an outcome and a sealed note.
 */
import type { alertOutcomes } from '../../domain/api/reception.js';
import { openJson, sealJson, type OperationKeys } from '../../crypto/envelope.js';
import * as alertsDb from '../../db/queries/alerts.js';
import * as countsDb from '../../db/queries/counts.js';
import * as convoysDb from '../../db/queries/convoys.js';
import * as factsDb from '../../db/queries/facts.js';
import * as operationsDb from '../../db/queries/operations.js';
import * as mergesDb from '../../db/queries/merges.js';
import * as personsDb from '../../db/queries/persons.js';
import { AppError } from '../../domain/errors.js';
import { decideCheckIn, overflowShelters } from '../../domain/site-capacity.js';
import { buildFact } from '../../domain/movements/index.js';
import { formatTag, parseTag } from '../../domain/tags.js';
import { appendFacts } from '../facts/facts.js';
import { drainCounts } from '../counts/count-projector.js';
import { audit, requireOperation, type Ctx } from '../context.js';
import { newId } from '../ids.js';

export interface CheckInInput {
  siteId: string;
  tag?: string;
  personId?: string;
  convoyId?: string;
  vehicleId?: string;
  shelter?: string;
  at?: string;
  /** Why a full site takes this person all the same (the supervisor's reason): sealed on the fact. */
  overCapacityReason?: string;
}

async function findPerson(ctx: Ctx, input: CheckInInput) {
  const operationId = requireOperation(ctx);
  if (input.tag !== undefined) {
    const parsed = parseTag(input.tag);
    if (!parsed.ok)
      throw new AppError('tag.invalid', parsed.message, { fields: [{ path: 'tag', message: parsed.message }], reason: parsed.reason });
    const p = await personsDb.findPersonByTag(ctx.db, operationId, parsed.code);
    if (!p)
      throw new AppError('person.not_found', 'Nobody in this operation wears this tag.', {
        fields: [{ path: 'tag', message: 'Nobody in this operation wears this tag.' }],
      });
    return p;
  }
  const p = await personsDb.findPerson(ctx.db, operationId, input.personId as string);
  if (!p)
    throw new AppError('person.not_found', undefined, { fields: [{ path: 'personId', message: 'This person is not in this operation.' }] });
  return p;
}

type SiteRow = NonNullable<Awaited<ReturnType<typeof operationsDb.findSite>>>;

/** A full site asks for the supervisor's reason, naming the shelters of the operation that still have room. */
async function siteFull(ctx: Ctx, site: SiteRow, occupied: number): Promise<AppError> {
  const operationId = requireOperation(ctx);
  const sites = await operationsDb.listSites(ctx.db, operationId);
  const overflow = overflowShelters(sites, await countsDb.arrivedBySite(ctx.db, operationId), site.id).map((o) => ({
    siteId: o.site.id,
    nameEn: o.site.name_en,
    nameAr: o.site.name_ar,
    room: o.room,
  }));
  return new AppError(
    'site.full',
    `${site.name_en} is full (${occupied} of ${site.capacity} places). Check the person in here with a supervisor's reason, or at a shelter with room.`,
    {
      siteId: site.id,
      capacity: site.capacity,
      occupied,
      overflow,
      fields: [
        { path: 'overCapacityReason', message: "The site is full: give the supervisor's reason to check this person in all the same." },
      ],
    },
  );
}

/** Check-in at a reception site, or (the same fact at another site) assignment to a shelter. */
export async function checkIn(ctx: Ctx, input: CheckInInput) {
  const operationId = requireOperation(ctx);
  const person = await findPerson(ctx, input);
  const site = await operationsDb.findSite(ctx.db, operationId, input.siteId);
  if (!site)
    throw new AppError('site.not_found', undefined, { fields: [{ path: 'siteId', message: 'This site is not in this operation.' }] });
  if (input.convoyId && !(await convoysDb.findConvoy(ctx.db, operationId, input.convoyId)))
    throw new AppError('convoy.not_found', undefined, { fields: [{ path: 'convoyId', message: 'This convoy is not in this operation.' }] });
  if (input.vehicleId) {
    const v = await convoysDb.findVehicle(ctx.db, operationId, input.vehicleId);
    if (!v || (input.convoyId !== undefined && v.convoy_id !== input.convoyId))
      throw new AppError('manifest.vehicle_not_found', undefined, {
        fields: [{ path: 'vehicleId', message: 'This vehicle is not in this convoy.' }],
      });
  }
  // Everyone the person is counted as: the record itself and every record its merges lead to.
  const ids = (await mergesDb.mergeChainsOf(ctx.db, operationId, [person.id])).map((l) => l.id);
  // A site without a capacity is never full: its count is not read.
  let overCapacity: { reason: string; capacity: number; occupied: number } | undefined;
  if (site.capacity !== null) {
    // Counted after merges: the arrived count holds canonical records. Someone already here takes no new place.
    // Check-ins take turns on the count lock, and whatever is not counted yet is counted first.
    await countsDb.lockCountsQuietly(ctx.db, operationId, ctx.now);
    await drainCounts(ctx.db, ctx.keys, operationId, { clock: () => ctx.now });
    const here = await countsDb.arrivedAt(ctx.db, operationId, site.id);
    const latest = (await factsDb.factsOfPersons(ctx.db, operationId, ids))
      .filter((f) => f.kind === 'checked_in')
      .sort((a, b) => +new Date(b.device_time) - +new Date(a.device_time))[0];
    const decision = decideCheckIn(site, here, latest?.site_id, input.overCapacityReason);
    if (decision.decision === 'reason_required') throw await siteFull(ctx, site, here);
    if (decision.decision === 'over_capacity') overCapacity = decision;
  }
  const manifested = (await convoysDb.isManifested(ctx.db, operationId, ids)) || (await factsDb.hasBoarding(ctx.db, operationId, ids));
  const fact = buildFact({
    id: newId(ctx.now),
    kind: 'checked_in',
    operationId,
    personId: person.id,
    siteId: site.id,
    deviceTime: input.at ?? ctx.now.toISOString(),
    ...(input.convoyId ? { convoyId: input.convoyId } : {}),
    ...(input.vehicleId ? { vehicleId: input.vehicleId } : {}),
    payload: {
      ...(input.shelter ? { shelter: input.shelter } : {}),
      ...(overCapacity
        ? { overCapacity: { reason: overCapacity.reason, capacity: overCapacity.capacity, occupied: overCapacity.occupied } }
        : {}),
    },
  });
  const result = await appendFacts(ctx, [fact]);
  const flags = [
    ...(manifested ? [] : ['not_manifested']),
    ...(overCapacity ? ['over_capacity'] : []),
    ...result.alerts.map((a) => a.kind),
  ];
  await audit(ctx, {
    action: 'reception.check_in',
    subjectKind: 'person',
    subjectId: person.id,
    details: {
      siteId: site.id,
      factId: fact.id,
      by: input.tag !== undefined ? 'tag' : 'person_id',
      flags,
      // The reason is sealed on the fact; the audit names the capacity the check-in went over.
      ...(overCapacity ? { overCapacity: { capacity: overCapacity.capacity, occupied: overCapacity.occupied } } : {}),
    },
  });
  return {
    factId: fact.id,
    personId: person.id,
    householdId: person.household_id,
    tag: person.tag_code ? formatTag(person.tag_code) : null,
    siteId: site.id,
    flags,
    alerts: result.alerts.map((a) => ({ id: a.id, kind: a.kind })),
  };
}

type AlertOutcome = (typeof alertOutcomes)[number];

type AlertRow = NonNullable<Awaited<ReturnType<typeof alertsDb.findAlert>>>;
const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
/** The note is bound to its alert: a sealed note copied onto another alert does not open. */
const noteAad = (alertId: string) => `protection_alert:${alertId}:note`;

function presentAlert(a: AlertRow, keys: OperationKeys) {
  return {
    id: a.id,
    personId: a.person_id,
    siteId: a.site_id,
    factId: a.fact_id,
    kind: a.kind,
    status: a.status,
    raisedAt: iso(a.raised_at) as string,
    acknowledgedAt: iso(a.acknowledged_at),
    acknowledgedBy: a.acknowledged_by,
    acknowledgedByName: a.acknowledged_by_name,
    closedAt: iso(a.closed_at),
    closedBy: a.closed_by,
    closedByName: a.closed_by_name,
    outcome: a.outcome,
    note: a.note ? openJson<string>(keys, a.note, noteAad(a.id)) : null,
  };
}

export async function listProtectionAlerts(ctx: Ctx, query: alertsDb.AlertFilter) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  return (await alertsDb.listAlerts(ctx.db, operationId, query)).map((a) => presentAlert(a, keys));
}

/** Why a change to an alert found nothing to change: no such alert, or its state forbids it. */
async function refusal(ctx: Ctx, alertId: string): Promise<AppError> {
  const a = await alertsDb.findAlert(ctx.db, requireOperation(ctx), alertId);
  if (!a)
    return new AppError('protection_alert.not_found', undefined, {
      fields: [{ path: 'alertId', message: 'This protection alert is not in this operation.' }],
    });
  if (a.status === 'closed') {
    return new AppError(
      'protection_alert.closed',
      `This alert was closed (${a.outcome}) by ${a.closed_by_name ?? a.closed_by} at ${iso(a.closed_at)}; its outcome stands.`,
      { closedAt: iso(a.closed_at), closedBy: a.closed_by, closedByName: a.closed_by_name, outcome: a.outcome },
    );
  }
  return new AppError(
    'protection_alert.already_acknowledged',
    `This alert was acknowledged by ${a.acknowledged_by_name ?? a.acknowledged_by} at ${iso(a.acknowledged_at)}.`,
    { acknowledgedAt: iso(a.acknowledged_at), acknowledgedBy: a.acknowledged_by, acknowledgedByName: a.acknowledged_by_name },
  );
}

/** Someone has taken the child in hand: the alert stays open (it still needs an outcome) but is no longer unattended. */
export async function acknowledgeAlert(ctx: Ctx, alertId: string) {
  const operationId = requireOperation(ctx);
  const row = await alertsDb.acknowledgeAlert(ctx.db, operationId, alertId, ctx.actor.id, ctx.now);
  if (!row) throw await refusal(ctx, alertId);
  await audit(ctx, {
    action: 'protection_alert.acknowledge',
    subjectKind: 'protection_alert',
    subjectId: alertId,
    details: { personId: row.person_id, kind: row.kind },
  });
  return presentAlert(row, await ctx.keys.forOperation(ctx.db, operationId));
}

/** Closes an alert with its outcome; the note (free text about a child) is sealed, and the audit entry carries the outcome only. */
export async function closeAlert(ctx: Ctx, alertId: string, input: { outcome: AlertOutcome; note: string }) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const row = await alertsDb.closeAlert(ctx.db, operationId, alertId, {
    by: ctx.actor.id,
    at: ctx.now,
    outcome: input.outcome,
    note: sealJson(keys, input.note, noteAad(alertId)),
  });
  if (!row) throw await refusal(ctx, alertId);
  await audit(ctx, {
    action: 'protection_alert.close',
    subjectKind: 'protection_alert',
    subjectId: alertId,
    details: { personId: row.person_id, kind: row.kind, outcome: input.outcome },
  });
  return presentAlert(row, keys);
}
