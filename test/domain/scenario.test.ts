import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { generateScenario, NIGHT_CONVOYS, SUSPENSION, operation } from '../../src/demo/scenario/index.js';
import { householdInput, personInput } from '../../src/domain/schemas/persons.js';
import { parseTag } from '../../src/domain/tags.js';

const full = generateScenario({ seed: 2016 });
const persons = full.households.flatMap((h) => h.members);
const personIds = new Set(persons.map((p) => p.id));
const ms = (s: string): number => Date.parse(s);

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

test('the full scenario has the shape of the Aleppo evacuation', () => {
  const t = full.truth.totals;
  assert.ok(t.evacuated >= 33_000 && t.evacuated <= 35_000, `evacuated ${t.evacuated}`);
  assert.ok(t.headCountOnly.total >= 3_800 && t.headCountOnly.total <= 4_200, `head count ${t.headCountOnly.total}`);
  assert.deepEqual(Object.keys(t.headCountOnly.byCategory), ['combatant']);
  assert.ok(t.boarded.total >= 29_000 && t.boarded.total <= 31_000);
  assert.ok(t.missingInTransit.total > 5 && t.missingInTransit.total < t.boarded.total * 0.005, `missing ${t.missingInTransit.total}`);
  assert.equal(t.missingInTransit.total, full.truth.missingInTransit.length);
  const primary = full.households.filter((h) => h.siteId === 'amiriyah' && h.members.length > 0);
  for (const h of primary) assert.ok(h.members.length >= 1 && h.members.length <= 13, `size ${h.members.length}`);
  const families = primary.filter((h) => !full.truth.duplicates.some(([, b]) => b === h.members[0]?.id));
  const mean = families.reduce((n, h) => n + h.members.length, 0) / families.length;
  assert.ok(mean > 4.5 && mean < 5.6, `mean household ${mean}`);
  const flag = (v: string): number => persons.filter((p) => p.vulnerabilities.includes(v as never)).length;
  assert.ok(flag('wounded') + flag('sick') > 200 && flag('wounded') + flag('sick') < 700);
  const uasc = flag('unaccompanied_child') + flag('separated_child');
  assert.ok(uasc >= 20 && uasc <= 100, `uasc ${uasc}`);
  const dupRate = full.truth.duplicates.length / t.registeredPeople.total;
  assert.ok(dupRate > 0.02 && dupRate < 0.04, `duplicates ${dupRate}`);
  assert.ok(full.tracingRequests.length >= 300 && full.tracingRequests.length <= 900);
  assert.equal(full.sites.length, 6);
  assert.equal(operation.timeZone, 'Asia/Damascus');
});

test('no convoy departs during the suspension, and none outside the operation window', () => {
  for (const c of full.convoys) {
    const t = ms(c.departedAt);
    assert.ok(t < SUSPENSION.from || t >= SUSPENSION.to, `${c.label} departs ${c.departedAt}`);
    assert.ok(t >= ms(operation.startsAt) && t <= ms(operation.endsAt));
  }
  for (const f of full.facts) {
    if (f.kind === 'departed') assert.ok(ms(f.deviceTime) < SUSPENSION.from || ms(f.deviceTime) >= SUSPENSION.to);
  }
  assert.equal(full.convoys.filter((c) => c.outcome === 'turned_back').length, 1);
});

test('head-count-only vehicles travel only on the night of 21 to 22 December', () => {
  let headCountVehicles = 0;
  for (const c of full.convoys) {
    const atNight = ms(c.departedAt) >= NIGHT_CONVOYS.from && ms(c.departedAt) <= NIGHT_CONVOYS.to;
    for (const v of c.vehicles) {
      if (v.mode === 'head_count') {
        headCountVehicles++;
        assert.ok(atNight, `${v.label} on ${c.departedAt}`);
        assert.ok(['private_car', 'van', 'pickup'].includes(v.kind));
        assert.equal(v.manifest.length, 0);
        const n = (v.headCount ?? []).reduce((s, r) => s + r.count, 0);
        assert.ok(n > 0 && n <= v.capacity);
      } else {
        assert.ok(!atNight, `named ${v.label} at night`);
        assert.ok(v.manifest.length <= v.capacity);
      }
    }
  }
  assert.ok(headCountVehicles > 400);
});

test('duplicate pairs, tracing truth and missing people refer to existing, consistent records', () => {
  const byId = new Map(persons.map((p) => [p.id, p]));
  for (const [a, b] of full.truth.duplicates) {
    assert.ok(personIds.has(a) && personIds.has(b) && a !== b);
    assert.equal(byId.get(a)?.sex, byId.get(b)?.sex);
  }
  const requestIds = new Set(full.tracingRequests.map((r) => r.id));
  const missing = new Set(full.truth.missingInTransit);
  assert.equal(full.truth.tracing.length, full.tracingRequests.length);
  const statuses = new Set<string>();
  for (const t of full.truth.tracing) {
    assert.ok(requestIds.has(t.requestId));
    statuses.add(t.status);
    if (t.personId === null) assert.equal(t.status, 'never_registered');
    else {
      assert.ok(personIds.has(t.personId));
      assert.equal(t.status === 'missing_in_transit', missing.has(t.personId));
    }
  }
  assert.deepEqual([...statuses].sort(), ['missing_in_transit', 'never_registered', 'registered']);
  for (const r of full.tracingRequests) if (r.enquirer.personId) assert.ok(personIds.has(r.enquirer.personId));
  const manifested = new Set(full.convoys.flatMap((c) => c.vehicles.flatMap((v) => v.manifest.map((m) => m.personId))));
  const checkedIn = new Set(full.facts.flatMap((f) => (f.kind === 'checked_in' ? [f.personId] : [])));
  for (const id of missing) assert.ok(manifested.has(id) && !checkedIn.has(id), `missing ${id}`);
});

test('households ride together unless a split has a reason, and a few are split', () => {
  let splits = 0;
  for (const c of full.convoys) {
    const vehiclesOf = new Map<string, Set<string>>();
    for (const v of c.vehicles)
      for (const m of v.manifest) vehiclesOf.set(m.householdId, (vehiclesOf.get(m.householdId) ?? new Set()).add(v.id));
    for (const v of c.vehicles) {
      for (const m of v.manifest) {
        if ((vehiclesOf.get(m.householdId)?.size ?? 0) > 1) assert.ok(m.splitReason, `household ${m.householdId} split without reason`);
      }
    }
    splits += [...vehiclesOf.values()].filter((s) => s.size > 1).length;
  }
  assert.ok(splits > 50, `splits ${splits}`);
});

test('the counts in the truth are the counts in the data', () => {
  const t = full.truth.totals;
  const checkIns = full.facts.filter((f) => f.kind === 'checked_in');
  assert.equal(checkIns.length, t.arrived.total);
  assert.equal(new Set(checkIns.map((f) => f.personId)).size, checkIns.length);
  const boarded = new Set(full.facts.flatMap((f) => (f.kind === 'boarded' && f.personId ? [f.personId] : [])));
  assert.equal(boarded.size, t.boarded.total);
  assert.equal(persons.length, t.registeredRecords);
  assert.equal(
    t.registeredPeople.rows.reduce((n, r) => n + r.count, 0),
    t.registeredPeople.total,
  );
  assert.equal(full.facts.length, t.facts);
  let outOfOrder = 0;
  for (let i = 1; i < full.facts.length; i++)
    if ((full.facts[i] as { deviceTime: string }).deviceTime < (full.facts[i - 1] as { deviceTime: string }).deviceTime) outOfOrder++;
  assert.ok(outOfOrder > 100, 'offline phones deliver facts out of device-time order');
  const observed = full.facts.filter((f) => f.kind === 'passed_checkpoint');
  const manifestSize = new Map(full.convoys.flatMap((c) => c.vehicles.map((v) => [v.id, v.manifest.length])));
  assert.ok(
    observed.some((f) => f.vehicleId && manifestSize.get(f.vehicleId) && f.payload.observedHeadCount !== manifestSize.get(f.vehicleId)),
  );
});

test('wristband tags are unique, valid and from the site range', () => {
  const tags = persons.flatMap((p) => (p.tag ? [p.tag] : []));
  assert.ok(tags.length > persons.length * 0.9);
  assert.equal(new Set(tags).size, tags.length);
  const ranges = new Map(full.sites.map((s) => [s.id, s.tagRange]));
  for (const h of full.households) {
    const range = ranges.get(h.siteId);
    for (const p of h.members) {
      if (!p.tag) continue;
      const parsed = parseTag(p.tag);
      assert.ok(parsed.ok, p.tag);
      if (parsed.ok && range) assert.ok(parsed.serial >= range.first && parsed.serial <= range.last);
    }
  }
});

test('every person and household is valid API input', () => {
  for (const h of full.households) {
    for (const p of h.members) {
      const r = personInput.safeParse(p);
      assert.ok(r.success, `${JSON.stringify(p)}: ${r.success ? '' : r.error.message}`);
    }
  }
  for (const h of full.households.slice(0, 500))
    assert.ok(householdInput.safeParse({ id: h.id, siteId: h.siteId, members: h.members }).success);
  const scripts = { both: 0, ar: 0, lat: 0 };
  for (const p of persons) scripts[p.names.ar && p.names.lat ? 'both' : p.names.ar ? 'ar' : 'lat']++;
  assert.ok(scripts.both > scripts.ar && scripts.ar > 0 && scripts.lat > 0);
});

test('the same seed gives the same scenario, another seed another', () => {
  const a = generateScenario({ seed: 7, people: 3000 });
  const b = generateScenario({ seed: 7, people: 3000 });
  const c = generateScenario({ seed: 8, people: 3000 });
  assert.equal(hashOf(a), hashOf(b));
  assert.notEqual(hashOf(a), hashOf(c));
  assert.ok(a.truth.totals.evacuated >= 2900 && a.truth.totals.evacuated <= 3100);
});

test('no reception site or camp holds more people than its capacity (al-Rashidin is not over-full in its own demo)', () => {
  const arrived = new Map<string, number>();
  for (const f of full.facts) if (f.kind === 'checked_in') arrived.set(f.siteId, (arrived.get(f.siteId) ?? 0) + 1);
  assert.ok((arrived.get('rashidin') ?? 0) > 10_000, 'most people are checked in at al-Rashidin');
  for (const site of full.sites) {
    const n = arrived.get(site.id) ?? 0;
    if (n > 0) assert.ok(site.capacity >= n * 1.1, `${site.id}: ${n} checked in, ${site.capacity} places (room left for the desk)`);
  }
});
