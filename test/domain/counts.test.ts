import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  buildFact,
  convoyMovementKinds,
  derivePersonPosition,
  deriveVehicleStage,
  effectiveFacts,
  headCountInForce,
  type MovementFact,
  type MovementFactInput,
} from '../../src/domain/movements/index.js';
import {
  applyFact,
  breakdown,
  canonicalId,
  countDeltas,
  countEntries,
  emptyCounts,
  hourlyCumulative,
  makeRegistry,
  recompute,
  total,
  unknownPerson,
  type Counts,
  type RegistryPerson,
} from '../../src/domain/counts/index.js';

const ulid = (n: number) => `01HZZ${String(n).padStart(21, '0')}`;
let seq = 0;
function f(kind: MovementFactInput['kind'], at: string, rest: Record<string, unknown> = {}): MovementFact {
  return buildFact({ id: ulid(++seq), operationId: 'aleppo', kind, deviceTime: at, ...rest } as MovementFactInput);
}
function person(id: string, over: Partial<RegistryPerson> = {}): RegistryPerson {
  return {
    id,
    sex: 'female',
    ageBand: '18-59',
    category: 'civilian',
    vulnerabilities: [],
    siteId: 'amiriyah',
    registeredAt: '2016-12-15T04:00:00Z',
    ...over,
  };
}
/** Counts kept the way the server keeps them: deltas per fact in arrival order. */
function maintain(registry: ReturnType<typeof makeRegistry>, arrival: readonly MovementFact[]): Counts {
  let counts = recompute([], registry);
  const seen: MovementFact[] = [];
  for (const fact of arrival) {
    counts = applyFact(counts, fact, { registry, facts: seen }).counts;
    seen.push(fact);
  }
  return counts;
}

const registry = makeRegistry(
  [
    person('p1', { vulnerabilities: ['wounded'] }),
    person('p2', { sex: 'male', ageBand: '60+' }),
    person('p3', { ageBand: '5-11' }),
    person('p4', { sex: 'male' }),
    person('p5'),
    person('p5-dup'),
  ],
  { 'p5-dup': 'p5' },
);

test('a full evacuation of several households moves every count through each status', () => {
  const facts = [
    f('boarded', '2016-12-15T06:00:00Z', { convoyId: 'c1', vehicleId: 'bus1', personId: 'p1', siteId: 'amiriyah' }),
    f('boarded', '2016-12-15T06:01:00Z', { convoyId: 'c1', vehicleId: 'bus1', personId: 'p2', siteId: 'amiriyah' }),
    f('boarded', '2016-12-15T06:02:00Z', { convoyId: 'c1', vehicleId: 'bus1', personId: 'p3', siteId: 'amiriyah' }),
    f('boarded', '2016-12-15T06:03:00Z', { convoyId: 'c2', vehicleId: 'bus9', personId: 'p4', siteId: 'amiriyah' }),
    f('boarded', '2016-12-15T06:04:00Z', {
      convoyId: 'c1',
      vehicleId: 'car1',
      siteId: 'amiriyah',
      payload: { headCount: [{ sex: 'male', ageBand: '18-59', category: 'combatant', count: 4 }] },
    }),
  ];
  let counts = maintain(registry, facts);
  assert.equal(total(counts, 'registered'), 1, 'p5 waits; the merged duplicate is not counted');
  assert.equal(total(counts, 'boarded'), 8);
  const dep = f('departed', '2016-12-15T07:00:00Z', { convoyId: 'c1', siteId: 'amiriyah' });
  const cp = f('passed_checkpoint', '2016-12-15T07:30:00Z', { convoyId: 'c1', siteId: 'ramouseh' });
  const back = f('turned_back', '2016-12-15T07:10:00Z', { convoyId: 'c2', payload: { reason: 'security' } });
  counts = maintain(registry, [...facts, dep, cp, back]);
  assert.equal(total(counts, 'in_transit'), 7);
  assert.equal(total(counts, 'in_transit', { siteId: 'ramouseh' }), 7, 'in transit counts sit at the last site seen');
  assert.equal(total(counts, 'turned_back'), 1);
  const arr = f('arrived', '2016-12-15T09:00:00Z', { convoyId: 'c1', siteId: 'rashidin' });
  const ci = ['p1', 'p2'].map((p) => f('checked_in', '2016-12-15T09:20:00Z', { personId: p, siteId: 'rashidin' }));
  counts = maintain(registry, [...facts, dep, cp, back, arr, ...ci]);
  assert.equal(total(counts, 'arrived'), 6, 'two checked in and four head-counted');
  assert.equal(total(counts, 'arrived', { category: 'combatant' }), 4);
  assert.equal(total(counts, 'missing'), 1, 'p3 never checked in');
  assert.equal(total(counts, 'arrived', { vulnerability: 'wounded' }), 1);
  assert.deepEqual(
    breakdown(counts, 'arrived', 'ageBand'),
    new Map([
      ['18-59', 5],
      ['60+', 1],
    ]),
  );
  const series = hourlyCumulative(counts, 'arrived');
  assert.deepEqual(series, [{ hour: '2016-12-15T09:00Z', value: 6 }]);
  assert.deepEqual(
    hourlyCumulative(counts, 'in_transit').map((p) => p.value),
    [7, 0],
  );
  assert.deepEqual(countEntries(counts), countEntries(recompute([...ci, arr, back, cp, dep, ...facts], registry)));
});

test('a duplicate fact changes nothing and a late fact moves people between statuses', () => {
  const b = f('boarded', '2016-12-15T06:00:00Z', { convoyId: 'c1', vehicleId: 'bus1', personId: 'p1' });
  const ci = f('checked_in', '2016-12-15T09:00:00Z', { personId: 'p1', siteId: 'rashidin' });
  const dep = f('departed', '2016-12-15T07:00:00Z', { convoyId: 'c1' });
  assert.deepEqual(countDeltas(b, { registry, facts: [b] }), []);
  // The departure syncs after the check-in: p1 stays arrived, only the hourly history changes.
  const late = countDeltas(dep, { registry, facts: [b, ci] });
  assert.ok(late.every((d) => d.dims.hour !== '*'));
  assert.ok(late.some((d) => d.metric === 'in_transit' && d.dims.hour === '2016-12-15T07:00Z' && d.delta === 1));
});

test('emptyCounts has no cells', () => {
  assert.equal(emptyCounts().cells.size, 0);
});

// ---- property: maintained counts always equal recompute -------------------------------------

const people = ['p1', 'p2', 'p3', 'p4', 'p5', 'p5-dup', 'stranger'];
const convoys = ['c1', 'c2'];
const sites = ['amiriyah', 'ramouseh', 'rashidin'];
const minute = (m: number) => new Date(Date.UTC(2016, 11, 15, 4, 0) + m * 60_000).toISOString();

const factArb = (i: number) =>
  fc
    .record({
      kind: fc.constantFrom(
        'boarded',
        'boarded',
        'headcount',
        'departed',
        'passed_checkpoint',
        'halted',
        'resumed',
        'arrived',
        'turned_back',
        'cancelled',
        'checked_in',
        'incident',
      ),
      person: fc.constantFrom(...people),
      convoy: fc.constantFrom(...convoys),
      vehicle: fc.constantFrom('v1', 'v2'),
      vehicleLevel: fc.boolean(),
      site: fc.constantFrom(...sites),
      at: fc.integer({ min: 0, max: 600 }),
      count: fc.integer({ min: 0, max: 6 }),
    })
    .map((r): MovementFact => {
      const base = { id: ulid(1_000_000 + i), operationId: 'o', deviceTime: minute(r.at) };
      const onRoad = { convoyId: r.convoy, ...(r.vehicleLevel ? { vehicleId: r.vehicle } : {}), siteId: r.site };
      switch (r.kind) {
        case 'boarded':
          return buildFact({ ...base, kind: 'boarded', convoyId: r.convoy, vehicleId: r.vehicle, personId: r.person, siteId: 'amiriyah' });
        case 'headcount':
          return buildFact({
            ...base,
            kind: 'boarded',
            convoyId: r.convoy,
            vehicleId: 'car',
            payload: { headCount: [{ sex: 'male', ageBand: '18-59', category: 'combatant', count: r.count }] },
          });
        case 'halted':
          return buildFact({ ...base, kind: 'halted', ...onRoad, payload: { reason: 'security' } });
        case 'turned_back':
          return buildFact({ ...base, kind: 'turned_back', ...onRoad, payload: { reason: 'security' } });
        case 'cancelled':
          return buildFact({ ...base, kind: 'cancelled', convoyId: r.convoy });
        case 'checked_in':
          return buildFact({ ...base, kind: 'checked_in', personId: r.person, siteId: r.site });
        case 'incident':
          return buildFact({ ...base, kind: 'incident', convoyId: r.convoy, payload: { incidentKind: 'shelling', severity: 'high' } });
        default:
          return buildFact({ ...base, kind: r.kind as 'departed' | 'passed_checkpoint' | 'resumed' | 'arrived', ...onRoad });
      }
    });

const scenarioArb = fc
  .integer({ min: 1, max: 14 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => factArb(i))))
  .chain((facts) =>
    fc.record({
      facts: fc.constant(facts as MovementFact[]),
      corrections: fc.array(fc.tuple(fc.nat(facts.length - 1), fc.integer({ min: 0, max: 600 })), { maxLength: 3 }),
      duplicates: fc.array(fc.nat(facts.length - 1), { maxLength: 4 }),
      seed: fc.integer(),
    }),
  )
  .map(({ facts, corrections, duplicates, seed }) => {
    const fixes = corrections.map(([target, at], i) =>
      buildFact({
        id: ulid(2_000_000 + i),
        operationId: 'o',
        kind: 'correction',
        deviceTime: minute(at),
        payload: { voids: (facts[target] as MovementFact).id },
      }),
    );
    const all = [...facts, ...fixes, ...duplicates.map((d) => facts[d] as MovementFact)];
    // A deterministic shuffle from the seed: arrival order is anything.
    let s = seed;
    const rand = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const arrival = all
      .map((x) => [rand(), x] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, x]) => x);
    return { arrival };
  });

test('counts maintained fact by fact, in any arrival order with duplicates and corrections, equal a recompute', () => {
  fc.assert(
    fc.property(scenarioArb, ({ arrival }) => {
      const maintained = maintain(registry, arrival);
      const fresh = recompute(arrival, registry);
      assert.deepEqual(countEntries(maintained), countEntries(fresh));
      assert.deepEqual(countEntries(recompute([...arrival].reverse(), registry)), countEntries(fresh));
      // Everyone known is in exactly one status.
      const everyone = ['registered', 'boarded', 'in_transit', 'arrived', 'missing', 'turned_back'] as const;
      const named = everyone.reduce((n, m) => n + total(fresh, m, { category: 'civilian' }) + total(fresh, m, { category: 'unknown' }), 0);
      const strangers = arrival.some((x) => x.personId === 'stranger' && (x.kind === 'boarded' || x.kind === 'checked_in')) ? 1 : 0;
      assert.ok(named <= 5 + strangers);
    }),
    { numRuns: 150, seed: 20161222 },
  );
});

// ---- property: the counts are the snapshots of everyone, hour by hour -------------------------

/**
 * An oracle written from the definition, not from the counting code: at the end of every hour
 * that saw a fact or a registration, everyone's position is derived afresh from the standing
 * facts up to that moment; an hour's cells hold the change since the hour before, and hour '*'
 * the position after every fact.
 */
function countsBySnapshots(all: readonly MovementFact[], reg: ReturnType<typeof makeRegistry>): Array<[string, number]> {
  const standing = effectiveFacts(all);
  const timeOfFact = (x: MovementFact) => Date.parse(x.deviceTime);
  const canonical = (id: string) => canonicalId(reg, id);
  const moves = standing.filter((x) => convoyMovementKinds.includes(x.kind as never));
  const snapshotAt = (t: number): Map<string, number> => {
    const upTo = standing.filter((x) => timeOfFact(x) <= t);
    const moved = moves.filter((x) => timeOfFact(x) <= t);
    const cells = new Map<string, number>();
    const add = (k: string, n: number) => cells.set(k, (cells.get(k) ?? 0) + n);
    const ids = new Set<string>([...reg.persons.keys()].map(canonical));
    for (const x of standing)
      if (x.personId && (x.kind === 'checked_in' || (x.kind === 'boarded' && !x.payload.headCount))) ids.add(canonical(x.personId));
    for (const id of ids) {
      const p = reg.persons.get(id) ?? unknownPerson(id);
      const own = upTo.filter(
        (x) => x.personId && canonical(x.personId) === id && (x.kind === 'checked_in' || (x.kind === 'boarded' && !x.payload.headCount)),
      );
      const registered = reg.persons.has(id) && Date.parse(p.registeredAt) <= t ? { siteId: p.siteId } : null;
      const pos = derivePersonPosition(own, moved, registered);
      if (!pos) continue;
      for (const v of ['*', ...p.vulnerabilities]) add([pos.status, p.sex, p.ageBand, p.category, pos.siteId ?? '', v].join('|'), 1);
    }
    const vehicles = new Set(
      standing.flatMap((x) => (x.kind === 'boarded' && x.payload.headCount ? [`${x.convoyId}|${x.vehicleId}`] : [])),
    );
    for (const key of vehicles) {
      const [convoyId, vehicleId] = key.split('|') as [string, string];
      const count = headCountInForce(upTo, convoyId, vehicleId);
      if (!count?.payload.headCount) continue;
      const stage = deriveVehicleStage(moved, convoyId, vehicleId);
      const status = (
        {
          planned: 'boarded',
          boarding: 'boarded',
          departed: 'in_transit',
          moving: 'in_transit',
          halted: 'in_transit',
          arrived: 'arrived',
          turned_back: 'turned_back',
          cancelled: null,
        } as const
      )[stage.state];
      if (!status) continue;
      const site = status === 'boarded' ? (count.siteId ?? '') : (stage.lastSiteId ?? count.siteId ?? '');
      for (const r of count.payload.headCount) add([status, r.sex, r.ageBand, r.category, site, '*'].join('|'), r.count);
    }
    return cells;
  };
  const times = [...new Set([...standing.map(timeOfFact), ...[...reg.persons.values()].map((p) => Date.parse(p.registeredAt))])].sort(
    (a, b) => a - b,
  );
  const hourEnds = new Map<string, number>();
  for (const t of times) hourEnds.set(`${new Date(t).toISOString().slice(0, 13)}:00Z`, t);
  const out = new Map<string, number>();
  let before = new Map<string, number>();
  for (const [hour, t] of hourEnds) {
    const now = snapshotAt(t);
    for (const k of new Set([...now.keys(), ...before.keys()])) {
      const d = (now.get(k) ?? 0) - (before.get(k) ?? 0);
      if (d !== 0) out.set(`${k}|${hour}`, d);
    }
    before = now;
  }
  for (const [k, n] of snapshotAt(Infinity)) if (n !== 0) out.set(`${k}|*`, n);
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

test("counts equal everyone's position derived afresh at the end of each hour", () => {
  const staggered = makeRegistry(
    [
      person('p1', { vulnerabilities: ['wounded', 'pregnant'], registeredAt: minute(30) }),
      person('p2', { sex: 'male', ageBand: '60+', registeredAt: minute(250) }),
      person('p3', { ageBand: '5-11', siteId: null }),
      person('p4', { sex: 'male', registeredAt: minute(590) }),
      person('p5'),
      person('p5-dup', { registeredAt: minute(120) }),
    ],
    { 'p5-dup': 'p5' },
  );
  fc.assert(
    fc.property(scenarioArb, ({ arrival }) => {
      assert.deepEqual(countEntries(recompute(arrival, staggered)), countsBySnapshots(arrival, staggered));
      assert.deepEqual(countEntries(maintain(staggered, arrival)), countsBySnapshots(arrival, staggered));
    }),
    { numRuns: 200, seed: 20161215 },
  );
});
