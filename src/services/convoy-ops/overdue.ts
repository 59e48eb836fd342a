/**
 * Overdue convoys on the coordinator's desk. `scanOverdue` looks at every convoy on the road (and
 * every convoy with an open alert) at the moment it is given: a convoy not seen at its next site
 * in time raises an alert, one past the second interval escalates it, and an alert whose convoy
 * was seen again (or left the road) is resolved. Deterministic: the same facts and moment give the
 * same alerts, and running it twice changes nothing the second time. A change bumps the count
 * version, so every live counts stream of the operation sends again (with the alert numbers) at
 * once: that is how the alert reaches open desks. The periodic job (src/services/jobs/overdue-job.ts)
 * calls it with the server's clock.
 */
import * as alertsDb from '../../db/queries/convoy-alerts.js';
import * as countsDb from '../../db/queries/counts.js';
import type { Executor } from '../../db/queries/executor.js';
import { overdueAt, type OverdueState } from '../../domain/convoys/overdue.js';
import { AppError } from '../../domain/errors.js';
import type { MovementFact } from '../../domain/movements/index.js';
import { publishCountsChanged } from '../counts/counts-bus.js';
import { audit, requireOperation, type Ctx } from '../context.js';
import { newId } from '../ids.js';
import { standingRoadFacts } from './road-facts.js';

export interface ScanResult {
  raised: number;
  escalated: number;
  resolved: number;
}

const keyOf = (s: { convoyId: string; nextSiteId: string; lastSeenAt: string }) =>
  `${s.convoyId}|${s.nextSiteId}|${new Date(s.lastSeenAt).toISOString()}`;
const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

type Watched = Awaited<ReturnType<typeof alertsDb.convoysToWatch>>;

function statesAt(convoys: Watched, facts: ReadonlyMap<string, MovementFact[]>, now: Date): OverdueState[] {
  const out: OverdueState[] = [];
  for (const c of convoys) {
    const route = { siteIds: c.site_ids, legMinutes: c.leg_minutes, escalateMinutes: c.escalate_minutes };
    const state = overdueAt(c.id, route, facts.get(c.id) ?? [], now);
    if (state) out.push(state);
  }
  return out;
}

async function watchedFacts(db: Executor, operationId: string, before?: Date): Promise<Map<string, MovementFact[]>> {
  const byConvoy = new Map<string, MovementFact[]>();
  for (const f of await standingRoadFacts(db, operationId, before ? { before } : {}))
    if (f.convoyId) byConvoy.set(f.convoyId, [...(byConvoy.get(f.convoyId) ?? []), f]);
  return byConvoy;
}

/** The overdue convoys of an operation at `now`, from the standing facts up to it. */
export async function overdueConvoys(db: Executor, operationId: string, now: Date, opts: { all?: boolean } = {}): Promise<OverdueState[]> {
  const convoys = await alertsDb.convoysToWatch(db, operationId, opts);
  if (convoys.length === 0) return [];
  return statesAt(convoys, await watchedFacts(db, operationId, new Date(now.getTime() + 1)), now);
}

/** Raises, escalates and resolves the operation's overdue alerts at `now`, in the caller's transaction. */
export async function scanOverdue(db: Executor, operationId: string, now: Date, opts: { all?: boolean } = {}): Promise<ScanResult> {
  return applyStates(db, operationId, now, await overdueConvoys(db, operationId, now, opts));
}

/**
 * The alerts the watch would have raised, run every `stepMinutes` from `from` to `to` over the
 * facts stored now (the demo, loaded after the fact, gets the alerts its days would have raised).
 * The facts are read once; the database is written only at the steps where something changed.
 */
export async function watchOverPast(
  db: Executor,
  operationId: string,
  span: { from: Date; to: Date; stepMinutes: number },
): Promise<ScanResult> {
  const convoys = await alertsDb.convoysToWatch(db, operationId, { all: true });
  const facts = await watchedFacts(db, operationId);
  const total: ScanResult = { raised: 0, escalated: 0, resolved: 0 };
  let last = '';
  for (let t = span.from.getTime(); t <= span.to.getTime(); t += span.stepMinutes * 60_000) {
    const now = new Date(t);
    const states = statesAt(convoys, facts, now);
    const signature = states.map((s) => `${keyOf(s)}|${s.level}`).join(',');
    if (signature === last) continue;
    last = signature;
    const r = await applyStates(db, operationId, now, states);
    total.raised += r.raised;
    total.escalated += r.escalated;
    total.resolved += r.resolved;
  }
  return total;
}

async function applyStates(db: Executor, operationId: string, now: Date, states: readonly OverdueState[]): Promise<ScanResult> {
  const result: ScanResult = { raised: 0, escalated: 0, resolved: 0 };
  for (const s of states) {
    const raised = await alertsDb.raiseConvoyAlert(db, {
      operationId,
      id: newId(now),
      convoyId: s.convoyId,
      lastSiteId: s.lastSiteId,
      nextSiteId: s.nextSiteId,
      lastSeenAt: s.lastSeenAt,
      dueAt: s.dueAt,
      escalateAt: s.escalateAt,
      level: s.level,
      at: now,
    });
    if (raised) result.raised++;
    else if (s.level === 'escalated') result.escalated += await alertsDb.escalateConvoyAlert(db, operationId, s, now);
  }
  const current = new Set(states.map(keyOf));
  const stale = (await alertsDb.openConvoyAlerts(db, operationId))
    .filter((a) => !current.has(keyOf({ convoyId: a.convoy_id, nextSiteId: a.next_site_id, lastSeenAt: iso(a.last_seen_at) })))
    .map((a) => a.id);
  result.resolved = await alertsDb.resolveConvoyAlerts(db, operationId, stale, now);
  if (result.raised + result.escalated + result.resolved > 0) {
    await countsDb.lockCounts(db, operationId, now);
    publishCountsChanged(operationId);
  }
  return result;
}

export function presentConvoyAlert(a: Awaited<ReturnType<typeof alertsDb.listConvoyAlerts>>[number]) {
  return {
    id: a.id,
    convoyId: a.convoy_id,
    kind: 'overdue' as const,
    lastSiteId: a.last_site_id,
    nextSiteId: a.next_site_id,
    lastSeenAt: iso(a.last_seen_at),
    dueAt: iso(a.due_at),
    escalateAt: iso(a.escalate_at),
    level: a.level as 'overdue' | 'escalated',
    status: a.status as 'open' | 'resolved',
    raisedAt: iso(a.raised_at),
    escalatedAt: a.escalated_at ? iso(a.escalated_at) : null,
    resolvedAt: a.resolved_at ? iso(a.resolved_at) : null,
    acknowledgedAt: a.acknowledged_at ? iso(a.acknowledged_at) : null,
    acknowledgedByName: a.acknowledged_by_name ?? null,
  };
}

/** The desk's list: open alerts escalated first, then by when they were raised (latest first). */
export async function listConvoyAlerts(ctx: Ctx, status?: 'open' | 'resolved') {
  const rows = await alertsDb.listConvoyAlerts(ctx.db, requireOperation(ctx), status ? { status } : {});
  const rank = (a: (typeof rows)[number]) => (a.status === 'open' ? (a.level === 'escalated' ? 0 : 1) : 2);
  return rows
    .map((r, i) => ({ r, i }))
    .sort((x, y) => rank(x.r) - rank(y.r) || x.i - y.i)
    .map(({ r }) => presentConvoyAlert(r));
}

export async function acknowledgeConvoyAlert(ctx: Ctx, alertId: string) {
  const operationId = requireOperation(ctx);
  const before = await alertsDb.findConvoyAlert(ctx.db, operationId, alertId);
  if (!before) throw new AppError('convoy_alert.not_found');
  if (!(await alertsDb.acknowledgeConvoyAlert(ctx.db, operationId, alertId, ctx.actor.id, ctx.now))) {
    const now = (await alertsDb.listConvoyAlerts(ctx.db, operationId)).find((a) => a.id === alertId);
    throw new AppError('convoy_alert.already_acknowledged', undefined, {
      acknowledgedAt: now?.acknowledged_at ? iso(now.acknowledged_at) : null,
      acknowledgedByName: now?.acknowledged_by_name ?? null,
    });
  }
  await audit(ctx, { action: 'convoy_alert.acknowledge', subjectKind: 'convoy', subjectId: before.convoy_id, details: { alertId } });
  const after = (await alertsDb.listConvoyAlerts(ctx.db, operationId)).find((a) => a.id === alertId)!;
  return presentConvoyAlert(after);
}
