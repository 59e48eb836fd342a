/**
 * Field errors from a shared zod schema, keyed by dotted path like the server's, so a form
 * shows the same answer before sending as the server would give after.
 */
import type { z } from 'zod';

export function zodFields(error: z.ZodError, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    const key = prefix && path.startsWith(prefix) ? path.slice(prefix.length) : path;
    out[key] ??= issue.message;
  }
  return out;
}
