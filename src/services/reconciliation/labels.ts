/**
 * What a reconciliation list shows instead of ids, loaded with the list: the convoys' names,
 * the vehicles' plates and kinds, and the names and tags of the people its items name (opened
 * with the operation's key). Naming people is a read of their records: one audit entry lists
 * them.
 */
import { openJson } from '../../crypto/envelope.js';
import * as historyDb from '../../db/queries/person-history.js';
import * as personsDb from '../../db/queries/persons.js';
import type { ReconciliationItem } from '../../domain/reconciliation/index.js';
import { formatTag } from '../../domain/tags.js';
import { audit, requireOperation, type Ctx } from '../context.js';
import { piiAad, type PersonPii } from '../persons/person-record.js';

export async function labelItems(ctx: Ctx, items: readonly ReconciliationItem[]) {
  const operationId = requireOperation(ctx);
  const convoyIds = new Set<string>();
  const vehicleIds = new Set<string>();
  const personIds = new Set<string>();
  for (const i of items) {
    if (i.convoyId) convoyIds.add(i.convoyId);
    if (i.vehicleId) vehicleIds.add(i.vehicleId);
    const more = (i.details as { vehicleIds?: unknown } | undefined)?.vehicleIds;
    if (Array.isArray(more)) for (const v of more) if (typeof v === 'string') vehicleIds.add(v);
    for (const p of i.personIds ?? []) personIds.add(p);
  }
  const { convoys, vehicles } = await historyDb.convoyLabels(ctx.db, operationId, [...convoyIds], [...vehicleIds]);
  const rows = personIds.size ? await personsDb.findPersonsByIds(ctx.db, operationId, [...personIds]) : [];
  const keys = rows.length ? await ctx.keys.forOperation(ctx.db, operationId) : null;
  const persons = rows.map((r) => ({
    id: r.id,
    householdId: r.household_id,
    names: openJson<PersonPii>(keys!, r.pii, piiAad(r.id)).names,
    tag: r.tag_code ? formatTag(r.tag_code) : null,
  }));
  if (persons.length)
    await audit(ctx, { action: 'reconciliation.read', subjectKind: 'person', details: { persons: persons.map((p) => p.id) } });
  return {
    convoys: convoys.map((c) => ({ id: c.id, name: c.name })),
    vehicles: vehicles.map((v) => ({ id: v.id, convoyId: v.convoy_id, kind: v.kind, plate: v.plate })),
    persons,
  };
}
