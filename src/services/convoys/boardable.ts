/**
 * The households a convoy officer may still board, for the boarding point with no network: those
 * registered at a site where a route of a convoy being prepared leaves from (or passes before its
 * destination) with someone not yet on a manifest in force and not checked in anywhere, with
 * their members — names, tag, sex, age band, vulnerabilities and what they carry (seats), nothing
 * else — and where any of them is already manifested. The board downloads it while it has a
 * network and keeps it sealed in the phone vault (docs/decisions/021-phone-vault.md), so a
 * household can be found by tag or name and boarded after an offline reload. Bounded (whole
 * households, at most BOARDABLE_MAX people); naming people is a read of their records: one audit
 * entry lists them.
 */
import * as convoysDb from '../../db/queries/convoys.js';
import * as operationsDb from '../../db/queries/operations.js';
import { BOARDABLE_MAX } from '../../domain/api/convoys.js';
import { openStates } from '../../domain/convoys/manifest.js';
import { convoyStates } from '../../domain/convoys/state-machine.js';
import { AppError } from '../../domain/errors.js';
import { audit, requireOperation, type Ctx } from '../context.js';
import { presentPerson } from '../persons/person-record.js';

/** A manifest entry on a convoy in one of these states means the person is boarded (cancelled and turned back ones do not). */
const boardedStates = convoyStates.filter((s) => s !== 'cancelled' && s !== 'turned_back');
/** Households looked at in one list: more than BOARDABLE_MAX people can hold, so the cut is by people below. */
const HOUSEHOLDS_MAX = BOARDABLE_MAX;

export async function listBoardable(ctx: Ctx, query: { siteId?: string | undefined }) {
  const operationId = requireOperation(ctx);
  if (query.siteId && !(await operationsDb.findSite(ctx.db, operationId, query.siteId)))
    throw new AppError('site.not_found', undefined, { fields: [{ path: 'siteId', message: 'This site is not in this operation.' }] });
  const convoyIds = (await convoysDb.listConvoys(ctx.db, operationId))
    .filter((c) => (openStates as readonly string[]).includes(c.state))
    .map((c) => c.id);
  const found = await convoysDb.listBoardableHouseholds(ctx.db, operationId, {
    openStates,
    notBoardedStates: boardedStates,
    ...(query.siteId ? { siteId: query.siteId } : {}),
    limit: HOUSEHOLDS_MAX + 1,
  });
  // Whole households only, oldest first, until the people would pass the bound.
  const kept: typeof found = [];
  let people = 0;
  for (const h of found.slice(0, HOUSEHOLDS_MAX)) {
    const size = h.members ?? 0;
    if (people + size > BOARDABLE_MAX) break;
    kept.push(h);
    people += size;
  }
  const truncated = kept.length < found.length;
  const rows = await convoysDb.listHouseholdMembers(
    ctx.db,
    operationId,
    kept.map((h) => h.id),
  );
  const keys = rows.length ? await ctx.keys.forOperation(ctx.db, operationId) : null;
  const byHousehold = new Map<string, ReturnType<typeof boardablePerson>[]>();
  for (const row of rows) {
    const p = boardablePerson(presentPerson(ctx, keys!, row));
    byHousehold.set(row.household_id, [...(byHousehold.get(row.household_id) ?? []), p]);
  }
  const places = await convoysDb.listManifestPlaces(
    ctx.db,
    operationId,
    rows.map((r) => r.id),
    boardedStates,
  );
  if (rows.length)
    await audit(ctx, {
      action: 'convoy.boardable_read',
      subjectKind: 'person',
      details: { ...(query.siteId ? { siteId: query.siteId } : {}), persons: rows.map((r) => r.id) },
    });
  return {
    convoyIds,
    households: kept.map((h) => ({
      id: h.id,
      siteId: h.site_id,
      registeredAt: new Date(h.registered_at).toISOString(),
      members: byHousehold.get(h.id) ?? [],
    })),
    entries: places.map((e) => ({
      personId: e.person_id,
      householdId: e.household_id,
      convoyId: e.convoy_id,
      vehicleId: e.vehicle_id,
      split: e.split,
    })),
    truncated,
  };
}

/** Only what boarding needs of a person's record: the rest (phone, documents, origin, notes, category) stays on the server. */
function boardablePerson(p: Record<string, unknown>) {
  return {
    id: p.id as string,
    householdId: p.householdId as string,
    relationship: p.relationship as string,
    names: p.names,
    sex: p.sex as string,
    ageBand: p.ageBand as string,
    vulnerabilities: p.vulnerabilities as string[],
    carried: p.carried,
    tag: p.tag as string | null,
  };
}
