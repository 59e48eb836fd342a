/**
 * The API's error shape, as the browser sees it: the catalogue code, the server's message and
 * field-level issues (`path` like `members.0.tag`). A failure to reach the server at all is an
 * ApiError with code `network`, so pages treat "offline" like any other answer.
 */
import { fieldText, type KeyedIssue } from '../i18n/field-text.js';

/** A field issue: its English `message` and the `key`/`params` that say it in any language. */
export type FieldIssue = KeyedIssue;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldIssue[] = [],
    /** The rest of the answer's details (e.g. `allowed` transitions of a 409, `nextWindow`). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export async function toApiError(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as {
      error?: { code?: string; message?: string; details?: { fields?: FieldIssue[] } & Record<string, unknown> };
    };
    const e = body.error ?? {};
    const details = e.details ?? {};
    const fields = (e.details?.fields ?? []).map((f) => ({ ...f, context: details }));
    return new ApiError(res.status, e.code ?? 'unknown', e.message ?? res.statusText, fields, details);
  } catch {
    return new ApiError(res.status, 'unknown', res.statusText);
  }
}

export function networkError(err: unknown): ApiError {
  return new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
}

/** Field issues keyed by path, in the user's language, for forms; `prefix` strips e.g. `members.0.`. */
export function fieldMap(fields: FieldIssue[], prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const path = prefix && f.path.startsWith(prefix) ? f.path.slice(prefix.length) : f.path;
    out[path] ??= fieldText(f);
  }
  return out;
}
