/** Server-made ids: ULIDs that keep increasing within one millisecond, so order of creation is order of id. */
import { monotonicFactory } from 'ulid';

const next = monotonicFactory();

export function newId(at: Date): string {
  return next(at.getTime());
}
