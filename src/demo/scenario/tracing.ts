/**
 * Tracing requests as a tracing officer takes them down: who asks, whatever they know of the
 * person they look for (often only a given name, a father's name and an age range, in whichever
 * script the officer types), the relation, where and when the person was last seen. The truth —
 * which registered person it is, or nobody because they were never registered — is returned
 * beside the request, never inside it.
 */
import type { Phantom, TracingDraft } from './households.js';
import type { IdMaker } from './ids.js';
import { latinFamily, latinOf, pickClerkStyle, arabicOf, type NameIdentity } from './names.js';
import type { TruePerson } from './person.js';
import type { Rng } from './rng.js';
import { SITE, localDay } from './setting.js';
import type { NamePartsOut, TracingRequest, TracingTruth } from './types.js';

function isRegistered(p: TruePerson | Phantom): p is TruePerson {
  return 'id' in p;
}

/** Some of the four parts, written in one script. */
function partialNames(rng: Rng, id: NameIdentity, keep: { father: boolean; grandfather: boolean; family: boolean }): NamePartsOut {
  const arabic = rng.chance(0.55);
  const style = pickClerkStyle(rng);
  const write = (e: NameIdentity['given']): string => (arabic ? arabicOf(e, style) : latinOf(rng, e));
  const out: NamePartsOut = { given: write(id.given) };
  if (keep.father) out.father = write(id.father);
  if (keep.grandfather) out.grandfather = write(id.grandfather);
  if (keep.family) out.family = arabic ? arabicOf(id.family, style) : latinFamily(id.family, latinOf(rng, id.family), style.article);
  return out;
}

function describeSought(rng: Rng, identity: NameIdentity, sex: 'male' | 'female', age: number): TracingRequest['sought'] {
  const sparse = rng.chance(0.2);
  const sought: TracingRequest['sought'] = {
    names: partialNames(rng, identity, {
      father: sparse || rng.chance(0.75),
      grandfather: !sparse && rng.chance(0.2),
      family: !sparse && rng.chance(0.65),
    }),
  };
  if (rng.chance(0.85)) sought.sex = sex;
  if (sparse || rng.chance(0.75)) {
    const off = rng.chance(0.05) ? rng.pick([-10, 10]) : 0; // the enquirer remembers the age wrong
    sought.ageMin = Math.max(0, age + off - rng.int(1, 8));
    // A child remembered ten years too young still has a range (0 → a few years), never a negative age.
    sought.ageMax = Math.min(110, Math.max(sought.ageMin, age + off + rng.int(1, 8)));
  }
  return sought;
}

const TRACING_DESKS = [SITE.rashidin, SITE.rashidin, SITE.idlib, SITE.atmeh];

/** Turns a draft into a request taken at `createdAtMs`, and its truth. */
export function makeTracingRequest(
  rng: Rng,
  ids: IdMaker,
  draft: TracingDraft,
  createdAtMs: number,
): { request: TracingRequest; truth: TracingTruth } {
  const sought = draft.sought;
  const enquirer =
    'external' in draft.enquirer
      ? { personId: null, names: partialNames(rng, draft.enquirer.external, { father: true, grandfather: false, family: true }) }
      : {
          personId: draft.enquirer.id,
          names: partialNames(rng, draft.enquirer.identity, { father: true, grandfather: false, family: rng.chance(0.8) }),
        };
  const id = ids.next(createdAtMs);
  const request: TracingRequest = {
    id,
    createdAt: new Date(createdAtMs).toISOString(),
    siteId: rng.pick(TRACING_DESKS),
    enquirer,
    sought: describeSought(rng, sought.identity, sought.sex, sought.age),
    relation: draft.relation,
    lastSeen: { place: draft.lastSeen, date: localDay(createdAtMs - rng.int(0, 4) * 86_400_000) },
  };
  const registered = isRegistered(sought) && sought.id !== '';
  return {
    request,
    truth: { requestId: id, personId: registered ? sought.id : null, status: registered ? 'registered' : 'never_registered' },
  };
}
