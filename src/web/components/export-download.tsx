/**
 * The download beside a list: asks in which format, why and for whom (the server writes all
 * three to the audit log with the file's digest), then hands the file over. Only the formats the
 * role may take are offered (a viewer gets count tables, never a list of people); nothing shows
 * when there are none.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { exportInput, exportPermissions, formatsOf, type ExportFormat, type ExportList } from '../../domain/schemas/exports.js';
import * as commands from '../api/commands.js';
import { ApiError, fieldMap } from '../api/errors.js';
import { download } from '../lib/download.js';
import { zodFields } from '../lib/zod-fields.js';
import { useOperation } from '../session/operation.js';
import { Field, SelectField } from './field.js';
import { ErrorNotice } from './notice.js';

function bytesOf(base64: string): Uint8Array {
  const raw = atob(base64);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

export function ExportDownload({ what, siteId, convoyId }: { what: ExportList; siteId?: string; convoyId?: string }) {
  const { t } = useTranslation();
  const { operation, can } = useOperation();
  const formats = formatsOf[what].filter((format) => exportPermissions({ what, format }).every(can));
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState<ExportFormat | undefined>(undefined);
  const [purpose, setPurpose] = useState('');
  const [recipient, setRecipient] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ rows: number; sha256: string } | null>(null);
  if (formats.length === 0) return null;
  const chosen = format && formats.includes(format) ? format : formats[0]!;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = exportInput.safeParse({
      what,
      format: chosen,
      ...(siteId ? { siteId } : {}),
      ...(convoyId && what !== 'counts' && chosen !== 'hxl' && chosen !== 'pfif' ? { convoyId } : {}),
      purpose,
      recipient,
    });
    if (!parsed.success) return setErrors(zodFields(parsed.error));
    setErrors({});
    setError(null);
    setBusy(true);
    try {
      const file = await commands.exportFile(operation.id, parsed.data);
      download(bytesOf(file.contentBase64), file.fileName, file.mediaType);
      setDone({ rows: file.rows, sha256: file.sha256 });
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setErrors(fieldMap(err.fields));
    } finally {
      setBusy(false);
    }
  }

  if (!open)
    return (
      <button type="button" className="button small" data-testid={`export-${what}`} onClick={() => setOpen(true)}>
        {t('exports.download')}
      </button>
    );
  return (
    <form className="card export-form" onSubmit={(e) => void submit(e)} data-testid={`export-form-${what}`}>
      <h3>{t('exports.title', { list: t(`exports.lists.${what}`) })}</h3>
      <SelectField
        label={t('exports.format')}
        value={chosen}
        onChange={(e) => setFormat(e.target.value as ExportFormat)}
        error={errors.format}
      >
        {formats.map((f) => (
          <option key={f} value={f}>
            {t(`exports.formats.${f}`)}
          </option>
        ))}
      </SelectField>
      <Field
        label={t('exports.purpose')}
        hint={t('exports.purposeHint')}
        value={purpose}
        onChange={(e) => setPurpose(e.target.value)}
        error={errors.purpose}
      />
      <Field label={t('exports.recipient')} value={recipient} onChange={(e) => setRecipient(e.target.value)} error={errors.recipient} />
      <ErrorNotice error={error} />
      {done && (
        <p className="muted" data-testid="export-done">
          {t('exports.done', { rows: done.rows, sha256: done.sha256.slice(0, 16), count: done.rows })}
        </p>
      )}
      <div className="actions">
        <button className="button primary" type="submit" disabled={busy} data-testid="export-submit">
          {busy ? t('exports.making') : t('exports.download')}
        </button>
        <button type="button" className="button" onClick={() => setOpen(false)}>
          {t('app.close')}
        </button>
      </div>
    </form>
  );
}
