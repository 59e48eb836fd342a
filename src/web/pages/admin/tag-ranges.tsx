/**
 * Wristband ranges: allocate the next block of tags to a site (or device), list the blocks, and
 * print a range as a wristband sheet (PDF with QR codes, made in the browser; the PDF code is
 * loaded only when asked for).
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ungroupedWholeNumber } from '../../../domain/digits.js';
import { tagRangeInput } from '../../../domain/schemas/operations.js';
import * as commands from '../../api/commands.js';
import { ApiError, fieldMap } from '../../api/errors.js';
import type { Site, TagRange } from '../../api/types.js';
import { Field, SelectField } from '../../components/field.js';
import { ErrorNotice, Loading, Notice } from '../../components/notice.js';
import { useFormat, useLocalName } from '../../i18n/format.js';
import { useResource } from '../../lib/use-resource.js';
import { zodFields } from '../../lib/zod-fields.js';
import { useOperation } from '../../session/operation.js';
import * as api from '../../api/endpoints.js';

const SHEET_MAX = 2000;

export default function TagRanges() {
  const { t } = useTranslation();
  const { operation, can } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const local = useLocalName();
  const onOp = { operationId: operation.id };
  const ranges = useResource<TagRange[]>(api.urlOf(api.operations.listTagRanges, onOp));
  const sites = useResource<Site[]>(api.urlOf(api.operations.listSites, onOp));
  const [form, setForm] = useState({ count: '100', siteId: '', label: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [making, setMaking] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const parsed = tagRangeInput.safeParse({
      count: Number(ungroupedWholeNumber(form.count)),
      ...(form.siteId ? { siteId: form.siteId } : {}),
      ...(form.label ? { label: form.label } : {}),
    });
    if (!parsed.success) return setErrors(zodFields(parsed.error));
    setErrors({});
    try {
      await commands.allocateTagRange(operation.id, parsed.data);
      ranges.reload();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setErrors(fieldMap(err.fields));
    }
  }

  async function sheet(r: TagRange) {
    setMaking(r.id);
    try {
      const { wristbandSheet, download } = await import('./wristband-pdf.js');
      const bytes = await wristbandSheet({ firstSerial: r.firstSerial, lastSerial: r.lastSerial, operationCode: operation.code });
      download(bytes, `wristbands-${operation.code}-${r.firstTag}-${r.lastTag}.pdf`, 'application/pdf');
    } catch (err) {
      setError(err);
    } finally {
      setMaking(null);
    }
  }

  const siteName = (id: string | null) => (id ? local(sites.data?.find((s) => s.id === id) ?? { nameEn: id }) : '—');
  return (
    <div className="page">
      <h1>{t('admin.tagRanges')}</h1>
      {ranges.loading && <Loading />}
      <ErrorNotice error={ranges.error ?? error} />
      {making && <Notice>{t('admin.making')}</Notice>}
      {ranges.data && (
        <table className="table" data-testid="ranges-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.from')}</th>
              <th scope="col">{t('admin.to')}</th>
              <th scope="col">{t('admin.count')}</th>
              <th scope="col">{t('admin.site')}</th>
              <th scope="col">{t('admin.label')}</th>
              <th scope="col">{t('admin.allocated')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('admin.sheet')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {ranges.data.map((r) => (
              <tr key={r.id}>
                <td>
                  <span className="tag">{r.firstTag}</span>
                </td>
                <td>
                  <span className="tag">{r.lastTag}</span>
                </td>
                <td>{fmt.number(r.count)}</td>
                <td>{siteName(r.siteId)}</td>
                <td>
                  <bdi>{r.label ?? ''}</bdi>
                </td>
                <td>{fmt.dateTime(r.allocatedAt)}</td>
                <td>
                  {r.count <= SHEET_MAX ? (
                    <button
                      type="button"
                      className="button"
                      disabled={!!making}
                      onClick={() => void sheet(r)}
                      aria-label={`${t('admin.sheet')}: ${r.firstTag} – ${r.lastTag}`}
                    >
                      {t('admin.sheet')}
                    </button>
                  ) : (
                    <span className="hint">{t('admin.sheetMax', { n: fmt.number(SHEET_MAX), count: SHEET_MAX })}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {can('operation.manage') && (
        <form className="card grid-form" onSubmit={submit} aria-labelledby="new-range">
          <h2 id="new-range">{t('admin.allocate')}</h2>
          <Field
            label={t('admin.count')}
            dir="ltr"
            inputMode="numeric"
            value={form.count}
            onChange={(e) => setForm({ ...form, count: e.target.value })}
            error={errors.count}
            required
          />
          <SelectField
            label={t('admin.site')}
            value={form.siteId}
            onChange={(e) => setForm({ ...form, siteId: e.target.value })}
            error={errors.siteId}
          >
            <option value="">{t('admin.anySite')}</option>
            {sites.data?.map((s) => (
              <option key={s.id} value={s.id}>
                {local(s)}
              </option>
            ))}
          </SelectField>
          <Field
            label={t('admin.label')}
            value={form.label}
            onChange={(e) => setForm({ ...form, label: e.target.value })}
            error={errors.label}
          />
          <div className="actions">
            <button className="button primary" type="submit">
              {t('admin.allocate')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
