/**
 * What a tracing request holds sealed — who asks and whom they seek — and the descriptions the
 * matcher compares: the person sought (names, sex, an age range read as an estimated birth year)
 * and the enquirer (a registered person's record, or the name they gave, split into its parts
 * whichever way it was typed), with their keyed blocking keys. And the one way requests are read
 * with their sealed part opened ("unsealed" — not to be confused with a request's status `open`):
 * one for an officer (`unsealRequest`, or tracing.not_found), several for the loop
 * (`unsealRequests`), a row already read (`unsealRow`).
 */
import { openJson, type OperationKeys } from '../../crypto/envelope.js';
import * as personsDb from '../../db/queries/persons.js';
import * as tracingDb from '../../db/queries/tracing.js';
import { AppError } from '../../domain/errors.js';
import { requireOperation, type Ctx } from '../context.js';
import { hasArabicScript } from '../../domain/names/arabic.js';
import { arrangeNameParts } from '../../domain/names/parts.js';
import type { TracingRequestInput } from '../../domain/schemas/tracing.js';
import type { Executor } from '../../db/queries/executor.js';
import { describeRow, keyedBlockingKeys, type Description } from '../matching/candidates.js';

export interface TracingPii {
  enquirer: TracingRequestInput['enquirer'];
  sought: TracingRequestInput['sought'];
}

export const requestAad = (id: string) => `tracing:${id}`;

/** A request row with its sealed part opened. */
export function unsealRow(keys: OperationKeys, r: tracingDb.TracingRow) {
  return { r, pii: openJson<TracingPii>(keys, r.pii, requestAad(r.id)) };
}

/** One request of the context's operation, unsealed, or tracing.not_found. */
export async function unsealRequest(ctx: Ctx, id: string) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const r = await tracingDb.findTracingRequest(ctx.db, operationId, id);
  if (!r) throw new AppError('tracing.not_found');
  return { operationId, keys, ...unsealRow(keys, r) };
}

/** The requests of the context's operation with these ids (those that exist), unsealed: what the loop reads. */
export async function unsealRequests(ctx: Ctx, keys: OperationKeys, ids: readonly string[]) {
  const rows = await tracingDb.findTracingRequestsByIds(ctx.db, requireOperation(ctx), ids);
  return rows.map((r) => unsealRow(keys, r));
}

export function describeSought(s: TracingRequestInput['sought'], now: Date): Description {
  const year = now.getUTCFullYear();
  const mid = s.ageMin !== undefined && s.ageMax !== undefined ? (s.ageMin + s.ageMax) / 2 : (s.ageMin ?? s.ageMax);
  return {
    names: s.names,
    ...(s.sex ? { sex: s.sex } : {}),
    birthYear: mid === undefined ? null : Math.round(year - mid),
    birthYearEstimated: true,
  };
}

/** The enquirer as the matcher sees them: their registration when they are registered, else the name they gave. */
export async function describeEnquirer(
  db: Executor,
  keys: OperationKeys,
  operationId: string,
  enquirer: TracingPii['enquirer'],
): Promise<Description | null> {
  if (enquirer.personId) {
    const row = await personsDb.findPerson(db, operationId, enquirer.personId);
    if (row) return describeRow(keys, row);
  }
  const name = enquirer.name.trim();
  if (name === '') return null;
  const parts = arrangeNameParts({ given: name });
  return { names: hasArabicScript(name) ? { ar: parts } : { lat: parts } };
}

/** The keys kept for a request: its sought person's, and its enquirer's. */
export function requestKeyRows(keys: OperationKeys, sought: Description, enquirer: Description | null) {
  return [
    ...keyedBlockingKeys(keys, sought).map((k) => ({ side: 'sought' as const, ...k })),
    ...(enquirer ? keyedBlockingKeys(keys, enquirer).map((k) => ({ side: 'enquirer' as const, ...k })) : []),
  ];
}
