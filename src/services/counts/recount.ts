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
  type CountMetric,
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
import { openProtected } from '../persons/protected-fields.js';
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

/** The count as of `asOf` (facts received and people registered by then; null: everything, as of now). */
export async function recountAsOf(db: Executor, ring: KeyRing, operationId: string, asOf: Date | null): Promise<Recount> {
  // The people are classified once into a table of the transaction's own.
  if (!db.isTransaction) return db.transaction().execute((trx) => recountAsOf(trx, ring, operationId, asOf));
  const keys = await countingKeys(ring, db, operationId);
  await recountDb.classifyPeople(db, operationId, asOf);
  const classes = await recountDb.simpleClasses(db);
  const others = await recountDb.otherPeople(db);
  const complex = others.filter((o) => !o.simple).map((o) => o.id);
  const load = [...new Set([...complex, ...(await recountDb.mergeTouchedIds(db, operationId))])];
  const facts = dedupeFacts((await recountDb.sideFacts(db, operationId, asOf, load)).map(factsDb.rowToFact));
  let registry = registryOf(keys, await countsDb.registryRows(db, operationId, load));
  if (asOf) registry = await registryAsOf(db, operationId, registry, asOf);
  const effective = effectiveFacts(facts);
  const index = indexFacts(effective, registry);
  const cells = new Map<string, number>();

  // Simple people: each class's cells once, summed over its people by SQL (or here, for a sealed category).
  const byClass = classes.map((row) => classCells(index, classOf(row)));
  const names = new Map<string, number>();
  const name = (s: string) => {
    let i = names.get(s);
    if (i === undefined) names.set(s, (i = names.size));
    return i;
  };
  const ev: recountDb.ClassEvents = { from: [], to: [], metric: [], site: [], hour: [], delta: [] };
  classes.forEach((row, i) => {
    if (row.cls !== i + 1) throw new Error('classes out of order');
    ev.from.push(ev.metric.length + 1);
    for (const e of byClass[i] as ClassCell[]) {
      ev.metric.push(name(e.metric));
      ev.site.push(name(e.siteId));
      ev.hour.push(name(e.hour));
      ev.delta.push(e.delta);
    }
    ev.to.push(ev.metric.length);
  });
  const nameOf = [...names.keys()];
  for (const c of await recountDb.simpleCells(db, ev)) {
    const dims = {
      sex: c.sex,
      ageBand: c.age_band,
      category: c.category,
      siteId: nameOf[c.site],
      vulnerability: c.vulnerability,
      hour: nameOf[c.hour],
    } as CountDims;
    addInto(cells, cellKey(nameOf[c.metric] as CountMetric, dims), Number(c.n));
  }
  for (const o of others) {
    if (!o.simple) continue;
    const { category, vulnerabilities } = openProtected(keys, { id: o.id, protected: o.protected, category: null, vulnerabilities: null });
    for (const e of byClass[o.cls - 1] as ClassCell[]) {
      const dims = { sex: o.sex, ageBand: o.age_band, category, siteId: e.siteId, hour: e.hour } as Omit<CountDims, 'vulnerability'>;
      addInto(cells, cellKey(e.metric, { ...dims, vulnerability: '*' }), e.delta);
      for (const v of vulnerabilities) addInto(cells, cellKey(e.metric, { ...dims, vulnerability: v }), e.delta);
    }
  }

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
