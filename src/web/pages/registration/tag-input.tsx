/**
 * The wristband tag field: accepts what a scanner or a person types (any case, dashes, spaces,
 * Arabic-Indic digits) and checks it as it is typed with the shared parseTag, so a mistyped
 * character is caught before saving.
 */
import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTag, parseTag, TAG_DATA_LENGTH } from '../../../domain/tags.js';
import { Field } from '../../components/field.js';

export function tagProblem(value: string): { key: string; n?: number } | null {
  if (!value.trim()) return null;
  const r = parseTag(value);
  if (r.ok) return null;
  const compact = value.replace(/[\s\-\u00a0]/g, '');
  // While the code is still being typed, only a character that can never appear is an error.
  if (r.reason === 'length' && compact.length <= TAG_DATA_LENGTH) return null;
  if (r.reason === 'character') return { key: 'registration.tagReasons.character', n: r.position ?? 0 };
  if (r.reason === 'length') return { key: 'registration.tagReasons.length', n: compact.length };
  return { key: 'registration.tagReasons.check' };
}

/** The message with the tag kept left-to-right inside it, so an Arabic sentence does not reorder its characters. */
function isolated(message: string, tag: string) {
  const [before = '', after = ''] = message.split('\u0000');
  return (
    <>
      {before}
      <bdi dir="ltr">{tag}</bdi>
      {after}
    </>
  );
}

export function TagInput({
  value,
  onChange,
  serverError,
  inputRef,
}: {
  value: string;
  onChange: (v: string) => void;
  serverError?: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const { t } = useTranslation();
  const problem = tagProblem(value);
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
      ok={parsed?.ok ? isolated(t('registration.tagOk', { tag: '\u0000' }), formatTag(parsed.code)) : undefined}
      data-testid="tag-input"
    />
  );
}
