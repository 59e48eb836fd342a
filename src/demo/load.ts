/**
 * Loads the Aleppo 2016 scenario into a database through the services — the rules a field
 * device meets: registration (sealed names, blocking keys, tags checked against the site's
 * wristband range, audit), convoys and vehicles, boarding households onto the manifest
 * (families kept together unless split with a reason), head counts, movement facts through the
 * batch service (accepted once by id, placed by device time, counts maintained), check-ins,
 * tracing requests, then the batch duplicate scan.
 *
 * The services' batch paths do the work (one desk's queue of households, one convoy's
 * boardings, one device's queue of facts), one transaction per convoy (load-convoy.ts). A load
 * interrupted half-way resumes where it stopped: each step skips what is already there. The
 * load is complete when its `demo.loaded` audit entry exists.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/connection.js';
import { movementWindowInput, routeInput } from '../domain/convoys/index.js';
import type { Role } from '../domain/policy.js';
import { generateScenario, shiftDaysEndingAt, shiftScenario, type Scenario } from './scenario/index.js';
import { deviceInput, deviceRoles, operationInput, siteInput, tagRangeInput } from '../domain/schemas/operations.js';
import { createUser, hashPassword, randomPassword } from '../services/accounts/auth.js';
import { audit, type Actor } from '../services/context.js';
import { createRoute, createWindow } from '../services/operations/evacuation.js';
import { watchOverPast } from '../services/convoy-ops/overdue.js';
import type { KeyRing } from '../services/keys/keyring.js';
import { allocateTagRange, createDevice, createOperation, createSite } from '../services/operations/operations.js';
import { setStaffRoles } from '../services/operations/staff.js';
import * as loadState from '../services/demo/load-state.js';
import type { Executor } from '../services/demo/load-state.js';
import { chunksOf, ctxOf, deviceRole, loadChunk, Statistics, yieldToServer, type LoadActors } from './load-convoy.js';
import { loadTracingRequests, scanDuplicates } from './load-tracing.js';
import { loadOutsideSources } from './load-sources.js';
import { TagMap, usedSpans } from './tags.js';

export { chunksOf, deviceRole, type Chunk } from './load-convoy.js';
export { TagMap, usedSpans } from './tags.js';

export const DEMO_SEED = 2016;
export const DEMO_OPERATION_ID = 'aleppo-2016';
/**
 * The demo's accounts: one per field role, and a second tracing officer — a proposed "this is the
 * person" is confirmed by another tracing officer than the one who proposed it (four eyes,
 * tracing.same_officer), so one alone could not finish a case. And a field lead: the operation's
 * admin who also holds every role a device can be given, because registering a device takes the
 * admin role and every permission of the device's role (a token never holds more than its maker);
 * without it nobody in the demo could register a phone (the system admin holds no role there and
 * may not grant itself one). Real operations keep those duties apart; only the demo joins them.
 * Each is `demo-<label>-<random>` (dashes for underscores): the suffix is drawn when the demo is
 * set up, so nobody can guess a demo account's name on someone's server; the label tells two
 * accounts of one role apart. `role` is the role the account is found by; `alsoHolds` the others.
 */
const DEMO_ACCOUNT_SPECS = [
  { label: 'coordinator', role: 'coordinator' },
  { label: 'registrar', role: 'registrar' },
  { label: 'convoy_officer', role: 'convoy_officer' },
  { label: 'checkpoint_monitor', role: 'checkpoint_monitor' },
  { label: 'reception_officer', role: 'reception_officer' },
  { label: 'tracing_officer', role: 'tracing_officer' },
  { label: 'tracing_officer_2', role: 'tracing_officer' },
  { label: 'viewer', role: 'viewer' },
  { label: 'lead', role: 'admin', alsoHolds: deviceRoles },
] as const satisfies readonly { label: string; role: Role; alsoHolds?: readonly Role[] }[];
export type DemoLabel = (typeof DEMO_ACCOUNT_SPECS)[number]['label'];
export const DEMO_ACCOUNTS: readonly { label: DemoLabel; role: Role; alsoHolds?: readonly Role[] }[] = DEMO_ACCOUNT_SPECS;
/** Every role a demo account holds in the operation: the one it is found by first. */
export const demoAccountRoles = (a: { role: Role; alsoHolds?: readonly Role[] }): Role[] => [a.role, ...(a.alsoHolds ?? [])];
const SUFFIX_HEX = 10;
const namePart = (label: string) => label.replace(/_/g, '-');
export const demoUsername = (label: string) => `demo-${namePart(label)}-${randomBytes(SUFFIX_HEX / 2).toString('hex')}`;
/** Whether `username` is the demo account of `label`: its exact prefix, then the random suffix only. */
const isDemoUsername = (username: string, label: string) => new RegExp(`^demo-${namePart(label)}-[0-9a-f]{${SUFFIX_HEX}}$`).test(username);

/**
 * The demo accounts of the operation, by label: found by their grants there (the role) and the
 * label in the name, not by a name anyone could predict.
 */
async function demoAccounts(db: Executor, operationId: string): Promise<Map<DemoLabel, { id: string; username: string }>> {
  const out = new Map<DemoLabel, { id: string; username: string }>();
  const staff = await loadState.staffOf(db, operationId);
  for (const a of DEMO_ACCOUNTS) {
    const s = staff.find((x) => x.role === a.role && isDemoUsername(x.username, a.label));
    if (s) out.set(a.label, { id: s.id, username: s.username });
  }
  return out;
}

export interface DemoAccount {
  /** The role's name, `tracing_officer_2` for the second tracing officer, `lead` for the field lead. */
  label: DemoLabel;
  username: string;
  password: string;
  /** The role the account is named for (the field lead's: admin). */
  role: Role;
  /** Every role it holds in the demo operation, `role` first. */
  roles: Role[];
}

export interface LoadProgress {
  /** Convoys first (the numbers on the dashboard), then tracing requests, then the duplicate scan. */
  stage: 'convoys' | 'tracing' | 'duplicates' | 'done';
  /** People registered so far (records, duplicates included), of `totalPeople`. */
  people: number;
  totalPeople: number;
  convoys: number;
  totalConvoys: number;
  facts: number;
  tracing: number;
  totalTracing: number;
}

export interface LoadTimes {
  facts: number;
  /** The whole load; then its parts: the convoys (every count whole), the tracing requests, the duplicate scan. */
  seconds: number;
  convoySeconds: number;
  tracingSeconds: number;
  duplicateSeconds: number;
  proposedDuplicates: number;
}

/**
 * Where the demo's week sits on the calendar when the operation is first set up: `today` moves
 * every scenario time by the whole days that end its last day today (src/demo/scenario/timeline.ts),
 * `2016` keeps the scenario's own dates (15–22 December 2016). A resumed or loaded operation
 * keeps the shift it was set up with, whatever is asked.
 */
export type DemoDates = 'today' | '2016';

export interface LoadOptions {
  /** The administrator who sets the operation up (its creator). */
  adminId: string;
  people?: number;
  seed?: number;
  /** Default `2016` here (tests, benches); `corridor serve` places the demo on today's calendar. */
  dates?: DemoDates;
  /** The "today" of `dates: 'today'` (tests); the clock otherwise. */
  now?: Date;
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
  /** The scenario on the operation's calendar, and the whole days its times were moved by. */
  scenario: Scenario;
  shiftDays: number;
}

const LOADED_ACTION = 'demo.loaded';
/** Written when the operation is set up; its details keep the shift the demo's times were placed with. */
const PREPARED_ACTION = 'demo.prepared';

export { hasNoOperation } from '../services/demo/load-state.js';

/** State of the demo operation: absent, partly loaded, or loaded. */
export async function demoState(db: Executor, operationId = DEMO_OPERATION_ID): Promise<'absent' | 'partial' | 'loaded'> {
  if (!(await loadState.operationExists(db, operationId))) return 'absent';
  return (await loadState.hasAuditAction(db, operationId, LOADED_ACTION)) ? 'loaded' : 'partial';
}

async function setUp(
  db: Db,
  keys: KeyRing,
  s: Scenario,
  adminId: string,
  at: Date,
  shiftDays: number,
): Promise<{ accounts: DemoAccount[] }> {
  const admin = await loadState.findUser(db.kysely, adminId);
  if (!admin) throw new Error(`no user ${adminId} to set the demo operation up`);
  const actor: Actor = { kind: 'user', id: admin.id, name: admin.username, isAdmin: admin.is_admin };
  const accounts: DemoAccount[] = DEMO_ACCOUNTS.map((a) => ({
    label: a.label,
    username: demoUsername(a.label),
    password: randomPassword(),
    role: a.role,
    roles: demoAccountRoles(a),
  }));
  return db.kysely.transaction().execute(async (trx) => {
    const o = s.operation;
    await createOperation(
      ctxOf(trx, keys, actor, [], at),
      operationInput.parse({
        code: o.code,
        nameEn: o.nameEn,
        nameAr: o.nameAr,
        originArea: o.originArea,
        status: 'active',
        timeZone: o.timeZone,
      }),
      o.id,
    );
    const ctx = ctxOf(trx, keys, actor, ['admin', 'coordinator'], at, o.id);
    await audit(ctx, {
      action: PREPARED_ACTION,
      subjectKind: 'operation',
      subjectId: o.id,
      details: { seed: s.seed, people: s.truth.totals.registeredRecords, shiftDays, startsAt: o.startsAt, endsAt: o.endsAt },
    });
    for (const site of s.sites) {
      await createSite(
        ctx,
        siteInput.parse({
          id: site.id,
          kind: site.kind,
          nameEn: site.nameEn,
          nameAr: site.nameAr,
          lat: site.lat,
          lon: site.lon,
          ...(site.capacity > 0 ? { capacity: site.capacity } : {}),
        }),
      );
    }
    for (const r of s.routes)
      await createRoute(
        ctx,
        routeInput.parse({ id: r.id, name: r.nameEn, nameAr: r.nameAr, siteIds: r.siteIds, legMinutes: r.legMinutes }),
      );
    for (const w of s.windows)
      if (w.departuresAllowed)
        await createWindow(
          ctx,
          movementWindowInput.parse({ start: w.from, end: w.to, note: w.noteEn.slice(0, 200), noteAr: w.noteAr.slice(0, 200) }),
        );
    const deviceIds = new Set<string>([...s.households.map((h) => h.deviceId), ...s.facts.map((f) => f.deviceId)]);
    const origin = s.routes[0]?.siteIds[0] ?? '';
    for (const id of [...deviceIds].sort()) {
      const role = deviceRole(id, origin);
      if (role === 'convoy_officer') continue; // convoy officers work on the board with their accounts, not device tokens
      const siteId = s.sites.find((x) => id.startsWith(`${x.id}-`))?.id;
      // The device's token is shown once by the service; the demo has no use for it. The demo's
      // set-up acts with the device's role too (a token never holds more than its maker).
      await createDevice(
        ctxOf(trx, keys, actor, ['admin', 'coordinator', role], at, o.id),
        deviceInput.parse({ id, name: id, role, ...(siteId ? { siteId } : {}) }),
      );
    }
    for (const a of accounts) {
      const u = await createUser(
        trx,
        { username: a.username, displayName: `Demo ${a.label.replace(/_/g, ' ')}`, password: a.password, isAdmin: false },
        { id: actor.id, kind: 'user' },
        at,
      );
      await setStaffRoles(ctx, u.id, a.roles);
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
    const existing = await loadState.tagRangesOf(trx, s.operation.id);
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

export interface PreparedDemo {
  operationId: string;
  /** The scenario on the operation's calendar: every time moved by `shiftDays`. */
  scenario: Scenario;
  /** Whole days the scenario's times were moved by when the operation was set up (0: December 2016). */
  shiftDays: number;
  /** 'loaded': nothing to do; otherwise `runDemoLoad` loads what is missing. */
  state: 'absent' | 'partial' | 'loaded';
  /** Demo accounts created (or, for a load interrupted before, given new passwords) now: shown once. */
  accounts: DemoAccount[];
  tags?: TagMap;
  adminId: string;
}

/**
 * Step one, quick: generates the scenario and, unless the operation is loaded, sets it up (the
 * operation, sites, routes, windows, devices, wristband ranges, the demo accounts).
 */
export async function prepareDemo(db: Db, keys: KeyRing, opts: Omit<LoadOptions, 'onProgress'>): Promise<PreparedDemo> {
  const generated = opts.scenario ?? generateScenario({ seed: opts.seed ?? DEMO_SEED, ...(opts.people ? { people: opts.people } : {}) });
  const operationId = generated.operation.id;
  const state = await demoState(db.kysely, operationId);
  // Chosen once, when the operation is set up; a resumed load or a later start reads it back.
  const shiftDays =
    state === 'absent'
      ? opts.dates === 'today'
        ? shiftDaysEndingAt(generated, opts.now ?? new Date())
        : 0
      : await loadState.preparedShiftDays(db.kysely, operationId, PREPARED_ACTION);
  const s = shiftScenario(generated, shiftDays);
  if (state === 'loaded') return { operationId, scenario: s, shiftDays, state, accounts: [], adminId: opts.adminId };
  const setupAt = new Date(Date.parse(s.operation.startsAt) - 2 * 86_400_000);
  const accounts =
    state === 'absent'
      ? (await setUp(db, keys, s, opts.adminId, setupAt, shiftDays)).accounts
      : await resetDemoPasswords(db, keys, operationId, opts.adminId, setupAt);
  const tags = await allocateTags(db, keys, s, opts.adminId, setupAt);
  return { operationId, scenario: s, shiftDays, state, accounts, tags, adminId: opts.adminId };
}

/**
 * Step two: registers, boards and moves everyone, one transaction per convoy (its households,
 * convoy, boardings and facts), so a server answering meanwhile waits at most one convoy and
 * its counts are always whole; then the tracing requests and the duplicate scan.
 */
export async function runDemoLoad(db: Db, keys: KeyRing, p: PreparedDemo, onProgress?: (p: LoadProgress) => void): Promise<LoadTimes> {
  const t0 = performance.now();
  const s = p.scenario;
  if (p.state === 'loaded' || !p.tags)
    return { facts: 0, seconds: 0, convoySeconds: 0, tracingSeconds: 0, duplicateSeconds: 0, proposedDuplicates: 0 };
  const staff = await demoAccounts(db.kysely, p.operationId);
  const account = (label: DemoLabel): Actor => {
    const u = staff.get(label);
    if (!u) throw new Error(`the demo ${label} account is missing`);
    return { kind: 'user', id: u.id, name: u.username, isAdmin: false };
  };
  const actors: LoadActors = {
    convoyOfficer: account('convoy_officer'),
    origin: s.routes[0]?.siteIds[0] ?? '',
    tags: p.tags,
    operationId: p.operationId,
    householdSize: new Map(s.households.map((h) => [h.id, h.members.length])),
    statistics: new Statistics(),
    registered: 0,
  };
  const chunks = chunksOf(s);
  const progress: LoadProgress = {
    stage: 'convoys',
    people: 0,
    totalPeople: s.truth.totals.registeredRecords,
    convoys: 0,
    totalConvoys: chunks.length,
    facts: 0,
    tracing: 0,
    totalTracing: s.tracingRequests.length,
  };
  onProgress?.({ ...progress });
  for (const c of chunks) {
    progress.facts += await db.kysely.transaction().execute((trx) => loadChunk(trx, keys, actors, c));
    await yieldToServer();
    progress.people += c.households.reduce((n, h) => n + h.members.length, 0);
    progress.convoys++;
    onProgress?.({ ...progress });
  }
  // The overdue alerts those days would have raised (the 16 December convoy stopped at the crossing
  // among them), as the watch sees them every ten minutes; raised again on a resumed load changes nothing.
  await db.kysely
    .transaction()
    .execute((trx) =>
      watchOverPast(trx, p.operationId, { from: new Date(s.operation.startsAt), to: new Date(s.operation.endsAt), stepMinutes: 10 }),
    );
  const t1 = performance.now();
  progress.stage = 'tracing';
  onProgress?.({ ...progress });
  await loadTracingRequests(db, keys, s, p.operationId, account('tracing_officer'), (done) => {
    progress.tracing = done;
    onProgress?.({ ...progress });
  });
  await loadOutsideSources(db, keys, s, p.operationId, account('coordinator'));
  const t2 = performance.now();
  progress.stage = 'duplicates';
  onProgress?.({ ...progress });
  const scan = await scanDuplicates(db, keys, p.operationId, account('coordinator'), new Date());
  const t3 = performance.now();
  await db.kysely.transaction().execute((trx) =>
    audit(ctxOf(trx, keys, { kind: 'user', id: p.adminId, name: 'admin', isAdmin: true }, ['admin'], new Date(), p.operationId), {
      action: LOADED_ACTION,
      subjectKind: 'operation',
      subjectId: p.operationId,
      details: {
        seed: s.seed,
        people: s.truth.totals.registeredRecords,
        shiftDays: p.shiftDays,
        facts: progress.facts,
        tracingRequests: s.tracingRequests.length,
        proposedDuplicates: scan.proposed,
      },
    }),
  );
  progress.stage = 'done';
  onProgress?.({ ...progress });
  return {
    facts: progress.facts,
    seconds: (performance.now() - t0) / 1000,
    convoySeconds: (t1 - t0) / 1000,
    tracingSeconds: (t2 - t1) / 1000,
    duplicateSeconds: (t3 - t2) / 1000,
    proposedDuplicates: scan.proposed,
  };
}

/** Both steps: loads the demo operation unless it is loaded already. */
export async function loadDemo(db: Db, keys: KeyRing, opts: LoadOptions): Promise<LoadResult> {
  const t0 = performance.now();
  const prepared = await prepareDemo(db, keys, opts);
  if (prepared.state === 'loaded')
    return {
      operationId: prepared.operationId,
      loaded: false,
      accounts: [],
      seconds: 0,
      scenario: prepared.scenario,
      shiftDays: prepared.shiftDays,
    };
  await runDemoLoad(db, keys, prepared, opts.onProgress);
  return {
    operationId: prepared.operationId,
    loaded: true,
    accounts: prepared.accounts,
    seconds: (performance.now() - t0) / 1000,
    scenario: prepared.scenario,
    shiftDays: prepared.shiftDays,
  };
}

/** A load interrupted before its accounts were shown: new passwords, shown this time. */
async function resetDemoPasswords(db: Db, keys: KeyRing, operationId: string, adminId: string, at: Date): Promise<DemoAccount[]> {
  const out: DemoAccount[] = [];
  const staff = await demoAccounts(db.kysely, operationId);
  for (const a of DEMO_ACCOUNTS) {
    const { label, role } = a;
    const u = staff.get(label);
    if (!u) continue;
    const password = randomPassword();
    const hash = await hashPassword(password);
    await db.kysely.transaction().execute(async (trx) => {
      await loadState.setDemoPassword(trx, u.id, hash);
      await audit(ctxOf(trx, keys, { kind: 'user', id: adminId, name: 'admin', isAdmin: true }, ['admin'], at), {
        operationId: null,
        action: 'user.password_reset',
        subjectKind: 'user',
        subjectId: u.id,
        details: { reason: 'demo load resumed' },
      });
    });
    out.push({ label, username: u.username, password, role, roles: demoAccountRoles(a) });
  }
  return out;
}
