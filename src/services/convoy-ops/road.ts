/**
 * What happened on the road, read from the standing facts: the incidents of a convoy or of the
 * operation (with the casualties they report), a convoy's timeline, where each convoy was last
 * seen, and the after-action replay of the operation at an hour — its counts (the counters' hourly
 * flows before that hour, which `counts verify` holds equal to recomputing from the facts), convoy
 * positions, incidents and the convoys that were overdue. Incident notes stay sealed.
 */
import * as convoysDb from '../../db/queries/convoys.js';
import * as countsDb from '../../db/queries/counts.js';
import * as routesDb from '../../db/queries/routes.js';
import type { Executor } from '../../db/queries/executor.js';
import { casualtyMetrics, countMetrics, hourBucket } from '../../domain/counts/index.js';
import { convoyTimeline, incidentEntry, overdueAt, vehicleOccupancy, type IncidentEntry } from '../../domain/convoys/index.js';
import { deriveVehicleStage, compareFacts, type FactOf, type MovementFact } from '../../domain/movements/index.js';
import { projectBatch } from '../counts/counts-maintain.js';
import { requireOperation, type Ctx } from '../context.js';
import { loadConvoy, storedHeadCount } from '../convoys/manifest-store.js';
import { standingRoadFacts } from './road-facts.js';

type Casualties = Record<(typeof casualtyMetrics)[number], number>;

function casualtiesOf(incidents: readonly IncidentEntry[]): Casualties {
  const out = Object.fromEntries(casualtyMetrics.map((m) => [m, 0])) as Casualties;
  for (const i of incidents) for (const m of casualtyMetrics) out[m] += i[m];
  return out;
}

const incidentsIn = (facts: readonly MovementFact[]) =>
  facts
    .filter((f): f is FactOf<'incident'> => f.kind === 'incident')
    .sort((a, b) => compareFacts(b, a))
    .map(incidentEntry);

/** Standing incidents, latest first: of one convoy, or of the whole operation (those naming no convoy too). */
export async function listIncidents(ctx: Ctx, convoyId?: string) {
  const operationId = requireOperation(ctx);
  if (convoyId !== undefined) await loadConvoy(ctx, convoyId);
  const facts = await standingRoadFacts(ctx.db, operationId, {
    incidentsOnly: true,
    ...(convoyId !== undefined ? { convoyId } : { withoutConvoy: true }),
  });
  const incidents = incidentsIn(facts);
  return { incidents, totals: casualtiesOf(incidents) };
}

export async function getConvoyTimeline(ctx: Ctx, convoyId: string) {
  const operationId = requireOperation(ctx);
  const convoy = await loadConvoy(ctx, convoyId);
  const route = await routesDb.findRoute(ctx.db, operationId, convoy.route_id);
  const named = await convoysDb.countManifestByVehicle(ctx.db, operationId, convoyId);
  const expected = new Map(
    (await convoysDb.listVehicles(ctx.db, operationId, convoyId)).map((v) => [
      v.id,
      vehicleOccupancy(named.get(v.id) ?? 0, v.head_count ? storedHeadCount(v.head_count) : null),
    ]),
  );
  const facts = await standingRoadFacts(ctx.db, operationId, { convoyId });
  return {
    convoyId,
    routeId: convoy.route_id,
    siteIds: route?.site_ids ?? [],
    expected: [...expected.values()].reduce((a, b) => a + b, 0),
    entries: convoyTimeline(convoyId, facts, expected),
  };
}

/** Each convoy's state and the site of its latest movement (any vehicle's), from the given standing facts. */
function positionsFrom(convoys: readonly { id: string; name: string | null }[], facts: readonly MovementFact[]) {
  const byConvoy = new Map<string, MovementFact[]>();
  for (const f of facts) if (f.convoyId) byConvoy.set(f.convoyId, [...(byConvoy.get(f.convoyId) ?? []), f]);
  return convoys.map((c) => {
    const mine = byConvoy.get(c.id) ?? [];
    const stage = deriveVehicleStage(mine, c.id);
    const seen = mine
      .filter((f) => f.kind !== 'incident' && f.kind !== 'cancelled' && f.siteId !== undefined)
      .sort(compareFacts)
      .pop();
    return { convoyId: c.id, name: c.name, state: stage.state, siteId: seen?.siteId ?? null, at: seen?.deviceTime ?? null };
  });
}

export async function listConvoyPositions(ctx: Ctx) {
  const operationId = requireOperation(ctx);
  const convoys = await convoysDb.listConvoys(ctx.db, operationId);
  return positionsFrom(convoys, await standingRoadFacts(ctx.db, operationId));
}

async function countedUpTo(db: Executor, ctx: Ctx, operationId: string) {
  if (await countsDb.hasPending(db, operationId)) await projectBatch(db, ctx.keys, operationId, ctx.now);
}

/** The operation as it stood at `asOf`, taken down to its hour: everything before that hour. */
export async function getReplay(ctx: Ctx, asOf: string) {
  const operationId = requireOperation(ctx);
  const hour = hourBucket(asOf);
  const at = new Date(hour.replace(/Z$/, ':00Z'));
  await countedUpTo(ctx.db, ctx, operationId);
  const totals: Record<string, number> = Object.fromEntries([...countMetrics, 'everyone'].map((m) => [m, 0]));
  const bySite: Record<string, Record<string, number>> = Object.fromEntries(countMetrics.map((m) => [m, {}]));
  const casualties = Object.fromEntries(casualtyMetrics.map((m) => [m, 0])) as Casualties;
  const statuses = new Set<string>(countMetrics);
  for (const c of await countsDb.cellsBeforeHour(ctx.db, operationId, hour)) {
    if (c.n === 0) continue;
    if (statuses.has(c.metric)) {
      totals[c.metric] = (totals[c.metric] ?? 0) + c.n;
      totals.everyone = (totals.everyone ?? 0) + c.n;
      const site = bySite[c.metric]!;
      site[c.site_id] = (site[c.site_id] ?? 0) + c.n;
    } else if (c.metric in casualties) casualties[c.metric as keyof Casualties] += c.n;
  }
  const facts = await standingRoadFacts(ctx.db, operationId, { before: at, withoutConvoy: true });
  const convoys = await convoysDb.listConvoys(ctx.db, operationId);
  const routes = new Map((await routesDb.listRoutes(ctx.db, operationId)).map((r) => [r.id, r]));
  const overdue = convoys.flatMap((c) => {
    const r = routes.get(c.route_id);
    if (!r) return [];
    const s = overdueAt(
      c.id,
      { siteIds: r.site_ids, legMinutes: r.leg_minutes, escalateMinutes: r.escalate_minutes },
      facts.filter((f) => f.convoyId === c.id),
      at,
    );
    return s ? [{ convoyId: c.id, nextSiteId: s.nextSiteId, dueAt: s.dueAt, level: s.level }] : [];
  });
  const span = await countsDb.hourSpan(ctx.db, operationId);
  return {
    asOf: at.toISOString(),
    firstHour: span.first,
    lastHour: span.last,
    totals,
    bySite,
    casualties,
    positions: positionsFrom(convoys, facts),
    incidents: incidentsIn(facts),
    overdue,
  };
}
