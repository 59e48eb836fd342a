/**
 * The paper that travels with convoys, read with the reader's permissions and audited:
 * - a vehicle's named manifest for its escort: each person on it is an audited read;
 * - its count-only manifest for checkpoints: sex × age band and vulnerabilities by number, from
 *   the same people and head counts, with no name, tag, person id or category in the answer;
 * - a reception site's arrival list of one convoy: the manifest with each person's check-in at
 *   that site, each person an audited read.
 * Category is never on paper: not in the named manifest, not in the counts.
 */
import { openJson, type OperationKeys } from '../../crypto/envelope.js';
import * as convoysDb from '../../db/queries/convoys.js';
import * as correctionsDb from '../../db/queries/corrections.js';
import * as factsDb from '../../db/queries/facts.js';
import * as operationsDb from '../../db/queries/operations.js';
import * as personsDb from '../../db/queries/persons.js';
import { destinationOf, originOf } from '../../domain/convoys/index.js';
import { AppError } from '../../domain/errors.js';
import { effectiveFacts } from '../../domain/movements/index.js';
import { countManifest, type Sex } from '../../domain/paper/count-manifest.js';
import type { AgeBand } from '../../domain/schemas/persons.js';
import { formatTag } from '../../domain/tags.js';
import { auditMany, requireOperation, type Ctx } from '../context.js';
import { getManifest } from '../convoys/convoys.js';
import { loadConvoy, loadRoute } from '../convoys/manifest-store.js';
import { piiAad, type PersonPii } from '../persons/person-record.js';
import { openProtected } from '../persons/protected-fields.js';

type PersonRow = Awaited<ReturnType<typeof personsDb.findPersonsByIds>>[number];

/** A person as paper shows them: names and tag (none once shredded), sex and age band. */
function onPaper(keys: OperationKeys, row: PersonRow) {
  const shredded = row.shredded_at !== null;
  const pii = shredded ? null : openJson<PersonPii>(keys, row.pii, piiAad(row.id));
  return {
    personId: row.id,
    householdId: row.household_id,
    tag: !shredded && row.tag_code ? formatTag(row.tag_code) : null,
    names: pii?.names ?? {},
    sex: row.sex as Sex,
    ageBand: row.age_band as AgeBand,
  };
}

async function peopleByIds(ctx: Ctx, ids: readonly string[]) {
  const rows = await personsDb.findPersonsByIds(ctx.db, requireOperation(ctx), [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, r]));
}

/** The convoy, its route's ends, the vehicle as printed, its manifest entries and head count. */
async function vehicleOnBoard(ctx: Ctx, convoyId: string, vehicleId: string) {
  const operationId = requireOperation(ctx);
  const convoy = await loadConvoy(ctx, convoyId);
  const route = await loadRoute(ctx, convoy.route_id);
  const vehicleRow = (await convoysDb.listVehicles(ctx.db, operationId, convoyId)).find((v) => v.id === vehicleId);
  if (!vehicleRow) throw new AppError('manifest.vehicle_not_found');
  const manifest = await getManifest(ctx, convoyId);
  const entries = manifest.entries.filter((e) => e.vehicleId === vehicleId);
  const headCount = manifest.vehicles.find((v) => v.id === vehicleId)?.headCount ?? [];
  return {
    convoy: { id: convoy.id, name: convoy.name, state: manifest.state },
    route: { origin: originOf(route), destination: destinationOf(route) },
    vehicle: {
      id: vehicleRow.id,
      kind: vehicleRow.kind as never,
      mode: vehicleRow.mode as never,
      plate: vehicleRow.plate ?? null,
      capacity: vehicleRow.capacity,
    },
    entries,
    headCount,
  };
}

function countsOf(keys: OperationKeys, rows: readonly PersonRow[], headCount: readonly { sex: Sex; ageBand: AgeBand; count: number }[]) {
  return countManifest(
    rows.map((r) => ({ sex: r.sex as Sex, ageBand: r.age_band as AgeBand, vulnerabilities: openProtected(keys, r).vulnerabilities })),
    headCount.map((h) => ({ sex: h.sex, ageBand: h.ageBand, count: h.count })),
  );
}

/** The named manifest of one vehicle for its escort: every person on it read, and audited as such. */
export async function vehicleManifest(ctx: Ctx, convoyId: string, vehicleId: string) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const v = await vehicleOnBoard(ctx, convoyId, vehicleId);
  const people = await peopleByIds(
    ctx,
    v.entries.map((e) => e.personId),
  );
  const passengers = v.entries.flatMap((e) => {
    const row = people.get(e.personId);
    return row ? [{ ...onPaper(keys, row), flags: e.flags }] : [];
  });
  await auditMany(
    ctx,
    passengers.map((p) => ({
      action: 'person.read',
      subjectKind: 'person',
      subjectId: p.personId,
      details: { via: 'paper.vehicle_manifest', convoyId, vehicleId },
    })),
  );
  return {
    printedAt: ctx.now.toISOString(),
    convoy: v.convoy,
    route: v.route,
    vehicle: v.vehicle,
    passengers,
    counts: countsOf(keys, [...people.values()], v.headCount),
    headCounted: v.headCount.reduce((s, h) => s + h.count, 0),
  };
}

/** The count-only manifest of one vehicle, for checkpoints: no person is read out, only counted. */
export async function vehicleCountManifest(ctx: Ctx, convoyId: string, vehicleId: string) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const v = await vehicleOnBoard(ctx, convoyId, vehicleId);
  const people = await peopleByIds(
    ctx,
    v.entries.map((e) => e.personId),
  );
  const counts = countsOf(keys, [...people.values()], v.headCount);
  await auditMany(ctx, [
    { action: 'paper.count_manifest', subjectKind: 'vehicle', subjectId: vehicleId, details: { convoyId, total: counts.total } },
  ]);
  return {
    printedAt: ctx.now.toISOString(),
    convoy: { id: v.convoy.id, name: v.convoy.name },
    route: v.route,
    vehicle: v.vehicle,
    counts,
  };
}

/** A reception site's list of one convoy's people, vehicle by vehicle, with their check-in at this site. */
export async function arrivalList(ctx: Ctx, siteId: string, convoyId: string) {
  const operationId = requireOperation(ctx);
  const site = await operationsDb.findSite(ctx.db, operationId, siteId);
  if (!site) throw new AppError('site.not_found');
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const convoy = await loadConvoy(ctx, convoyId);
  const manifest = await getManifest(ctx, convoyId);
  const vehicles = await convoysDb.listVehicles(ctx.db, operationId, convoyId);
  const ids = manifest.entries.map((e) => e.personId);
  const people = await peopleByIds(ctx, ids);
  const rows = await factsDb.factsOfPersons(ctx.db, operationId, ids);
  const corrections = await correctionsDb.correctionChainsOf(
    ctx.db,
    operationId,
    rows.map((r) => r.id),
  );
  const checkedIn = new Map<string, string>();
  for (const f of effectiveFacts([...rows, ...corrections].map(factsDb.rowToFact)))
    if (f.kind === 'checked_in' && f.siteId === siteId && f.personId && !checkedIn.has(f.personId)) checkedIn.set(f.personId, f.deviceTime);
  const order = new Map(vehicles.map((v, i) => [v.id, i]));
  const listed = manifest.entries
    .flatMap((e) => {
      const row = people.get(e.personId);
      return row ? [{ ...onPaper(keys, row), vehicleId: e.vehicleId, checkedInAt: checkedIn.get(e.personId) ?? null }] : [];
    })
    .sort((a, b) => (order.get(a.vehicleId) ?? 0) - (order.get(b.vehicleId) ?? 0));
  await auditMany(
    ctx,
    listed.map((p) => ({
      action: 'person.read',
      subjectKind: 'person',
      subjectId: p.personId,
      details: { via: 'paper.arrival_list', convoyId, siteId },
    })),
  );
  return {
    printedAt: ctx.now.toISOString(),
    site: { id: site.id, nameEn: site.name_en, nameAr: site.name_ar },
    convoy: { id: convoy.id, name: convoy.name, state: manifest.state },
    vehicles: vehicles.map((v) => ({
      id: v.id,
      kind: v.kind as never,
      mode: v.mode as never,
      plate: v.plate ?? null,
      capacity: v.capacity,
    })),
    people: listed,
    arrived: listed.filter((p) => p.checkedInAt !== null).length,
  };
}
