/**
 * One convoy of the demo load: the households registered for it, the convoy and its vehicles,
 * the boardings, head counts and every fact its devices sent — through the services' batch
 * paths (the same rules as one request at a time), in one transaction, so the dashboard shows
 * each convoy whole. Every step skips what a load cut short already wrote, so a load resumes.
 */
import { vehicleInput } from '../domain/convoys/index.js';
import type { Permission, Role } from '../domain/policy.js';
import { isPhoneBoarding, type Scenario, type ScenarioConvoy, type ScenarioFact, type ScenarioHousehold } from './scenario/index.js';
import { personInput } from '../domain/schemas/persons.js';
import type { Actor, Ctx } from '../services/context.js';
import { permissionsOf } from '../domain/policy.js';
import { createConvoy } from '../services/convoys/convoys.js';
import {
  addVehicles,
  boardHouseholds,
  recordVehicleHeadCounts,
  type BoardingInput,
  type HeadCountInput,
} from '../services/convoys/convoys-batch.js';
import { recordFactBatch } from '../services/facts/facts.js';
import type { KeyRing } from '../services/keys/keyring.js';
import { registerHouseholds, type QueuedHousehold } from '../services/persons/persons.js';
import * as loadState from '../services/demo/load-state.js';
import type { Executor } from '../services/demo/load-state.js';
import type { TagMap } from './tags.js';

/**
 * PGlite answers within microtasks, so a chain of awaited queries never lets the event loop
 * accept a connection: a load running beside the server yields between steps, or the server
 * would not answer until the load ends.
 */
export const yieldToServer = () => new Promise<void>((resolve) => setImmediate(resolve));

export function ctxOf(
  db: Executor,
  keys: KeyRing,
  actor: Actor,
  roles: Role[],
  now: Date,
  operationId?: string,
  extra: Permission[] = [],
): Ctx {
  const permissions = permissionsOf(roles);
  for (const p of extra) permissions.add(p);
  return { db, keys, actor, roles, permissions, now, ...(operationId ? { operationId } : {}) };
}

export const deviceActor = (id: string): Actor => ({ kind: 'device', id, name: id, isAdmin: false });

/** What a device of the scenario does, from its id (`<site>-desk-NN`, `<site>-monitor-NN`, `<site>-officer-NN`). */
export function deviceRole(deviceId: string, origin: string): 'registrar' | 'checkpoint_monitor' | 'reception_officer' | 'convoy_officer' {
  if (deviceId.includes('-monitor-')) return 'checkpoint_monitor';
  if (deviceId.startsWith(`${origin}-`)) return deviceId.includes('-officer-') ? 'convoy_officer' : 'registrar';
  return 'reception_officer';
}

/** The convoy's chunk: households registered for it (and walk-ins), the convoy, its facts. */
export interface Chunk {
  households: ScenarioHousehold[];
  convoy: ScenarioConvoy;
  facts: ScenarioFact[];
}

export function chunksOf(s: Scenario): Chunk[] {
  const byConvoy = new Map<string, Chunk>();
  const ordered = [...s.convoys].sort((a, b) => (a.departedAt < b.departedAt ? -1 : 1));
  for (const c of ordered) byConvoy.set(c.id, { households: [], convoy: c, facts: [] });
  for (const f of s.facts) if (f.convoyId) byConvoy.get(f.convoyId)?.facts.push(f);
  const firstOf = new Map<string, number>();
  ordered.forEach((c, i) => {
    for (const v of c.vehicles) for (const m of v.manifest) if (!firstOf.has(m.personId)) firstOf.set(m.personId, i);
  });
  // Walk-ins: registered at reception when the convoy they came with arrived.
  for (const f of s.facts)
    if (f.kind === 'checked_in' && f.convoyId && !firstOf.has(f.personId))
      firstOf.set(
        f.personId,
        ordered.findIndex((c) => c.id === f.convoyId),
      );
  // Households go with the first convoy that needs them; people who never board (duplicates)
  // with the first convoy that left after they registered.
  for (const h of s.households) {
    const idx = Math.min(...h.members.map((m) => firstOf.get(m.id) ?? Number.POSITIVE_INFINITY));
    const after = ordered.findIndex((c) => c.departedAt > h.registeredAt);
    const i = Number.isFinite(idx) ? idx : after >= 0 ? after : ordered.length - 1;
    (byConvoy.get((ordered[i] as ScenarioConvoy).id) as Chunk).households.push(h);
  }
  for (const c of byConvoy.values()) {
    c.facts.sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.id < b.id ? -1 : 1));
    c.households.sort((a, b) => (a.registeredAt < b.registeredAt ? -1 : 1));
  }
  return [...byConvoy.values()];
}

/**
 * PGlite has no autovacuum, so nothing refreshes the planner's statistics while the load fills
 * the tables: plans made when they were nearly empty — the foreign-key checks' among them, which
 * stay cached — scan a whole table for each row inserted, and the load grows quadratic (10× on
 * the blocking keys alone). As a bulk load should, the load analyzes the tables it fills each
 * time they have doubled.
 */
export class Statistics {
  private next = 100;
  constructor(
    private readonly tables = ['persons', 'households', 'person_keys', 'convoys', 'vehicles', 'manifest_entries', 'movement_facts'],
  ) {}
  async refresh(trx: Executor, people: number) {
    if (people < this.next) return;
    this.next = people * 2;
    await loadState.refreshStatistics(trx, this.tables);
  }
}

export interface LoadActors {
  convoyOfficer: Actor;
  origin: string;
  tags: TagMap;
  operationId: string;
  householdSize: Map<string, number>;
  statistics: Statistics;
  /** People registered so far by this load (what the statistics follow). */
  registered: number;
}

/** Each desk's households in one batch, at the time the desk sent its last; each keeps its own registration time. */
async function registerChunk(trx: Executor, keys: KeyRing, a: LoadActors, households: ScenarioHousehold[]) {
  const present = await loadState.existingHouseholdIds(
    trx,
    a.operationId,
    households.map((h) => h.id),
  );
  const byDesk = new Map<string, ScenarioHousehold[]>();
  for (const h of households) if (!present.has(h.id)) byDesk.set(h.deviceId, [...(byDesk.get(h.deviceId) ?? []), h]);
  for (const [device, queue] of byDesk) {
    const last = queue[queue.length - 1] as ScenarioHousehold;
    // The scenario records category and medical notes at the desk; in the field a coordinator and a medic add them.
    const ctx = ctxOf(trx, keys, deviceActor(device), ['registrar'], new Date(last.registeredAt), a.operationId, [
      'person.category',
      'person.medical',
    ]);
    const inputs: QueuedHousehold[] = queue.map((h) => ({
      id: h.id,
      siteId: h.siteId,
      registeredAt: new Date(h.registeredAt),
      members: h.members.map((m) => personInput.parse({ ...m, ...(m.tag ? { tag: a.tags.map(m.tag) } : {}) })),
    }));
    // Duplicates are proposed by the batch dedupe after the load, not one registration at a time.
    await registerHouseholds(ctx, inputs, { flagDuplicates: false });
    a.registered += inputs.reduce((n, h) => n + h.members.length, 0);
    await a.statistics.refresh(trx, a.registered);
    await yieldToServer();
  }
}

/** The convoy and its vehicles, three hours before it left, unless a cut-short load made them. */
async function setUpConvoy(trx: Executor, officerAt: (iso: string) => Ctx, a: LoadActors, convoy: ScenarioConvoy) {
  const planned = new Date(Date.parse(convoy.departedAt) - 3 * 3_600_000).toISOString();
  if (!(await loadState.convoyExists(trx, a.operationId, convoy.id))) {
    await createConvoy(officerAt(planned), { id: convoy.id, routeId: convoy.routeId, name: convoy.label });
  }
  const have = await loadState.vehicleIdsOfConvoy(trx, a.operationId, convoy.id);
  const missing = convoy.vehicles.filter((v) => !have.has(v.id));
  if (missing.length)
    await addVehicles(
      officerAt(planned),
      convoy.id,
      missing.map((v) => vehicleInput.parse({ id: v.id, kind: v.kind, capacity: v.capacity, mode: v.mode, plate: v.label })),
    );
}

/** Boardings by household and vehicle, each at the device time of its first boarding, in one batch. */
async function boardChunk(trx: Executor, officerAt: (iso: string) => Ctx, a: LoadActors, c: Chunk) {
  const convoy = c.convoy;
  const boarded = new Map<string, ScenarioFact>();
  let lastReceived = convoy.departedAt;
  for (const f of c.facts) {
    // An offline phone's boarding is not the board's: it is sent with the other facts, late.
    if (f.kind !== 'boarded' || isPhoneBoarding(f)) continue;
    if (f.personId) boarded.set(f.personId, f);
    if (f.receivedAt > lastReceived) lastReceived = f.receivedAt;
  }
  const onBoard = await loadState.manifestPersonIdsOfConvoy(trx, a.operationId, convoy.id);
  const splitOf = new Map<string, string>();
  for (const v of convoy.vehicles)
    for (const m of v.manifest) if (m.splitReason && !splitOf.has(m.householdId)) splitOf.set(m.householdId, m.splitReason);
  const items: BoardingInput[] = [];
  for (const v of convoy.vehicles) {
    if (v.mode === 'head_count') continue;
    const groups = new Map<string, typeof v.manifest>();
    for (const m of v.manifest) if (!onBoard.has(m.personId)) groups.set(m.householdId, [...(groups.get(m.householdId) ?? []), m]);
    for (const [householdId, members] of groups) {
      const times = members.map((m) => boarded.get(m.personId)).filter((f): f is ScenarioFact => f !== undefined);
      const first = times.sort((x, y) => (x.deviceTime < y.deviceTime ? -1 : 1))[0];
      const whole = (a.householdSize.get(householdId) ?? members.length) === members.length;
      const splitReason = members.find((m) => m.splitReason)?.splitReason ?? splitOf.get(householdId);
      items.push({
        householdId,
        vehicleId: v.id,
        ...(whole ? {} : { memberIds: members.map((m) => m.personId) }),
        ...(whole || !splitReason ? {} : { splitReason }),
        at: first?.deviceTime ?? convoy.departedAt,
      });
    }
  }
  if (items.length) await boardHouseholds(officerAt(lastReceived), convoy.id, items);
  // The night's cars, vans and pick-ups: a head count each, no names.
  const counted = await loadState.headCountedVehicleIds(trx, a.operationId, convoy.id);
  const counts: HeadCountInput[] = [];
  for (const v of convoy.vehicles) {
    if (v.mode !== 'head_count' || !v.headCount || v.headCount.length === 0 || counted.has(v.id)) continue;
    const f = c.facts.find((x) => x.kind === 'boarded' && x.vehicleId === v.id && !x.personId);
    counts.push({ vehicleId: v.id, rows: v.headCount, at: f?.deviceTime ?? convoy.departedAt });
  }
  if (counts.length) await recordVehicleHeadCounts(officerAt(lastReceived), convoy.id, counts);
}

/**
 * Every other fact as the devices sent them (an offline phone's boarding among them): each device its queue, in one batch when it
 * reconnected (the time of its last fact's arrival), devices in the order they reconnected.
 * A fact already recorded (a resumed load) is accepted once by its id.
 */
async function sendFacts(trx: Executor, keys: KeyRing, officerAt: (iso: string) => Ctx, a: LoadActors, c: Chunk): Promise<number> {
  const byDevice = new Map<string, ScenarioFact[]>();
  for (const f of c.facts)
    if (f.kind !== 'boarded' || isPhoneBoarding(f)) byDevice.set(f.deviceId, [...(byDevice.get(f.deviceId) ?? []), f]);
  const queues = [...byDevice.entries()].sort(([, x], [, y]) =>
    (x.at(-1) as ScenarioFact).receivedAt < (y.at(-1) as ScenarioFact).receivedAt ? -1 : 1,
  );
  let sent = 0;
  for (const [device, queue] of queues) {
    const role = deviceRole(device, a.origin);
    for (let i = 0; i < queue.length; i += 500) {
      const batch = queue.slice(i, i + 500);
      const last = batch[batch.length - 1] as ScenarioFact;
      const ctx =
        role === 'convoy_officer'
          ? officerAt(last.receivedAt)
          : ctxOf(trx, keys, deviceActor(device), [role], new Date(last.receivedAt), a.operationId);
      await recordFactBatch(ctx, { facts: batch.map(toFactInput) });
      sent += batch.length;
    }
  }
  return sent;
}

/** A fact as its device sends it: the server sets the receive time and knows the operation from the URL. */
function toFactInput(f: ScenarioFact): Record<string, unknown> {
  const { receivedAt: _received, operationId: _op, ...rest } = f;
  return rest;
}

/** The whole convoy in one transaction; returns the facts sent. */
export async function loadChunk(trx: Executor, keys: KeyRing, a: LoadActors, c: Chunk): Promise<number> {
  const officerAt = (iso: string) => ctxOf(trx, keys, a.convoyOfficer, ['convoy_officer'], new Date(iso), a.operationId);
  await registerChunk(trx, keys, a, c.households);
  await setUpConvoy(trx, officerAt, a, c.convoy);
  await yieldToServer();
  await boardChunk(trx, officerAt, a, c);
  await yieldToServer();
  return sendFacts(trx, keys, officerAt, a, c);
}
