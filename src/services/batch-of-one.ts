/**
 * A single command is its batch with one item. The batch names the item in what it refuses
 * (`boardings.0.householdId`, `index: 0`); the single route's clients know no items, so the
 * refusal is given back to them as the single route always answered it: field paths without the
 * item's prefix and no `index`.
 */
import { AppError } from '../domain/errors.js';

/** The refusal of item 0 of a batch, as the single command answers it. */
export function asSingleRefusal(err: unknown, prefix: string): unknown {
  if (!(err instanceof AppError) || !err.details) return err;
  const { index: _index, fields, ...rest } = err.details as { index?: unknown; fields?: unknown };
  const details: Record<string, unknown> = { ...rest };
  if (Array.isArray(fields))
    details.fields = (fields as { path: string; message: string }[]).map((f) => ({
      ...f,
      path: f.path.startsWith(prefix) ? f.path.slice(prefix.length) : f.path,
    }));
  const out = new AppError(err.code, err.message, Object.keys(details).length > 0 ? details : undefined);
  out.stack = err.stack;
  return out;
}

/** Runs a batch of one item and gives back its refusal as the single command's. */
export async function batchOfOne<T>(prefix: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw asSingleRefusal(err, prefix);
  }
}
