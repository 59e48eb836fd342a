/**
 * Field errors from a shared zod schema, keyed by dotted path like the server's and in the
 * user's language, so a form shows the same answer before sending as the server would give after.
 */
import type { z } from 'zod';
import { fieldText, zodIssues } from '../i18n/field-text.js';

export function zodFields(error: z.ZodError, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of zodIssues(error.issues)) {
    const path = issue.path;
    const key = prefix && path.startsWith(prefix) ? path.slice(prefix.length) : path;
    out[key] ??= fieldText(issue);
  }
  return out;
}
