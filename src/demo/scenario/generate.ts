/**
 * The Aleppo 2016 scenario, generated convoy by convoy. `generateScenarioChunks` is a generator
 * that hands over one convoy at a time with the households registered for it and everything its
 * devices recorded, so a million people can be written to files without holding them all;
 * `generateScenario` gathers the chunks into one `Scenario`. Deterministic for a seed; pure:
 * no clock, no I/O. Day by day: buses and ambulances from 15 December, none from the afternoon
 * of 16 December (the last convoy of that day is turned back) until the evening of 18 December,
 * then again until 22 December; on the night of 21→22 December the fighters, counted not named.
 */
import { fillHeadCountVehicles, fillNamedVehicles, VehicleLabels } from './convoys.js';
import { runConvoy } from './facts.js';
import { Population } from './households.js';
import { IdMaker, TagAllocator } from './ids.js';
import type { TruePerson } from './person.js';
import { Registrar, type Registered } from './registration.js';
import { Rng } from './rng.js';
import { HEAD_COUNT_SHARE, NIGHT_CONVOYS, SITE, dayPlans, iso, local, localDay, operation, routes, sites, windows } from './setting.js';
import { TotalsCounter } from './totals.js';
import { makeTracingRequest } from './tracing.js';
import type { ExpectedTotals, Scenario, ScenarioChunk, ScenarioConvoy, ScenarioHousehold, TracingRequest, TracingTruth } from './types.js';

export const DEFAULT_PEOPLE = 34_000;
const PEOPLE_PER_CONVOY = 900;
const HEAD_COUNT_PER_CONVOY = 700;
const MIN = 60_000;

export interface GenerateOptions {
  seed: number;
  people?: number;
}

/** What is known only once every convoy has run. */
export interface ScenarioEnd {
  tracing: TracingTruth[];
  missingInTransit: string[];
  totals: ExpectedTotals;
}

const DESKS = Array.from({ length: 12 }, (_, i) => `${SITE.amiriyah}-desk-${String(i + 1).padStart(2, '0')}`);

function relationOf(enquirer: TruePerson, sought: TruePerson): TracingRequest['relation'] {
  const byHead: Record<string, TracingRequest['relation']> = { child: 'child', spouse: 'spouse', sibling: 'sibling', parent: 'parent' };
  if (enquirer.relationship === 'head') return byHead[sought.relationship] ?? 'other_relative';
  if (enquirer.relationship === 'spouse')
    return sought.relationship === 'child' ? 'child' : sought.relationship === 'head' ? 'spouse' : 'other_relative';
  if (enquirer.relationship === 'child')
    return sought.relationship === 'child'
      ? 'sibling'
      : sought.relationship === 'head' || sought.relationship === 'spouse'
        ? 'parent'
        : 'other_relative';
  return 'other_relative';
}

export function* generateScenarioChunks(opts: GenerateOptions): Generator<ScenarioChunk, ScenarioEnd, void> {
  const people = Math.max(50, Math.round(opts.people ?? DEFAULT_PEOPLE));
  const root = new Rng(opts.seed);
  const convoyRng = root.fork('convoys');
  const factRng = root.fork('facts');
  const tracingRng = root.fork('missing-tracing');
  const phoneRng = root.fork('phone-boardings');
  const ids = new IdMaker(opts.seed);
  const tags = new TagAllocator(new Map(sites.map((s) => [s.id, s.tagRange])));
  const labels = new VehicleLabels();
  const population = new Population(root.fork('population'));
  const registrar = new Registrar(root.fork('registration'), ids, tags);
  const totals = new TotalsCounter();
  const tracing: TracingTruth[] = [];
  const missingAll: string[] = [];
  const turnedBack = new Set<string>();
  let factCount = 0;
  let convoyCount = 0;
  let duplicatePairs = 0;

  const headCountTotal = Math.round(people * HEAD_COUNT_SHARE);
  const namedTarget = people - headCountTotal;
  let requeue: Registered[] = [];
  let namedSoFar = 0;

  function* runOne(
    departMs: number,
    label: string,
    routeId: string,
    registered: Registered[],
    households: ScenarioHousehold[],
    chunk: Pick<ScenarioChunk, 'tracingRequests' | 'duplicates'>,
    headCount: number,
    turnBack: boolean,
  ): Generator<ScenarioChunk, void, void> {
    const convoyId = ids.next(departMs);
    const route = routes.find((r) => r.id === routeId) ?? (routes[0] as (typeof routes)[number]);
    const vehicles =
      headCount > 0
        ? fillHeadCountVehicles(convoyRng, ids, labels, convoyId, departMs, headCount)
        : fillNamedVehicles(convoyRng, ids, labels, convoyId, departMs, registered);
    const convoy: ScenarioConvoy = {
      id: convoyId,
      label,
      routeId,
      day: localDay(departMs),
      departedAt: iso(departMs),
      outcome: turnBack ? 'turned_back' : 'arrived',
      vehicles,
    };
    const peopleById = new Map<string, TruePerson>();
    const recordById = new Map<string, ScenarioHousehold['members'][number]>();
    const householdOf = new Map<string, Registered>();
    for (const r of registered) {
      r.people.forEach((p, i) => {
        peopleById.set(p.id, p);
        recordById.set(p.id, r.household.members[i] as ScenarioHousehold['members'][number]);
        householdOf.set(p.id, r);
      });
    }
    const walkInHouseholds: ScenarioHousehold[] = [];
    const outcome = runConvoy(factRng, ids, {
      convoy,
      route,
      departMs,
      people: peopleById,
      turnBack,
      phoneRng,
      registerWalkIn: (siteId, atMs) => {
        const res = registrar.register(population.walkIn(), atMs, siteId, `${siteId}-desk-01`, [`${siteId}-desk-01`]);
        const person = res.registered.household.members[0] as ScenarioHousehold['members'][number];
        walkInHouseholds.push(res.registered.household);
        totals.registeredRecords++;
        totals.registeredPeople.addPerson(person);
        totals.unmanifested.addPerson(person);
        totals.arrived.addPerson(person);
        return person.id;
      },
    });
    for (const v of vehicles) {
      if (v.mode === 'head_count') totals.addHeadCount(v.headCount ?? []);
      for (const m of v.manifest) {
        if (turnedBack.has(m.personId)) continue;
        totals.boarded.addPerson(recordById.get(m.personId) as ScenarioHousehold['members'][number]);
        if (turnBack) turnedBack.add(m.personId);
      }
    }
    for (const f of outcome.facts)
      if (f.kind === 'checked_in' && recordById.has(f.personId))
        totals.arrived.addPerson(recordById.get(f.personId) as ScenarioHousehold['members'][number]);
    for (const id of outcome.missing) {
      totals.missing.addPerson(recordById.get(id) as ScenarioHousehold['members'][number]);
      const sought = peopleById.get(id) as TruePerson;
      if (!tracingRng.chance(0.7)) continue;
      const h = householdOf.get(id) as Registered;
      const enquirer = h.people.find((p) => p !== sought && p.age >= 16 && !outcome.missing.includes(p.id));
      const vehicle = vehicles.find((v) => v.manifest.some((m) => m.personId === id));
      const draft = {
        enquirer: enquirer ?? { external: { ...sought.identity, given: sought.identity.father } },
        sought,
        relation: enquirer ? relationOf(enquirer, sought) : ('child' as const),
        lastSeen: `al-Amiriyah, boarding ${vehicle?.label ?? 'a bus'}`,
      };
      const { request, truth } = makeTracingRequest(tracingRng, ids, draft, departMs + tracingRng.int(6 * 60, 48 * 60) * MIN);
      chunk.tracingRequests.push(request);
      tracing.push(truth);
    }
    missingAll.push(...outcome.missing);
    factCount += outcome.facts.length;
    convoyCount++;
    yield { ...chunk, households: [...households, ...walkInHouseholds], convoy, facts: outcome.facts, missingInTransit: outcome.missing };
  }

  for (const [dayIndex, plan] of dayPlans.entries()) {
    const last = dayIndex === dayPlans.length - 1;
    const quota = last ? namedTarget - namedSoFar : Math.round(plan.share * namedTarget);
    if (quota <= 0) continue;
    const n = Math.max(1, Math.round(quota / PEOPLE_PER_CONVOY));
    const from = local(plan.day, plan.from[0], plan.from[1]);
    const to = local(plan.day, plan.to[0], plan.to[1]);
    for (let c = 0; c < n; c++) {
      const slot = (to - from) / n;
      const departMs = Math.round(from + slot * c + convoyRng.float() * slot * 0.8);
      const target = Math.round((quota * (c + 1)) / n) - Math.round((quota * c) / n);
      const registered = requeue;
      requeue = [];
      const households: ScenarioHousehold[] = [];
      const chunk = { tracingRequests: [] as TracingRequest[], duplicates: [] as Array<[string, string]> };
      let collected = 0;
      while (collected < target) {
        const draft = population.next();
        const res = registrar.register(draft, departMs - convoyRng.int(60, 14 * 60) * MIN, SITE.amiriyah, convoyRng.pick(DESKS), DESKS);
        registered.push(res.registered);
        households.push(res.registered.household, ...res.duplicates);
        chunk.duplicates.push(...res.duplicatePairs);
        chunk.tracingRequests.push(...res.requests);
        tracing.push(...res.truths);
        collected += res.registered.people.length;
        totals.registeredRecords += res.registered.people.length + res.duplicates.length;
        for (const m of res.registered.household.members) totals.registeredPeople.addPerson(m);
      }
      namedSoFar += collected;
      duplicatePairs += chunk.duplicates.length;
      const turnBack = plan.day === 16 && c === n - 1;
      if (turnBack) requeue = registered;
      const routeId = convoyRng.choose({ 'to-rashidin': 40, 'to-idlib': 35, 'to-atmeh': 25 });
      yield* runOne(departMs, `C${plan.day}-${String(c + 1).padStart(2, '0')}`, routeId, registered, households, chunk, 0, turnBack);
    }
  }

  const nightConvoys = Math.max(1, Math.round(headCountTotal / HEAD_COUNT_PER_CONVOY));
  for (let c = 0; c < nightConvoys; c++) {
    const slot = (NIGHT_CONVOYS.to - NIGHT_CONVOYS.from) / nightConvoys;
    const departMs = Math.round(NIGHT_CONVOYS.from + slot * c + convoyRng.float() * slot * 0.8);
    const count = Math.round((headCountTotal * (c + 1)) / nightConvoys) - Math.round((headCountTotal * c) / nightConvoys);
    const chunk = { tracingRequests: [] as TracingRequest[], duplicates: [] as Array<[string, string]> };
    yield* runOne(
      departMs,
      `N21-${String(c + 1).padStart(2, '0')}`,
      convoyRng.chance(0.7) ? 'to-idlib' : 'to-atmeh',
      [],
      [],
      chunk,
      count,
      false,
    );
  }

  const missingSet = new Set(missingAll);
  for (const t of tracing) if (t.personId && missingSet.has(t.personId)) t.status = 'missing_in_transit';
  const t = totals;
  const vehicles = labels.counts();
  return {
    tracing,
    missingInTransit: missingAll,
    totals: {
      registeredRecords: t.registeredRecords,
      registeredPeople: t.registeredPeople.toSadd(),
      boarded: t.boarded.toSadd(),
      arrived: t.arrived.toSadd(),
      missingInTransit: t.missing.toSadd(),
      unmanifestedArrivals: t.unmanifested.toSadd(),
      headCountOnly: { ...t.headCount.toSadd(), byCategory: { ...t.byCategory } },
      evacuated: t.boarded.total + t.unmanifested.total + t.headCount.total,
      convoys: convoyCount,
      vehicles,
      facts: factCount,
      tracingRequests: tracing.length,
      duplicatePairs,
    },
  };
}

/** The whole scenario in memory; facts in receive order. */
export function generateScenario(opts: GenerateOptions): Scenario {
  const households: ScenarioHousehold[] = [];
  const convoys: ScenarioConvoy[] = [];
  const facts: Scenario['facts'] = [];
  const tracingRequests: TracingRequest[] = [];
  const duplicates: Array<[string, string]> = [];
  const it = generateScenarioChunks(opts);
  let step = it.next();
  while (!step.done) {
    const c = step.value;
    households.push(...c.households);
    if (c.convoy) convoys.push(c.convoy);
    facts.push(...c.facts);
    tracingRequests.push(...c.tracingRequests);
    duplicates.push(...c.duplicates);
    step = it.next();
  }
  const end = step.value;
  facts.sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.id < b.id ? -1 : 1));
  return {
    seed: opts.seed,
    operation,
    windows,
    sites,
    routes,
    households,
    convoys,
    facts,
    tracingRequests,
    truth: { duplicates, tracing: end.tracing, missingInTransit: end.missingInTransit, totals: end.totals },
  };
}
