/**
 * Keeping the counters true: the count projection.
 *
 * Writers do not count. A fact needs no note: it carries the id of the transaction that wrote
 * it (`tx`, filled in by the database), and count_heads keeps the snapshot up to which facts
 * are counted (migration 0007). A writer that changes a person leaves a note in the same
 * transaction (count_pending_persons). The projection, run after commit (and by readers that
 * need exact numbers), takes the operation's count lock, reads a batch of facts its cursor has
 * not counted and of person notes, and counts them all at once; in the same transaction it
 * upserts the counters, advances the cursor and deletes the person notes. Ingest pays a column
 * and an index entry per fact; the expensive part — loading what each fact's effect depends
 * on — is paid once per batch, not once per request.
 *
 * Exactness. The counters always hold the contribution of the facts and registry they have
 * seen: every fact the cursor counts, and count_registry (each person's counted fields as last
 * counted). A batch moves that state from (counted facts, counted registry) to (counted facts
 * + the batch's facts, counted registry + the batch's people as stored now), and the domain's
 * `subjectDeltas` gives the difference for every subject either side can touch. Facts that are
 * still pending but not in the batch (committed while this projection runs, or beyond its
 * limit) are left out of both sides, so they are counted exactly once, later. Order does not
 * matter: a contribution depends only on the set of facts.
 */
import { convoyMovementKinds, type MovementFact } from '../../domain/movements/index.js';
import {
  canonicalId,
  cellKey,
  makeRegistry,
  mergedIntoOf,
  parseCellKey,
  personSubject,
  subjectDeltas,
  subjectsOfFacts,
  type CountDelta,
  type Registry,
  type RegistryPerson,
} from '../../domain/counts/index.js';
import type { AgeBand } from '../../domain/schemas/persons.js';
import * as countsDb from '../../db/queries/counts.js';
import * as correctionsDb from '../../db/queries/corrections.js';
import * as factsDb from '../../db/queries/facts.js';
import * as mergesDb from '../../db/queries/merges.js';
import type { Executor } from '../../db/queries/executor.js';
import type { OperationKeys } from '../../crypto/envelope.js';
import { AppError } from '../../domain/errors.js';
import type { KeyRing } from '../keys/keyring.js';
import { openProtected } from '../persons/protected-fields.js';

const movementKinds = new Set<string>(convoyMovementKinds);

/** A registry row as counting knows it: its category and vulnerabilities opened (withheld when `keys` is null: shredded). */
export function toRegistryPerson(keys: OperationKeys | null, r: countsDb.RegistryRow): RegistryPerson {
  const { category, vulnerabilities } = openProtected(keys, r);
  return {
    id: r.id,
    sex: r.sex as RegistryPerson['sex'],
    ageBand: r.age_band as AgeBand,
    category,
    vulnerabilities,
    siteId: r.site_id,
    registeredAt: (r.registered_at instanceof Date ? r.registered_at : new Date(r.registered_at)).toISOString(),
  };
}

export function registryOf(keys: OperationKeys | null, rows: readonly countsDb.RegistryRow[]): Registry {
  return makeRegistry(
    rows.map((r) => toRegistryPerson(keys, r)),
    mergedIntoOf(rows),
  );
}

/**
 * The operation's keys for counting, or null once it was shredded: its people then count with
 * category 'unknown' and no flags, as the shredding re-counted them.
 */
export async function countingKeys(ring: KeyRing, db: Executor, operationId: string): Promise<OperationKeys | null> {
  try {
    return await ring.forOperation(db, operationId);
  } catch (err) {
    if (err instanceof AppError && err.code === 'operation.shredded') return null;
    throw err;
  }
}

interface BatchContext {
  /** Counted facts the batch's subjects depend on (pending ones left out). */
  counted: MovementFact[];
  before: Registry;
  after: Registry;
  /** Current registry rows of the batch's changed people (saved as counted afterwards). */
  changedRows: countsDb.RegistryRow[];
}

/**
 * What the batch's deltas depend on: the facts of every person involved (through merges), all
 * facts of a convoy a movement fact moves, the movement facts of every convoy those people
 * boarded, the corrections voiding any of them — and the registry before and after.
 */
async function loadBatchContext(
  db: Executor,
  keys: OperationKeys | null,
  operationId: string,
  cursor: countsDb.CountCursor,
  batch: readonly MovementFact[],
  changed: readonly string[],
): Promise<BatchContext> {
  const batchById = new Map(batch.map((f) => [f.id, f]));
  const loaded = new Map<string, MovementFact>();
  // Only facts the counters have seen: one committed since (not in this batch) is left out of both sides.
  const add = (rows: factsDb.FactRow[]) => {
    for (const r of rows)
      if (!batchById.has(r.id) && !loaded.has(r.id) && countsDb.isCounted(cursor, String(r.tx), r.id))
        loaded.set(r.id, factsDb.rowToFact(r));
  };
  // What the batch is about, following corrections to the facts they void (to the end of each chain).
  const about: MovementFact[] = [...batch];
  const voided = await correctionsDb.voidedChainsOf(
    db,
    operationId,
    batch.flatMap((f) => (f.kind === 'correction' ? [f.payload.voids] : [])),
  );
  add(voided);
  about.push(...voided.map((r) => batchById.get(r.id) ?? factsDb.rowToFact(r)));
  const people = new Set(changed);
  const fullConvoys = new Set<string>();
  for (const f of about) {
    if (f.personId) people.add(f.personId);
    if (f.convoyId && movementKinds.has(f.kind)) fullConvoys.add(f.convoyId);
  }
  const convoyRows = await factsDb.factsOfConvoys(db, operationId, [...fullConvoys]);
  add(convoyRows);
  for (const r of convoyRows) if (r.person_id) people.add(r.person_id);
  for (const f of batch) if (f.personId) people.add(f.personId);
  // Every record joined to them by merges, as counted or as stored, in either direction.
  const group = (await mergesDb.mergeGroupOf(db, operationId, people, { counted: true })).ids;
  // Their facts on the convoys read whole above are loaded already.
  add(await factsDb.factsOfPersons(db, operationId, [...group], { exceptConvoys: [...fullConvoys] }));
  const moveConvoys = new Set<string>();
  for (const f of [...loaded.values(), ...about]) if (f.convoyId && !fullConvoys.has(f.convoyId)) moveConvoys.add(f.convoyId);
  add(await factsDb.factsOfConvoys(db, operationId, [...moveConvoys], { movementOnly: true }));
  // Corrections voiding anything loaded or in the batch (a correction may arrive before the fact it voids),
  // read in one go, then followed a level at a time while each level adds what the counters have seen.
  let ids = [...loaded.keys(), ...batch.map((f) => f.id)];
  const voiding = new Map<string, factsDb.FactRow[]>();
  for (const r of await correctionsDb.correctionChainsOf(db, operationId, ids))
    voiding.set(r.voids as string, [...(voiding.get(r.voids as string) ?? []), r]);
  while (ids.length > 0) {
    const before = loaded.size;
    const rows = ids.flatMap((id) => voiding.get(id) ?? []);
    add(rows);
    ids = loaded.size > before ? rows.map((r) => r.id) : [];
  }
  const counted = [...loaded.values()];

  const countedRows = await countsDb.countedRegistryRows(db, operationId, [...group]);
  const changedRows = await countsDb.registryRows(db, operationId, changed);
  const byId = new Map(countedRows.map((r) => [r.id, r]));
  const before = registryOf(keys, countedRows);
  for (const r of changedRows) byId.set(r.id, r);
  return { counted, before, after: registryOf(keys, [...byId.values()]), changedRows };
}

export interface ProjectionLimits {
  /** Most pending facts counted in one transaction. */
  facts?: number;
  /** Most pending person changes counted in one transaction. */
  persons?: number;
}

export interface ProjectionResult {
  facts: number;
  persons: number;
  /** Counter cells changed. */
  cells: number;
  /** How long the batch took (ms). */
  ms: number;
  /** Of which: reading what the batch's deltas depend on, and working them out (ms). */
  loadMs?: number;
  computeMs?: number;
  /** Counted facts read for the batch's context. */
  contextFacts?: number;
}

export const DEFAULT_BATCH = { facts: 5_000, persons: 5_000 } as const;

/**
 * Counts one batch of pending facts and person notes, in the caller's transaction (it must be
 * one: the cursor moves and the notes are deleted with the counter upserts, or neither happens). Returns what it counted; zero
 * facts and persons means nothing was pending.
 */
export async function projectBatch(
  trx: Executor,
  ring: KeyRing,
  operationId: string,
  at: Date,
  limits: ProjectionLimits = {},
): Promise<ProjectionResult> {
  if (!trx.isTransaction) throw new Error('projectBatch needs a transaction');
  const t0 = performance.now();
  await countsDb.lockCountsQuietly(trx, operationId, at);
  let cursor = await countsDb.readCursor(trx, operationId);
  const factLimit = limits.facts ?? DEFAULT_BATCH.facts;
  const personNotes = await countsDb.pendingPersons(trx, operationId, limits.persons ?? DEFAULT_BATCH.persons);
  let round: { snapshot: string; tx: string; id: string };
  let rows: countsDb.FactRowWithTx[];
  for (;;) {
    // A round counts, in (tx, id) order, the facts committed in one snapshot and not in the counted one.
    round = cursor.round ?? { snapshot: await countsDb.currentSnapshot(trx), tx: '0', id: '' };
    rows = await countsDb.pendingFactRows(trx, operationId, cursor.counted, round, factLimit);
    // A round that has nothing left is done: its snapshot is what is counted, and a new round
    // (a new snapshot) looks at what committed since.
    if (rows.length > 0 || !cursor.round) break;
    cursor = { counted: cursor.round.snapshot, round: null };
    await countsDb.saveCursor(trx, operationId, cursor);
  }
  const batch = rows.map(factsDb.rowToFact);
  const last = rows[rows.length - 1];
  // Fewer than the limit: the round is done too.
  const next: countsDb.CountCursor =
    last && rows.length >= factLimit
      ? { counted: cursor.counted, round: { snapshot: round.snapshot, tx: String(last.tx), id: last.id } }
      : { counted: round.snapshot, round: null };
  if (batch.length === 0 && personNotes.length === 0) return { facts: 0, persons: 0, cells: 0, ms: performance.now() - t0 };
  const changed = [...new Set(personNotes.map((n) => n.person_id))];
  const t1 = performance.now();
  const context = await loadBatchContext(trx, await countingKeys(ring, trx, operationId), operationId, cursor, batch, changed);
  const t2 = performance.now();
  const afterFacts = [...context.counted, ...batch];
  const subjects = new Set([...subjectsOfFacts(batch, afterFacts, context.before), ...subjectsOfFacts(batch, afterFacts, context.after)]);
  for (const id of changed) {
    subjects.add(personSubject(id));
    subjects.add(personSubject(canonicalId(context.before, id)));
    subjects.add(personSubject(canonicalId(context.after, id)));
  }
  const deltas = subjectDeltas(
    subjects,
    { facts: context.counted, registry: context.before },
    { facts: afterFacts, registry: context.after },
  );
  const t3 = performance.now();
  const cells = await applyCountDeltas(trx, operationId, deltas);
  await countsDb.saveCountedRegistry(trx, operationId, context.changedRows);
  await countsDb.saveCursor(trx, operationId, next);
  await countsDb.deletePendingPersons(trx, operationId, personNotes);
  if (cells > 0) await countsDb.lockCounts(trx, operationId, at);
  return {
    facts: batch.length,
    persons: personNotes.length,
    cells,
    ms: performance.now() - t0,
    loadMs: t2 - t1,
    computeMs: t3 - t2,
    contextFacts: context.counted.length,
  };
}

/** Upserts summed deltas into the counters and their hourly rollup; returns the cells changed. */
export async function applyCountDeltas(db: Executor, operationId: string, deltas: readonly CountDelta[]): Promise<number> {
  const cells = new Map<string, number>();
  for (const d of deltas) cells.set(cellKey(d.metric, d.dims), (cells.get(cellKey(d.metric, d.dims)) ?? 0) + d.delta);
  const rows: countsDb.CounterCell[] = [];
  const hours = new Map<string, number>();
  for (const [key, n] of cells) {
    if (n === 0) continue;
    const { metric, dims } = parseCellKey(key);
    rows.push({
      metric,
      sex: dims.sex,
      age_band: dims.ageBand,
      category: dims.category,
      site_id: dims.siteId,
      vulnerability: dims.vulnerability,
      hour: dims.hour,
      n,
    });
    if (dims.hour !== '*' && dims.vulnerability === '*')
      hours.set(`${metric}|${dims.hour}`, (hours.get(`${metric}|${dims.hour}`) ?? 0) + n);
  }
  // A stable order keeps concurrent upserts from deadlocking on the same cells.
  rows.sort((a, b) => (cellKeyOf(a) < cellKeyOf(b) ? -1 : 1));
  await countsDb.addToCounters(db, operationId, rows);
  const hourRows = [...hours.entries()]
    .filter(([, n]) => n !== 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, n]) => {
      const [metric, hour] = k.split('|') as [string, string];
      return { metric, hour, n };
    });
  await countsDb.addToCounterHours(db, operationId, hourRows);
  return rows.length;
}

function cellKeyOf(c: countsDb.CounterCell): string {
  return [c.metric, c.sex, c.age_band, c.category, c.site_id, c.vulnerability, c.hour].join('|');
}
