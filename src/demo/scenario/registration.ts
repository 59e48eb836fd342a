/**
 * Registration at a desk: a household draft becomes records with ids, wristband tags from the
 * desk's range and a registration time. Members picked to be registered twice are registered
 * again, alone, at another desk a few hours apart, with the spelling and age a second registrar
 * would write; the pair goes into the truth. Tracing requests the household's members make are
 * taken down a few hours to two days later.
 */
import type { HouseholdDraft } from './households.js';
import type { IdMaker, TagAllocator } from './ids.js';
import { pickRegistrationStyle, renderPerson, type TruePerson } from './person.js';
import type { Rng } from './rng.js';
import { iso, local } from './setting.js';
import { makeTracingRequest } from './tracing.js';
import type { ScenarioHousehold, TracingRequest, TracingTruth } from './types.js';

export interface Registered {
  household: ScenarioHousehold;
  /** The true people, in the same order as `household.members`. */
  people: TruePerson[];
}

export interface RegistrationResult {
  registered: Registered;
  duplicates: ScenarioHousehold[];
  duplicatePairs: Array<[string, string]>;
  requests: TracingRequest[];
  truths: TracingTruth[];
}

const OPENS = local(15, 6);

export class Registrar {
  constructor(
    private readonly rng: Rng,
    private readonly ids: IdMaker,
    private readonly tags: TagAllocator,
  ) {}

  /** Registers a household at `siteId` on `deviceId` at `atMs`. */
  register(draft: HouseholdDraft, atMs: number, siteId: string, deviceId: string, desks: readonly string[]): RegistrationResult {
    const r = this.rng;
    const at = Math.max(OPENS, atMs);
    const householdId = this.ids.next(at);
    for (const p of draft.members) p.id = this.ids.next(at);
    const members = draft.members.map((p) =>
      renderPerson(r, p, { style: draft.style, tag: r.chance(0.97) ? this.tags.next(siteId, deviceId) : undefined, origin: draft.origin }),
    );
    const household: ScenarioHousehold = { id: householdId, siteId, registeredAt: iso(at), deviceId, members };
    const out: RegistrationResult = {
      registered: { household, people: draft.members },
      duplicates: [],
      duplicatePairs: [],
      requests: [],
      truths: [],
    };
    for (const p of draft.registeredTwice) {
      const when = Math.max(OPENS, at + (r.chance(0.5) ? 1 : -1) * r.int(20, 600) * 60_000);
      const desk = r.pick(desks.filter((d) => d !== deviceId));
      const dupId = this.ids.next(when);
      const person = renderPerson(
        r,
        { ...p, id: dupId, relationship: 'head' },
        {
          style: pickRegistrationStyle(r),
          tag: this.tags.next(siteId, desk),
          origin: r.chance(0.7) ? draft.origin : undefined,
          asDuplicate: true,
        },
      );
      out.duplicates.push({ id: this.ids.next(when), siteId, registeredAt: iso(when), deviceId: desk, members: [person] });
      out.duplicatePairs.push(when < at ? [dupId, p.id] : [p.id, dupId]);
    }
    for (const t of draft.tracing) {
      const { request, truth } = makeTracingRequest(r, this.ids, t, at + r.int(3 * 60, 60 * 60) * 60_000);
      out.requests.push(request);
      out.truths.push(truth);
    }
    return out;
  }
}
