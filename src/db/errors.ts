/**
 * The one place where Postgres error codes become catalogue errors. Constraint names tell
 * which case it is; anything unknown stays an internal error.
 */
import { AppError } from '../domain/errors.js';

interface PgError {
  code?: string;
  message?: string;
  constraint?: string;
  table?: string;
  detail?: string;
}

const uniqueByConstraint: Record<string, AppError['code']> = {
  persons_operation_id_tag_code_key: 'tag.taken',
  users_username_key: 'user.username_taken',
  operations_code_key: 'operation.code_taken',
};

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as PgError;
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/**
 * The database went away under the request: shut down or restarting (57P0x), a connection that
 * broke or could not be made (class 08, socket errors, the driver's own messages), or a standby
 * that cannot take writes yet (25006, during a failover). The transaction did not commit, so the
 * same request may be sent again: 503 with Retry-After, not a 500.
 */
const unavailableCodes = new Set(['57P01', '57P02', '57P03', '25006', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
const unavailableMessages =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Connection terminated unexpectedly)/;

/** PostgreSQL ended the transaction to break a deadlock (40P01) or a serialization conflict (40001): running it again may succeed. */
export function isTransientConflict(err: unknown): boolean {
  const code = (err as PgError | undefined)?.code;
  return code === '40P01' || code === '40001';
}

export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as PgError;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && (unavailableCodes.has(e.code) || e.code.startsWith('08'))) return true;
  return typeof e.message === 'string' && unavailableMessages.test(e.message);
}

export function mapDbError(err: unknown): unknown {
  const e = err as PgError;
  if (isDatabaseUnavailable(err) || isTransientConflict(err))
    return new AppError('database.unavailable', undefined, { retryAfterSeconds: 2 });
  if (!e || typeof e.code !== 'string') return err;
  if (e.code === '23505') {
    const code = e.constraint ? uniqueByConstraint[e.constraint] : undefined;
    return new AppError(code ?? 'conflict', undefined, e.constraint ? { constraint: e.constraint } : undefined);
  }
  if (e.code === '23503') return new AppError('conflict', 'A record this refers to does not exist.');
  if (e.code === '23514') return new AppError('request.invalid', 'A value is outside what is allowed.', { constraint: e.constraint });
  if (e.code === '22P02' || e.code === '22003' || e.code === '22007' || e.code === '22008') {
    return new AppError('request.invalid', 'A value has the wrong form.');
  }
  return err;
}
