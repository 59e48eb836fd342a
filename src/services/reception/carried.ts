/**
 * What arrived at a reception site with its people: wheelchairs, stretchers and oxygen to take
 * over, pieces of luggage to store, pets to house. Counted from the standing check-ins at the site
 * (a voided check-in does not count; a person checked in there twice counts once) and what each
 * person's record says they carry, opened from its sealed fields and kept only as totals — an
 * aggregate, so every role that reads the counts may read it.
 */
import * as correctionsDb from '../../db/queries/corrections.js';
import * as factsDb from '../../db/queries/facts.js';
import * as operationsDb from '../../db/queries/operations.js';
import * as personsDb from '../../db/queries/persons.js';
import { carriedTotals } from '../../domain/carried.js';
import { AppError } from '../../domain/errors.js';
import { effectiveFacts } from '../../domain/movements/index.js';
import { requireOperation, type Ctx } from '../context.js';
import { carriedOf, openProtected } from '../persons/protected-fields.js';

export async function carriedAtSite(ctx: Ctx, siteId: string) {
  const operationId = requireOperation(ctx);
  if (!(await operationsDb.findSite(ctx.db, operationId, siteId))) throw new AppError('site.not_found');
  const checkIns = await factsDb.checkInsAtSite(ctx.db, operationId, siteId);
  const corrections = await correctionsDb.correctionChainsOf(
    ctx.db,
    operationId,
    checkIns.map((f) => f.id),
  );
  const standing = effectiveFacts([...checkIns, ...corrections].map(factsDb.rowToFact)).filter(
    (f) => f.kind === 'checked_in' && f.siteId === siteId,
  );
  const personIds = [...new Set(standing.flatMap((f) => (f.personId ? [f.personId] : [])))];
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const people = await personsDb.findPersonsByIds(ctx.db, operationId, personIds);
  return { siteId, arrived: carriedTotals(people.map((p) => carriedOf(openProtected(keys, p)))) };
}
