/**
 * Choose the operation to work in (the roles held in each are shown). A system administrator
 * also creates operations here and reaches the accounts page.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { operationInput, operationStatuses } from '../../domain/schemas/operations.js';
import * as commands from '../api/commands.js';
import { fieldMap, ApiError } from '../api/errors.js';
import type { Operation } from '../api/types.js';
import { Field, SelectField } from '../components/field.js';
import { ErrorNotice, Loading } from '../components/notice.js';
import { useFormat, useLocalName } from '../i18n/format.js';
import { useResource } from '../lib/use-resource.js';
import { zodFields } from '../lib/zod-fields.js';
import { useSession } from '../session/session.js';
import * as api from '../api/endpoints.js';

function CreateOperation({ onCreated }: { onCreated: (o: { id: string }) => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ code: '', nameEn: '', nameAr: '', timeZone: 'Asia/Damascus', status: 'active' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  async function submit(e: FormEvent) {
    e.preventDefault();
    const input = { ...form, nameAr: form.nameAr || undefined };
    const parsed = operationInput.safeParse(input);
    if (!parsed.success) return setErrors(zodFields(parsed.error));
    setErrors({});
    try {
      onCreated(await commands.createOperation(parsed.data));
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setErrors(fieldMap(err.fields));
    }
  }
  return (
    <form className="card grid-form" onSubmit={submit} aria-labelledby="new-op">
      <h2 id="new-op">{t('operations.create')}</h2>
      <Field label={t('operations.code')} dir="ltr" value={form.code} onChange={set('code')} error={errors.code} required />
      <Field label={t('operations.nameEn')} dir="ltr" value={form.nameEn} onChange={set('nameEn')} error={errors.nameEn} required />
      <Field label={t('operations.nameAr')} dir="rtl" lang="ar" value={form.nameAr} onChange={set('nameAr')} error={errors.nameAr} />
      <Field label={t('operations.timeZone')} dir="ltr" value={form.timeZone} onChange={set('timeZone')} error={errors.timeZone} />
      <SelectField label={t('operations.status')} value={form.status} onChange={set('status')}>
        {operationStatuses.map((s) => (
          <option key={s} value={s}>
            {t(`statuses.${s}`)}
          </option>
        ))}
      </SelectField>
      <ErrorNotice error={error} />
      <div className="actions">
        <button className="button primary" type="submit">
          {t('app.save')}
        </button>
      </div>
    </form>
  );
}

export default function Operations() {
  const { t } = useTranslation();
  const { me } = useSession();
  const local = useLocalName();
  const fmt = useFormat();
  const navigate = useNavigate();
  const ops = useResource<Operation[]>(api.urlOf(api.operations.listOperations));
  return (
    <div className="page">
      <h1>{t('operations.title')}</h1>
      {ops.loading && <Loading />}
      <ErrorNotice error={ops.error} />
      {ops.data?.length === 0 && <p>{t('operations.empty')}</p>}
      <ul className="cards" data-testid="operation-list">
        {ops.data?.map((o) => (
          <li key={o.id} className="card">
            <h2>
              <Link to={`/op/${encodeURIComponent(o.id)}`}>{local(o)}</Link>
            </h2>
            <p className="muted">
              <bdi>{o.code}</bdi> · {t(`statuses.${o.status}`, { defaultValue: o.status })}
            </p>
            <p>
              {t('operations.yourRoles')}: {o.roles.length ? fmt.list(o.roles.map((r) => t(`roles.${r}`))) : t('app.none')}
            </p>
          </li>
        ))}
      </ul>
      {me?.isAdmin && (
        <>
          <p>
            <Link className="button" to="/admin/users">
              {t('desks.users')}
            </Link>
          </p>
          <CreateOperation onCreated={(o) => navigate(`/op/${encodeURIComponent(o.id)}`)} />
        </>
      )}
    </div>
  );
}
