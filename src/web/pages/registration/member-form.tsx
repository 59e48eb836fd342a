/**
 * One member of the household, entered by keyboard: Tab moves through the fields in reading
 * order, Enter anywhere saves (also from a checkbox or a list), and focus returns to the first
 * name field for the next member. Arabic-script fields are right-to-left, Latin ones
 * left-to-right, whatever the interface language.
 */
import { useEffect, useRef, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { carriedEquipment, relationships, sexes, vulnerabilities } from '../../../domain/schemas/persons.js';
import { Check, Field, SelectField } from '../../components/field.js';
import { westernDigits } from '../../../domain/digits.js';
import { enterSubmits } from '../../lib/enter-submits.js';
import { TagInput, tagProblem } from './tag-input.js';
import type { SerialRange } from '../../../domain/tags.js';
import { nameFields, type MemberDraft } from './member-draft.js';

export function MemberForm({
  n,
  draft,
  setDraft,
  errors,
  busy,
  onSave,
  focusKey,
  ranges,
}: {
  n: number;
  draft: MemberDraft;
  setDraft: (d: MemberDraft) => void;
  errors: Record<string, string>;
  busy: boolean;
  onSave: () => void;
  focusKey: number;
  /** The operation's wristband ranges, when known (online, or kept on the phone). */
  ranges?: readonly SerialRange[] | undefined;
}) {
  const { t } = useTranslation();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => {
    first.current?.focus();
  }, [focusKey]);
  // Made inert while saving, the form lost the focus: a refusal gives it back (a success moves it with focusKey).
  useEffect(() => {
    if (!busy && document.activeElement === document.body) first.current?.focus();
  }, [busy]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy && !tagProblem(draft.tag, ranges)) onSave();
  };
  const names = (script: 'ar' | 'lat') => (
    <fieldset className="wide names" dir={script === 'ar' ? 'rtl' : 'ltr'} lang={script === 'ar' ? 'ar' : 'en'}>
      <legend>{t(script === 'ar' ? 'names.arabic' : 'names.latin')}</legend>
      <div className="grid-form">
        {nameFields.map((f, i) => (
          <Field
            key={f}
            ref={script === 'ar' && i === 0 ? first : undefined}
            label={t(`names.${f}`)}
            name={`${script}.${f}`}
            autoComplete="off"
            value={draft[script][f]}
            onChange={(e) => setDraft({ ...draft, [script]: { ...draft[script], [f]: e.target.value } })}
            error={errors[`names.${script}.${f}`]}
          />
        ))}
      </div>
    </fieldset>
  );

  return (
    <>
      {/* While the member is being saved the form takes no typing (inert): the answer clears it for the
        next member, and anything typed meanwhile would be wiped with it (issue 20 re-walk, a slow server). */}
      <form
        className="card grid-form member-form"
        onSubmit={submit}
        onKeyDown={enterSubmits}
        aria-labelledby="member-title"
        aria-busy={busy}
        inert={busy}
        data-testid="member-form"
      >
        <h2 id="member-title">{t('registration.memberN', { n })}</h2>
        {names('ar')}
        {names('lat')}
        <SelectField
          label={t('registration.relationship')}
          name="relationship"
          value={draft.relationship}
          onChange={(e) => setDraft({ ...draft, relationship: e.target.value })}
          error={errors.relationship}
        >
          {relationships.map((r) => (
            <option key={r} value={r}>
              {t(`relationships.${r}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('registration.sex')}
          name="sex"
          required
          value={draft.sex}
          onChange={(e) => setDraft({ ...draft, sex: e.target.value })}
          error={errors.sex}
        >
          <option value="">—</option>
          {sexes.map((s) => (
            <option key={s} value={s}>
              {t(`sex.${s}`)}
            </option>
          ))}
        </SelectField>
        <Field
          label={t('registration.age')}
          name="age"
          inputMode="numeric"
          dir="ltr"
          autoComplete="off"
          value={draft.age}
          onChange={(e) =>
            setDraft({ ...draft, age: e.target.value.replace(/[^\d٠-٩]/g, '').replace(/[٠-٩]/g, (c) => String(c.charCodeAt(0) - 0x660)) })
          }
          error={errors.estimatedAge}
        />
        <Field
          label={t('registration.dob')}
          name="dob"
          placeholder="YYYY-MM-DD"
          dir="ltr"
          autoComplete="off"
          value={draft.dob}
          // Typed in Arabic-Indic or Persian digits, it reads as the date it is (the schema wants YYYY-MM-DD).
          onChange={(e) => setDraft({ ...draft, dob: westernDigits(e.target.value) })}
          error={errors.dateOfBirth}
        />
        <TagInput value={draft.tag} onChange={(tag) => setDraft({ ...draft, tag })} serverError={errors.tag} ranges={ranges} />
        <fieldset className="wide">
          <legend>{t('registration.vulnerabilities')}</legend>
          <div className="checks">
            {vulnerabilities.map((v) => (
              <Check
                key={v}
                label={t(`vulnerabilities.${v}`)}
                name={`v.${v}`}
                checked={draft.vulnerabilities.includes(v)}
                onChange={(e) =>
                  setDraft({
                    ...draft,
                    vulnerabilities: e.target.checked ? [...draft.vulnerabilities, v] : draft.vulnerabilities.filter((x) => x !== v),
                  })
                }
              />
            ))}
          </div>
        </fieldset>
        <fieldset className="wide" data-testid="carried">
          <legend>{t('registration.carried')}</legend>
          <div className="checks">
            {carriedEquipment.map((item) => (
              <Check
                key={item}
                label={t(`carried.${item}`)}
                name={`carried.${item}`}
                checked={draft.equipment.includes(item)}
                onChange={(e) =>
                  setDraft({
                    ...draft,
                    equipment: e.target.checked ? [...draft.equipment, item] : draft.equipment.filter((x) => x !== item),
                  })
                }
              />
            ))}
          </div>
          {(['luggage', 'pets'] as const).map((k) => (
            <Field
              key={k}
              label={t(`carried.${k}`)}
              name={`carried.${k}`}
              inputMode="numeric"
              dir="ltr"
              autoComplete="off"
              value={draft[k]}
              // A numeric field: its digits are Western already (components/field.tsx numericInput).
              onChange={(e) => setDraft({ ...draft, [k]: e.target.value.replace(/\D/g, '') })}
              error={errors[`carried.${k}`]}
            />
          ))}
        </fieldset>
        <fieldset className="wide consent" data-testid="consent">
          <legend>{t('registration.consent')}</legend>
          <p className="hint">{t('registration.consentHint')}</p>
          {(['tracing', 'disclosure'] as const).map((k) => {
            const key = k === 'tracing' ? 'consentTracing' : 'consentDisclosure';
            const error = errors[`consent.${k}`];
            return (
              <fieldset
                key={k}
                className="choice"
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `consent-${k}-error` : undefined}
              >
                <legend>{t(k === 'tracing' ? 'registration.consentTracing' : 'registration.consentDisclosure')}</legend>
                <div className="checks">
                  {(['yes', 'no'] as const).map((answer) => (
                    <label key={answer} className="check">
                      <input
                        type="radio"
                        name={key}
                        value={answer}
                        checked={draft[key] === answer}
                        onChange={() => setDraft({ ...draft, [key]: answer })}
                      />
                      <span>{t(answer === 'yes' ? 'app.yes' : 'app.no')}</span>
                    </label>
                  ))}
                </div>
                {error && (
                  <span className="field-error" id={`consent-${k}-error`} role="alert">
                    {error}
                  </span>
                )}
              </fieldset>
            );
          })}
        </fieldset>
        <div className="actions">
          <button className="button primary" type="submit" disabled={busy} data-testid="save-member">
            {t('registration.saveMember')}
          </button>
          <span className="hint">{t('registration.saveHint')}</span>
        </div>
      </form>
      <p className="muted" role="status" data-testid="member-saving">
        {busy ? t('registration.savingMember') : ''}
      </p>
    </>
  );
}
