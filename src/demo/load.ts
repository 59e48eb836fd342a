/**
 * Loads the Aleppo 2016 scenario into a database through the services — the rules a field
 * device meets: registration (sealed names, blocking keys, tags checked against the site's
 * wristband range, audit), convoys and vehicles, boarding households onto the manifest
 * (families kept together unless split with a reason), head counts, movement facts through the
 * batch service (accepted once by id, placed by device time, counts maintained), check-ins.
 *
 * One transaction per convoy: the households registered for it, the convoy, its boardings and
 * every fact its devices recorded. A load interrupted half-way resumes where it stopped (a
 * convoy already present is skipped). The load is complete when its `demo.loaded` audit entry
 * exists.
 */
import type { Db } from '../db/connection.js';
import type { Executor } from '../db/queries/executor.js';
import * as ops from '../db/queries/operations.js';
import * as users from '../db/queries/users.js';
import { vehicleInput, movementWindowInput, routeInput } from '../domain/convoys/index.js';
import { permissionsOf, type Permission, type Role } from '../domain/policy.js';
import { generateScenario, type Scenario, type ScenarioConvoy, type ScenarioFact, type ScenarioHousehold } from '../domain/scenario/index.js';
import { deviceInput, operationInput, siteInput, tagRangeInput } from '../domain/schemas/operations.js';
import { personInput } from '../domain/schemas/persons.js';
import { encodeTag, formatTag, parseTag } from '../domain/tags.js';
import { createUser, hashPassword, randomPassword } from '../services/auth.js';
import { audit, type Actor, type Ctx } from '../services/context.js';
import { addVehicle, boardHousehold, createConvoy, recordVehicleHeadCount } from '../services/convoys.js';
import { createRoute, createWindow } from '../services/evacuation.js';
import { recordFactBatch } from '../services/facts.js';
import type { KeyRing } from '../services/keyring.js';
import { allocateTagRange, createDevice, createOperation, createSite, setStaffRoles } from '../services/operations.js';
import { registerHousehold } from '../services/persons.js';

export const DEMO_SEED = 2016;
export const DEMO_OPERATION_ID = 'aleppo-2016';
/** One account per field role, `demo-<role>` (dashes for underscores). */
export const DEMO_ROLES = ['coordinator', 'registrar', 'convoy_officer', 'checkpoint_monitor', 'reception_officer', 'tracing_officer', 'viewer'] as const satisfies readonly Role[];
export const demoUsername = (role: string) => `demo-${role.replace(/_/g, '-')}`;

export interface DemoAccount { username: string; password: string; role: Role }

export interface LoadProgress {
  /** People registered so far (records, duplicates included), of `totalPeople`. */
  people: number;
  totalPeople: number;
  convoys: number;
  totalConvoys: number;
  facts: number;
}

export interface LoadOptions {
  /** The administrator who sets the operation up (its creator). */
  adminId: string;
  people?: number;
  seed?: number;
  onProgress?: (p: LoadProgress) => void;
  /** An already generated scenario (tests); otherwise generated from seed and people. */
  scenario?: Scenario;
}

export interface LoadResult {
  operationId: string;
  /** False when the operation was already loaded: nothing was written. */
  loaded: boolean;
  /** Demo accounts created by this call, with their passwords (shown once). */
  accounts: DemoAccount[];
  seconds: number;
  scenario: Scenario;
}

const HOUSEHOLDS_PER_TRANSACTION = 20;

/**
 * PGlite answers within microtasks, so a chain of awaited queries never lets the event loop
 * accept a connection: a load running beside the server yields between steps, or the server
 * would not answer until the load ends.
 */
const yieldToServer = () => new Promise<void>((resolve) => setImmediate(resolve));
const LOADED_ACTION = 'demo.loaded';

/** True when the database holds no operation at all (a fresh install). */
export async function hasNoOperation(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('operations').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/** State of the demo operation: absent, partly loaded, or loaded. */
export async function demoState(db: Executor, operationId = DEMO_OPERATION_ID): Promise<'absent' | 'partial' | 'loaded'> {
  if (!(await ops.findOperation(db, operationId))) return 'absent';
  const done = await db.selectFrom('audit_log').select('action').where('operation_id', '=', operationId).where('action', '=', LOADED_ACTION).limit(1).executeTakeFirst();
  return done ? 'loaded' : 'partial';
}

function ctxOf(db: Executor, keys: KeyRing, actor: Actor, roles: Role[], now: Date, operationId?: string, extra: Permission[] = []): Ctx {
  const permissions = permissionsOf(roles);
  for (const p of extra) permissions.add(p);
  return { db, keys, actor, roles, permissions, now, ...(operationId ? { operationId } : {}) };
}

const deviceActor = (id: string): Actor => ({ kind: 'device', id, name: id, isAdmin: false });

/** What a device of the scenario does, from its id (`<site>-desk-NN`, `<site>-monitor-NN`, `<site>-officer-NN`). */
export function deviceRole(deviceId: string, origin: string): 'registrar' | 'checkpoint_monitor' | 'reception_officer' | 'convoy_officer' {
  if (deviceId.includes('-monitor-')) return 'checkpoint_monitor';
  if (deviceId.startsWith(`${origin}-`)) return deviceId.includes('-officer-') ? 'convoy_officer' : 'registrar';
  return 'reception_officer';
}

/**
 * Wristband serials: the generator draws each site's tags from its own 20-million range; the
 * operation's ranges are handed out by the service one after another from serial 0. Each site
 * gets a range as long as the span it uses, and tags are carried over by their offset in it.
 */
export class TagMap {
  private readonly bases = new Map<string, { from: number; to: number; base: number }>();
  set(siteFirst: number, siteLast: number, base: number) { this.bases.set(String(siteFirst), { from: siteFirst, to: siteLast, base }); }
  map(tag: string): string {
    const parsed = parseTag(tag);
    if (!parsed.ok) throw new Error(`scenario tag ${tag} is not valid: ${parsed.message}`);
    for (const r of this.bases.values()) if (parsed.serial >= r.from && parsed.serial <= r.to) return formatTag(encodeTag(r.base + parsed.serial - r.from));
    throw new Error(`scenario tag ${tag} is in no site's range`);
  }
}

export function usedSpans(s: Scenario): Map<string, number> {
  const span = new Map<string, number>();
  for (const h of s.households) {
    for (const m of h.members) {
      if (!m.tag) continue;
      const parsed = parseTag(m.tag);
      if (!parsed.ok) continue;
      const site = s.sites.find((x) => parsed.serial >= x.tagRange.first && parsed.serial <= x.tagRange.last);
      if (site) span.set(site.id, Math.max(span.get(site.id) ?? 0, parsed.serial - site.tagRange.first + 1));
    }
  }
  return span;
}

async function setUp(db: Db, keys: KeyRing, s: Scenario, adminId: string, at: Date): Promise<{ accounts: DemoAccount[] }> {
  const admin = await users.findUserById(db.kysely, adminId);
  if (!admin) throw new Error(`no user ${adminId} to set the demo operation up`);
  const actor: Actor = { kind: 'user', id: admin.id, name: admin.username, isAdmin: admin.is_admin };
  const accounts: DemoAccount[] = DEMO_ROLES.map((role) => ({ username: demoUsername(role), password: randomPassword(), role }));
  return db.kysely.transaction().execute(async (trx) => {
    const o = s.operation;
    await createOperation(ctxOf(trx, keys, actor, [], at), operationInput.parse({ code: o.code, nameEn: o.nameEn, nameAr: o.nameAr, originArea: o.originArea, status: 'active', timeZone: o.timeZone }), o.id);
    const ctx = ctxOf(trx, keys, actor, ['admin', 'coordinator'], at, o.id);
    for (const site of s.sites) {
      await createSite(ctx, siteInput.parse({ id: site.id, kind: site.kind, nameEn: site.nameEn, nameAr: site.nameAr, lat: site.lat, lon: site.lon, ...(site.capacity > 0 ? { capacity: site.capacity } : {}) }));
    }
    for (const r of s.routes) await createRoute(ctx, routeInput.parse({ id: r.id, name: r.nameEn, siteIds: r.siteIds }));
    for (const w of s.windows) if (w.departuresAllowed) await createWindow(ctx, movementWindowInput.parse({ start: w.from, end: w.to, note: w.noteEn.slice(0, 200) }));
    const deviceIds = new Set<string>([...s.households.map((h) => h.deviceId), ...s.facts.map((f) => f.deviceId)]);
    const origin = s.routes[0]?.siteIds[0] ?? '';
    for (const id of [...deviceIds].sort()) {
      const role = deviceRole(id, origin);
      if (role === 'convoy_officer') continue; // convoy officers work on the board with their accounts, not device tokens
      const siteId = s.sites.find((x) => id.startsWith(`${x.id}-`))?.id;
      // The device's token is shown once by the service; the demo has no use for it.
      await createDevice(ctx, deviceInput.parse({ id, name: id, role, ...(siteId ? { siteId } : {}) }));
    }
    for (const a of accounts) {
      const u = await createUser(trx, { username: a.username, displayName: `Demo ${a.role.replace(/_/g, ' ')}`, password: a.password, isAdmin: false }, { id: actor.id, kind: 'user' }, at);
      await setStaffRoles(ctx, u.id, [a.role]);
    }
    return { accounts };
  });
}

async function allocateTags(db: Db, keys: KeyRing, s: Scenario, adminId: string, at: Date): Promise<TagMap> {
  const map = new TagMap();
  const spans = usedSpans(s);
  const actor: Actor = { kind: 'user', id: adminId, name: 'admin', isAdmin: true };
  return db.kysely.transaction().execute(async (trx) => {
    const ctx = ctxOf(trx, keys, actor, ['admin'], at, s.operation.id);
    const existing = await ops.listTagRanges(trx, s.operation.id);
    for (const site of s.sites) {
      const mine = existing.filter((r) => r.site_id === site.id).sort((a, b) => a.first_serial - b.first_serial);
      if (mine.length > 0) {
        map.set(site.tagRange.first, site.tagRange.last, (mine[0] as (typeof mine)[number]).first_serial);
        continue;
      }
      // Whole blocks of 2,000, as the rolls are printed; at least one block per site.
      let left = Math.max(2000, Math.ceil((spans.get(site.id) ?? 0) / 2000) * 2000);
      let base: number | undefined;
      while (left > 0) {
        const count = Math.min(left, 100_000);
        const r = await allocateTagRange(ctx, tagRangeInput.parse({ count, siteId: site.id, label: `${site.nameEn} wristbands` }));
        base ??= r.firstSerial;
        left -= count;
      }
      map.set(site.tagRange.first, site.tagRange.last, base as number);
    }
    return map;
  });
}

/** The convoy's chunk: households registered for it (and walk-ins), the convoy, its facts. */
export interface Chunk { households: ScenarioHousehold[]; convoy: ScenarioConvoy; facts: ScenarioFact[] }

export function chunksOf(s: Scenario): Chunk[] {
  const byConvoy = new Map<string, Chunk>();
  const ordered = [...s.convoys].sort((a, b) => (a.departedAt < b.departedAt ? -1 : 1));
  for (const c of ordered) byConvoy.set(c.id, { households: [], convoy: c, facts: [] });
  for (const f of s.facts) if (f.convoyId) byConvoy.get(f.convoyId)?.facts.push(f);
  const firstOf = new Map<string, number>();
  ordered.forEach((c, i) => { for (const v of c.vehicles) for (const m of v.manifest) if (!firstOf.has(m.personId)) firstOf.set(m.personId, i); });
  // Walk-ins: registered at reception when the convoy they came with arrived.
  for (const f of s.facts) if (f.kind === 'checked_in' && f.convoyId && !firstOf.has(f.personId)) firstOf.set(f.personId, ordered.findIndex((c) => c.id === f.convoyId));
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

interface Actors { convoyOfficer: Actor; origin: string; tags: TagMap; operationId: string; householdSize: Map<string, number> }

async function registerAll(trx: Executor, keys: KeyRing, a: Actors, households: ScenarioHousehold[]) {
  for (const h of households) {
    // The scenario records category and medical notes at the desk; in the field a coordinator and a medic add them.
    const ctx = ctxOf(trx, keys, deviceActor(h.deviceId), ['registrar'], new Date(h.registeredAt), a.operationId, ['person.category', 'person.medical']);
    await yieldToServer();
    if (await trx.selectFrom('households').select('id').where('operation_id', '=', a.operationId).where('id', '=', h.id).executeTakeFirst()) continue;
    // Duplicates are proposed by the batch dedupe after a bulk load, not one registration at a time.
    await registerHousehold(ctx, {
      id: h.id, siteId: h.siteId,
      members: h.members.map((m) => personInput.parse({ ...m, ...(m.tag ? { tag: a.tags.map(m.tag) } : {}) })),
    }, { flagDuplicates: false });
  }
}

async function loadConvoy(db: Db, keys: KeyRing, a: Actors, c: Chunk): Promise<number> {
  const convoy = c.convoy;
  const tx = async <T>(fn: (trx: Executor) => Promise<T>) => {
    const out = await db.kysely.transaction().execute(fn);
    await yieldToServer();
    return out;
  };
  const officerAt = (trx: Executor, iso: string) => ctxOf(trx, keys, a.convoyOfficer, ['convoy_officer'], new Date(iso), a.operationId);
  const planned = new Date(Date.parse(convoy.departedAt) - 3 * 3_600_000).toISOString();
  await tx(async (trx) => {
    if (await trx.selectFrom('convoys').select('id').where('operation_id', '=', a.operationId).where('id', '=', convoy.id).executeTakeFirst()) return;
    await createConvoy(officerAt(trx, planned), { id: convoy.id, routeId: convoy.routeId, name: convoy.label });
    for (const v of convoy.vehicles) {
      await addVehicle(officerAt(trx, planned), convoy.id, vehicleInput.parse({ id: v.id, kind: v.kind, capacity: v.capacity, mode: v.mode, plate: v.label }));
    }
  });
  // Boardings: by household and vehicle, at the time the officer recorded the first of them.
  const boarded = new Map<string, ScenarioFact>();
  for (const f of c.facts) if (f.kind === 'boarded' && f.personId) boarded.set(f.personId, f);
  for (const v of convoy.vehicles) {
    await tx(async (trx) => {
      if (v.mode === 'head_count') {
        if (!v.headCount || v.headCount.length === 0) return;
        const done = await trx.selectFrom('vehicles').select('head_count').where('operation_id', '=', a.operationId).where('id', '=', v.id).executeTakeFirst();
        if (done?.head_count) return;
        const f = c.facts.find((x) => x.kind === 'boarded' && x.vehicleId === v.id && !x.personId);
        await recordVehicleHeadCount(officerAt(trx, f?.receivedAt ?? convoy.departedAt), convoy.id, { vehicleId: v.id, rows: v.headCount, at: f?.deviceTime ?? convoy.departedAt });
        return;
      }
      const onBoard = new Set((await trx.selectFrom('manifest_entries').select('person_id').where('operation_id', '=', a.operationId).where('convoy_id', '=', convoy.id).where('vehicle_id', '=', v.id).execute()).map((r) => r.person_id));
      const groups = new Map<string, typeof v.manifest>();
      for (const m of v.manifest) if (!onBoard.has(m.personId)) groups.set(m.householdId, [...(groups.get(m.householdId) ?? []), m]);
      for (const [householdId, members] of groups) {
        await yieldToServer();
        const times = members.map((m) => boarded.get(m.personId)).filter((f): f is ScenarioFact => f !== undefined);
        const first = times.sort((x, y) => (x.deviceTime < y.deviceTime ? -1 : 1))[0];
        const whole = (a.householdSize.get(householdId) ?? members.length) === members.length;
        const splitReason = members.find((m) => m.splitReason)?.splitReason ?? convoy.vehicles.flatMap((x) => x.manifest).find((m) => m.householdId === householdId && m.splitReason)?.splitReason;
        await boardHousehold(officerAt(trx, first?.receivedAt ?? convoy.departedAt), convoy.id, {
          householdId, vehicleId: v.id, ...(whole ? {} : { memberIds: members.map((m) => m.personId) }),
          ...(whole || !splitReason ? {} : { splitReason }), at: first?.deviceTime ?? convoy.departedAt,
        });
      }
    });
  }
  // Every other fact as the devices sent them: each device its queue, in one batch when it
  // reconnected (the time of its last fact's arrival), devices in the order they reconnected.
  // A fact already recorded (a resumed load) is accepted once by its id.
  const byDevice = new Map<string, ScenarioFact[]>();
  for (const f of c.facts) if (f.kind !== 'boarded') byDevice.set(f.deviceId, [...(byDevice.get(f.deviceId) ?? []), f]);
  const queues = [...byDevice.entries()].sort(([, x], [, y]) => ((x.at(-1) as ScenarioFact).receivedAt < (y.at(-1) as ScenarioFact).receivedAt ? -1 : 1));
  let sent = 0;
  for (const [device, queue] of queues) {
    const role = deviceRole(device, a.origin);
    for (let i = 0; i < queue.length; i += 500) {
      const batch = queue.slice(i, i + 500);
      const last = batch[batch.length - 1] as ScenarioFact;
      await tx((trx) => recordFactBatch(role === 'convoy_officer' ? officerAt(trx, last.receivedAt) : ctxOf(trx, keys, deviceActor(device), [role], new Date(last.receivedAt), a.operationId), { facts: batch.map(toFactInput) }));
      sent += batch.length;
    }
  }
  return sent;
}

function toFactInput(f: ScenarioFact): Record<string, unknown> {
  const { deviceId: _device, receivedAt: _received, operationId: _op, ...rest } = f;
  return rest;
}

export interface PreparedDemo {
  operationId: string;
  scenario: Scenario;
  /** 'loaded': nothing to do; otherwise `runDemoLoad` loads what is missing. */
  state: 'absent' | 'partial' | 'loaded';
  /** Demo accounts created (or, for a load interrupted before, given new passwords) now: shown once. */
  accounts: DemoAccount[];
  tags?: TagMap;
  adminId: string;
}

/**
 * Step one, quick: generates the scenario and, unless the operation is loaded, sets it up (the
 * operation, sites, routes, windows, devices, wristband ranges, one account per role).
 */
export async function prepareDemo(db: Db, keys: KeyRing, opts: Omit<LoadOptions, 'onProgress'>): Promise<PreparedDemo> {
  const s = opts.scenario ?? generateScenario({ seed: opts.seed ?? DEMO_SEED, ...(opts.people ? { people: opts.people } : {}) });
  const operationId = s.operation.id;
  const state = await demoState(db.kysely, operationId);
  if (state === 'loaded') return { operationId, scenario: s, state, accounts: [], adminId: opts.adminId };
  const setupAt = new Date(Date.parse(s.operation.startsAt) - 2 * 86_400_000);
  const accounts = state === 'absent' ? (await setUp(db, keys, s, opts.adminId, setupAt)).accounts : await resetDemoPasswords(db, keys, opts.adminId, setupAt);
  const tags = await allocateTags(db, keys, s, opts.adminId, setupAt);
  return { operationId, scenario: s, state, accounts, tags, adminId: opts.adminId };
}

/**
 * Step two, long: registers, boards and moves everyone, convoy by convoy, in short transactions
 * (a group of households, a vehicle's boardings, a device's batch of facts), so a server
 * answering meanwhile waits at most one of them and its counts are always whole.
 */
export async function runDemoLoad(db: Db, keys: KeyRing, p: PreparedDemo, onProgress?: (p: LoadProgress) => void): Promise<{ facts: number; seconds: number }> {
  const t0 = performance.now();
  const s = p.scenario;
  if (p.state === 'loaded' || !p.tags) return { facts: 0, seconds: 0 };
  const officer = await users.findUserByUsername(db.kysely, demoUsername('convoy_officer'));
  if (!officer) throw new Error('the demo convoy officer account is missing');
  const actors: Actors = { convoyOfficer: { kind: 'user', id: officer.id, name: officer.username, isAdmin: false }, origin: s.routes[0]?.siteIds[0] ?? '', tags: p.tags, operationId: p.operationId, householdSize: new Map(s.households.map((h) => [h.id, h.members.length])) };
  const chunks = chunksOf(s);
  const progress: LoadProgress = { people: 0, totalPeople: s.truth.totals.registeredRecords, convoys: 0, totalConvoys: chunks.length, facts: 0 };
  onProgress?.({ ...progress });
  for (const c of chunks) {
    for (let i = 0; i < c.households.length; i += HOUSEHOLDS_PER_TRANSACTION) {
      const group = c.households.slice(i, i + HOUSEHOLDS_PER_TRANSACTION);
      await db.kysely.transaction().execute((trx) => registerAll(trx, keys, actors, group));
      await yieldToServer();
      progress.people += group.reduce((n, h) => n + h.members.length, 0);
      onProgress?.({ ...progress });
    }
    progress.facts += await loadConvoy(db, keys, actors, c);
    progress.convoys++;
    onProgress?.({ ...progress });
  }
  await db.kysely.transaction().execute((trx) => audit(
    ctxOf(trx, keys, { kind: 'user', id: p.adminId, name: 'admin', isAdmin: true }, ['admin'], new Date(), p.operationId),
    { action: LOADED_ACTION, subjectKind: 'operation', subjectId: p.operationId, details: { seed: s.seed, people: s.truth.totals.registeredRecords, facts: progress.facts } },
  ));
  return { facts: progress.facts, seconds: (performance.now() - t0) / 1000 };
}

/** Both steps: loads the demo operation unless it is loaded already. */
export async function loadDemo(db: Db, keys: KeyRing, opts: LoadOptions): Promise<LoadResult> {
  const t0 = performance.now();
  const prepared = await prepareDemo(db, keys, opts);
  if (prepared.state === 'loaded') return { operationId: prepared.operationId, loaded: false, accounts: [], seconds: 0, scenario: prepared.scenario };
  await runDemoLoad(db, keys, prepared, opts.onProgress);
  return { operationId: prepared.operationId, loaded: true, accounts: prepared.accounts, seconds: (performance.now() - t0) / 1000, scenario: prepared.scenario };
}

/** A load interrupted before its accounts were shown: new passwords, shown this time. */
async function resetDemoPasswords(db: Db, keys: KeyRing, adminId: string, at: Date): Promise<DemoAccount[]> {
  const out: DemoAccount[] = [];
  for (const role of DEMO_ROLES) {
    const u = await users.findUserByUsername(db.kysely, demoUsername(role));
    if (!u) continue;
    const password = randomPassword();
    const hash = await hashPassword(password);
    await db.kysely.transaction().execute(async (trx) => {
      await users.setPassword(trx, u.id, hash);
      await audit(ctxOf(trx, keys, { kind: 'user', id: adminId, name: 'admin', isAdmin: true }, ['admin'], at), { operationId: null, action: 'user.password_reset', subjectKind: 'user', subjectId: u.id, details: { reason: 'demo load resumed' } });
    });
    out.push({ username: u.username, password, role });
  }
  return out;
}
