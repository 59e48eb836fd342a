/**
 * The wristband tag field: accepts what a scanner or a person types (any case, dashes, spaces,
 * Arabic-Indic digits) and checks it as it is typed with the shared parseTag, so a mistyped
 * character is caught before saving.
 */
import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTag, parseTag, serialInRanges, TAG_DATA_LENGTH, type SerialRange } from '../../../domain/tags.js';
import { Field } from '../../components/field.js';
import { tIsolated } from '../../components/isolated.js';

/**
 * What is wrong with a tag as typed, or null. With the operation's wristband ranges (`ranges`,
 * read online or kept on the phone), a tag outside all of them is refused with the server's rule.
 */
export function tagProblem(value: string, ranges?: readonly SerialRange[]): { key: string; n?: number } | null {
  if (!value.trim()) return null;
  const r = parseTag(value);
  if (r.ok) return ranges && !serialInRanges(r.serial, ranges) ? { key: 'registration.tagReasons.range' } : null;
  const compact = value.replace(/[\s\-\u00a0]/g, '');
  // While the code is still being typed, only a character that can never appear is an error.
  if (r.reason === 'length' && compact.length <= TAG_DATA_LENGTH) return null;
  if (r.reason === 'character') return { key: 'registration.tagReasons.character', n: r.position ?? 0 };
  if (r.reason === 'length') return { key: 'registration.tagReasons.length', n: compact.length };
  return { key: 'registration.tagReasons.check' };
}

export function TagInput({
  value,
  onChange,
  serverError,
  inputRef,
  ranges,
}: {
  value: string;
  onChange: (v: string) => void;
  serverError?: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
  /** The operation's wristband ranges: a registration checks the tag is in one (a look-up does not). */
  ranges?: readonly SerialRange[] | undefined;
}) {
  const { t } = useTranslation();
  const problem = tagProblem(value, ranges);
  const parsed = value.trim() ? parseTag(value) : null;
  const error = serverError ?? (problem ? t(problem.key, { n: problem.n }) : undefined);
  return (
    <Field
      ref={inputRef}
      label={t('registration.tag')}
      hint={t('registration.tagHint')}
      name="tag"
      dir="ltr"
      autoComplete="off"
      spellCheck={false}
      autoCapitalize="characters"
      className="tag-field"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      ok={parsed?.ok && !problem ? tIsolated(t, 'registration.tagOk', { tag: formatTag(parsed.code) }) : undefined}
      data-testid="tag-input"
    />
  );
}
