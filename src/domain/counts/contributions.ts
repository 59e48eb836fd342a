/**
 * What each counted subject adds to the counts. A subject is a registered person (after
 * merges) or a head-count vehicle. Its contribution is a set of cells: the current cells
 * (hour '*') for where it is now, and hourly flows for every change of its position over time,
 * found by deriving its position after each of its facts in device-time order. Because a
 * contribution depends only on the set of facts, "the delta of a fact" is simply the difference
 * between the contributions of the subjects it touches, before and after it — whatever order
 * the facts came in.
 */
import type { HeadCountRow } from '../convoys/head-count.js';
import { casualtyFields, convoyMovementKinds, type FactOf, type MovementFact } from '../movements/facts.js';
import { derivePersonPosition, deriveVehicleStage, type PersonStatus, type VehicleStage } from '../movements/derive.js';
import { compareFacts, timeOf } from '../movements/order.js';
import { push } from '../collections.js';
import { addInto, cellKey, type CountDims } from './model.js';
import { canonicalId, unknownPerson, type Registry, type RegistryPerson } from './registry.js';

export type SubjectKey = string;
export const personSubject = (id: string): SubjectKey => `p:${id}`;
export const vehicleSubject = (convoyId: string, vehicleId: string): SubjectKey => `v:${convoyId}:${vehicleId}`;
/** An incident that reports casualties: its own subject, so voiding it takes its numbers back out. */
export const incidentSubject = (factId: string): SubjectKey => `i:${factId}`;

const movementKinds = new Set<string>(convoyMovementKinds);

/** The facts of an operation indexed for counting: by (canonical) person and by convoy. */
export interface FactIndex {
  byPerson: Map<string, MovementFact[]>;
  /** Only movement facts (departed … cancelled): other people's boardings do not move anyone. */
  byConvoy: Map<string, MovementFact[]>;
  headCounts: Map<SubjectKey, FactOf<'boarded'>[]>;
  /** Vehicle stages over time, derived on first use (see `stageTimeline`). */
  stages: Map<string, StageTimeline>;
  /** Standing incidents that report casualties, by id. */
  incidents: Map<string, FactOf<'incident'>>;
}

export function indexFacts(effective: readonly MovementFact[], registry: Registry): FactIndex {
  const index: FactIndex = { byPerson: new Map(), byConvoy: new Map(), headCounts: new Map(), stages: new Map(), incidents: new Map() };
  for (const f of effective) {
    if (f.kind === 'incident') {
      if (reportsCasualties(f)) index.incidents.set(f.id, f);
    } else if (f.kind === 'boarded' && f.payload.headCount) push(index.headCounts, vehicleSubject(f.convoyId, f.vehicleId), f);
    else if ((f.kind === 'boarded' || f.kind === 'checked_in') && f.personId) push(index.byPerson, canonicalId(registry, f.personId), f);
    else if (movementKinds.has(f.kind) && f.convoyId) push(index.byConvoy, f.convoyId, f);
  }
  return index;
}

/** The subjects whose counts a fact can change (a superset is harmless). */
export function subjectsOf(fact: MovementFact, allFacts: readonly MovementFact[], registry: Registry): Set<SubjectKey> {
  return subjectsOfFacts([fact], allFacts, registry);
}

type Snapshot = Map<string, number>;

/** `hourBucket` of an instant. */
const hourOf = (t: number) => `${new Date(t).toISOString().slice(0, 13)}:00Z`;

/** Facts with their device times parsed once; `upTo` keeps the order of the list. */
interface Timed {
  facts: readonly MovementFact[];
  times: number[];
}
const timed = (facts: readonly MovementFact[]): Timed => ({ facts, times: facts.map((f) => timeOf(f.deviceTime)) });
function upTo(list: Timed, t: number): MovementFact[] {
  const out: MovementFact[] = [];
  for (let i = 0; i < list.facts.length; i++) if ((list.times[i] as number) <= t) out.push(list.facts[i] as MovementFact);
  return out;
}

/**
 * A vehicle's stage over time: the moments its stage changes (state or last site), derived once
 * per vehicle and index from its convoy's movement facts. Everyone on a bus shares it, so a
 * convoy of a thousand people derives its stages per bus, not per person and moment; and a
 * person's position is looked at only when their own facts or their bus's stage change, not at
 * every movement of every other bus of the convoy.
 */
interface StageTimeline {
  times: number[];
  stages: VehicleStage[];
}
const planned: VehicleStage = { state: 'planned', lastSiteId: null };

function stageTimeline(index: FactIndex, convoyId: string, vehicleId: string): StageTimeline {
  const key = `${convoyId}\u0000${vehicleId}`;
  let line = index.stages.get(key);
  if (line) return line;
  // A vehicle's stage is read from its convoy's facts and its own, not other vehicles': only
  // those can change it.
  const mine = (index.byConvoy.get(convoyId) ?? []).filter((f) => f.vehicleId === undefined || f.vehicleId === vehicleId);
  const convoyT = timed(mine);
  line = { times: [], stages: [] };
  let prev = planned;
  for (const t of [...new Set(convoyT.times)].sort((a, b) => a - b)) {
    const stage = deriveVehicleStage(upTo(convoyT, t), convoyId, vehicleId);
    if (stage.state === prev.state && stage.lastSiteId === prev.lastSiteId) continue;
    line.times.push(t);
    line.stages.push(stage);
    prev = stage;
  }
  index.stages.set(key, line);
  return line;
}

/** The stage at `t`: after the latest convoy fact not later than `t` (planned before any). */
function stageAt(line: StageTimeline, t: number): VehicleStage {
  let lo = 0;
  let hi = line.times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((line.times[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? planned : (line.stages[lo - 1] as VehicleStage);
}

/**
 * A person's cells: one per vulnerability row ('*' and each flag) for a status and site, at an
 * hour ('*' for the current numbers).
 */
function personCellKeys(p: RegistryPerson, status: PersonStatus, siteId: string | null, hour: string): string[] {
  const dims = {
    sex: p.sex,
    ageBand: p.ageBand,
    category: p.category,
    siteId: siteId ?? '',
    vulnerability: '*' as CountDims['vulnerability'],
    hour,
  };
  const all = cellKey(status, dims);
  if (p.vulnerabilities.length === 0) return [all];
  return [all, ...p.vulnerabilities.map((v) => cellKey(status, { ...dims, vulnerability: v }))];
}

function rowCells(rows: readonly HeadCountRow[], status: PersonStatus, siteId: string | null): Snapshot {
  const snap: Snapshot = new Map();
  for (const r of rows) {
    addInto(
      snap,
      cellKey(status, { sex: r.sex, ageBand: r.ageBand, category: r.category, siteId: siteId ?? '', vulnerability: '*', hour: '*' }),
      r.count,
    );
  }
  return snap;
}

/**
 * Current cells of the final snapshot plus hourly flows between consecutive snapshots. A
 * snapshot that is the same object as the one before it is the same position: no flow.
 */
function timelineContribution(times: readonly number[], snapshotAt: (t: number) => Snapshot): Snapshot {
  const out: Snapshot = new Map();
  const sorted = [...new Set(times)].sort((a, b) => a - b);
  let prev: Snapshot = new Map();
  for (const t of sorted) {
    const snap = snapshotAt(t);
    if (snap === prev) continue;
    const hour = hourOf(t);
    for (const [k, n] of snap) if (prev.get(k) !== n) addInto(out, `${k.slice(0, k.lastIndexOf('|'))}|${hour}`, n - (prev.get(k) ?? 0));
    for (const [k, n] of prev) if (!snap.has(k)) addInto(out, `${k.slice(0, k.lastIndexOf('|'))}|${hour}`, -n);
    prev = snap;
  }
  for (const [k, n] of prev) addInto(out, k, n);
  return out;
}

function personContribution(id: string, index: FactIndex, registry: Registry): Snapshot {
  if (canonicalId(registry, id) !== id) return new Map(); // merged away: counted under the record it joined
  const reg = registry.persons.get(id);
  const own = index.byPerson.get(id) ?? [];
  if (!reg && own.length === 0) return new Map();
  const person = reg ?? unknownPerson(id);
  const ownT = timed(own);
  const registeredAt = reg ? timeOf(reg.registeredAt) : NaN;
  const times = [...(reg ? [registeredAt] : []), ...ownT.times];
  // Where they stand changes only with their own facts or the stage of a vehicle they boarded.
  for (const f of own) if (f.kind === 'boarded') times.push(...stageTimeline(index, f.convoyId, f.vehicleId).times);
  const stageOf = (t: number) => (convoyId: string, vehicleId: string) => stageAt(stageTimeline(index, convoyId, vehicleId), t);
  // Cells change only when the status or the site does: flows are written at those moments.
  const out: Snapshot = new Map();
  let prev = null as { status: PersonStatus; siteId: string | null } | null;
  for (const t of [...new Set(times)].sort((a, b) => a - b)) {
    const registered = reg && registeredAt <= t ? { siteId: reg.siteId } : null;
    const pos = derivePersonPosition(upTo(ownT, t), stageOf(t), registered);
    if (pos?.status === prev?.status && (pos?.siteId ?? null) === (prev?.siteId ?? null)) continue;
    const hour = hourOf(t);
    if (prev) for (const k of personCellKeys(person, prev.status, prev.siteId, hour)) addInto(out, k, -1);
    if (pos) for (const k of personCellKeys(person, pos.status, pos.siteId, hour)) addInto(out, k, 1);
    prev = pos ? { status: pos.status, siteId: pos.siteId } : null;
  }
  if (prev) for (const k of personCellKeys(person, prev.status, prev.siteId, '*')) addInto(out, k, 1);
  return out;
}

const vehicleStatus: Record<string, PersonStatus | null> = {
  planned: 'boarded',
  boarding: 'boarded',
  departed: 'in_transit',
  moving: 'in_transit',
  halted: 'in_transit',
  arrived: 'arrived',
  turned_back: 'turned_back',
  cancelled: null,
};

function vehicleContribution(key: SubjectKey, index: FactIndex): Snapshot {
  const counts = index.headCounts.get(key) ?? [];
  const first = counts[0];
  if (!first) return new Map();
  const countsT = timed(counts);
  const line = stageTimeline(index, first.convoyId, first.vehicleId);
  const empty: Snapshot = new Map();
  let prev: { fact: MovementFact; status: PersonStatus; site: string | null; snap: Snapshot } | null = null;
  return timelineContribution([...countsT.times, ...line.times], (t) => {
    // Each head count states the whole vehicle; the latest one stands.
    const latest = upTo(countsT, t).sort(compareFacts).pop() as FactOf<'boarded'> | undefined;
    if (!latest?.payload.headCount) return empty;
    const stage = stageAt(line, t);
    const status = vehicleStatus[stage.state];
    if (!status) return empty;
    const site = status === 'boarded' ? (latest.siteId ?? null) : (stage.lastSiteId ?? latest.siteId ?? null);
    if (prev && prev.fact === latest && prev.status === status && prev.site === site) return prev.snap;
    prev = { fact: latest, status, site, snap: rowCells(latest.payload.headCount, status, site) };
    return prev.snap;
  });
}

const reportsCasualties = (f: FactOf<'incident'>) => casualtyFields.some((k) => (f.payload[k] ?? 0) > 0);

/** An incident's casualties: each number at its site, now and in the hour it happened. */
function incidentContribution(factId: string, index: FactIndex): Snapshot {
  const f = index.incidents.get(factId);
  const out: Snapshot = new Map();
  if (!f) return out;
  const hour = hourOf(timeOf(f.deviceTime));
  for (const metric of casualtyFields) {
    const n = f.payload[metric] ?? 0;
    if (n <= 0) continue;
    const dims = { sex: 'unknown', ageBand: 'unknown', category: 'unknown', siteId: f.siteId ?? '', vulnerability: '*' } as const;
    addInto(out, cellKey(metric, { ...dims, hour: '*' }), n);
    addInto(out, cellKey(metric, { ...dims, hour }), n);
  }
  return out;
}

export function subjectContribution(key: SubjectKey, index: FactIndex, registry: Registry): Snapshot {
  if (key.startsWith('i:')) return incidentContribution(key.slice(2), index);
  return key.startsWith('p:') ? personContribution(key.slice(2), index, registry) : vehicleContribution(key, index);
}

/**
 * The subjects many facts can change: a boarding or check-in its person (after merges) or
 * head-count vehicle, a convoy movement everyone boarded on the convoy, a correction what the
 * fact it voids touches (16 corrections deep at most). The facts are indexed once — by id for
 * corrections, boardings by convoy — not scanned once per fact.
 */
export function subjectsOfFacts(facts: Iterable<MovementFact>, allFacts: readonly MovementFact[], registry: Registry): Set<SubjectKey> {
  const byId = new Map<string, MovementFact>();
  const boardedIn = new Map<string, SubjectKey[]>();
  for (const f of allFacts) {
    byId.set(f.id, f);
    if (f.kind !== 'boarded') continue;
    if (f.payload.headCount) push(boardedIn, f.convoyId, vehicleSubject(f.convoyId, f.vehicleId));
    else if (f.personId) push(boardedIn, f.convoyId, personSubject(canonicalId(registry, f.personId)));
  }
  const out = new Set<SubjectKey>();
  const visit = (fact: MovementFact, depth: number) => {
    if (fact.kind === 'correction') {
      const target = byId.get(fact.payload.voids);
      if (target && depth <= 16) visit(target, depth + 1);
      return;
    }
    if (fact.kind === 'incident') out.add(incidentSubject(fact.id));
    else if (fact.kind === 'boarded' && fact.payload.headCount) out.add(vehicleSubject(fact.convoyId, fact.vehicleId));
    else if ((fact.kind === 'boarded' || fact.kind === 'checked_in') && fact.personId)
      out.add(personSubject(canonicalId(registry, fact.personId)));
    else if (movementKinds.has(fact.kind) && fact.convoyId) for (const s of boardedIn.get(fact.convoyId) ?? []) out.add(s);
  };
  for (const f of facts) visit(f, 0);
  return out;
}
