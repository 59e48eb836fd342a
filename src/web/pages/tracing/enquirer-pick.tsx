/**
 * The person asking, when they are registered in the operation: found by tag or name (the
 * search is audited like any other) and picked, so the request names them and they are never
 * proposed as the person they look for. Otherwise the desk types their name as free text.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseTag } from '../../../domain/tags.js';
import { read } from '../../api/read.js';
import type { PersonFound } from '../../api/types.js';
import { Field } from '../../components/field.js';
import { ErrorNotice } from '../../components/notice.js';
import { shortName } from '../../lib/names.js';
import { useOperation } from '../../session/operation.js';
import * as api from '../../api/endpoints.js';

export interface PickedEnquirer {
  id: string;
  name: string;
}

export function EnquirerPick({ picked, onPick }: { picked: PickedEnquirer | null; onPick: (p: PickedEnquirer | null) => void }) {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<PersonFound[]>();
  const [error, setError] = useState<unknown>();
  async function find() {
    if (!q.trim()) return;
    setError(undefined);
    const tag = parseTag(q);
    try {
      setFound(
        await read<PersonFound[]>(
          api.urlOf(api.persons.searchPersons, { operationId: operation.id }, tag.ok ? { tag: q.trim() } : { q: q.trim(), limit: 8 }),
        ),
      );
    } catch (err) {
      setError(err);
    }
  }
  if (picked)
    return (
      <p className="wide" data-testid="enquirer-picked">
        <strong>{t('tracing.enquirerPicked', { name: `\u2068${picked.name}\u2069` })}</strong>{' '}
        <button type="button" className="button small" onClick={() => onPick(null)}>
          {t('tracing.enquirerClear')}
        </button>
      </p>
    );
  return (
    <div className="wide" data-testid="enquirer-find">
      <div className="search-row">
        <Field
          label={t('tracing.enquirerFind')}
          value={q}
          autoComplete="off"
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void find();
            }
          }}
        />
        <button type="button" className="button" onClick={() => void find()} data-testid="enquirer-search">
          {t('tracing.enquirerSearch')}
        </button>
      </div>
      <ErrorNotice error={error} />
      {found?.length === 0 && <p className="muted">{t('tracing.enquirerNone')}</p>}
      <ul className="results">
        {(found ?? []).map((p) => {
          const name = shortName(p, i18n.language);
          return (
            <li key={p.id}>
              <button type="button" className="button small" data-testid="enquirer-choice" onClick={() => onPick({ id: p.id, name })}>
                {t('tracing.enquirerPick', { name: `\u2068${name}\u2069` })}
              </button>{' '}
              {p.tag && <span className="tag">{p.tag}</span>}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
