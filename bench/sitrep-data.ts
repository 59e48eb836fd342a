/**
 * A large operation for the situation report bench, written straight through the storage layer
 * (set-based INSERT … SELECT over generate_series, so 1M people take a few statements, not 1M
 * requests): people registered over a day at an assembly point, convoys of 50 on buses through a
 * checkpoint to a reception centre, most arrived and checked in (one in fifty not), the last
 * convoys still on the road, and the rest of the people not moved yet. Its counters are then
 * written whole by `recountOperation` (what a restore does), so `counts verify` holds on it.
 * The shape follows the demo's (Aleppo 2016): registration, boarding, the road, reception.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../src/db/connection.js';
import { permissions } from '../src/domain/policy.js';
import { recountOperation } from '../src/services/counts/recount-withheld.js';
import type { KeyRing } from '../src/services/keys/keyring.js';
import { createOperation } from '../src/services/operations/operations.js';
import { sealProtected, type ProtectedFields } from '../src/services/persons/protected-fields.js';

const T0 = '2016-12-15T04:00:00Z';

export interface BulkOperation {
  operationId: string;
  people: number;
  facts: number;
  /** Seconds to write it (rows, then the counters). */
  seconds: number;
}

export interface BulkOptions {
  /**
   * Seal every person's category and flags as a registration does today (decision 002), so the
   * recount opens each of them; without it they stay in clear, as rows of an older version do.
   */
  sealed?: boolean;
}

export async function bulkSitrepOperation(
  db: Db,
  keys: KeyRing,
  adminId: string,
  people: number,
  code = 'bulk',
  options: BulkOptions = {},
): Promise<BulkOperation> {
  const t0 = performance.now();
  const op = await db.kysely.transaction().execute((trx) =>
    createOperation(
      {
        db: trx,
        keys,
        now: new Date(T0),
        roles: ['coordinator'],
        permissions: new Set(permissions),
        actor: { kind: 'user', id: adminId, name: 'bench', isAdmin: true },
      },
      { code, nameEn: code, timeZone: 'Asia/Damascus', status: 'active' } as never,
    ),
  );
  const id = op.id as string;
  const k = db.kysely;
  const at = new Date(T0);
  const site = (sid: string, kind: string, en: string, ar: string) => ({
    operation_id: id,
    id: sid,
    kind,
    name_en: en,
    name_ar: ar,
    lat: null,
    lon: null,
    capacity: null,
    created_at: at,
  });
  await k
    .insertInto('sites')
    .values([
      site('origin', 'assembly_point', 'East Aleppo', 'شرق حلب'),
      site('checkpoint', 'checkpoint', 'Ramouseh', 'الراموسة'),
      site('reception', 'reception_centre', 'al-Rashidin', 'الراشدين'),
    ])
    .execute();
  await k
    .insertInto('routes')
    .values({ operation_id: id, id: 'r', name: null, site_ids: ['origin', 'checkpoint', 'reception'], created_at: at, created_by: adminId })
    .execute();
  // 85% of the people board, in convoys of 50; the last 5% of those convoys are still on the road.
  const moved = Math.floor(people * 0.85);
  const convoys = Math.ceil(moved / 50);
  const arrivedConvoys = Math.floor(convoys * 0.95);
  const pii = randomBytes(64);
  const lit = (v: number) => sql.raw(String(Math.trunc(v)));
  const pad = (col: string) => sql.raw(`lpad((${col})::text, 8, '0')`);
  // Registered through the first day; convoy c leaves at T0 + 24 h + c × (48 h / convoys).
  await sql`insert into households (operation_id, id, site_id, pii, registered_at, registered_by)
    select ${id}, 'h' || ${pad('i')}, 'origin', null, ${T0}::timestamptz + (i * interval '86400 seconds') / ${lit(people)}, ${adminId}
    from generate_series(0, ${lit(people - 1)}, 5) i`.execute(k);
  await sql`insert into persons (operation_id, id, household_id, relationship, sex, birth_year, age_estimated, age_band,
      vulnerabilities, category, consent_tracing, consent_disclosure, tag_code, site_id, pii, medical, registered_at, registered_by, updated_at)
    select ${id}, 'p' || ${pad('i')}, 'h' || ${pad('i - i % 5')}, case when i % 5 = 0 then 'head' else 'child' end,
      (array['female','male'])[i % 2 + 1], 1980, true, (array['0-4','5-11','12-17','18-59','18-59','18-59','60+'])[i % 7 + 1],
      case when i % 17 = 0 then array['wounded'] else array[]::text[] end, case when i % 11 = 0 then 'combatant' else 'civilian' end,
      true, false, null, 'origin', ${pii}, null, ${T0}::timestamptz + (i * interval '86400 seconds') / ${lit(people)}, ${adminId},
      ${T0}::timestamptz + (i * interval '86400 seconds') / ${lit(people)}
    from generate_series(0, ${lit(people - 1)}) i`.execute(k);
  const dep = (c: string) =>
    sql.raw(`(timestamptz '${T0}' + interval '24 hours' + (${c}) * interval '172800 seconds' / ${Math.max(1, convoys)})`);
  await sql`insert into convoys (operation_id, id, route_id, name, state, created_at, created_by, updated_at)
    select ${id}, 'c' || ${pad('c')}, 'r', null, case when c < ${lit(arrivedConvoys)} then 'arrived' else 'moving' end, ${T0}::timestamptz, ${adminId}, ${dep('c')}
    from generate_series(0, ${lit(convoys - 1)}) c`.execute(k);
  await sql`insert into vehicles (operation_id, convoy_id, id, kind, capacity, mode, plate, head_count, created_at)
    select ${id}, 'c' || ${pad('c')}, 'c' || ${pad('c')} || '-bus', 'bus', 50, 'named', null, null, ${T0}::timestamptz
    from generate_series(0, ${lit(convoys - 1)}) c`.execute(k);
  const fact = sql.raw('operation_id, id, kind, convoy_id, vehicle_id, person_id, site_id, device_time, received_at, recorded_by, payload');
  await sql`insert into movement_facts (${fact})
    select ${id}, 'fb' || ${pad('i')}, 'boarded', 'c' || ${pad('i / 50')}, 'c' || ${pad('i / 50')} || '-bus', 'p' || ${pad('i')}, 'origin',
      ${dep('i / 50')} - interval '30 minutes', ${dep('i / 50')} - interval '29 minutes', ${adminId}, '{}'::jsonb
    from generate_series(0, ${lit(moved - 1)}) i`.execute(k);
  for (const [kind, site, minutes, upTo] of [
    ['departed', 'origin', 0, convoys],
    ['passed_checkpoint', 'checkpoint', 60, convoys],
    ['arrived', 'reception', 120, arrivedConvoys],
  ] as const) {
    if (upTo === 0) continue;
    await sql`insert into movement_facts (${fact})
      select ${id}, 'f' || ${kind} || ${pad('c')}, ${kind}, 'c' || ${pad('c')}, ${kind === 'passed_checkpoint' ? sql`'c' || ${pad('c')} || '-bus'` : null},
        null, ${site}, ${dep('c')} + ${`${minutes} minutes`}::interval, ${dep('c')} + ${`${minutes + 1} minutes`}::interval, ${adminId}, '{}'::jsonb
      from generate_series(0, ${lit(upTo - 1)}) c`.execute(k);
  }
  await sql`insert into movement_facts (${fact})
    select ${id}, 'fk' || ${pad('i')}, 'checked_in', null, null, 'p' || ${pad('i')}, 'reception',
      ${dep('i / 50')} + interval '130 minutes', ${dep('i / 50')} + interval '131 minutes', ${adminId}, '{}'::jsonb
    from generate_series(0, ${lit(Math.min(moved, arrivedConvoys * 50) - 1)}) i where i % 50 <> 49`.execute(k);
  if (options.sealed) await sealCategories(db, keys, id);
  // The count head the projection keeps (recountOperation moves it to "everything counted").
  await sql`insert into count_heads (operation_id, version, updated_at) values (${id}, 1, now()) on conflict do nothing`.execute(k);
  const opKeys = await keys.forOperation(k, id);
  await k.transaction().execute((trx) => recountOperation(trx, opKeys, id));
  const facts = Number(
    (await sql<{ n: string }>`select count(*) as n from movement_facts where operation_id = ${id}`.execute(k)).rows[0]!.n,
  );
  return { operationId: id, people, facts, seconds: (performance.now() - t0) / 1000 };
}

/** Every person's category and flags sealed under the operation's key, as registrations write them, a chunk at a time. */
async function sealCategories(db: Db, keys: KeyRing, operationId: string): Promise<void> {
  const opKeys = await keys.forOperation(db.kysely, operationId);
  let after = '';
  for (;;) {
    const rows = (
      await sql<{ id: string; category: string; vulnerabilities: string[] }>`select id, category, vulnerabilities from persons
        where operation_id = ${operationId} and id > ${after} order by id limit 20000`.execute(db.kysely)
    ).rows;
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.id;
    const sealed = rows.map((r) =>
      sealProtected(opKeys, r.id, { category: r.category, vulnerabilities: r.vulnerabilities } as ProtectedFields),
    );
    await sql`update persons p set protected = s.sealed, category = null, vulnerabilities = null
      from unnest(${rows.map((r) => r.id)}::text[], ${sealed}::bytea[]) as s (id, sealed)
      where p.operation_id = ${operationId} and p.id = s.id`.execute(db.kysely);
  }
}
