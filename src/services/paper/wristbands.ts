/**
 * Printing a household's wristbands at the desk: the first print is recorded, printing again
 * (a band torn, a sheet lost — or a second set of bands for someone else to wear) needs a reason.
 * Each print is an audit entry on the household naming the tags printed; a reprint's reason is
 * sealed in it (typed text may name someone). The answer gives the tags to print.
 */
import { sealJson } from '../../crypto/envelope.js';
import { countAuditEntries } from '../../db/queries/audit.js';
import * as personsDb from '../../db/queries/persons.js';
import { AppError, invalid } from '../../domain/errors.js';
import { formatTag } from '../../domain/tags.js';
import { audit, requireOperation, type Ctx } from '../context.js';

export const wristbandPrintAad = (householdId: string, printNumber: number) => `household:${householdId}:wristband-print:${printNumber}`;

export async function printWristbands(ctx: Ctx, householdId: string, input: { reason?: string | undefined }) {
  const operationId = requireOperation(ctx);
  const household = await personsDb.findHousehold(ctx.db, operationId, householdId);
  if (!household) throw new AppError('household.not_found');
  const earlier = await countAuditEntries(ctx.db, operationId, 'wristband.print', householdId);
  const reason = input.reason?.trim() ?? '';
  if (earlier > 0 && !reason)
    throw invalid([{ path: 'reason', message: 'These wristbands were printed before: say why they are printed again.' }]);
  const members = await personsDb.listHouseholdMembers(ctx.db, operationId, householdId);
  const tags = members.flatMap((m) =>
    m.tag_code && m.shredded_at === null && m.merged_into === null ? [{ personId: m.id, tag: formatTag(m.tag_code) }] : [],
  );
  const printNumber = earlier + 1;
  const keys = reason ? await ctx.keys.forOperation(ctx.db, operationId) : null;
  await audit(ctx, {
    action: 'wristband.print',
    subjectKind: 'household',
    subjectId: householdId,
    details: {
      printNumber,
      tags: tags.map((t) => t.tag),
      ...(keys ? { reason: { sealed: sealJson(keys, reason, wristbandPrintAad(householdId, printNumber)).toString('base64') } } : {}),
    },
  });
  return { householdId, printNumber, tags };
}
