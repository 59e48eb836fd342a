/**
 * Corrections of facts, followed in one statement (`with recursive`): a correction can itself be
 * voided by a later one (a correction of a correction), however deep. Facts are made on offline
 * devices, so a loop of corrections voiding each other cannot be ruled out: each recursion is a
 * UNION over fact ids, so a loop ends the walk.
 */
import { sql } from 'kysely';
import type { Executor } from './executor.js';
import type { FactRow } from './facts.js';

/** Every correction voiding one of these facts, or voiding such a correction, to the end of each chain. */
export async function correctionChainsOf(db: Executor, operationId: string, ids: readonly string[]): Promise<FactRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<FactRow>`
    with recursive chain (id) as (
      select id from movement_facts where operation_id = ${operationId} and voids = any(${[...new Set(ids)]}::text[])
      union
      select f.id
        from movement_facts f join chain c on f.voids = c.id
       where f.operation_id = ${operationId}
    )
    select f.* from movement_facts f join chain c on f.id = c.id where f.operation_id = ${operationId}`.execute(db);
  return rows;
}

/** These facts and every fact they void, following corrections of corrections back to the facts corrected. */
export async function voidedChainsOf(db: Executor, operationId: string, ids: readonly string[]): Promise<FactRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<FactRow>`
    with recursive chain (id, voids) as (
      select id, voids from movement_facts where operation_id = ${operationId} and id = any(${[...new Set(ids)]}::text[])
      union
      select f.id, f.voids
        from movement_facts f join chain c on f.id = c.voids
       where f.operation_id = ${operationId}
    )
    select f.* from movement_facts f join chain c on f.id = c.id where f.operation_id = ${operationId}`.execute(db);
  return rows;
}
