/** One person's record as a card: names in both scripts, tag, age band, flags, consent. */
import { useTranslation } from 'react-i18next';
import { isProtectedChildFlag } from '../../../domain/schemas/persons.js';
import type { Person } from '../../api/types.js';
import { useAgeBand, useFormat } from '../../i18n/format.js';

const join = (p?: Record<string, string | undefined>) => (p ? [p.given, p.father, p.grandfather, p.family].filter(Boolean).join(' ') : '');

export function PersonCard({ person, timeZone }: { person: Person; timeZone: string }) {
  const { t } = useTranslation();
  const band = useAgeBand();
  const fmt = useFormat(timeZone);
  return (
    <article className="card person" data-testid="person-card">
      {join(person.names.ar) && (
        <h2 dir="rtl" lang="ar">
          {join(person.names.ar)}
        </h2>
      )}
      {join(person.names.lat) && (
        <p dir="ltr" lang="en" className="latin-name">
          {join(person.names.lat)}
        </p>
      )}
      <dl className="facts">
        <dt>{t('registration.tag')}</dt>
        <dd>{person.tag ? <span className="tag">{person.tag}</span> : '—'}</dd>
        <dt>{t('registration.sex')}</dt>
        <dd>{t(`sex.${person.sex}`)}</dd>
        <dt>{t('persons.ageBand')}</dt>
        <dd>
          <span dir="ltr">{band(person.ageBand)}</span>
        </dd>
        <dt>{t('registration.relationship')}</dt>
        <dd>{t(`relationships.${person.relationship}`)}</dd>
        <dt>{t('persons.registered')}</dt>
        <dd>{fmt.dateTime(person.registeredAt)}</dd>
        <dt>{t('registration.consent')}</dt>
        <dd>
          {person.consent.tracing ? t('registration.consentTracing') : '—'}
          {person.consent.disclosure ? ` · ${t('registration.consentDisclosure')}` : ''}
        </dd>
      </dl>
      {person.vulnerabilities.length > 0 && (
        <p>
          {person.vulnerabilities.map((v) => (
            <span key={v} className={`pill${isProtectedChildFlag(v) ? ' alert' : ''}`}>
              {t(`vulnerabilities.${v}`)}
            </span>
          ))}
        </p>
      )}
    </article>
  );
}
