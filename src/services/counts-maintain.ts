/**
 * Keeping the counters true as facts and registrations arrive, in the writer's transaction.
 *
 * The domain computes a fact's deltas from the facts already counted that concern the same
 * subjects (`countDeltas`). This module loads exactly that context from the database — facts of
 * the people involved (through merges), all facts of a convoy a movement fact moves, the
 * movement facts of every convoy those people boarded, and corrections voiding any of them —
 * after taking the operation's count lock, so concurrent writers take turns and each sees what
 * the previous one counted. Deltas are summed per cell and upserted in one statement.
 */
import { convoyMovementKinds, type MovementFact } from '../domain/movements/index.js';
import {
  cellKey, makeRegistry, parseCellKey, subjectDeltas, subjectsOf, type CountDelta, type Registry, type RegistryPerson,
} from '../domain/counts/index.js';
import type { AgeBand } from '../domain/schemas/persons.js';
import * as cq from '../db/queries/counts.js';
import * as fq from '../db/queries/facts.js';
import type { Executor } from '../db/queries/executor.js';
import { publishCountsChanged } from './counts-bus.js';

const movementKinds = new Set<string>(convoyMovementKinds);

export function toRegistryPerson(r: Awaited<ReturnType<typeof cq.registryRows>>[number]): RegistryPerson {
  return {
    id: r.id, sex: r.sex as RegistryPerson['sex'], ageBand: r.age_band as AgeBand, category: r.category as RegistryPerson['category'],
    vulnerabilities: r.vulnerabilities as RegistryPerson['vulnerabilities'], siteId: r.site_id,
    registeredAt: (r.registered_at instanceof Date ? r.registered_at : new Date(r.registered_at)).toISOString(),
  };
}

/** These ids and every record joined to them by merges, in either direction. */
async function mergeGroup(db: Executor, operationId: string, ids: Iterable<string>): Promise<Set<string>> {
  const group = new Set(ids);
  let frontier = [...group];
  while (frontier.length > 0) {
    const links = await cq.mergeLinks(db, operationId, frontier);
    frontier = [];
    for (const l of links) {
      for (const id of [l.id, l.merged_into as string]) {
        if (!group.has(id)) { group.add(id); frontier.push(id); }
      }
    }
  }
  return group;
}

export async function loadRegistry(db: Executor, operationId: string, ids: Iterable<string>): Promise<Registry> {
  const rows = await cq.registryRows(db, operationId, [...ids]);
  const merged: Record<string, string> = {};
  for (const r of rows) if (r.merged_into) merged[r.id] = r.merged_into;
  return makeRegistry(rows.map(toRegistryPerson), merged);
}

export interface CountContext {
  registry: Registry;
  facts: MovementFact[];
}

/**
 * The counted facts and registry that the deltas of `incoming` facts (or a registry change of
 * `personIds`) depend on. Facts whose ids are in `exclude` (the ones being counted) are left out.
 */
export async function loadCountContext(db: Executor, operationId: string, incoming: readonly MovementFact[], personIds: readonly string[] = [], exclude: ReadonlySet<string> = new Set()): Promise<CountContext> {
  const loaded = new Map<string, MovementFact>();
  const add = (rows: fq.FactRow[]) => { for (const r of rows) if (!exclude.has(r.id) && !loaded.has(r.id)) loaded.set(r.id, fq.rowToFact(r)); };
  // What the incoming facts are about, following corrections to the facts they void.
  const about: MovementFact[] = [...incoming];
  const incomingById = new Map(incoming.map((f) => [f.id, f]));
  let targets = incoming.flatMap((f) => (f.kind === 'correction' ? [f.payload.voids] : []));
  for (let depth = 0; targets.length > 0 && depth < 16; depth++) {
    const fromDb = (await fq.findFacts(db, operationId, targets.filter((t) => !incomingById.has(t)))).map(fq.rowToFact);
    const found = [...fromDb, ...targets.flatMap((t) => incomingById.get(t) ?? [])];
    about.push(...found);
    targets = found.flatMap((f) => (f.kind === 'correction' ? [f.payload.voids] : []));
  }
  const people = new Set(personIds);
  const fullConvoys = new Set<string>();
  for (const f of about) {
    if (f.personId) people.add(f.personId);
    if (f.convoyId && movementKinds.has(f.kind)) fullConvoys.add(f.convoyId);
  }
  const convoyRows = await fq.factsOfConvoys(db, operationId, [...fullConvoys]);
  add(convoyRows);
  for (const r of convoyRows) if (r.person_id) people.add(r.person_id);
  const group = await mergeGroup(db, operationId, people);
  add(await fq.factsOfPersons(db, operationId, [...group]));
  const moveConvoys = new Set<string>();
  for (const f of [...loaded.values(), ...about]) if (f.convoyId && !fullConvoys.has(f.convoyId)) moveConvoys.add(f.convoyId);
  add(await fq.factsOfConvoys(db, operationId, [...moveConvoys], { movementOnly: true }));
  // Corrections voiding anything loaded or incoming (a correction may arrive before the fact it voids).
  let ids = [...loaded.keys(), ...incoming.map((f) => f.id)];
  for (let depth = 0; ids.length > 0 && depth < 16; depth++) {
    const before = loaded.size;
    const rows = await fq.correctionsVoiding(db, operationId, ids);
    add(rows);
    ids = loaded.size > before ? rows.map((r) => r.id) : [];
  }
  const registry = await loadRegistry(db, operationId, group);
  return { registry, facts: [...loaded.values()] };
}

/**
 * Deltas of new facts (none seen before). Counting them one after another telescopes: each
 * fact changes only its subjects' contributions, so the sum is the difference, over the union
 * of their subjects, between the contributions with and without the whole batch — one
 * derivation per subject instead of one per fact and subject.
 */
export function deltasOfFacts(context: CountContext, facts: readonly MovementFact[]): CountDelta[] {
  const after = [...context.facts, ...facts];
  const subjects = new Set<string>();
  for (const f of facts) for (const s of subjectsOf(f, after, context.registry)) subjects.add(s);
  return subjectDeltas(subjects, { facts: context.facts, registry: context.registry }, { facts: after, registry: context.registry });
}

/** Upserts summed deltas into the counters and their hourly rollup. */
export async function applyCountDeltas(db: Executor, operationId: string, deltas: readonly CountDelta[]): Promise<number> {
  const cells = new Map<string, number>();
  for (const d of deltas) cells.set(cellKey(d.metric, d.dims), (cells.get(cellKey(d.metric, d.dims)) ?? 0) + d.delta);
  const rows: cq.CounterCell[] = [];
  const hours = new Map<string, number>();
  for (const [key, n] of cells) {
    if (n === 0) continue;
    const { metric, dims } = parseCellKey(key);
    rows.push({ metric, sex: dims.sex, age_band: dims.ageBand, category: dims.category, site_id: dims.siteId, vulnerability: dims.vulnerability, hour: dims.hour, n });
    if (dims.hour !== '*' && dims.vulnerability === '*') hours.set(`${metric}|${dims.hour}`, (hours.get(`${metric}|${dims.hour}`) ?? 0) + n);
  }
  // A stable order keeps concurrent upserts from deadlocking on the same cells.
  rows.sort((a, b) => (cellKeyOf(a) < cellKeyOf(b) ? -1 : 1));
  await cq.addToCounters(db, operationId, rows);
  const hourRows = [...hours.entries()].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, n]) => { const [metric, hour] = k.split('|') as [string, string]; return { metric, hour, n }; });
  await cq.addToCounterHours(db, operationId, hourRows);
  if (rows.length > 0) publishCountsChanged(operationId);
  return rows.length;
}

function cellKeyOf(c: cq.CounterCell): string {
  return [c.metric, c.sex, c.age_band, c.category, c.site_id, c.vulnerability, c.hour].join('|');
}
