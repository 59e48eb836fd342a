/**
 * The population, one household at a time: families of 1–12 (mean ≈ 5) with a head, spouse,
 * children named in the Arabic way (father's and grandfather's names carried down, a son often
 * named after his grandfather), sometimes a grandparent or a brother of the head. Households of
 * brothers follow each other (cousins named after the same grandfather). A few dozen children
 * are unaccompanied or separated, their parents registered later or never. Each draft also says
 * which members get registered twice and which tracing requests its members will make.
 */
import {
  pickFamily,
  pickFemaleGiven,
  pickFemaleGivenExcept,
  pickMaleGiven,
  pickMaleGivenExcept,
  type NameEntry,
  type NameIdentity,
} from './names.js';
import { birthFromAge, drawVulnerabilities, pickRegistrationStyle, type RegistrationStyle, type TruePerson } from './person.js';
import { cumulativeOf, type Rng } from './rng.js';
import { ORIGIN_NEIGHBOURHOODS } from './setting.js';
import type { Relationship, TracingRequest } from './types.js';

/** Someone sought who was never registered: what is true of them. */
export interface Phantom {
  identity: NameIdentity;
  sex: 'male' | 'female';
  age: number;
}

export interface TracingDraft {
  enquirer: TruePerson | { external: NameIdentity };
  sought: TruePerson | Phantom;
  relation: TracingRequest['relation'];
  lastSeen: string;
}

export interface HouseholdDraft {
  members: TruePerson[];
  style: RegistrationStyle;
  origin: string;
  /** Members who will also be registered a second time, alone, at another desk. */
  registeredTwice: TruePerson[];
  tracing: TracingDraft[];
}

/** Household sizes 1–12, mean ≈ 5. */
const SIZE_CUMULATIVE = cumulativeOf([10, 9, 11, 14, 15, 13, 10, 7, 5, 3, 2, 1]);
const DUPLICATE_RATE = 0.031;

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.round(n)));
}

export class Population {
  private readonly recentHeads: TruePerson[] = [];
  private readonly deferred: Array<{ at: number; draft: HouseholdDraft }> = [];
  private count = 0;

  constructor(private readonly rng: Rng) {}

  next(): HouseholdDraft {
    this.count++;
    const due = this.deferred.findIndex((d) => d.at <= this.count);
    if (due >= 0) return (this.deferred.splice(due, 1)[0] as { draft: HouseholdDraft }).draft;
    const r = this.rng;
    const draft = r.chance(0.003) ? this.unaccompaniedChild() : this.family();
    for (const m of draft.members) if (r.chance(DUPLICATE_RATE)) draft.registeredTwice.push(m);
    if (r.chance(0.015)) draft.tracing.push(this.seekPhantom(draft));
    for (const m of draft.members) {
      if (m.age >= 3 && r.chance(0.004))
        draft.tracing.push({
          enquirer: { external: this.externalRelative(m) },
          sought: m,
          relation: r.pick(['sibling', 'child', 'parent', 'other_relative'] as const),
          lastSeen: this.place(),
        });
    }
    return draft;
  }

  private person(identity: NameIdentity, sex: 'male' | 'female', age: number, relationship: Relationship): TruePerson {
    const a = clamp(age, 0, 99);
    return {
      id: '',
      identity,
      sex,
      age: a,
      birth: birthFromAge(this.rng, a),
      relationship,
      vulnerabilities: drawVulnerabilities(this.rng, sex, a, relationship),
    };
  }

  private place(): string {
    return this.rng.pick(ORIGIN_NEIGHBOURHOODS);
  }

  private draftOf(members: TruePerson[]): HouseholdDraft {
    return { members, style: pickRegistrationStyle(this.rng), origin: this.place(), registeredTwice: [], tracing: [] };
  }

  private remember(head: TruePerson): void {
    this.recentHeads.push(head);
    if (this.recentHeads.length > 40) this.recentHeads.shift();
  }

  private newLineage(): { father: NameEntry; grandfather: NameEntry; family: NameEntry } {
    const father = pickMaleGiven(this.rng);
    return { father, grandfather: pickMaleGivenExcept(this.rng, [father]), family: pickFamily(this.rng) };
  }

  /** Children of a father: distinct names, a son often named after his grandfather, close ages. */
  private children(father: NameIdentity, count: number, motherAge: number, relationship: Relationship): TruePerson[] {
    const r = this.rng;
    const out: TruePerson[] = [];
    const taken: NameEntry[] = [father.given];
    let age = clamp(Math.min(motherAge - r.int(17, 22), 2.5 * count + r.int(0, 6)), 0, 30);
    const afterGrandfather = r.chance(0.35);
    for (let i = 0; i < count; i++) {
      const sex = r.chance(0.51) ? 'male' : 'female';
      const given =
        sex === 'male' && afterGrandfather && !taken.includes(father.father)
          ? father.father
          : sex === 'male'
            ? pickMaleGivenExcept(r, taken)
            : pickFemaleGivenExcept(r, taken);
      taken.push(given);
      out.push(this.person({ given, father: father.given, grandfather: father.father, family: father.family }, sex, age, relationship));
      age = Math.max(0, age - r.int(1, 3));
    }
    return out;
  }

  private family(): HouseholdDraft {
    const r = this.rng;
    const size = r.weightedIndex(SIZE_CUMULATIVE) + 1;
    if (size === 1) return this.single();
    const brotherOf = this.recentHeads.length > 0 && r.chance(0.25) ? r.pick(this.recentHeads) : null;
    const lineage = brotherOf
      ? { father: brotherOf.identity.father, grandfather: brotherOf.identity.grandfather, family: brotherOf.identity.family }
      : this.newLineage();
    const widow = r.chance(0.1) && !brotherOf;
    const members: TruePerson[] = [];
    let headId: NameIdentity;
    let motherAge: number;
    let childrensFather: NameIdentity;
    let siblingRequest: TracingDraft | null = null;
    // Parents old enough for the children the household has: about two years per child after 18.
    const minParentAge = 18 + 2 * Math.max(0, size - 2);
    if (widow) {
      const age = Math.max(r.normal(36, 9), minParentAge);
      headId = { given: pickFemaleGiven(r), ...lineage };
      const head = this.person(headId, 'female', age, 'head');
      head.vulnerabilities.push('single_caregiver');
      members.push(head);
      motherAge = head.age;
      childrensFather = { given: pickMaleGiven(r), ...this.newLineage() };
    } else {
      const given = brotherOf
        ? pickMaleGivenExcept(r, [brotherOf.identity.given, lineage.father, lineage.grandfather])
        : pickMaleGivenExcept(r, [lineage.father]);
      headId = { given, ...lineage };
      const head = this.person(headId, 'male', Math.max(r.normal(39, 10), minParentAge + r.int(0, 6)), 'head');
      members.push(head);
      const spouseFamily = r.chance(0.2) ? lineage.family : pickFamily(r);
      const spouseFather = pickMaleGiven(r);
      const spouse = this.person(
        { given: pickFemaleGiven(r), father: spouseFather, grandfather: pickMaleGivenExcept(r, [spouseFather]), family: spouseFamily },
        'female',
        clamp(Math.max(head.age - r.int(0, 10), minParentAge), 17, 90),
        'spouse',
      );
      members.push(spouse);
      motherAge = spouse.age;
      childrensFather = headId;
      if (brotherOf && r.chance(0.15)) siblingRequest = { enquirer: head, sought: brotherOf, relation: 'sibling', lastSeen: this.place() };
    }
    const head = members[0] as TruePerson;
    if (members.length < size && head.age < 50 && r.chance(0.25)) {
      if (r.chance(0.4)) {
        members.push(
          this.person(
            { given: lineage.father, father: lineage.grandfather, grandfather: pickMaleGiven(r), family: lineage.family },
            'male',
            head.age + r.int(22, 35),
            'parent',
          ),
        );
      } else {
        const f = pickMaleGiven(r);
        members.push(
          this.person(
            { given: pickFemaleGiven(r), father: f, grandfather: pickMaleGivenExcept(r, [f]), family: pickFamily(r) },
            'female',
            head.age + r.int(18, 30),
            'parent',
          ),
        );
      }
    }
    if (members.length < size && r.chance(0.1)) {
      const sex = r.chance(0.5) ? 'male' : 'female';
      const given = sex === 'male' ? pickMaleGivenExcept(r, [headId.given]) : pickFemaleGiven(r);
      members.push(this.person({ given, ...lineage }, sex, clamp(head.age + r.int(-10, 10), 12, 80), 'sibling'));
    }
    const draft = this.draftOf(members);
    const kids = this.children(childrensFather, size - members.length, motherAge, 'child');
    members.push(...kids);
    const mother = widow ? head : members[1];
    if (mother && kids.some((k) => k.age < 2) && r.chance(0.5)) mother.vulnerabilities.push('lactating');
    if (!widow && kids.length > 0 && r.chance(0.006)) this.separatedChild(draft, headId, motherAge);
    if (siblingRequest) draft.tracing.push(siblingRequest);
    if (!widow) this.remember(head);
    return draft;
  }

  /** Someone who boarded without registering, registered on arrival: one person, nothing more. */
  walkIn(): HouseholdDraft {
    return this.single();
  }

  private single(): HouseholdDraft {
    const r = this.rng;
    const lineage = this.newLineage();
    const kind = r.choose({ youngMan: 60, older: 25, woman: 15 });
    const sex = kind === 'youngMan' ? 'male' : kind === 'older' ? (r.chance(0.5) ? 'male' : 'female') : 'female';
    const age = kind === 'youngMan' ? r.int(17, 40) : kind === 'older' ? r.int(60, 88) : r.int(20, 60);
    const given = sex === 'male' ? pickMaleGivenExcept(r, [lineage.father]) : pickFemaleGiven(r);
    return this.draftOf([this.person({ given, ...lineage }, sex, age, 'head')]);
  }

  /** A child registered alone; the mother and siblings often registered days later. */
  private unaccompaniedChild(): HouseholdDraft {
    const r = this.rng;
    const father: NameIdentity = { given: pickMaleGiven(r), ...this.newLineage() };
    const [child] = this.children(father, 1, r.int(28, 45), 'head');
    const c = child as TruePerson;
    c.age = Math.max(c.age, r.int(9, 16));
    c.birth = birthFromAge(r, c.age);
    c.vulnerabilities.push('unaccompanied_child');
    this.familyOfChild(c, father);
    return this.draftOf([c]);
  }

  /** A nephew or niece travelling with the head, the head's brother's child. */
  private separatedChild(draft: HouseholdDraft, head: NameIdentity, motherAge: number): void {
    const r = this.rng;
    const brother: NameIdentity = {
      given: pickMaleGivenExcept(r, [head.given, head.father]),
      father: head.father,
      grandfather: head.grandfather,
      family: head.family,
    };
    const [child] = this.children(brother, 1, motherAge, 'other_relative');
    const c = child as TruePerson;
    c.vulnerabilities.push('separated_child');
    draft.members.push(c);
    if (!this.familyOfChild(c, brother)) {
      const headPerson = draft.members[0] as TruePerson;
      draft.tracing.push({
        enquirer: headPerson,
        sought: { identity: { ...brother }, sex: 'male', age: headPerson.age + r.int(-8, 8) },
        relation: 'sibling',
        lastSeen: this.place(),
      });
    }
  }

  /** Half the time the child's mother is registered later and asks for the child; returns whether. */
  private familyOfChild(child: TruePerson, father: NameIdentity): boolean {
    const r = this.rng;
    if (!r.chance(0.5)) return false;
    const f = pickMaleGiven(r);
    const mother = this.person(
      {
        given: pickFemaleGiven(r),
        father: f,
        grandfather: pickMaleGivenExcept(r, [f]),
        family: r.chance(0.3) ? father.family : pickFamily(r),
      },
      'female',
      child.age + r.int(20, 30),
      'head',
    );
    mother.vulnerabilities.push('single_caregiver');
    const siblings = this.children(father, r.int(0, 4), mother.age, 'child').filter((s) => s.identity.given !== child.identity.given);
    const draft = this.draftOf([mother, ...siblings]);
    draft.tracing.push({ enquirer: mother, sought: child, relation: 'child', lastSeen: this.place() });
    this.deferred.push({ at: this.count + r.int(50, 1500), draft });
    return true;
  }

  private seekPhantom(draft: HouseholdDraft): TracingDraft {
    const r = this.rng;
    const head = draft.members[0] as TruePerson;
    const id = head.identity;
    if (head.sex === 'male' && head.age >= 38 && r.chance(0.5)) {
      const given = pickMaleGivenExcept(
        r,
        draft.members.map((m) => m.identity.given),
      );
      return {
        enquirer: head,
        sought: {
          identity: { given, father: id.given, grandfather: id.father, family: id.family },
          sex: 'male',
          age: clamp(head.age - r.int(18, 28), 14, 40),
        },
        relation: 'child',
        lastSeen: this.place(),
      };
    }
    const sex = r.chance(0.7) ? 'male' : 'female';
    const given = sex === 'male' ? pickMaleGivenExcept(r, [id.given, id.father]) : pickFemaleGivenExcept(r, [id.given]);
    return {
      enquirer: head,
      sought: {
        identity: { given, father: id.father, grandfather: id.grandfather, family: id.family },
        sex,
        age: clamp(head.age + r.int(-10, 10), 12, 80),
      },
      relation: 'sibling',
      lastSeen: this.place(),
    };
  }

  /** A relative outside the operation (in Idlib, in Turkey) who asks for someone registered. */
  private externalRelative(m: TruePerson): NameIdentity {
    const r = this.rng;
    return {
      given: r.chance(0.6) ? pickMaleGivenExcept(r, [m.identity.given]) : pickFemaleGiven(r),
      father: m.identity.father,
      grandfather: m.identity.grandfather,
      family: m.identity.family,
    };
  }
}
