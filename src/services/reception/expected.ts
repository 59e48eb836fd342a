/**
 * The people a reception site expects: those manifested on convoys boarding or on the road
 * along a route through the site, with their records (opened with the operation's key and shown
 * as the role may see them). A reception phone downloads this list before the convoys arrive and
 * keeps it sealed (docs/decisions/021-phone-vault.md), so a tag look-up works with no network.
 * Naming people is a read of their records: one audit entry lists them.
 */
import * as convoysDb from '../../db/queries/convoys.js';
import * as personsDb from '../../db/queries/persons.js';
import { EXPECTED_MAX } from '../../domain/api/reception.js';
import { onTheRoadStates } from '../../domain/convoys/state-machine.js';
import { audit, requireOperation, type Ctx } from '../context.js';
import { presentPerson } from '../persons/person-record.js';

export async function listExpected(ctx: Ctx, siteId: string) {
  const operationId = requireOperation(ctx);
  const rows = await convoysDb.listExpectedAt(ctx.db, operationId, siteId, ['boarding', ...onTheRoadStates], EXPECTED_MAX + 1);
  const truncated = rows.length > EXPECTED_MAX;
  const kept = rows.slice(0, EXPECTED_MAX);
  const ids = [...new Set(kept.map((r) => r.person_id))];
  const people = await personsDb.findPersonsByIds(ctx.db, operationId, ids);
  const keys = people.length ? await ctx.keys.forOperation(ctx.db, operationId) : null;
  const persons = people.filter((p) => !p.merged_into).map((p) => presentPerson(ctx, keys!, p));
  if (persons.length)
    await audit(ctx, {
      action: 'reception.expected_read',
      subjectKind: 'person',
      details: { siteId, persons: persons.map((p) => p.id as string) },
    });
  const convoys = new Map(kept.map((r) => [r.convoy_id, { id: r.convoy_id, name: r.convoy_name, state: r.convoy_state }]));
  return {
    siteId,
    convoys: [...convoys.values()],
    entries: kept.map((r) => ({ personId: r.person_id, convoyId: r.convoy_id, vehicleId: r.vehicle_id })),
    persons,
    truncated,
  };
}
