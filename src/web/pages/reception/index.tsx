/**
 * Reception desk: scan a wristband (camera, handheld scanner or typing; the check character
 * is verified as it is typed), see the person and their household, with alerts such as an
 * unaccompanied child. The check-in itself (arrival fact, shelter) waits for the reception
 * API, and the page says so.
 */
import { useCallback, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { parseTag } from '../../../domain/tags.js';
import { read } from '../../api/read.js';
import type { Household, Person } from '../../api/types.js';
import { ErrorNotice, Notice, WaitingForApi } from '../../components/notice.js';
import { useOperation } from '../../session/operation.js';
import { PersonCard } from '../persons/person-card.js';
import { TagInput } from '../registration/tag-input.js';
import { CameraScan } from './camera-scan.js';

const ALERT_FLAGS = ['unaccompanied_child', 'separated_child'];

export default function Reception() {
  const { t } = useTranslation();
  const { operation, can } = useOperation();
  const base = `/api/operations/${encodeURIComponent(operation.id)}`;
  const [tag, setTag] = useState('');
  const [person, setPerson] = useState<Person | null>();
  const [household, setHousehold] = useState<Household>();
  const [error, setError] = useState<unknown>();

  const find = useCallback(async (code: string) => {
    setError(undefined);
    setHousehold(undefined);
    const parsed = parseTag(code);
    if (!parsed.ok) return;
    try {
      const found = await read<Person[]>(`${base}/persons?tag=${encodeURIComponent(parsed.code)}`);
      const p = found[0] ?? null;
      setPerson(p);
      if (p && can('person.read')) setHousehold(await read<Household>(`${base}/households/${encodeURIComponent(p.householdId)}`));
    } catch (err) {
      setError(err);
    }
  }, [base, can]);

  const submit = (e: FormEvent) => { e.preventDefault(); void find(tag); };
  const scanned = useCallback((code: string) => { setTag(code); void find(code); }, [find]);
  const others = household?.members.filter((m) => m.id !== person?.id) ?? [];
  const alert = person && person.vulnerabilities.some((v) => ALERT_FLAGS.includes(v));

  return (
    <div className="page reception">
      <h1>{t('reception.title')}</h1>
      <form className="card search-row" onSubmit={submit} aria-label={t('reception.scanHint')}>
        <TagInput value={tag} onChange={setTag} />
        <button className="button primary big" type="submit" disabled={!parseTag(tag).ok}>{t('reception.find')}</button>
        <CameraScan onCode={scanned} />
      </form>
      <ErrorNotice error={error} />
      {person === null && <Notice kind="warn">{t('reception.notFound')}</Notice>}
      {alert && <Notice kind="warn">{t('reception.alertUasc')}</Notice>}
      {person && <PersonCard person={person} timeZone={operation.timeZone} />}
      {others.length > 0 && (
        <section aria-labelledby="hh-members">
          <h2 id="hh-members">{t('persons.household')}</h2>
          <div className="cards">{others.map((m) => <PersonCard key={m.id} person={m} timeZone={operation.timeZone} />)}</div>
        </section>
      )}
      {person && <WaitingForApi api="reception" />}
    </div>
  );
}
