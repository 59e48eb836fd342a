/**
 * A convoy's timeline, told from its standing facts in device-time order: departure, each
 * checkpoint passage (the vehicles seen there, their counted heads against what each should
 * carry), halts and resumptions, incidents with their casualties, arrival, a turn back or a
 * cancellation. Passages and arrivals at one site are one entry, with a row per vehicle. Sealed
 * notes stay sealed: an entry says what happened, not who. Pure: the caller passes the effective
 * facts of the convoy and the heads each vehicle should carry.
 */
import type { FactOf, MovementFact } from '../movements/facts.js';
import { compareFacts } from '../movements/order.js';

export interface IncidentEntry {
  factId: string;
  convoyId: string | null;
  vehicleId: string | null;
  siteId: string | null;
  at: string;
  incidentKind: string;
  severity: string;
  injured: number;
  killed: number;
  detained: number;
}

export interface PassageRow {
  vehicleId: string | null;
  at: string;
  counted: number | null;
  expected: number | null;
}

export interface TimelineEntry {
  kind: 'departed' | 'passed' | 'halted' | 'resumed' | 'incident' | 'arrived' | 'turned_back' | 'cancelled';
  at: string;
  siteId: string | null;
  vehicleId: string | null;
  /** Halts and turn backs: why (the reason code; its note stays sealed). */
  reason: string | null;
  incident: IncidentEntry | null;
  /** Passages and arrivals: a row per vehicle (or the convoy as a whole), and their sums. */
  vehicles: PassageRow[];
  counted: number | null;
  expected: number | null;
}

/** The view of one standing incident (its text stays sealed). */
export function incidentEntry(f: FactOf<'incident'>): IncidentEntry {
  return {
    factId: f.id,
    convoyId: f.convoyId ?? null,
    vehicleId: f.vehicleId ?? null,
    siteId: f.siteId ?? null,
    at: f.deviceTime,
    incidentKind: f.payload.incidentKind,
    severity: f.payload.severity,
    injured: f.payload.injured ?? 0,
    killed: f.payload.killed ?? 0,
    detained: f.payload.detained ?? 0,
  };
}

const entry = (kind: TimelineEntry['kind'], f: MovementFact, over: Partial<TimelineEntry> = {}): TimelineEntry => ({
  kind,
  at: f.deviceTime,
  siteId: f.siteId ?? null,
  vehicleId: f.vehicleId ?? null,
  reason: null,
  incident: null,
  vehicles: [],
  counted: null,
  expected: null,
  ...over,
});

/**
 * The timeline of a convoy from its effective facts; `expected` is the heads each vehicle
 * should carry (its manifest or head count).
 */
export function convoyTimeline(
  convoyId: string,
  facts: readonly MovementFact[],
  expected: ReadonlyMap<string, number>,
  upTo?: Date,
): TimelineEntry[] {
  const limit = upTo?.getTime() ?? Infinity;
  const mine = facts.filter((f) => f.convoyId === convoyId && Date.parse(f.deviceTime) <= limit).sort(compareFacts);
  const out: TimelineEntry[] = [];
  const atSite = new Map<string, TimelineEntry>();
  for (const f of mine) {
    switch (f.kind) {
      case 'departed':
      case 'resumed':
      case 'cancelled':
        out.push(entry(f.kind, f));
        break;
      case 'halted':
      case 'turned_back':
        out.push(entry(f.kind, f, { reason: f.payload.reason }));
        break;
      case 'incident':
        out.push(entry('incident', f, { incident: incidentEntry(f) }));
        break;
      case 'passed_checkpoint':
      case 'arrived': {
        const kind = f.kind === 'arrived' ? 'arrived' : 'passed';
        const key = `${kind}|${f.siteId}`;
        let e = atSite.get(key);
        if (!e) {
          e = entry(kind, f, { vehicleId: null });
          atSite.set(key, e);
          out.push(e);
        }
        const counted = f.payload.observedHeadCount ?? null;
        const exp = f.vehicleId !== undefined ? (expected.get(f.vehicleId) ?? null) : null;
        e.vehicles.push({ vehicleId: f.vehicleId ?? null, at: f.deviceTime, counted, expected: exp });
        if (counted !== null) {
          e.counted = (e.counted ?? 0) + counted;
          if (exp !== null) e.expected = (e.expected ?? 0) + exp;
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}
