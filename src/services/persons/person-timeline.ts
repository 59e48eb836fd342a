/**
 * A person's timeline: every fact about them and their household, oldest first, each with who
 * recorded it (account or device) and where — the household's registration and each member's,
 * their manifest seats, their boardings and check-ins, the movement of the convoys they boarded
 * (departed, passed a checkpoint, halted, arrived … for their vehicle or the whole convoy),
 * incidents naming them, protection alerts and merges — and what was taken back: a removal from
 * a manifest (the boarding it voided stays, marked `voided`), a correction of a fact and the undoing
 * of a correction. Sealed texts (notes of halts, incidents, reasons of removals) stay sealed.
 * Reading it is audited as a read of the person's record.
 */
import * as historyDb from '../../db/queries/person-history.js';
import * as personsDb from '../../db/queries/persons.js';
import * as correctionsDb from '../../db/queries/corrections.js';
import * as factsDb from '../../db/queries/facts.js';
import type { FactRow } from '../../db/queries/facts.js';
import { AppError } from '../../domain/errors.js';
import { openJson } from '../../crypto/envelope.js';
import { formatTag } from '../../domain/tags.js';
import { audit, requireOperation, type Ctx } from '../context.js';
import { piiAad, type PersonPii } from './person-record.js';
import { standingFactRowsOf } from './person-status.js';

export interface TimelineEntry {
  at: string;
  kind: string;
  /** The member the entry is about; null for the household or a convoy's movement. */
  personId: string | null;
  by: { kind: 'user' | 'device'; name: string } | null;
  siteId: string | null;
  convoyId: string | null;
  convoyName: string | null;
  vehicleId: string | null;
  vehiclePlate: string | null;
  factId: string | null;
  details: Record<string, string | number>;
}

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

/** The clear payload fields a desk may show (no sealed text). */
function factDetails(r: FactRow): Record<string, string | number> {
  const p = ((typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) ?? {}) as Record<string, unknown>;
  const out: Record<string, string | number> = {};
  for (const k of ['observedHeadCount', 'shelter', 'reason', 'incidentKind', 'severity', 'injured', 'killed'] as const) {
    const v = p[k];
    if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  }
  return out;
}

/**
 * What was taken back about these people and the convoy movement they rode in: each fact voided
 * (as it was, marked `voided`) and each correction — a boarding voided is a removal from the
 * manifest; a correction voided is a correction undone. A correction names no person itself: it
 * takes the person, site, convoy and vehicle of the fact it voids.
 */
async function takenBack(
  ctx: Ctx,
  operationId: string,
  memberIds: readonly string[],
  standing: readonly FactRow[],
  rode: ReadonlySet<string>,
): Promise<{ fact: FactRow; kind: string; details: Record<string, string | number> }[]> {
  const own = await factsDb.factsOfPersons(ctx.db, operationId, memberIds);
  const convoyIds = [...new Set(standing.flatMap((f) => (f.kind === 'boarded' && f.person_id && f.convoy_id ? [f.convoy_id] : [])))];
  const movement = (await factsDb.factsOfConvoys(ctx.db, operationId, convoyIds, { movementOnly: true })).filter(
    (f) => f.person_id === null && f.kind !== 'boarded' && (f.vehicle_id === null || rode.has(f.vehicle_id)),
  );
  const targets = [...own, ...movement];
  const chains = await correctionsDb.correctionChainsOf(
    ctx.db,
    operationId,
    targets.map((f) => f.id),
  );
  if (chains.length === 0) return [];
  const byId = new Map([...targets, ...chains].map((f) => [f.id, f]));
  const stands = new Set(standing.map((f) => f.id));
  /** The fact a correction (or a chain of them) finally corrects. */
  const corrected = (f: FactRow): FactRow => {
    let at = f;
    for (let i = 0; at.kind === 'correction' && at.voids && byId.has(at.voids) && i < 100; i++) at = byId.get(at.voids)!;
    return at;
  };
  const out: { fact: FactRow; kind: string; details: Record<string, string | number> }[] = [];
  for (const f of targets)
    if (!stands.has(f.id) && f.kind !== 'correction') out.push({ fact: f, kind: f.kind, details: { ...factDetails(f), voided: 1 } });
  for (const c of chains) {
    const voided = c.voids ? byId.get(c.voids) : undefined;
    if (!voided) continue;
    const subject = corrected(voided);
    const kind = voided.kind === 'correction' ? 'correction_undone' : voided.kind === 'boarded' ? 'removed_from_manifest' : 'corrected';
    out.push({
      fact: { ...c, person_id: subject.person_id, site_id: subject.site_id, convoy_id: subject.convoy_id, vehicle_id: subject.vehicle_id },
      kind,
      details: { corrects: subject.kind },
    });
  }
  return out;
}

export async function personTimeline(ctx: Ctx, personId: string) {
  const operationId = requireOperation(ctx);
  const person = await personsDb.findPerson(ctx.db, operationId, personId);
  if (!person) throw new AppError('person.not_found');
  const household = await personsDb.findHousehold(ctx.db, operationId, person.household_id);
  const members = await personsDb.listHouseholdMembers(ctx.db, operationId, person.household_id);
  const memberIds = members.map((m) => m.id);
  const facts = await standingFactRowsOf(ctx, memberIds);
  // A convoy's movement concerns the household when a member rode on it: whole-convoy facts and their vehicles' own.
  const rode = new Set(facts.flatMap((f) => (f.kind === 'boarded' && f.person_id && f.vehicle_id ? [f.vehicle_id] : [])));
  const shown = facts.filter((f) => f.person_id !== null || (f.kind !== 'boarded' && (f.vehicle_id === null || rode.has(f.vehicle_id))));
  const taken = await takenBack(ctx, operationId, memberIds, facts, rode);
  const seats = await historyDb.manifestSeatsOf(ctx.db, operationId, memberIds);
  const alerts = await historyDb.alertsOf(ctx.db, operationId, memberIds);
  const merges = await historyDb.mergesOf(ctx.db, operationId, memberIds);

  const entries: Omit<TimelineEntry, 'by' | 'convoyName' | 'vehiclePlate'>[] = [];
  const actors: (string | null)[] = [];
  type Draft = Partial<Omit<(typeof entries)[number], 'at'>> & { at: Date | string; kind: string };
  const add = (e: Draft, by: string | null) => {
    entries.push({
      personId: null,
      siteId: null,
      convoyId: null,
      vehicleId: null,
      factId: null,
      details: {},
      ...e,
      at: iso(e.at),
    });
    actors.push(by);
  };
  if (household) add({ at: household.registered_at, kind: 'household_registered', siteId: household.site_id }, household.registered_by);
  for (const m of members) add({ at: m.registered_at, kind: 'registered', personId: m.id, siteId: m.site_id }, m.registered_by);
  for (const s of seats)
    add({ at: s.added_at, kind: 'manifested', personId: s.person_id, convoyId: s.convoy_id, vehicleId: s.vehicle_id }, s.added_by);
  for (const f of shown)
    add(
      {
        at: f.device_time,
        kind: f.kind,
        personId: f.person_id,
        siteId: f.site_id,
        convoyId: f.convoy_id,
        vehicleId: f.vehicle_id,
        factId: f.id,
        details: factDetails(f),
      },
      f.recorded_by,
    );
  for (const { fact: f, kind, details } of taken)
    add(
      {
        at: f.device_time,
        kind,
        personId: f.person_id,
        siteId: f.site_id,
        convoyId: f.convoy_id,
        vehicleId: f.vehicle_id,
        factId: f.id,
        details,
      },
      f.recorded_by,
    );
  for (const a of alerts) {
    add({ at: a.raised_at, kind: 'alert_raised', personId: a.person_id, siteId: a.site_id, details: { alertKind: a.kind } }, null);
    if (a.acknowledged_at) add({ at: a.acknowledged_at, kind: 'alert_acknowledged', personId: a.person_id }, a.acknowledged_by);
    if (a.closed_at)
      add({ at: a.closed_at, kind: 'alert_closed', personId: a.person_id, details: a.outcome ? { outcome: a.outcome } : {} }, a.closed_by);
  }
  for (const m of merges)
    add({ at: m.at, kind: m.kind === 'undo' ? 'merge_undone' : 'merged', personId: m.person_id, details: { into: m.into_id } }, m.actor_id);

  const names = new Map(
    (await historyDb.actorNames(ctx.db, operationId, [...new Set(actors.filter((a): a is string => a !== null))])).map((a) => [a.id, a]),
  );
  const labels = await historyDb.convoyLabels(
    ctx.db,
    operationId,
    [...new Set(entries.flatMap((e) => (e.convoyId ? [e.convoyId] : [])))],
    [...new Set(entries.flatMap((e) => (e.vehicleId ? [e.vehicleId] : [])))],
  );
  const convoyNames = new Map(labels.convoys.map((c) => [c.id, c.name]));
  const plates = new Map(labels.vehicles.map((v) => [v.id, v.plate]));
  const out: TimelineEntry[] = entries.map((e, i) => {
    const who = actors[i] ? names.get(actors[i]!) : undefined;
    return {
      ...e,
      by: who ? { kind: who.kind, name: who.name } : null,
      convoyName: e.convoyId ? (convoyNames.get(e.convoyId) ?? null) : null,
      vehiclePlate: e.vehicleId ? (plates.get(e.vehicleId) ?? null) : null,
    };
  });
  // Oldest first; at the same instant, in the order written above (household, members, seats, facts …).
  const order = out.map((e, i) => ({ e, i })).sort((a, b) => (a.e.at < b.e.at ? -1 : a.e.at > b.e.at ? 1 : a.i - b.i));
  await audit(ctx, {
    action: 'person.read',
    subjectKind: 'person',
    subjectId: personId,
    details: { view: 'timeline', household: person.household_id, members: memberIds },
  });
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  return {
    personId,
    householdId: person.household_id,
    // Who the entries name: the members' names, so the timeline reads without a record read per member.
    members: members.map((m) => ({
      id: m.id,
      relationship: m.relationship,
      names: openJson<PersonPii>(keys, m.pii, piiAad(m.id)).names,
      tag: m.tag_code ? formatTag(m.tag_code) : null,
    })),
    entries: order.map((o) => o.e),
  };
}
