/**
 * What happened to one convoy, as the devices along its route recorded it: boardings at the
 * assembly point, the departure, each vehicle passing each checkpoint with the head count the
 * monitor saw (now and then not what the manifest says), halts for inspection or negotiation,
 * incidents, arrival, and each person's check-in at the reception site or camp. A few people go
 * missing on the way (taken off at a checkpoint, or never checked in); a few arrive who were on
 * no manifest. Checkpoint phones are often offline, so facts reach the server hours late and
 * out of device-time order. Now and then (`PHONE_BOARDING_SHARE` of the convoys) a second
 * officer's phone, offline, boards one person on another bus just before the officer seats their
 * household on its own; the phone syncs hours after the departure. The officer's boarding, later
 * by device time, stands (the manifest does not change); the pair is a genuine boarding conflict
 * for the reconciliation desk — the demo's only ones.
 */
import type { IdMaker } from './ids.js';
import type { TruePerson } from './person.js';
import type { Rng } from './rng.js';
import { LEG_MINUTES, OPERATION_ID, iso } from './setting.js';
import { headCountOf } from './convoys.js';
import type { ScenarioConvoy, ScenarioFact, ScenarioRoute, ScenarioVehicle } from './types.js';

const MIN = 60_000;
/** Share of the convoys (with two buses or more) where an offline phone boards someone on the wrong bus. */
export const PHONE_BOARDING_SHARE = 0.15;

/** A boarding sent by a second officer's offline phone (sent as a fact, not from the manifest). */
export const isPhoneBoarding = (f: ScenarioFact): boolean => f.kind === 'boarded' && f.deviceId.includes('-officer-phone-');

export interface ConvoyRun {
  convoy: ScenarioConvoy;
  route: ScenarioRoute;
  departMs: number;
  people: ReadonlyMap<string, TruePerson>;
  turnBack: boolean;
  /** Draws for the offline phone's boarding (a stream of its own: the other draws stay as they were). */
  phoneRng?: Rng;
  /** Registers someone who arrived on no manifest; returns their person id. */
  registerWalkIn: (siteId: string, atMs: number) => string;
}

export interface ConvoyOutcome {
  facts: ScenarioFact[];
  missing: string[];
  walkIns: string[];
}

type NewFact = Omit<ScenarioFact, 'id' | 'operationId' | 'receivedAt' | 'deviceTime'> & { atMs: number; offline?: 'checkpoint' | 'desk' };

export function runConvoy(rng: Rng, ids: IdMaker, run: ConvoyRun): ConvoyOutcome {
  const facts: ScenarioFact[] = [];
  const convoyId = run.convoy.id;
  const add = (f: NewFact): void => {
    const { atMs, offline, ...rest } = f;
    const delaySec =
      offline === 'checkpoint'
        ? rng.choose({ quick: 60, late: 30, day: 10 })
        : offline === 'desk'
          ? rng.choose({ quick: 80, late: 20, day: 0 })
          : rng.choose({ quick: 95, late: 5, day: 0 });
    const delay = delaySec === 'quick' ? rng.int(2, 90) : delaySec === 'late' ? rng.int(5 * 60, 180 * 60) : rng.int(3 * 3600, 20 * 3600);
    facts.push({
      ...rest,
      id: ids.next(atMs),
      operationId: OPERATION_ID,
      deviceTime: iso(atMs),
      receivedAt: iso(atMs + delay * 1000),
    } as ScenarioFact);
  };
  const [origin, ...rest] = run.route.siteIds as [string, ...string[]];
  const destination = rest[rest.length - 1] as string;
  const officer = `${origin}-officer-${rng.int(1, 4)}`;
  const named = run.convoy.vehicles.filter((v) => v.mode === 'named');

  // Who is aboard each vehicle, as it goes: manifest, minus those taken off, plus walk-ins.
  const aboard = new Map<string, number>(run.convoy.vehicles.map((v) => [v.id, headCountOf(v)]));
  for (const v of run.convoy.vehicles) {
    if (v.mode === 'head_count') {
      add({
        kind: 'boarded',
        convoyId,
        vehicleId: v.id,
        siteId: origin,
        deviceId: officer,
        atMs: run.departMs - rng.int(10, 60) * MIN,
        payload: { headCount: v.headCount ?? [] },
      });
      continue;
    }
    for (const m of v.manifest) {
      add({
        kind: 'boarded',
        convoyId,
        vehicleId: v.id,
        personId: m.personId,
        siteId: origin,
        deviceId: officer,
        atMs: run.departMs - rng.int(10, 120) * MIN,
        payload: m.splitReason ? { splitReason: m.splitReason } : {},
      });
    }
  }
  addPhoneBoarding(run, ids, facts, origin);
  add({ kind: 'departed', convoyId, siteId: origin, deviceId: officer, atMs: run.departMs, payload: {} });

  const missing: string[] = [];
  const gone = new Set<string>();
  const walkInsBy = new Map<string, number>();
  for (const v of named)
    if (v.kind === 'bus' && rng.chance(0.006)) {
      walkInsBy.set(v.id, 1);
      aboard.set(v.id, (aboard.get(v.id) ?? 0) + 1);
    }

  let t = run.departMs;
  for (const siteId of rest) {
    const [lo, hi] = LEG_MINUTES[siteId] ?? [20, 60];
    t += rng.int(lo, hi) * MIN;
    const monitor = `${siteId}-monitor-${rng.int(1, 3)}`;
    if (siteId === rest[0] && run.turnBack) {
      add({
        kind: 'halted',
        convoyId,
        siteId,
        deviceId: monitor,
        offline: 'checkpoint',
        atMs: t,
        payload: { reason: 'ceasefire_suspended', note: 'Evacuation suspended; convoy stopped at the crossing' },
      });
      // The stop is an incident too, on the record of the suspension, sent with the halt. No draw from
      // the generator (`add` draws the delay): every later draw, and so the scenario, stays the same.
      const halt = facts[facts.length - 1] as ScenarioFact;
      facts.push({
        kind: 'incident',
        convoyId,
        siteId,
        deviceId: monitor,
        payload: { incidentKind: 'halt', severity: 'high', text: 'Convoy halted by armed men; the evacuation is suspended' },
        id: ids.next(t),
        operationId: OPERATION_ID,
        deviceTime: iso(t),
        receivedAt: halt.receivedAt,
      } as ScenarioFact);
      if (rng.chance(0.6))
        add({
          kind: 'incident',
          convoyId,
          siteId,
          deviceId: monitor,
          offline: 'checkpoint',
          atMs: t + rng.int(20, 60) * MIN,
          payload: {
            incidentKind: 'shooting',
            severity: 'medium',
            injured: rng.int(0, 2),
            text: 'Shots fired near the convoy while it waited',
          },
        });
      add({
        kind: 'turned_back',
        convoyId,
        siteId,
        deviceId: monitor,
        offline: 'checkpoint',
        atMs: t + rng.int(90, 240) * MIN,
        payload: { reason: 'ceasefire_suspended', note: 'Ordered back to eastern Aleppo' },
      });
      return { facts, missing, walkIns: [] };
    }
    const destinationReached = siteId === destination;
    if (!destinationReached) {
      const halt =
        siteId === rest[0]
          ? rng.choose({ checkpoint_inspection: 50, negotiation: 10, none: 40 })
          : rng.choose({ checkpoint_inspection: 15, security: 5, none: 80 });
      if (halt !== 'none') {
        add({
          kind: 'halted',
          convoyId,
          siteId,
          deviceId: monitor,
          offline: 'checkpoint',
          atMs: t,
          payload: {
            reason: halt,
            note: halt === 'negotiation' ? 'Waiting for clearance from both sides' : 'Vehicles searched one by one',
          },
        });
        t += rng.int(20, 150) * MIN;
        add({ kind: 'resumed', convoyId, siteId, deviceId: monitor, offline: 'checkpoint', atMs: t, payload: {} });
      }
      const buses = named.filter((v) => v.kind === 'bus');
      if (siteId === rest[0] && buses.length > 0 && rng.chance(0.06)) {
        const bus = rng.pick(buses);
        const men = bus.manifest.filter((m) => {
          const p = run.people.get(m.personId);
          return p && p.sex === 'male' && p.age >= 18 && p.age < 60;
        });
        const taken = rng.shuffle([...men]).slice(0, rng.int(1, 3));
        for (const m of taken) {
          gone.add(m.personId);
          missing.push(m.personId);
        }
        aboard.set(bus.id, (aboard.get(bus.id) ?? 0) - taken.length);
        if (taken.length > 0)
          add({
            kind: 'incident',
            convoyId,
            vehicleId: bus.id,
            siteId,
            deviceId: monitor,
            offline: 'checkpoint',
            atMs: t - rng.int(5, 15) * MIN,
            payload: {
              incidentKind: 'taken_off',
              severity: 'high',
              detained: taken.length,
              text: `${taken.length} men taken off ${bus.label} at the crossing; not returned`,
            },
          });
      }
    }
    if (rng.chance(0.05)) {
      const v = rng.pick(run.convoy.vehicles);
      add({
        kind: 'halted',
        convoyId,
        vehicleId: v.id,
        siteId,
        deviceId: monitor,
        offline: 'checkpoint',
        atMs: t - 10 * MIN,
        payload: { reason: 'vehicle_breakdown', note: `${v.label} broke down` },
      });
      add({
        kind: 'incident',
        convoyId,
        vehicleId: v.id,
        siteId,
        deviceId: monitor,
        offline: 'checkpoint',
        atMs: t - 9 * MIN,
        payload: { incidentKind: 'vehicle_breakdown', severity: 'low' },
      });
      add({
        kind: 'resumed',
        convoyId,
        vehicleId: v.id,
        siteId,
        deviceId: monitor,
        offline: 'checkpoint',
        atMs: t + rng.int(20, 80) * MIN,
        payload: { note: 'Repaired on the road' },
      });
    }
    if (rng.chance(0.03))
      add({
        kind: 'incident',
        convoyId,
        siteId,
        deviceId: monitor,
        offline: 'checkpoint',
        atMs: t - rng.int(5, 30) * MIN,
        payload: {
          incidentKind: 'shooting',
          severity: rng.pick(['low', 'medium'] as const),
          injured: rng.int(0, 2),
          text: 'Gunfire heard along the road; convoy kept moving',
        },
      });
    const ambulances = named.filter((v) => v.kind === 'ambulance');
    if (ambulances.length > 0 && rng.chance(0.04)) {
      const a = rng.pick(ambulances);
      const patient = a.manifest[0];
      if (patient)
        add({
          kind: 'incident',
          convoyId,
          vehicleId: a.id,
          personId: patient.personId,
          siteId,
          deviceId: monitor,
          offline: 'checkpoint',
          atMs: t,
          payload: { incidentKind: 'medical', severity: 'high', text: 'Patient deteriorated; treated in the ambulance' },
        });
    }
    let passAt = t;
    for (const v of run.convoy.vehicles) {
      passAt += rng.int(10, 90) * 1000;
      const actual = aboard.get(v.id) ?? 0;
      const seen = rng.chance(0.04) ? Math.max(0, actual + rng.pick([-2, -1, 1, 2, 3])) : actual;
      add(
        destinationReached
          ? {
              kind: 'arrived',
              convoyId,
              vehicleId: v.id,
              siteId,
              deviceId: `${siteId}-officer-1`,
              atMs: passAt,
              payload: { observedHeadCount: rng.chance(0.3) ? headCountOf(v) : seen },
            }
          : {
              kind: 'passed_checkpoint',
              convoyId,
              vehicleId: v.id,
              siteId,
              deviceId: monitor,
              offline: 'checkpoint',
              atMs: passAt,
              payload: { observedHeadCount: seen },
            },
      );
    }
    if (destinationReached) add({ kind: 'arrived', convoyId, siteId, deviceId: `${siteId}-officer-1`, atMs: passAt + MIN, payload: {} });
    t = passAt;
  }

  // Check-in at the destination, person by person; a few manifested people never check in.
  const walkIns: string[] = [];
  const arrivedAt = t;
  for (const v of named) {
    const desk = `${destination}-desk-${String(rng.int(1, 8)).padStart(2, '0')}`;
    for (const m of v.manifest) {
      if (gone.has(m.personId)) continue;
      if (rng.chance(0.0012)) {
        missing.push(m.personId);
        continue;
      }
      add({
        kind: 'checked_in',
        convoyId,
        vehicleId: v.id,
        personId: m.personId,
        siteId: destination,
        deviceId: desk,
        offline: 'desk',
        atMs: arrivedAt + rng.int(5, 300) * MIN,
        payload: shelterAt(rng, destination),
      });
    }
    if (walkInsBy.has(v.id)) {
      const at = arrivedAt + rng.int(30, 300) * MIN;
      const personId = run.registerWalkIn(destination, at);
      walkIns.push(personId);
      add({
        kind: 'checked_in',
        convoyId,
        vehicleId: v.id,
        personId,
        siteId: destination,
        deviceId: desk,
        offline: 'desk',
        atMs: at,
        payload: shelterAt(rng, destination),
      });
    }
  }
  return { facts, missing, walkIns };
}

/** The offline phone's boarding on another bus, a minute before the officer boarded the household (see the top). */
function addPhoneBoarding(run: ConvoyRun, ids: IdMaker, facts: ScenarioFact[], origin: string): void {
  const rng = run.phoneRng;
  const buses = run.convoy.vehicles.filter((v) => v.mode === 'named' && v.kind === 'bus' && v.manifest.length > 0);
  if (!rng || buses.length < 2 || !rng.chance(PHONE_BOARDING_SHARE)) return;
  const [seat, other] = rng.shuffle([...buses]) as [ScenarioVehicle, ScenarioVehicle];
  const m = rng.pick(seat.manifest);
  const household = new Set(seat.manifest.filter((x) => x.householdId === m.householdId).map((x) => x.personId));
  const first = Math.min(
    ...facts.filter((f) => f.kind === 'boarded' && f.personId && household.has(f.personId)).map((f) => Date.parse(f.deviceTime)),
  );
  const atMs = first - MIN;
  facts.push({
    kind: 'boarded',
    convoyId: run.convoy.id,
    vehicleId: other.id,
    personId: m.personId,
    siteId: origin,
    deviceId: `${origin}-officer-phone-${rng.int(1, 3)}`,
    payload: {},
    id: ids.next(atMs),
    operationId: OPERATION_ID,
    deviceTime: iso(atMs),
    receivedAt: iso(run.departMs + rng.int(3 * 60, 10 * 60) * MIN),
  } as ScenarioFact);
}

function shelterAt(rng: Rng, siteId: string): { shelter?: string } {
  if (siteId === 'atmeh') return { shelter: `Sector ${rng.pick(['A', 'B', 'C', 'D', 'E'])}, tent ${rng.int(1, 400)}` };
  return rng.chance(0.6) ? { shelter: `Hall ${rng.int(1, 6)}` } : {};
}
