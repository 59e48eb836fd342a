/**
 * The person lists an export writes — people, manifests, arrivals, missing in transit — as
 * tables (src/domain/exports/table.ts), read with the reader's permissions: names only for roles
 * that read people (every list here needs person.read), category only with person.category.
 * Free-text and medical notes never leave in a list. Status and site come from the same
 * derivation as the count (src/domain/counts/positions.ts).
 */
import { openJson, type OperationKeys } from '../../crypto/envelope.js';
import * as exportsDb from '../../db/queries/exports.js';
import * as operationsDb from '../../db/queries/operations.js';
import * as personsDb from '../../db/queries/persons.js';
import { canonicalId, currentPositions, type Registry } from '../../domain/counts/index.js';
import type { FactOf, MovementFact } from '../../domain/movements/index.js';
import type { ExportTable, TableCell, TableColumn } from '../../domain/exports/table.js';
import { formatTag } from '../../domain/tags.js';
import { can, requireOperation, type Ctx } from '../context.js';
import { listConvoys, getManifest } from '../convoys/convoys.js';
import { loadOperation } from '../counts/counts.js';
import { piiAad, type PersonPii } from '../persons/person-record.js';
import { openProtected } from '../persons/protected-fields.js';
import { reconcileOperation } from '../reconciliation/reconciliation.js';

export interface ListScope {
  siteId?: string;
  convoyId?: string;
}

type PersonRow = Awaited<ReturnType<typeof exportsDb.listPersonsPage>>[number];

const PAGE = 5000;

/** Every person standing for themselves, opened with the operation's key, page by page. */
export async function* openedPersons(ctx: Ctx, keys: OperationKeys): AsyncGenerator<{ row: PersonRow; pii: PersonPii }> {
  const operationId = requireOperation(ctx);
  let after = '';
  for (;;) {
    const rows = await exportsDb.listPersonsPage(ctx.db, operationId, after, PAGE);
    for (const row of rows) yield { row, pii: openJson<PersonPii>(keys, row.pii, piiAad(row.id)) };
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.id;
  }
}

const nameColumns: TableColumn[] = ['ar', 'lat'].flatMap((script) =>
  ['given', 'father', 'grandfather', 'family'].map((part) => ({ header: `${part}_name_${script}` })),
);
function nameCells(pii: PersonPii): TableCell[] {
  return (['ar', 'lat'] as const).flatMap((script) =>
    (['given', 'father', 'grandfather', 'family'] as const).map((part) => pii.names[script]?.[part] ?? null),
  );
}

async function siteNames(ctx: Ctx): Promise<Map<string, string>> {
  return new Map((await operationsDb.listSites(ctx.db, requireOperation(ctx))).map((s) => [s.id, s.name_en]));
}

/** Where everyone stands now, and each person's latest check-in (for arrival times). */
async function positionsOf(ctx: Ctx) {
  const { registry, facts } = await loadOperation(ctx.db, ctx.keys, requireOperation(ctx));
  return { registry, facts, positions: currentPositions(facts, registry), checkIns: latestCheckIns(facts, registry) };
}

function latestCheckIns(facts: readonly MovementFact[], registry: Registry): Map<string, FactOf<'checked_in'>> {
  const out = new Map<string, FactOf<'checked_in'>>();
  for (const f of facts) {
    if (f.kind !== 'checked_in' || !f.personId) continue;
    const id = canonicalId(registry, f.personId);
    const prev = out.get(id);
    if (!prev || prev.deviceTime < f.deviceTime) out.set(id, f);
  }
  return out;
}

export interface PersonList {
  table: ExportTable;
  personIds: string[];
}

export async function peopleList(ctx: Ctx, keys: OperationKeys, scope: ListScope, arrivalsOnly: boolean): Promise<PersonList> {
  const withCategory = can(ctx, 'person.category');
  const sites = await siteNames(ctx);
  const { positions, checkIns } = await positionsOf(ctx);
  const site = (id: string | null | undefined) => (id ? (sites.get(id) ?? id) : null);
  const columns: TableColumn[] = [
    { header: 'person_id' },
    { header: 'household_id' },
    { header: 'relationship' },
    { header: 'tag' },
    ...nameColumns,
    { header: 'sex' },
    { header: 'date_of_birth' },
    { header: 'birth_year' },
    { header: 'age_estimated' },
    { header: 'age_band' },
    { header: 'vulnerabilities' },
    ...(withCategory ? [{ header: 'category' }] : []),
    { header: 'consent_tracing' },
    { header: 'consent_disclosure' },
    { header: 'phone' },
    { header: 'document_number' },
    { header: 'origin' },
    { header: 'registered_at' },
    { header: 'registered_site' },
    { header: 'status' },
    { header: 'site' },
    { header: 'convoy_id' },
    { header: 'vehicle_id' },
    ...(arrivalsOnly ? [{ header: 'checked_in_at' }] : []),
  ];
  const rows: TableCell[][] = [];
  const personIds: string[] = [];
  for await (const { row, pii } of openedPersons(ctx, keys)) {
    const pos = positions.get(row.id);
    if (arrivalsOnly && pos?.status !== 'arrived') continue;
    if (scope.siteId !== undefined && pos?.siteId !== scope.siteId) continue;
    if (scope.convoyId !== undefined && pos?.convoyId !== scope.convoyId) continue;
    const prot = openProtected(keys, row);
    personIds.push(row.id);
    rows.push([
      row.id,
      row.household_id,
      row.relationship,
      row.tag_code ? formatTag(row.tag_code) : null,
      ...nameCells(pii),
      row.sex,
      pii.dateOfBirth ?? null,
      row.birth_year,
      row.age_estimated,
      row.age_band,
      prot.vulnerabilities.join(' '),
      ...(withCategory ? [prot.category] : []),
      row.consent_tracing,
      row.consent_disclosure,
      pii.phone ?? null,
      pii.documentNumber ?? null,
      pii.origin ?? null,
      new Date(row.registered_at).toISOString(),
      site(row.site_id),
      pos?.status ?? 'registered',
      site(pos?.siteId),
      pos?.convoyId ?? null,
      pos?.vehicleId ?? null,
      ...(arrivalsOnly ? [checkIns.get(row.id)?.deviceTime ?? null] : []),
    ]);
  }
  return { table: { name: arrivalsOnly ? 'arrivals' : 'people', columns, rows }, personIds };
}

async function openByIds(ctx: Ctx, keys: OperationKeys, ids: readonly string[]) {
  const rows = await personsDb.findPersonsByIds(ctx.db, requireOperation(ctx), [...new Set(ids)]);
  return new Map(rows.map((row) => [row.id, { row, pii: openJson<PersonPii>(keys, row.pii, piiAad(row.id)) }]));
}

export async function manifestList(ctx: Ctx, keys: OperationKeys, scope: ListScope): Promise<PersonList> {
  const withCategory = can(ctx, 'person.category');
  const convoys = (await listConvoys(ctx)).filter((c) => scope.convoyId === undefined || c.id === scope.convoyId).reverse();
  const columns: TableColumn[] = [
    { header: 'convoy_id' },
    { header: 'convoy_name' },
    { header: 'convoy_state' },
    { header: 'vehicle_id' },
    { header: 'vehicle_kind' },
    { header: 'person_id' },
    { header: 'household_id' },
    { header: 'tag' },
    ...nameColumns,
    { header: 'sex' },
    { header: 'age_band' },
    ...(withCategory ? [{ header: 'category' }] : []),
    { header: 'flags' },
    { header: 'split_reason' },
    { header: 'head_count' },
  ];
  const rows: TableCell[][] = [];
  const personIds: string[] = [];
  for (const c of convoys) {
    const m = await getManifest(ctx, c.id);
    const people = await openByIds(
      ctx,
      keys,
      m.entries.map((e) => e.personId),
    );
    const kindOf = new Map(m.vehicles.map((v) => [v.id, v.kind]));
    const convoyCells = [c.id, c.name, m.state];
    for (const e of m.entries) {
      const p = people.get(e.personId);
      personIds.push(e.personId);
      rows.push([
        ...convoyCells,
        e.vehicleId,
        kindOf.get(e.vehicleId) ?? null,
        e.personId,
        e.householdId,
        p?.row.tag_code ? formatTag(p.row.tag_code) : null,
        ...(p ? nameCells(p.pii) : nameColumns.map(() => null)),
        p?.row.sex ?? null,
        p?.row.age_band ?? null,
        ...(withCategory ? [p ? openProtected(keys, p.row).category : null] : []),
        e.flags.join(' '),
        e.splitReason ?? null,
        null,
      ]);
    }
    // Vehicles that carry a head count instead of names: one row per sex × age band (× category).
    for (const v of m.vehicles) {
      const byKey = new Map<string, number>();
      for (const r of v.headCount ?? []) {
        const key = [r.sex, r.ageBand, withCategory ? r.category : ''].join('|');
        byKey.set(key, (byKey.get(key) ?? 0) + r.count);
      }
      for (const [key, n] of byKey) {
        const [sex, ageBand, category] = key.split('|');
        rows.push([
          ...convoyCells,
          v.id,
          v.kind,
          null,
          null,
          null,
          ...nameColumns.map(() => null),
          sex!,
          ageBand!,
          ...(withCategory ? [category!] : []),
          null,
          null,
          n,
        ]);
      }
    }
  }
  return { table: { name: 'manifests', columns, rows }, personIds };
}

export async function missingList(ctx: Ctx, keys: OperationKeys, scope: ListScope): Promise<PersonList> {
  const withCategory = can(ctx, 'person.category');
  const sites = await siteNames(ctx);
  const { items } = await reconcileOperation(ctx, scope);
  const missing = items.filter((i) => i.kind === 'missing_in_transit');
  const people = await openByIds(
    ctx,
    keys,
    missing.flatMap((i) => i.personIds ?? []),
  );
  const columns: TableColumn[] = [
    { header: 'person_id' },
    { header: 'household_id' },
    { header: 'tag' },
    ...nameColumns,
    { header: 'sex' },
    { header: 'age_band' },
    ...(withCategory ? [{ header: 'category' }] : []),
    { header: 'convoy_id' },
    { header: 'vehicle_id' },
    { header: 'last_site' },
  ];
  const rows: TableCell[][] = [];
  const personIds: string[] = [];
  for (const item of missing)
    for (const id of item.personIds ?? []) {
      const p = people.get(id);
      personIds.push(id);
      rows.push([
        id,
        p?.row.household_id ?? null,
        p?.row.tag_code ? formatTag(p.row.tag_code) : null,
        ...(p ? nameCells(p.pii) : nameColumns.map(() => null)),
        p?.row.sex ?? null,
        p?.row.age_band ?? null,
        ...(withCategory ? [p ? openProtected(keys, p.row).category : null] : []),
        item.convoyId ?? null,
        item.vehicleId ?? null,
        item.siteId ? (sites.get(item.siteId) ?? item.siteId) : null,
      ]);
    }
  return { table: { name: 'missing', columns, rows }, personIds };
}
