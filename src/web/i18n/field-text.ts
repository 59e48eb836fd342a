/**
 * Field-level messages in the user's language: the server sends each field issue with a stable
 * key (src/domain/field-messages.ts) beside its English text, and the browser's own checks make
 * the same keys from the same schemas. A key is a field message or a catalogue error code; one the
 * app does not know reads "This value is not valid" rather than the server's English.
 */
import i18next from 'i18next';
import { fieldIssueOfZod } from '../../domain/field-messages.js';

export interface KeyedIssue {
  path: string;
  message: string;
  key?: string | undefined;
  params?: Record<string, string | number> | undefined;
  /** The details of the error the field came with (the parameters a catalogue code's words use). */
  context?: Record<string, unknown> | undefined;
}

/** The words of one field issue in the current language. */
export function fieldText(issue: KeyedIssue): string {
  const t = i18next.t.bind(i18next);
  // In English the server's own sentence stays (the schemas and services write field-specific
  // ones); zod's defaults ("Too big: expected number to be <=120") are not sentences and get words.
  if (i18next.language === 'en' && /^[A-Z].*\.$/.test(issue.message) && !/expected|<=|>=/.test(issue.message)) return issue.message;
  const key = issue.key;
  if (key) {
    const field = `fieldMessages.${key}`;
    if (i18next.exists(field)) return t(field, { ...issue.params });
    const code = `errors.codes.${key.replace('.', '_')}`;
    if (i18next.exists(code)) {
      // A code whose words need a detail this answer lacks says the plain "not valid" instead.
      const text = t(code, { ...issue.context, ...issue.params });
      return text.includes('{{') ? t('fieldMessages.invalid') : text;
    }
  }
  // An old server without keys: its English in English, never in another language.
  return i18next.language === 'en' && issue.message ? issue.message : t('fieldMessages.invalid');
}

/** Issues of a zod error (the same schema the server checks with), with their keys. */
export function zodIssues(issues: readonly Parameters<typeof fieldIssueOfZod>[0][]): KeyedIssue[] {
  return issues.map((i) => fieldIssueOfZod(i));
}
