/** Sites of the operation (origin, assembly points, checkpoints, reception, camps): adding one, and changing one (its id stays). */
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ungroupedWholeNumber } from '../../../domain/digits.js';
import { siteInput, siteKinds, sitePatch } from '../../../domain/schemas/operations.js';
import * as commands from '../../api/commands.js';
import { ApiError, fieldMap } from '../../api/errors.js';
import type { Site } from '../../api/types.js';
import { Field, SelectField } from '../../components/field.js';
import { ErrorNotice, Loading, Notice } from '../../components/notice.js';
import { useFormat } from '../../i18n/format.js';
import { useResource } from '../../lib/use-resource.js';
import { zodFields } from '../../lib/zod-fields.js';
import { useOperation } from '../../session/operation.js';
import * as api from '../../api/endpoints.js';

const blank = { id: '', kind: 'assembly_point', nameEn: '', nameAr: '', lat: '', lon: '', capacity: '' };
const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
const numOrNull = (s: string) => (s.trim() === '' ? null : Number(s));
const text = (n: number | null) => (n === null ? '' : String(n));

export default function Sites() {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat();
  const sites = useResource<Site[]>(api.urlOf(api.operations.listSites, { operationId: operation.id }));
  const [form, setForm] = useState(blank);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  /** The site being changed; none: the form adds a new one. */
  const [editing, setEditing] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const formRef = useRef<HTMLFormElement>(null);
  const firstField = useRef<HTMLInputElement>(null);
  const set = (k: keyof typeof blank) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  function edit(site: Site) {
    setEditing(site.id);
    setSaved(undefined);
    setErrors({});
    setError(undefined);
    setForm({
      id: site.id,
      kind: site.kind,
      nameEn: site.nameEn,
      nameAr: site.nameAr ?? '',
      lat: text(site.lat),
      lon: text(site.lon),
      capacity: text(site.capacity),
    });
    // The form is below the table: bring it to the user, with the first field to change in focus.
    requestAnimationFrame(() => {
      formRef.current?.scrollIntoView({ block: 'start' });
      firstField.current?.focus();
    });
  }

  function stopEditing() {
    setEditing(undefined);
    setForm(blank);
    setErrors({});
    setError(undefined);
  }

  async function send(): Promise<string | undefined> {
    if (editing) {
      const parsed = sitePatch.safeParse({
        kind: form.kind,
        nameEn: form.nameEn,
        nameAr: form.nameAr.trim() ? form.nameAr : null,
        lat: numOrNull(form.lat),
        lon: numOrNull(form.lon),
        capacity: numOrNull(ungroupedWholeNumber(form.capacity)),
      });
      if (!parsed.success) return void setErrors(zodFields(parsed.error));
      setErrors({});
      await commands.updateSite(operation.id, editing, parsed.data);
      return editing;
    }
    const input = {
      id: form.id,
      kind: form.kind,
      nameEn: form.nameEn,
      nameAr: form.nameAr || undefined,
      lat: num(form.lat),
      lon: num(form.lon),
      capacity: num(ungroupedWholeNumber(form.capacity)),
    };
    const parsed = siteInput.safeParse(input);
    if (!parsed.success) return void setErrors(zodFields(parsed.error));
    setErrors({});
    await commands.createSite(operation.id, parsed.data);
    return parsed.data.id;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setSaved(undefined);
    try {
      const id = await send();
      if (id === undefined) return;
      setEditing(undefined);
      setForm(blank);
      setSaved(id);
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
              <th scope="col">
                <span className="visually-hidden">{t('admin.siteActions')}</span>
              </th>
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
                <td>
                  <button
                    type="button"
                    className="button small"
                    onClick={() => edit(s)}
                    aria-label={t('admin.editSiteNamed', { site: i18n.language === 'ar' && s.nameAr ? s.nameAr : s.nameEn })}
                    data-testid={`edit-site-${s.id}`}
                  >
                    {t('admin.editSite')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {saved && <Notice kind="ok">{t('admin.siteSaved', { site: saved })}</Notice>}
      <form ref={formRef} className="card grid-form" onSubmit={submit} aria-labelledby="site-form-title" data-testid="site-form">
        <h2 id="site-form-title">{editing ? t('admin.editingSite', { site: editing }) : t('admin.newSite')}</h2>
        <Field
          ref={firstField}
          label={t('admin.siteId')}
          dir="ltr"
          value={form.id}
          onChange={set('id')}
          error={errors.id}
          required
          readOnly={!!editing}
          hint={editing ? t('admin.siteIdStays') : undefined}
        />
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
          <button className="button primary" type="submit" data-testid="site-save">
            {t('app.save')}
          </button>
          {editing && (
            <button className="button" type="button" onClick={stopEditing}>
              {t('app.cancel')}
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
