/**
 * The one true count: reading it (served from the maintained counters), recomputing it from
 * the facts and the registry to verify the counters, and the hooks that keep it true when the
 * registry changes — registration, a correction of a person's counted fields, a merge of
 * duplicates and its undo. Each hook runs in the caller's transaction.
 */
import { casualtyMetrics, cellKey, countMetrics, type CountMetric, type Registry } from '../../domain/counts/index.js';
import { categories } from '../../domain/schemas/persons.js';
import * as alertsDb from '../../db/queries/convoy-alerts.js';
import * as countsDb from '../../db/queries/counts.js';
import * as factsDb from '../../db/queries/facts.js';
import * as sitrepDb from '../../db/queries/sitrep.js';
import type { Executor } from '../../db/queries/executor.js';
import { findOperation } from '../../db/queries/operations.js';
import type { MovementFact } from '../../domain/movements/index.js';
import { countingKeys, projectBatch, registryOf } from './counts-maintain.js';
import type { KeyRing } from '../keys/keyring.js';
import { drainCounts } from './count-projector.js';
import { recountAsOf, type Recount } from './recount.js';
import { can, requireOperation, type Ctx } from '../context.js';
import { newId } from '../ids.js';

type Tally = Record<string, number>;
const bump = (t: Tally, k: string, n: number) => {
  t[k] = (t[k] ?? 0) + n;
};

/**
 * The live counts, shaped for the dashboard. Category only for roles allowed to see it. What
 * the projection has not counted yet is counted first (one batch, in this transaction), so a
 * reader sees its own writes; `pending` says how much is still waiting after that batch.
 */
export async function getCounts(ctx: Ctx) {
  const operationId = requireOperation(ctx);
  if (await countsDb.hasPending(ctx.db, operationId)) await projectBatch(ctx.db, ctx.keys, operationId, ctx.now);
  return readCounts(ctx.db, operationId, can(ctx, 'person.category'), ctx.now);
}

/** The operation's count version: it moves each time a count changes (a live stream re-reads the counts when it does). */
export async function readCountVersion(db: Executor, operationId: string): Promise<number> {
  return countsDb.countVersion(db, operationId);
}

export async function readCounts(db: Executor, operationId: string, withCategory: boolean, now: Date) {
  const cells = await countsDb.currentCells(db, operationId);
  const flows = await countsDb.hourlyFlows(db, operationId);
  const version = await countsDb.countVersion(db, operationId);
  const pending = await countsDb.pendingTotals(db, operationId);
  // Overdue convoys ride with the counts: the overdue watch bumps the count version when it raises,
  // escalates or resolves an alert, so every live stream carries the change at once.
  const convoyAlerts = await alertsDb.openAlertLevels(db, operationId);
  return { ...shapeCounts(operationId, cells, flows, version, withCategory, now), pending, convoyAlerts };
}

export function shapeCounts(
  operationId: string,
  cells: readonly { metric: string; sex: string; age_band: string; category: string; site_id: string; vulnerability: string; n: number }[],
  flows: readonly { metric: string; hour: string; n: number }[],
  version: number,
  withCategory: boolean,
  now: Date,
) {
  const totals: Tally = Object.fromEntries(countMetrics.map((m) => [m, 0]));
  const bySexAge: Record<string, Tally> = {};
  const byVulnerability: Record<string, Tally> = {};
  const byCategory: Record<string, Tally> = {};
  const bySite: Record<string, Tally> = {};
  for (const m of countMetrics) {
    bySexAge[m] = {};
    byVulnerability[m] = {};
    bySite[m] = {};
    byCategory[m] = {};
  }
  const casualties: Tally = Object.fromEntries(casualtyMetrics.map((m) => [m, 0]));
  const casualtiesBySite: Record<string, Tally> = Object.fromEntries(casualtyMetrics.map((m) => [m, {}]));
  for (const c of cells) {
    const n = Number(c.n);
    if (!statusMetric.has(c.metric)) {
      // Casualties of incidents: beside the statuses, never part of everyone.
      if (c.vulnerability === '*' && c.metric in casualties) {
        bump(casualties, c.metric, n);
        bump(casualtiesBySite[c.metric]!, c.site_id, n);
      }
      continue;
    }
    if (c.vulnerability !== '*') {
      bump(byVulnerability[c.metric]!, c.vulnerability, n);
      continue;
    }
    bump(totals, c.metric, n);
    bump(bySexAge[c.metric]!, `${c.sex}|${c.age_band}`, n);
    bump(byCategory[c.metric]!, c.category, n);
    bump(bySite[c.metric]!, c.site_id, n);
  }
  const hourly: Record<string, { hour: string; value: number }[]> = {};
  for (const m of countMetrics) {
    let running = 0;
    hourly[m] = flows.filter((f) => f.metric === m).map((f) => ({ hour: f.hour, value: (running += Number(f.n)) }));
  }
  const split = (t: Tally) =>
    Object.entries(t)
      .filter(([, n]) => n !== 0)
      .map(([k, n]) => {
        const [sex, ageBand] = k.split('|');
        return { sex, ageBand, n };
      });
  return {
    operationId,
    version,
    asOf: now.toISOString(),
    totals: { ...totals, everyone: Object.values(totals).reduce((a, b) => a + b, 0) },
    bySexAge: Object.fromEntries(countMetrics.map((m) => [m, split(bySexAge[m]!)])),
    byVulnerability,
    bySite,
    ...(withCategory
      ? {
          byCategory: Object.fromEntries(
            countMetrics.map((m) => [m, Object.fromEntries(categories.map((c) => [c, byCategory[m]![c] ?? 0]))]),
          ),
        }
      : {}),
    hourly,
    casualties,
    casualtiesBySite,
  };
}

const statusMetric = new Set<string>(countMetrics);

/** The registry and every fact of an operation (for recomputation and reconciliation). */
export async function loadOperation(
  db: Executor,
  keys: KeyRing,
  operationId: string,
): Promise<{ registry: Registry; facts: MovementFact[] }> {
  const registry = registryOf(await countingKeys(keys, db, operationId), await countsDb.registryRows(db, operationId));
  const facts: MovementFact[] = [];
  for await (const page of factsDb.allFacts(db, operationId)) for (const r of page) facts.push(factsDb.rowToFact(r));
  return { registry, facts };
}

export interface CountDifference {
  cell: string;
  maintained: number;
  recomputed: number;
}

export interface CountVerification {
  operationId: string;
  ok: boolean;
  cells: number;
  facts: number;
  persons: number;
  differences: CountDifference[];
}

/**
 * Recomputes every count of an operation from its facts (the grouped recount, `recountAsOf`) and
 * compares with the counters, after counting whatever was still waiting for the projection.
 */
export async function verifyCounts(
  db: Executor,
  keys: KeyRing,
  operationId: string,
  // A caller that drained the projection and recounted as of now already (the situation report) passes them.
  opts: { drained?: boolean; recount?: Recount } = {},
): Promise<CountVerification> {
  if (!opts.drained) await drainCounts(db, keys, operationId);
  const recount = opts.recount ?? (await recountAsOf(db, keys, operationId, null));
  const fresh = recount.counts;
  const maintained = new Map<string, number>();
  for (const c of await countsDb.allCells(db, operationId)) {
    maintained.set(
      cellKey(
        c.metric as CountMetric,
        { sex: c.sex, ageBand: c.age_band, category: c.category, siteId: c.site_id, vulnerability: c.vulnerability, hour: c.hour } as never,
      ),
      c.n,
    );
  }
  const differences: CountDifference[] = [];
  for (const key of new Set([...maintained.keys(), ...fresh.cells.keys()])) {
    const a = maintained.get(key) ?? 0;
    const b = fresh.cells.get(key) ?? 0;
    if (a !== b) differences.push({ cell: key, maintained: a, recomputed: b });
  }
  // The hourly rollup must equal the recomputed flows summed over every other dimension.
  const hours = new Map<string, number>();
  for (const [key, n] of fresh.cells) {
    const parts = key.split('|');
    if (parts[6] !== '*' && parts[5] === '*') hours.set(`${parts[0]}|${parts[6]}`, (hours.get(`${parts[0]}|${parts[6]}`) ?? 0) + n);
  }
  const rolled = new Map((await countsDb.allHourCells(db, operationId)).map((h) => [`${h.metric}|${h.hour}`, h.n]));
  for (const key of new Set([...rolled.keys(), ...hours.keys()])) {
    const a = rolled.get(key) ?? 0;
    const b = hours.get(key) ?? 0;
    if (a !== b) differences.push({ cell: `hours:${key}`, maintained: a, recomputed: b });
  }
  differences.sort((x, y) => (x.cell < y.cell ? -1 : 1));
  return {
    operationId,
    ok: differences.length === 0,
    cells: fresh.cells.size,
    facts: recount.facts,
    persons: recount.persons,
    differences,
  };
}

/**
 * The registry changed for these people (registered, counted fields corrected, merged or
 * unmerged): a note for the count projection, in the writer's transaction. The projection
 * compares their stored rows with the registry as it last counted them.
 */
async function noteRegistryChange(ctx: Ctx, personIds: readonly string[]): Promise<void> {
  if (personIds.length === 0) return;
  await countsDb.enqueuePersons(ctx.db, requireOperation(ctx), personIds, newId(ctx.now));
}

/**
 * The token of a registration's note for the projection (count_pending_persons), for a
 * registration that writes its note with its rows in one statement (persons' `insertRegistered`)
 * rather than through `countRegistration`: the same note, written the same way.
 */
export function registrationCountToken(ctx: Ctx): string {
  return newId(ctx.now);
}

/** People just registered (already inserted, same transaction) join the counts. */
export async function countRegistration(ctx: Ctx, rows: readonly { id: string }[]): Promise<void> {
  await noteRegistryChange(
    ctx,
    rows.map((r) => r.id),
  );
}

/**
 * A person's counted fields were corrected (sex, age band, category, vulnerabilities, site). What
 * they were is kept with the moment they changed, so a situation report made before still
 * recomputes as it was (migration 0030).
 */
export async function countPersonUpdate(ctx: Ctx, before: { id: string; sex: string; age_band: string; site_id: string }): Promise<void> {
  await sitrepDb.recordCountedBefore(ctx.db, requireOperation(ctx), before, ctx.now);
  await noteRegistryChange(ctx, [before.id]);
}

/** `personId` is (or is being) merged into `intoId`: counted once, under `intoId`, with its facts. */
export async function countMerge(ctx: Ctx, personId: string, intoId: string): Promise<void> {
  await noteRegistryChange(ctx, [personId, intoId]);
}

/** The merge of `personId` into `intoId` is undone: both count again on their own. */
export async function countUnmerge(ctx: Ctx, personId: string, intoId: string): Promise<void> {
  await noteRegistryChange(ctx, [personId, intoId]);
}

/** The operations that have counters (what `corridor counts verify` walks without --operation). */
export async function listCountedOperationIds(db: Executor): Promise<string[]> {
  return countsDb.operationIdsWithCounts(db);
}

export async function operationExists(db: Executor, operationId: string): Promise<boolean> {
  return (await findOperation(db, operationId)) !== undefined;
}

/**
 * Every counter cell of the operation (current and hourly), after counting everything the
 * projection had not counted yet (batch after batch, in this transaction: a file must not hold a
 * half-counted table, and `corridor export` runs with no projector beside it): what the count
 * tables of an export are built from.
 */
export async function countedCells(ctx: Ctx) {
  const operationId = requireOperation(ctx);
  while (await countsDb.hasPending(ctx.db, operationId)) {
    const r = await projectBatch(ctx.db, ctx.keys, operationId, ctx.now);
    if (r.facts === 0 && r.persons === 0) break;
  }
  return countsDb.allCells(ctx.db, operationId);
}
