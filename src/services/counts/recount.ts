/**
 * The count recomputed from the recorded facts as of a moment — what `counts verify` compares
 * with the counters and what a situation report states — without loading every person and fact
 * into Node: the storage layer groups the simple people by class and sums their cells
 * (src/db/queries/recount.ts), the domain computes each class's cells once
 * (src/domain/counts/classes.ts) and counts everyone else one by one with the same contribution
 * as always (merged records, corrected facts, head-count vehicles, incidents, people whose
 * fields changed since, sealed categories). `recountInNode` is the plain recomputation over the
 * whole load (`recompute`): the reference the grouped one is tested against.
 */
import {
  addInto,
  canonicalId,
  cellKey,
  classCells,
  incidentSubject,
  indexFacts,
  makeRegistry,
  personSubject,
  recompute,
  subjectContribution,
  type CountDims,
  type ClassCell,
  type Counts,
  type PersonClass,
  type Registry,
  type RegistryPerson,
  type SubjectKey,
} from '../../domain/counts/index.js';
import { convoyMovementKinds, dedupeFacts, effectiveFacts, type MovementFact } from '../../domain/movements/index.js';
import * as countsDb from '../../db/queries/counts.js';
import * as factsDb from '../../db/queries/facts.js';
import * as recountDb from '../../db/queries/recount.js';
import * as sitrepDb from '../../db/queries/sitrep.js';
import type { Executor } from '../../db/queries/executor.js';
import type { KeyRing } from '../keys/keyring.js';
import { tallyProtected } from '../persons/protected-fields.js';
import { countingKeys, registryOf } from './counts-maintain.js';

export interface Recount {
  counts: Counts;
  /** The same recomputation restricted to head-count vehicles (the report's "counted by head only"). */
  headCountCounts: Counts;
  /** Effective facts enough for the report's convoy and incident tallies: every movement and incident, a standing boarding per convoy that has one. */
  figureFacts: MovementFact[];
  /** Facts and person records the operation holds. */
  facts: number;
  persons: number;
}

const headCountKinds = new Set<string>([...convoyMovementKinds, 'correction']);
export const isHeadCountFact = (f: MovementFact) =>
  (f.kind === 'boarded' && f.payload.headCount !== undefined) || headCountKinds.has(f.kind);

/**
 * The registry as it stood at `asOf`: people registered by then, with the counted fields they had
 * then (a correction made since is undone from person_counted_history) and the merges in force
 * then (a merge or undo made since is undone from person_merges). Category and vulnerabilities
 * stay as they are now: no figure of the report is broken down by them.
 */
export async function registryAsOf(db: Executor, operationId: string, registry: Registry, asOf: Date): Promise<Registry> {
  const at = asOf.getTime();
  const changed = await sitrepDb.countedFieldsAt(db, operationId, asOf);
  const merges = await sitrepDb.mergedIntoAt(db, operationId, asOf);
  const persons = [...registry.persons.values()].filter((p) => Date.parse(p.registeredAt) <= at);
  if (persons.length === registry.persons.size && changed.length === 0 && merges.length === 0) return registry;
  const byId = new Map(persons.map((p) => [p.id, p]));
  for (const c of changed) {
    const p = byId.get(c.person_id);
    if (p)
      byId.set(p.id, { ...p, sex: c.sex as RegistryPerson['sex'], ageBand: c.age_band as RegistryPerson['ageBand'], siteId: c.site_id });
  }
  const mergedInto = new Map(registry.mergedInto);
  for (const m of merges) {
    if (m.mergedInto === null) mergedInto.delete(m.personId);
    else mergedInto.set(m.personId, m.mergedInto);
  }
  return { persons: byId, mergedInto };
}

const classOf = (r: recountDb.ClassRow): PersonClass => ({
  siteId: r.site_id,
  registeredAt: Number(r.reg_t),
  boarding:
    Number(r.nb) > 0 ? { convoyId: r.b_convoy, vehicleId: r.b_vehicle, siteId: r.b_nosite ? null : r.b_site, at: Number(r.b_t) } : null,
  checkIn: Number(r.nc) > 0 ? { siteId: r.c_nosite ? null : r.c_site, at: Number(r.c_t) } : null,
});

const classKey = (r: recountDb.ClassRow) => recountDb.CLASS_COLUMNS.map((c) => r[c]).join('\u0000');

type Who = Pick<CountDims, 'sex' | 'ageBand' | 'category' | 'vulnerability'>;

/**
 * Cells summed in arrays rather than maps of strings: a tally of n people adds each of its class's
 * cells once per flag row, and a million people make millions of such additions. A cell is a place
 * (metric, site, hour: a few thousand in a week) × who (sex, age band, category, flag: a few
 * hundred at most); each gets a number on first sight, each place a row of sums indexed by who
 * (widened when a new who comes), turned back into cell keys once at the end.
 */
class CellSums {
  private readonly places = new Map<string, number>();
  private readonly placeOf: ClassCell[] = [];
  private readonly people = new Map<string, number>();
  private readonly peopleOf: Who[] = [];
  private rows: (Float64Array | undefined)[] = [];
  private width = 8;

  place(e: ClassCell): number {
    const key = `${e.metric}\u0000${e.siteId}\u0000${e.hour}`;
    let i = this.places.get(key);
    if (i === undefined) this.places.set(key, (i = this.placeOf.push(e) - 1));
    return i;
  }

  who(sex: string, ageBand: string, category: string, vulnerability: string): number {
    const key = `${sex}\u0000${ageBand}\u0000${category}\u0000${vulnerability}`;
    let i = this.people.get(key);
    if (i === undefined) {
      i = this.peopleOf.push({ sex, ageBand, category, vulnerability } as Who) - 1;
      this.people.set(key, i);
      if (i >= this.width) this.widen(2 * this.width);
    }
    return i;
  }

  private widen(width: number): void {
    this.rows = this.rows.map((row) => {
      if (!row) return row;
      const wider = new Float64Array(width);
      wider.set(row);
      return wider;
    });
    this.width = width;
  }

  add(places: readonly number[], deltas: readonly number[], who: number, n: number): void {
    for (let j = 0; j < places.length; j++) {
      const p = places[j] as number;
      const row = this.rows[p] ?? (this.rows[p] = new Float64Array(this.width));
      row[who] = (row[who] as number) + (deltas[j] as number) * n;
    }
  }

  into(cells: Map<string, number>): void {
    this.rows.forEach((row, p) => {
      if (!row) return;
      const e = this.placeOf[p] as ClassCell;
      for (let w = 0; w < this.peopleOf.length; w++) {
        const n = row[w] as number;
        if (n !== 0) addInto(cells, cellKey(e.metric, { ...(this.peopleOf[w] as Who), siteId: e.siteId, hour: e.hour }), n);
      }
    });
  }
}

/** The count as of `asOf` (facts received and people registered by then; null: everything, as of now). */
export async function recountAsOf(db: Executor, ring: KeyRing, operationId: string, asOf: Date | null): Promise<Recount> {
  // One transaction, so the groups and the facts counted beside them are read together.
  if (!db.isTransaction) return db.transaction().execute((trx) => recountAsOf(trx, ring, operationId, asOf));
  const keys = await countingKeys(ring, db, operationId);
  const groups = await recountDb.recountGroups(db, operationId, asOf);
  const complex = groups.filter((g) => !g.simple).map((g) => g.id as string);
  const load = [...new Set([...complex, ...(await recountDb.mergeTouchedIds(db, operationId))])];
  const facts = dedupeFacts((await recountDb.sideFacts(db, operationId, asOf, load)).map(factsDb.rowToFact));
  let registry = registryOf(keys, await countsDb.registryRows(db, operationId, load));
  if (asOf) registry = await registryAsOf(db, operationId, registry, asOf);
  const effective = effectiveFacts(facts);
  const index = indexFacts(effective, registry);
  const cells = new Map<string, number>();

  // Simple people: each class's cells computed once (for its earliest registration), times the people of each tally.
  const keyOf = groups.map((g) => (g.simple ? classKey(g) : ''));
  const earliest = new Map<string, recountDb.ClassRow>();
  groups.forEach((g, i) => {
    if (!g.simple) return;
    const key = keyOf[i] as string;
    const seen = earliest.get(key);
    if (!seen || g.reg_t < seen.reg_t) earliest.set(key, g);
  });
  const sums = new CellSums();
  const ofClass = new Map<string, { places: number[]; deltas: number[] }>();
  for (const [key, row] of earliest) {
    const own = classCells(index, classOf(row));
    ofClass.set(key, { places: own.map((e) => sums.place(e)), deltas: own.map((e) => e.delta) });
  }
  groups.forEach((g, i) => {
    if (!g.simple) return;
    const cls = ofClass.get(keyOf[i] as string) as { places: number[]; deltas: number[] };
    const add = (category: string, vulnerabilities: readonly string[], n: number) => {
      sums.add(cls.places, cls.deltas, sums.who(g.sex as string, g.age_band as string, category, '*'), n);
      for (const v of vulnerabilities) sums.add(cls.places, cls.deltas, sums.who(g.sex as string, g.age_band as string, category, v), n);
    };
    if (!g.sealed) return add(g.category, g.vulnerabilities, g.n);
    // Sealed categories, opened here one by one, then counted by what they hold.
    for (const { fields, n } of tallyProtected(keys, g.sealed.ids, g.sealed.fields)) add(fields.category, fields.vulnerabilities, n);
  });
  sums.into(cells);

  // Everyone else, one by one, as the domain counts them: people merged, corrected, changed since; vehicles; incidents.
  const subjects = new Set<SubjectKey>();
  for (const id of complex) subjects.add(personSubject(canonicalId(registry, id)));
  for (const key of index.headCounts.keys()) subjects.add(key);
  for (const id of index.incidents.keys()) subjects.add(incidentSubject(id));
  for (const s of subjects) for (const [k, n] of subjectContribution(s, index, registry)) addInto(cells, k, n);

  const sizes = await recountDb.recountSizes(db, operationId);
  return {
    counts: { cells },
    headCountCounts: recompute(facts.filter(isHeadCountFact), makeRegistry([])),
    figureFacts: effective,
    ...sizes,
  };
}

/**
 * The reference: every person and fact loaded, the registry taken back to `asOf`, and the domain's
 * `recompute` over all of it (what `counts verify` did before the grouped recount; kept as its test oracle).
 */
export async function recountInNode(db: Executor, ring: KeyRing, operationId: string, asOf: Date | null): Promise<Recount> {
  const keys = await countingKeys(ring, db, operationId);
  const whole = registryOf(keys, await countsDb.registryRows(db, operationId));
  const all: MovementFact[] = [];
  for await (const page of factsDb.allFacts(db, operationId)) for (const r of page) all.push(factsDb.rowToFact(r));
  const t = asOf?.getTime() ?? Infinity;
  const facts = asOf ? all.filter((f) => Date.parse(f.receivedAt ?? '') <= t) : all;
  const registry = asOf ? await registryAsOf(db, operationId, whole, asOf) : whole;
  return {
    counts: recompute(facts, registry),
    headCountCounts: recompute(facts.filter(isHeadCountFact), makeRegistry([])),
    figureFacts: effectiveFacts(dedupeFacts(facts)),
    facts: all.length,
    persons: whole.persons.size,
  };
}
