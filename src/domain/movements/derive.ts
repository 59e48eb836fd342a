/**
 * Current state derived from facts, for a convoy, a vehicle and a person, at any moment.
 *
 * Facts are observations from many devices whose clocks disagree, so a convoy's state is not
 * the strict state machine folded over sorted facts (one skewed clock would put "arrived"
 * before "departed" and wedge it). It is the furthest milestone seen: a terminal fact (arrived,
 * turned back, cancelled — the latest one, a vehicle's own before the convoy's) beats being on
 * the road; on the road, the latest of halted / resumed / passed checkpoint says halted or
 * moving (departed if none yet); any boarding means boarding. `sequenceAnomalies` lists facts
 * that the strict machine would refuse in device-time order, for the convoy board to show.
 *
 * A person is: arrived if their latest check-in is not older than their latest boarding;
 * otherwise, if they boarded, what their vehicle is (boarded while the convoy boards, in transit
 * on the road, turned back, missing if the vehicle arrived without them checking in, waiting
 * again if the convoy was cancelled); otherwise registered.
 */
import type { ConvoyEvent, ConvoyState } from '../convoys/state-machine.js';
import { transition } from '../convoys/state-machine.js';
import type { FactOf, MovementFact } from './facts.js';
import { compareFacts } from './order.js';

export interface VehicleStage {
  state: ConvoyState;
  /** Site of the latest movement fact (departure, checkpoint, halt, arrival …), if any. */
  lastSiteId: string | null;
}

const terminalKinds = new Set(['arrived', 'turned_back', 'cancelled']);
const roadKinds = new Set(['halted', 'resumed', 'passed_checkpoint']);
const siteKinds = new Set(['departed', 'passed_checkpoint', 'halted', 'resumed', 'arrived', 'turned_back']);

function latest<F extends MovementFact>(facts: readonly F[]): F | undefined {
  let best: F | undefined;
  for (const f of facts) if (!best || compareFacts(f, best) > 0) best = f;
  return best;
}

function terminalState(kind: string): ConvoyState {
  return kind === 'arrived' ? 'arrived' : kind === 'turned_back' ? 'turned_back' : 'cancelled';
}

/**
 * Stage of one vehicle (or, with `vehicleId` undefined, of the convoy as a whole) from the
 * effective facts. Facts of other convoys are ignored, so callers may pass a superset.
 */
export function deriveVehicleStage(facts: readonly MovementFact[], convoyId: string, vehicleId?: string): VehicleStage {
  const mine = facts.filter(
    (f) => f.convoyId === convoyId && (f.vehicleId === undefined || vehicleId === undefined || f.vehicleId === vehicleId),
  );
  // For the convoy as a whole, only convoy-level movement counts (one vehicle breaking down does not halt the convoy).
  const moving = mine.filter(
    (f) =>
      f.kind !== 'boarded' && f.kind !== 'incident' && f.kind !== 'checked_in' && (vehicleId !== undefined || f.vehicleId === undefined),
  );
  const siteFact = latest(moving.filter((f) => siteKinds.has(f.kind) && f.siteId !== undefined));
  const lastSiteId = siteFact?.siteId ?? null;
  const terminals = moving.filter((f) => terminalKinds.has(f.kind));
  const own = latest(terminals.filter((f) => f.vehicleId !== undefined));
  const terminal = own ?? latest(terminals);
  if (terminal) return { state: terminalState(terminal.kind), lastSiteId };
  const road = latest(moving.filter((f) => roadKinds.has(f.kind)));
  if (road) return { state: road.kind === 'halted' ? 'halted' : 'moving', lastSiteId };
  if (moving.some((f) => f.kind === 'departed')) return { state: 'departed', lastSiteId };
  if (mine.some((f) => f.kind === 'boarded')) return { state: 'boarding', lastSiteId };
  return { state: 'planned', lastSiteId };
}

/**
 * The head count in force on a head-count vehicle: of its standing head-count boardings, the
 * latest by device time (each states the whole vehicle). Not the last one received: a phone that
 * synced late with an earlier count does not replace a later one. `facts` are effective facts;
 * others than this vehicle's head counts are ignored.
 */
export function headCountInForce(facts: readonly MovementFact[], convoyId: string, vehicleId: string): FactOf<'boarded'> | undefined {
  return latest(
    facts.filter(
      (f): f is FactOf<'boarded'> =>
        f.kind === 'boarded' && f.convoyId === convoyId && f.vehicleId === vehicleId && f.payload.headCount !== undefined,
    ),
  );
}

const eventOf: Partial<Record<MovementFact['kind'], ConvoyEvent>> = {
  boarded: 'board',
  departed: 'depart',
  passed_checkpoint: 'pass_checkpoint',
  halted: 'halt',
  resumed: 'resume',
  arrived: 'arrive',
  turned_back: 'turn_back',
  cancelled: 'cancel',
};

export interface SequenceAnomaly {
  factId: string;
  from: ConvoyState;
  event: ConvoyEvent;
}

/** Convoy-level facts that the strict state machine refuses, walking them in device-time order. */
export function sequenceAnomalies(facts: readonly MovementFact[], convoyId: string): SequenceAnomaly[] {
  let state: ConvoyState = 'planned';
  const out: SequenceAnomaly[] = [];
  const mine = facts.filter((f) => f.convoyId === convoyId && (f.vehicleId === undefined || f.kind === 'boarded')).sort(compareFacts);
  for (const f of mine) {
    const event = eventOf[f.kind];
    if (!event) continue;
    const r = transition(state, event);
    if (r.ok) state = r.state;
    else out.push({ factId: f.id, from: state, event });
  }
  return out;
}

export const personStatuses = ['registered', 'boarded', 'in_transit', 'arrived', 'missing', 'turned_back'] as const;
export type PersonStatus = (typeof personStatuses)[number];

export interface PersonPosition {
  status: PersonStatus;
  /** Where the person is, was last seen or registered; null when unknown. */
  siteId: string | null;
  convoyId: string | null;
  vehicleId: string | null;
}

/**
 * A person's position from the effective facts that concern them: their own facts (already
 * resolved through merges) and the facts of every convoy they boarded — or, for a caller that
 * keeps vehicle stages already derived (counting), the stage of a vehicle. `registered.siteId`
 * is used while they wait. Returns null when nothing is known (not registered, no facts).
 */
export function derivePersonPosition(
  personFacts: readonly MovementFact[],
  convoyFacts: readonly MovementFact[] | ((convoyId: string, vehicleId: string) => VehicleStage),
  registered: { siteId: string | null } | null,
): PersonPosition | null {
  const boarding = latest(personFacts.filter((f): f is FactOf<'boarded'> => f.kind === 'boarded'));
  const checkIn = latest(personFacts.filter((f): f is FactOf<'checked_in'> => f.kind === 'checked_in'));
  if (checkIn && (!boarding || compareFacts(checkIn, boarding) >= 0)) {
    return { status: 'arrived', siteId: checkIn.siteId, convoyId: checkIn.convoyId ?? null, vehicleId: checkIn.vehicleId ?? null };
  }
  if (boarding) {
    const stage =
      typeof convoyFacts === 'function'
        ? convoyFacts(boarding.convoyId, boarding.vehicleId)
        : deriveVehicleStage(convoyFacts, boarding.convoyId, boarding.vehicleId);
    const where = { convoyId: boarding.convoyId, vehicleId: boarding.vehicleId };
    switch (stage.state) {
      case 'planned':
      case 'boarding':
        return { status: 'boarded', siteId: boarding.siteId ?? null, ...where };
      case 'departed':
      case 'moving':
      case 'halted':
        return { status: 'in_transit', siteId: stage.lastSiteId ?? boarding.siteId ?? null, ...where };
      case 'arrived':
        return { status: 'missing', siteId: stage.lastSiteId, ...where };
      case 'turned_back':
        return { status: 'turned_back', siteId: stage.lastSiteId, ...where };
      case 'cancelled':
        break;
    }
  }
  if (registered) return { status: 'registered', siteId: registered.siteId, convoyId: null, vehicleId: null };
  if (boarding) return { status: 'registered', siteId: boarding.siteId ?? null, convoyId: null, vehicleId: null };
  return null;
}
