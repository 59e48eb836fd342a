/**
 * Find a person by name (any script) or tag, and open their record. Every search and read is
 * audited by the server; this desk exists only for roles with `person.read`.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useParams } from 'react-router';
import { parseTag } from '../../../domain/tags.js';
import { read } from '../../api/read.js';
import type { Person } from '../../api/types.js';
import { Field } from '../../components/field.js';
import { ErrorNotice, Loading } from '../../components/notice.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import { personName } from '../registration/saved-members.js';
import { PersonCard } from './person-card.js';
import * as api from '../../api/endpoints.js';
import { ExportDownload } from '../../components/export-download.js';

function Search() {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const [q, setQ] = useState('');
  const [results, setResults] = useState<Person[]>();
  const [error, setError] = useState<unknown>();
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const byTag = parseTag(q).ok;
    try {
      setResults(await read<Person[]>(api.urlOf(api.persons.searchPersons, { operationId: operation.id }, byTag ? { tag: q } : { q })));
    } catch (err) {
      setError(err);
    }
  }
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
      <ErrorNotice error={error} />
      {results?.length === 0 && <p>{t('persons.none')}</p>}
      <ul className="results" data-testid="person-results">
        {results?.map((p) => (
          <li key={p.id}>
            <Link to={encodeURIComponent(p.id)}>{personName(p, i18n.language)}</Link> {p.tag && <span className="tag">{p.tag}</span>}
          </li>
        ))}
      </ul>
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
        <Link to="..">← {t('persons.back')}</Link>
      </p>
      <h1>{t('persons.record')}</h1>
      {person.loading && <Loading />}
      <ErrorNotice error={person.error} />
      {person.data && <PersonCard person={person.data} timeZone={operation.timeZone} />}
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
