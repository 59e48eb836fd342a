/**
 * What a checkpoint phone keeps so the desk opens with no network: the operation's sites and
 * routes, and the convoys that may still pass a checkpoint (boarding, departed, moving, halted)
 * with their vehicles — plate, kind, seats, mode and how many the manifest says are on board.
 * Convoy-level data only: no person, no name, no manifest entry is ever copied (the copy is built
 * field by field from an allow-list here, so a field the API adds later does not slip onto the
 * phone). Also the account's id, display name and its roles/permissions in the operation, which
 * the desk needs to open.
 *
 * Pure: building the copy, and what the desk shows from it once facts logged offline are taken
 * into account (a halt logged offline shows the convoy halted, a vehicle logged shows as passed).
 */
import { onTheRoadStates, transition, type ConvoyEvent, type ConvoyState } from '../../domain/convoys/state-machine.js';
import type { Permission } from '../../domain/policy.js';
import type { SerialRange } from '../../domain/tags.js';
import type { ConvoyDetail, ConvoySummary, Operation, RouteInfo, Site, VehicleInfo } from '../api/types.js';

/** Convoys worth keeping: those that may still be seen on the road (a boarding one may leave while the phone is offline). */
export const copiedStates: readonly ConvoyState[] = ['boarding', ...onTheRoadStates];
/** What the convoy board keeps for boarding and head counts offline: the convoys still being prepared. */
export const preparedStates: readonly ConvoyState[] = ['planned', 'boarding'];

export interface CopiedConvoy {
  id: string;
  routeId: string;
  name: string | null;
  state: ConvoyState;
  vehicles: VehicleInfo[];
  /** Passes at checkpoints the server knew of when the copy was saved (a copy saved before they existed has none). */
  checkpointPasses?: CheckpointPass[];
}

export interface CheckpointPass {
  siteId: string;
  vehicleId: string | null;
  at: string;
}

export interface DeskCopy {
  /** `${userId} ${operationId}`: one copy per account and operation. */
  key: string;
  userId: string;
  userName: string;
  savedAt: string;
  operation: Pick<Operation, 'id' | 'code' | 'nameEn' | 'nameAr' | 'timeZone' | 'status' | 'roles'> & { permissions: Permission[] };
  sites: Site[];
  routes: RouteInfo[];
  convoys: CopiedConvoy[];
  /** The operation's wristband ranges (serials only), for the registration desk's tag check offline. */
  tagRanges?: SerialRange[];
}

export const copyKey = (userId: string, operationId: string) => `${userId} ${operationId}`;

export function makeCopy(input: {
  user: { id: string; name: string };
  operation: Operation;
  permissions: Permission[];
  sites: Site[];
  routes: RouteInfo[];
  convoys: ConvoyDetail[];
  savedAt: Date;
  /** The convoy states kept (the checkpoint's by default; the convoy board keeps those being prepared). */
  states?: readonly ConvoyState[];
}): DeskCopy {
  const states = input.states ?? copiedStates;
  const o = input.operation;
  return {
    key: copyKey(input.user.id, o.id),
    userId: input.user.id,
    userName: input.user.name,
    savedAt: input.savedAt.toISOString(),
    operation: {
      id: o.id,
      code: o.code,
      nameEn: o.nameEn,
      nameAr: o.nameAr,
      timeZone: o.timeZone,
      status: o.status,
      roles: [...o.roles],
      permissions: [...input.permissions],
    },
    sites: input.sites.map((s) => ({
      id: s.id,
      kind: s.kind,
      nameEn: s.nameEn,
      nameAr: s.nameAr,
      lat: s.lat,
      lon: s.lon,
      capacity: s.capacity,
    })),
    routes: input.routes.map((r) => ({ id: r.id, name: r.name, siteIds: [...r.siteIds], createdAt: r.createdAt })),
    convoys: input.convoys
      .filter((c) => states.includes(c.state))
      .map((c) => ({
        id: c.id,
        routeId: c.routeId,
        name: c.name,
        state: c.state,
        checkpointPasses: c.checkpointPasses.map((p) => ({ ...p })),
        vehicles: c.vehicles.map((v) => ({
          id: v.id,
          kind: v.kind,
          capacity: v.capacity,
          mode: v.mode,
          plate: v.plate,
          occupancy: v.occupancy,
        })),
      })),
  };
}

/**
 * One record serves every offline desk of an account in an operation, each saving what it read:
 * the newly made copy's convoys replace those of the same id, and a convoy of the old copy stays
 * only when the desk saving now does not keep its state (a planned convoy the convoy board kept
 * stays when the checkpoint saves; one that left the states this desk keeps goes).
 */
export function mergeCopy(had: DeskCopy | undefined, made: DeskCopy, refreshed: readonly ConvoyState[]): DeskCopy {
  if (!had || had.userId !== made.userId) return made;
  const fresh = new Set(made.convoys.map((c) => c.id));
  return { ...made, convoys: [...made.convoys, ...had.convoys.filter((c) => !fresh.has(c.id) && !refreshed.includes(c.state))] };
}

/**
 * The reception's convoys (read as a list, without vehicles) into the copy: the state and name of
 * each convoy on the road, the vehicles another desk saved for it kept.
 */
export function withConvoySummaries(copy: DeskCopy, list: readonly ConvoySummary[], states: readonly ConvoyState[]): DeskCopy {
  const had = new Map(copy.convoys.map((c) => [c.id, c]));
  const read = list
    .filter((c) => states.includes(c.state))
    .map((c): CopiedConvoy => ({
      id: c.id,
      routeId: c.routeId,
      name: c.name,
      state: c.state,
      vehicles: had.get(c.id)?.vehicles ?? [],
      checkpointPasses: had.get(c.id)?.checkpointPasses ?? [],
    }));
  const fresh = new Set(read.map((c) => c.id));
  return { ...copy, convoys: [...read, ...copy.convoys.filter((c) => !fresh.has(c.id) && !states.includes(c.state))] };
}

/** A movement fact as the checkpoint stamps it (see write.ts stampFact). */
export interface LoggedFact {
  kind: string;
  convoyId?: unknown;
  vehicleId?: unknown;
  siteId?: unknown;
  deviceTime?: unknown;
}

/** The facts waiting in the outbox (commands of kind `facts`, not refused), oldest first. */
export function waitingFacts(items: { kind: string; body?: unknown; refused?: unknown }[]): LoggedFact[] {
  return items
    .filter((i) => i.kind === 'facts' && !i.refused)
    .flatMap((i) => {
      const facts = (i.body as { facts?: unknown } | undefined)?.facts;
      return Array.isArray(facts) ? (facts as LoggedFact[]) : [];
    });
}

const events: Partial<Record<string, ConvoyEvent>> = {
  passed_checkpoint: 'pass_checkpoint',
  halted: 'halt',
  resumed: 'resume',
  arrived: 'arrive',
  turned_back: 'turn_back',
};

/**
 * The convoy's state once the convoy-level facts logged here are applied in order. The server
 * places facts by the furthest milestone they show, so a convoy copied while boarding and seen at
 * a checkpoint is moving; otherwise a fact the state machine would not take leaves the state as is.
 */
export function stateAfter(state: ConvoyState, facts: LoggedFact[]): ConvoyState {
  let s = state;
  for (const f of facts) {
    if (f.vehicleId !== undefined) continue;
    const event = events[f.kind];
    if (!event) continue;
    const r = transition(s, event);
    if (r.ok) s = r.state;
    else if (event === 'pass_checkpoint' && s === 'boarding') s = 'moving';
  }
  return s;
}

/** Vehicles of this convoy already logged as passed at this site. */
/**
 * The vehicles of a convoy logged passing this site: by this phone (sent or waiting) and, from the
 * server, by any phone there — so the marks survive a reload and the next shift sees them.
 */
export function passedVehicles(facts: LoggedFact[], convoyId: string, siteId: string, server: readonly CheckpointPass[] = []): Set<string> {
  return new Set([
    ...facts
      .filter((f) => f.kind === 'passed_checkpoint' && f.convoyId === convoyId && f.siteId === siteId && typeof f.vehicleId === 'string')
      .map((f) => f.vehicleId as string),
    ...server.filter((p) => p.siteId === siteId && p.vehicleId !== null).map((p) => p.vehicleId as string),
  ]);
}

/** Whether the convoy itself (not only a vehicle) has been logged at this site. */
export function convoySeen(facts: LoggedFact[], convoyId: string, siteId: string, server: readonly CheckpointPass[] = []): boolean {
  return (
    facts.some((f) => f.kind === 'passed_checkpoint' && f.convoyId === convoyId && f.siteId === siteId && f.vehicleId === undefined) ||
    server.some((p) => p.siteId === siteId && p.vehicleId === null)
  );
}

/** The convoys the desk lists at a site: on routes through it, in a state a copy keeps, on the road first. */
export function convoysAt<C extends { routeId: string; state: ConvoyState }>(
  convoys: C[],
  routes: RouteInfo[],
  siteId: string,
  states: readonly ConvoyState[],
): C[] {
  const through = new Set(routes.filter((r) => r.siteIds.includes(siteId)).map((r) => r.id));
  const rank = (c: C) => (c.state === 'boarding' ? 1 : 0);
  return convoys.filter((c) => states.includes(c.state) && through.has(c.routeId)).sort((a, b) => rank(a) - rank(b));
}

/**
 * The checkpoint the desk opens at, so a monitor does not log at the wrong one unawares: the one
 * remembered on this phone; else the only checkpoint there is, or the only one on the routes of
 * the convoys on the road (in `states`); else none — the monitor is asked to choose.
 */
export function defaultCheckpoint(
  remembered: string | null,
  checkpoints: readonly { id: string }[],
  routes: readonly RouteInfo[],
  convoys: readonly { routeId: string; state: ConvoyState }[],
  states: readonly ConvoyState[],
): string {
  if (remembered && checkpoints.some((s) => s.id === remembered)) return remembered;
  if (checkpoints.length === 1) return checkpoints[0]!.id;
  const inUse = new Set(convoys.filter((c) => states.includes(c.state)).map((c) => c.routeId));
  const ids = new Set(checkpoints.map((s) => s.id));
  const passed = new Set(routes.filter((r) => inUse.has(r.id)).flatMap((r) => r.siteIds.filter((id) => ids.has(id))));
  return passed.size === 1 ? [...passed][0]! : '';
}
