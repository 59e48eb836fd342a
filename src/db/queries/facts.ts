/**
 * Movement facts as stored: appended (a client id seen before adds nothing), and read back in
 * the slices count maintenance needs — by person, by convoy, the corrections voiding some ids,
 * and the whole operation page by page for recomputation.
 */
import { anyOf } from './any-of.js';
import { sql, type Insertable, type Selectable } from 'kysely';
import { convoyMovementKinds, type MovementFact } from '../../domain/movements/index.js';
import type { MovementFactsTable } from '../schema.js';
import type { Executor } from './executor.js';

export type FactRow = Selectable<MovementFactsTable>;

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

/** The domain's view of a stored fact. Sealed payload fields stay sealed: counting never reads them. */
export function rowToFact(r: FactRow): MovementFact {
  const f: Record<string, unknown> = {
    id: r.id,
    kind: r.kind,
    operationId: r.operation_id,
    deviceTime: iso(r.device_time),
    receivedAt: iso(r.received_at),
    payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) ?? {},
  };
  if (r.convoy_id !== null) f.convoyId = r.convoy_id;
  if (r.vehicle_id !== null) f.vehicleId = r.vehicle_id;
  if (r.person_id !== null) f.personId = r.person_id;
  if (r.site_id !== null) f.siteId = r.site_id;
  return f as unknown as MovementFact;
}

/**
 * Which of the convoys, vehicles (with their convoy and mode) and sites a batch of facts names
 * exist in the operation: one statement for the three, as a device's batch checks them all.
 */
export async function findFactReferences(
  db: Executor,
  operationId: string,
  refs: { convoyIds: readonly string[]; vehicleIds: readonly string[]; siteIds: readonly string[] },
): Promise<{ convoys: Set<string>; sites: Set<string>; vehicles: Map<string, { convoyId: string; mode: string }> }> {
  const out = { convoys: new Set<string>(), sites: new Set<string>(), vehicles: new Map<string, { convoyId: string; mode: string }>() };
  if (refs.convoyIds.length + refs.vehicleIds.length + refs.siteIds.length === 0) return out;
  const r = await sql<{ what: 'convoy' | 'vehicle' | 'site'; id: string; convoy_id: string | null; mode: string | null }>`
    select 'convoy' as what, id, null as convoy_id, null as mode from convoys
      where operation_id = ${operationId} and id = ${anyOf(refs.convoyIds)}
    union all
    select 'vehicle', id, convoy_id, mode from vehicles
      where operation_id = ${operationId} and id = ${anyOf(refs.vehicleIds)}
    union all
    select 'site', id, null, null from sites
      where operation_id = ${operationId} and id = ${anyOf(refs.siteIds)}`.execute(db);
  for (const row of r.rows) {
    if (row.what === 'convoy') out.convoys.add(row.id);
    else if (row.what === 'site') out.sites.add(row.id);
    else out.vehicles.set(row.id, { convoyId: row.convoy_id as string, mode: row.mode as string });
  }
  return out;
}

/** Appends facts; returns the ids that were new (the others were replays). */
export async function insertFacts(db: Executor, rows: Insertable<MovementFactsTable>[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const out = await db
    .insertInto('movement_facts')
    .values(rows)
    .onConflict((oc) => oc.columns(['operation_id', 'id']).doNothing())
    .returning('id')
    .execute();
  return new Set(out.map((r) => r.id));
}

export async function findFacts(db: Executor, operationId: string, ids: readonly string[]): Promise<FactRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('movement_facts').selectAll().where('operation_id', '=', operationId).where('id', '=', anyOf(ids)).execute();
}

/**
 * Facts naming these people. `exceptConvoys`: leave out the facts of these convoys (a caller
 * that read them whole already: a convoy's boardings are most of its passengers' facts).
 */
export async function factsOfPersons(
  db: Executor,
  operationId: string,
  personIds: readonly string[],
  opts: { exceptConvoys?: readonly string[] } = {},
): Promise<FactRow[]> {
  if (personIds.length === 0) return [];
  let q = db.selectFrom('movement_facts').selectAll().where('operation_id', '=', operationId).where('person_id', '=', anyOf(personIds));
  const except = opts.exceptConvoys ?? [];
  if (except.length > 0) q = q.where((eb) => eb.or([eb('convoy_id', 'is', null), eb('convoy_id', 'not in', [...except])]));
  return q.execute();
}

/**
 * Facts of these convoys. `movementOnly`: only what moves the convoy and its head counts, not
 * other people's boardings (what a person's own position needs from a convoy they boarded).
 */
export async function factsOfConvoys(
  db: Executor,
  operationId: string,
  convoyIds: readonly string[],
  opts: { movementOnly?: boolean } = {},
): Promise<FactRow[]> {
  if (convoyIds.length === 0) return [];
  let q = db.selectFrom('movement_facts').selectAll().where('operation_id', '=', operationId).where('convoy_id', '=', anyOf(convoyIds));
  if (opts.movementOnly) {
    q = q.where((eb) =>
      eb.or([eb('kind', 'in', [...convoyMovementKinds]), eb.and([eb('kind', '=', 'boarded'), eb('person_id', 'is', null)])]),
    );
  }
  return q.execute();
}

/** The head-count boardings (no person named) of these vehicles of a convoy. */
export async function headCountBoardings(
  db: Executor,
  operationId: string,
  vehicles: readonly { convoyId: string; vehicleId: string }[],
): Promise<FactRow[]> {
  if (vehicles.length === 0) return [];
  return db
    .selectFrom('movement_facts')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('convoy_id', '=', anyOf(new Set(vehicles.map((v) => v.convoyId))))
    .where('kind', '=', 'boarded')
    .where('person_id', 'is', null)
    .where('vehicle_id', '=', anyOf(new Set(vehicles.map((v) => v.vehicleId))))
    .execute();
}

/** Every fact of an operation, a page at a time (keyset on id). */
export async function* allFacts(db: Executor, operationId: string, pageSize = 20_000): AsyncGenerator<FactRow[]> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('movement_facts')
      .selectAll()
      .where('operation_id', '=', operationId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
  }
}

export async function hasBoarding(db: Executor, operationId: string, personIds: readonly string[]): Promise<boolean> {
  if (personIds.length === 0) return false;
  const r = await db
    .selectFrom('movement_facts')
    .select('id')
    .where('operation_id', '=', operationId)
    .where('person_id', '=', anyOf(personIds))
    .where('kind', '=', 'boarded')
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** The check-ins recorded at a site (voided ones included: the caller follows corrections). */
export async function checkInsAtSite(db: Executor, operationId: string, siteId: string): Promise<FactRow[]> {
  return db
    .selectFrom('movement_facts')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('kind', '=', 'checked_in')
    .where('site_id', '=', siteId)
    .execute();
}

/**
 * What convoys did on the road, for the whole operation or one convoy: the movement facts and
 * incidents naming a convoy (not boardings or check-ins), before `before` by device time if given.
 */
export async function roadFacts(
  db: Executor,
  operationId: string,
  opts: { convoyId?: string; before?: Date; incidentsOnly?: boolean } = {},
): Promise<FactRow[]> {
  let q = db
    .selectFrom('movement_facts')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('convoy_id', 'is not', null)
    .where('kind', 'in', opts.incidentsOnly ? ['incident'] : [...convoyMovementKinds, 'incident']);
  if (opts.convoyId !== undefined) q = q.where('convoy_id', '=', opts.convoyId);
  if (opts.before) q = q.where('device_time', '<', opts.before);
  return q.orderBy('device_time').orderBy('id').execute();
}

/** Incidents naming no convoy (a site's or a person's), before `before` if given. */
export async function incidentsWithoutConvoy(db: Executor, operationId: string, opts: { before?: Date } = {}): Promise<FactRow[]> {
  let q = db
    .selectFrom('movement_facts')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('convoy_id', 'is', null)
    .where('kind', '=', 'incident');
  if (opts.before) q = q.where('device_time', '<', opts.before);
  return q.orderBy('device_time').orderBy('id').execute();
}
