/**
 * Find a person by name (any script) or tag, and open their record. Every search and read is
 * audited by the server; this desk exists only for roles with `person.read`.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useParams, useSearchParams } from 'react-router';
import { BackLink } from '../../components/back-link.js';
import { parseTag } from '../../../domain/tags.js';
import { personStatuses } from '../../../domain/movements/derive.js';
import { read } from '../../api/read.js';
import type { Person, PersonFound } from '../../api/types.js';
import { Field } from '../../components/field.js';
import { Pager } from '../../components/pager.js';
import { useAgeBand, useFormat } from '../../i18n/format.js';
import { ErrorNotice, Loading } from '../../components/notice.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import { personName } from '../registration/saved-members.js';
import { PersonCard } from './person-card.js';
import { Timeline } from './person-timeline.js';
import * as api from '../../api/endpoints.js';
import { ExportDownload } from '../../components/export-download.js';

const PAGE = 20;

/** The person's age: from the birth year ("about" when estimated), or the age band when no year is known. */
function AgeOf({ p }: { p: PersonFound }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const band = useAgeBand();
  if (p.birthYear === null)
    return <span>{p.ageBand === 'unknown' ? t('persons.statuses.unknown') : <bdi dir="ltr">{band(p.ageBand)}</bdi>}</span>;
  const age = fmt.number(Math.max(0, new Date().getFullYear() - p.birthYear));
  return <span>{p.ageEstimated ? t('persons.ageAbout', { age }) : age}</span>;
}

function Search() {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat();
  const [q, setQ] = useState('');
  // `?status=arrived`: everyone who stands so now (the list behind a dashboard card).
  const [params] = useSearchParams();
  const status = personStatuses.find((s) => s === params.get('status'));
  const [asked, setAsked] = useState<{ q: string; offset: number }>();
  const [results, setResults] = useState<PersonFound[]>();
  const [error, setError] = useState<unknown>();
  async function search(query: string, offset: number) {
    setError(undefined);
    const byTag = parseTag(query).ok;
    try {
      // One more than a page: whether there is a next page.
      const found = await read<PersonFound[]>(
        api.urlOf(
          api.persons.searchPersons,
          { operationId: operation.id },
          !query && status ? { status, offset, limit: PAGE + 1 } : byTag ? { tag: query } : { q: query, offset, limit: PAGE + 1 },
        ),
      );
      setResults(found);
      setAsked({ q: query, offset });
    } catch (err) {
      setError(err);
    }
  }
  useEffect(() => {
    if (status) void search('', 0);
  }, [status]);
  function submit(e: FormEvent) {
    e.preventDefault();
    void search(q, 0);
  }
  const shown = results?.slice(0, PAGE) ?? [];
  return (
    <div className="page">
      <h1>{t('persons.title')}</h1>
      <ExportDownload what="people" />
      <form className="card search-row" onSubmit={submit} role="search">
        <Field label={t('persons.query')} value={q} onChange={(e) => setQ(e.target.value)} autoFocus autoComplete="off" />
        <button className="button primary" type="submit">
          {t('persons.search')}
        </button>
      </form>
      {status && asked?.q === '' && (
        <h2 data-testid="status-list">{t('persons.withStatus', { status: t(`persons.statuses.${status}`) })}</h2>
      )}
      <ErrorNotice error={error} />
      {results?.length === 0 && <p>{t('persons.none')}</p>}
      {shown.length > 0 && (
        <table className="table" data-testid="person-results">
          <thead>
            <tr>
              <th scope="col">{t('persons.name')}</th>
              <th scope="col">{t('registration.tag')}</th>
              <th scope="col">{t('registration.sex')}</th>
              <th scope="col">{t('persons.age')}</th>
              <th scope="col">{t('persons.householdSize')}</th>
              <th scope="col">{t('persons.status')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={p.id} data-testid="person-result">
                <td>
                  <Link to={encodeURIComponent(p.id)}>
                    <bdi>{personName(p, i18n.language)}</bdi>
                  </Link>
                  {p.mergedInto && <span className="muted"> ({t('persons.merged')})</span>}
                </td>
                <td>{p.tag ? <span className="tag">{p.tag}</span> : '—'}</td>
                <td>{t(`sex.${p.sex}`)}</td>
                <td>
                  <AgeOf p={p} />
                </td>
                <td>{t('persons.householdCount', { n: fmt.number(p.householdSize) })}</td>
                <td>
                  <span className={`pill${p.status === 'missing' ? ' alert' : ''}`} data-testid="person-status">
                    {t(`persons.statuses.${p.status ?? 'unknown'}`)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {asked && results && (
        <Pager
          offset={asked.offset}
          shown={shown.length}
          pageSize={PAGE}
          hasMore={results.length > PAGE}
          onPage={(offset) => void search(asked.q, offset)}
          labels={{ previous: 'persons.previous', next: 'persons.next', showing: 'persons.showing' }}
          label={t('persons.title')}
          testId="person-pager"
        />
      )}
    </div>
  );
}

function Record() {
  const { t } = useTranslation();
  const { personId = '' } = useParams();
  const { operation } = useOperation();
  const person = useResource<Person>(api.urlOf(api.persons.getPerson, { operationId: operation.id, personId }));
  return (
    <div className="page">
      <p>
        <BackLink to="..">{t('persons.back')}</BackLink>
      </p>
      <h1>{t('persons.record')}</h1>
      {person.loading && <Loading />}
      <ErrorNotice error={person.error} />
      {person.data && <PersonCard person={person.data} timeZone={operation.timeZone} />}
      {person.data && <Timeline personId={person.data.id} />}
    </div>
  );
}

export default function Persons() {
  return (
    <Routes>
      <Route index element={<Search />} />
      <Route path=":personId" element={<Record />} />
    </Routes>
  );
}
