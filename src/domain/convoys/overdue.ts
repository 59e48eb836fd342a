/**
 * When a convoy on the road is overdue. A route gives the minutes expected from each site to the
 * next; a convoy was last seen making progress at the furthest site of its route where it departed
 * or passed (any vehicle, the latest such sighting there), so it is awaited at the next site by
 * that time plus the leg's minutes, and its alert escalates `escalateMinutes` later. A halt does
 * not stop the clock: a convoy held at a crossing for hours is exactly what the desk must see.
 * Only facts up to `now` are read, so the same facts give the same answer at any moment (the
 * job's clock, a replay's hour). Pure: time is passed in.
 */
import type { MovementFact } from '../movements/facts.js';
import { compareFacts, timeOf } from '../movements/order.js';
import { deriveVehicleStage } from '../movements/derive.js';

export interface RouteTiming {
  siteIds: readonly string[];
  /** Minutes per leg (siteIds.length − 1 of them), or null: no expectation, never overdue. */
  legMinutes: readonly number[] | null;
  escalateMinutes: number;
}

export interface OverdueState {
  convoyId: string;
  lastSiteId: string;
  nextSiteId: string;
  lastSeenAt: string;
  dueAt: string;
  escalateAt: string;
  level: 'overdue' | 'escalated';
  /** The convoy is halted (by its latest convoy-level fact up to now). */
  halted: boolean;
}

const MIN = 60_000;
const onTheRoad = new Set(['departed', 'moving', 'halted']);

/**
 * The convoy's overdue state at `now`, or null when it is not overdue (not on the road, no
 * expected time for its next leg, or still within it). `facts` are the convoy's effective facts.
 */
export function overdueAt(convoyId: string, route: RouteTiming, facts: readonly MovementFact[], now: Date): OverdueState | null {
  if (!route.legMinutes) return null;
  const t = now.getTime();
  const known = facts.filter((f) => f.convoyId === convoyId && timeOf(f.deviceTime) <= t);
  const stage = deriveVehicleStage(known, convoyId);
  if (!onTheRoad.has(stage.state)) return null;
  let furthest = -1;
  let seenAt = '';
  for (const f of [...known].sort(compareFacts)) {
    if (f.kind !== 'departed' && f.kind !== 'passed_checkpoint') continue;
    const at = f.kind === 'departed' ? 0 : route.siteIds.indexOf(f.siteId ?? '');
    if (at < 0 || at < furthest) continue;
    furthest = at;
    seenAt = f.deviceTime;
  }
  if (furthest < 0 || furthest >= route.siteIds.length - 1) return null;
  const leg = route.legMinutes[furthest];
  if (leg === undefined) return null;
  const due = timeOf(seenAt) + leg * MIN;
  if (t < due) return null;
  const escalate = due + route.escalateMinutes * MIN;
  return {
    convoyId,
    lastSiteId: route.siteIds[furthest] as string,
    nextSiteId: route.siteIds[furthest + 1] as string,
    lastSeenAt: new Date(timeOf(seenAt)).toISOString(),
    dueAt: new Date(due).toISOString(),
    escalateAt: new Date(escalate).toISOString(),
    level: t >= escalate ? 'escalated' : 'overdue',
    halted: stage.state === 'halted',
  };
}
