/**
 * The registration desk's paper side: in the household step, the switch to "entering paper
 * forms" with the date and time written on the form, and the links to the blank forms (Arabic,
 * English); in the members step, the members of the form kept on the page until it is saved.
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PersonInput } from '../../../domain/schemas/persons.js';
import { Field } from '../../components/field.js';
import { isolate, useFormat } from '../../i18n/format.js';
import { wallTimeToIso } from '../../lib/wall-time.js';
import { westernDigits } from '../../../domain/digits.js';
import { useOperation } from '../../session/operation.js';
import { personName } from './saved-members.js';

export function PaperModeFields({
  paper,
  setPaper,
  paperTime,
  setPaperTime,
  error,
}: {
  paper: boolean;
  setPaper: (on: boolean) => void;
  paperTime: string;
  setPaperTime: (v: string) => void;
  error: string | undefined;
}) {
  const { t } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat();
  const blank = (lang: 'ar' | 'en') => `/op/${encodeURIComponent(operation.id)}/print/registration-form?lang=${lang}`;
  return (
    <>
      <label className="check wide">
        <input type="checkbox" checked={paper} onChange={(e) => setPaper(e.target.checked)} data-testid="paper-mode" />
        <span>{t('paper.paperMode')}</span>
      </label>
      {paper && (
        <>
          <p className="hint wide">{t('paper.paperModeHint')}</p>
          {/*
           * Typed as written on the form, in any digits: a text field, since the browser's date-and-time
           * picker takes no Arabic-Indic or Persian digit typed into it.
           */}
          <Field
            label={t('paper.paperTime')}
            hint={t('paper.paperTimeHint', { example: isolate(fmt.digits('2016-12-15 08:30')) })}
            name="paperTime"
            dir="ltr"
            placeholder="YYYY-MM-DD HH:MM"
            autoComplete="off"
            required
            value={paperTime}
            onChange={(e) => setPaperTime(westernDigits(e.target.value))}
            error={error}
            data-testid="paper-time"
          />
        </>
      )}
      <p className="wide">
        {t('paper.blankForms')}:{' '}
        <Link to={blank('ar')} data-testid="blank-form-ar">
          {t('paper.blankAr')}
        </Link>{' '}
        ·{' '}
        <Link to={blank('en')} data-testid="blank-form-en">
          {t('paper.blankEn')}
        </Link>
      </p>
    </>
  );
}

export function PaperFormMembers({
  paperTime,
  members,
  busy,
  onSave,
}: {
  paperTime: string;
  members: PersonInput[];
  busy: boolean;
  onSave: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const at = wallTimeToIso(paperTime, operation.timeZone);
  return (
    <>
      <p className="muted">
        {t('paper.paperTime')}: {at ? fmt.dateTime(at) : '—'} · {t('paper.paperNext')}
      </p>
      {members.length > 0 && (
        <ol data-testid="paper-members">
          {members.map((m, i) => (
            <li key={i}>{personName(m, i18n.language)}</li>
          ))}
        </ol>
      )}
      <div className="actions">
        <button
          type="button"
          className="button primary"
          onClick={onSave}
          disabled={busy || members.length === 0}
          data-testid="save-paper-form"
        >
          {t('paper.paperSave', { n: fmt.number(members.length), count: members.length })}
        </button>
      </div>
    </>
  );
}
