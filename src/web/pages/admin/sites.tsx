/** Sites of the operation (origin, assembly points, checkpoints, reception, camps), and adding one. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { siteInput, siteKinds } from '../../../domain/schemas/operations.js';
import * as commands from '../../api/commands.js';
import { ApiError, fieldMap } from '../../api/errors.js';
import type { Site } from '../../api/types.js';
import { Field, SelectField } from '../../components/field.js';
import { ErrorNotice, Loading } from '../../components/notice.js';
import { useFormat } from '../../i18n/format.js';
import { useResource } from '../../lib/use-resource.js';
import { zodFields } from '../../lib/zod-fields.js';
import { useOperation } from '../../session/operation.js';
import * as api from '../../api/endpoints.js';

const blank = { id: '', kind: 'assembly_point', nameEn: '', nameAr: '', lat: '', lon: '', capacity: '' };
const num = (s: string) => (s.trim() === '' ? undefined : Number(s));

export default function Sites() {
  const { t } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat();
  const sites = useResource<Site[]>(api.urlOf(api.operations.listSites, { operationId: operation.id }));
  const [form, setForm] = useState(blank);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const set = (k: keyof typeof blank) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const input = {
      id: form.id,
      kind: form.kind,
      nameEn: form.nameEn,
      nameAr: form.nameAr || undefined,
      lat: num(form.lat),
      lon: num(form.lon),
      capacity: num(form.capacity),
    };
    const parsed = siteInput.safeParse(input);
    if (!parsed.success) return setErrors(zodFields(parsed.error));
    setErrors({});
    try {
      await commands.createSite(operation.id, parsed.data);
      setForm(blank);
      sites.reload();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setErrors(fieldMap(err.fields));
    }
  }

  return (
    <div className="page">
      <h1>{t('admin.sites')}</h1>
      {sites.loading && <Loading />}
      <ErrorNotice error={sites.error} />
      {sites.data && (
        <table className="table" data-testid="sites-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.siteId')}</th>
              <th scope="col">{t('admin.kind')}</th>
              <th scope="col">{t('admin.nameEn')}</th>
              <th scope="col">{t('admin.nameAr')}</th>
              <th scope="col">{t('admin.capacity')}</th>
            </tr>
          </thead>
          <tbody>
            {sites.data.map((s) => (
              <tr key={s.id}>
                <td className="mono" dir="ltr">
                  {s.id}
                </td>
                <td>{t(`siteKinds.${s.kind}`)}</td>
                <td dir="ltr">{s.nameEn}</td>
                <td dir="rtl" lang="ar">
                  {s.nameAr}
                </td>
                <td>{s.capacity === null ? '—' : fmt.number(s.capacity)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="card grid-form" onSubmit={submit} aria-labelledby="new-site">
        <h2 id="new-site">{t('admin.newSite')}</h2>
        <Field label={t('admin.siteId')} dir="ltr" value={form.id} onChange={set('id')} error={errors.id} required />
        <SelectField label={t('admin.kind')} value={form.kind} onChange={set('kind')} error={errors.kind}>
          {siteKinds.map((k) => (
            <option key={k} value={k}>
              {t(`siteKinds.${k}`)}
            </option>
          ))}
        </SelectField>
        <Field label={t('admin.nameEn')} dir="ltr" value={form.nameEn} onChange={set('nameEn')} error={errors.nameEn} required />
        <Field label={t('admin.nameAr')} dir="rtl" lang="ar" value={form.nameAr} onChange={set('nameAr')} error={errors.nameAr} />
        <Field label={t('admin.lat')} dir="ltr" inputMode="decimal" value={form.lat} onChange={set('lat')} error={errors.lat} />
        <Field label={t('admin.lon')} dir="ltr" inputMode="decimal" value={form.lon} onChange={set('lon')} error={errors.lon} />
        <Field
          label={t('admin.capacity')}
          dir="ltr"
          inputMode="numeric"
          value={form.capacity}
          onChange={set('capacity')}
          error={errors.capacity}
        />
        <ErrorNotice error={error} />
        <div className="actions">
          <button className="button primary" type="submit">
            {t('app.save')}
          </button>
        </div>
      </form>
    </div>
  );
}
