/**
 * Import a list: choose the file (a CSV, an XLSX, or a Kobo / ODK Central export with its
 * repeat-group files), check it — the server suggests which column is which from the headers,
 * and names every bad row and column —, adjust the mapping (save it for the next file of the
 * same kind), download the report, then import: the valid rows are registered in the background
 * and the page shows the progress. Importing the same file again registers nothing twice.
 */
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as commands from '../../api/commands.js';
import * as api from '../../api/endpoints.js';
import { watch } from '../../api/read.js';
import type { Site } from '../../api/types.js';
import { Check, Field, SelectField } from '../../components/field.js';
import { ErrorNotice, Loading, Notice } from '../../components/notice.js';
import { isolate, useFormat, useLocalName } from '../../i18n/format.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import { importTargets, type ImportMapping, type ImportTarget } from '../../../domain/import/mapping.js';
import { textEncodings } from '../../../domain/import/decode.js';
import { issuesCsv } from '../../../domain/import/report.js';

/** The default site chosen on this device last time. */
const SITE_KEY = 'corridor.import.site';

type Preview = api.ResponseOf<typeof api.imports.previewImport>;
type Run = api.ResponseOf<typeof api.imports.getImport>;
type Saved = api.ResponseOf<typeof api.imports.listImportMappings>;

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([`\ufeff${text}`], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

export default function ImportPage() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  /** A problem of a row: the server's sentence in English; in Arabic the catalogue's words for its code. */
  const problem = (i: { code: string; message: string }) => {
    if (i18n.language === 'en') return i.message;
    const key = `errors.codes.${i.code.replace('.', '_')}`;
    const text = i18n.exists(key) ? t(key) : '';
    return text && !text.includes('{{') ? text : t('fieldMessages.invalid');
  };
  const { operation } = useOperation();
  const local = useLocalName();
  const onOp = { operationId: operation.id };
  const sites = useResource<Site[]>(api.urlOf(api.operations.listSites, onOp));
  const saved = useResource<Saved>(api.urlOf(api.imports.listImportMappings, onOp));
  const fileInput = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<{ name: string; contentBase64: string }[]>([]);
  // Chosen here, else the one chosen last time on this device, else the operation's only registration site.
  const [siteChoice, setSiteChoice] = useState<string>();
  const allSites = sites.data ?? [];
  const registrationSites = allSites.filter((x) => x.kind === 'origin' || x.kind === 'assembly_point');
  const remembered = localStorage.getItem(SITE_KEY);
  const site =
    siteChoice ??
    (allSites.some((x) => x.id === remembered) ? remembered! : registrationSites.length === 1 ? registrationSites[0]!.id : '');
  const chooseSite = (id: string) => {
    setSiteChoice(id);
    if (id) localStorage.setItem(SITE_KEY, id);
  };
  const [encoding, setEncoding] = useState('');
  const [mapping, setMapping] = useState<ImportMapping>();
  const [preview, setPreview] = useState<Preview>();
  const [allOrNothing, setAllOrNothing] = useState(false);
  const [mappingName, setMappingName] = useState('');
  const [run, setRun] = useState<Run>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();

  const body = (m: ImportMapping | undefined) => ({
    files,
    ...(m ? { mapping: m } : {}),
    ...(encoding ? { encoding: encoding as (typeof textEncodings)[number] } : {}),
    ...(site ? { defaultSite: site } : {}),
  });

  async function check(m: ImportMapping | undefined, e?: FormEvent) {
    e?.preventDefault();
    setBusy(true);
    setError(undefined);
    setRun(undefined);
    try {
      const p = await commands.previewImport(operation.id, body(m));
      setPreview(p);
      setMapping(p.mapping);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function chooseFiles(list: FileList | null) {
    setPreview(undefined);
    setMapping(undefined);
    setRun(undefined);
    setFiles(await Promise.all([...(list ?? [])].map(async (f) => ({ name: f.name, contentBase64: await base64Of(f) }))));
  }

  function setColumn(header: string, target: ImportTarget | '') {
    const columns = Object.fromEntries(Object.entries(mapping?.columns ?? {}).filter(([, c]) => c !== header));
    if (target) columns[target] = header;
    const next = { ...mapping, columns };
    setMapping(next);
    void check(next);
  }

  async function start() {
    setBusy(true);
    setError(undefined);
    try {
      let r = await commands.startImport(operation.id, { ...body(mapping), allOrNothing });
      setRun(r);
      while (r.status === 'running') {
        await new Promise((res) => setTimeout(res, 1000));
        // The progress poll follows the start, it is not use of the session itself (the start was).
        r = await watch<Run>(api.urlOf(api.imports.getImport, { ...onOp, importId: r.id }));
        setRun(r);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function saveMapping() {
    if (!mapping || !mappingName.trim()) return;
    try {
      await commands.saveImportMapping(operation.id, mappingName.trim(), mapping);
      setNotice(t('importDesk.mappingSaved', { name: isolate(mappingName.trim()) }));
      saved.reload();
    } catch (err) {
      setError(err);
    }
  }

  const headers = preview ? [...new Set(preview.tables.flatMap((x) => x.headers))] : [];
  const targetOf = (h: string) => (Object.entries(mapping?.columns ?? {}).find(([, c]) => c === h)?.[0] ?? '') as ImportTarget | '';
  const handled = run ? run.done + run.skipped + run.invalid : 0;

  if (sites.loading) return <Loading />;
  return (
    <div className="page import-desk">
      <h1>{t('importDesk.title')}</h1>
      <p className="muted">{t('importDesk.intro')}</p>
      <ErrorNotice error={error ?? sites.error} />
      {notice && <Notice kind="ok">{notice}</Notice>}
      <form className="card grid-form" onSubmit={(e) => void check(mapping, e)} data-testid="import-form">
        <div className="field">
          <label htmlFor="import-files">{t('importDesk.files')}</label>
          <input
            id="import-files"
            ref={fileInput}
            type="file"
            multiple
            accept=".csv,.txt,.xlsx"
            onChange={(e) => void chooseFiles(e.target.files)}
          />
        </div>
        <SelectField
          label={t('importDesk.defaultSite')}
          name="site"
          value={site}
          onChange={(e) => chooseSite(e.target.value)}
          hint={site ? undefined : t('importDesk.siteHint')}
          data-testid="import-site"
        >
          <option value="">{t('importDesk.siteFromFile')}</option>
          {allSites.map((s) => (
            <option key={s.id} value={s.id}>
              {local(s)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('importDesk.encoding')} name="encoding" value={encoding} onChange={(e) => setEncoding(e.target.value)}>
          <option value="">{t('importDesk.detect')}</option>
          {textEncodings.map((x) => (
            <option key={x} value={x}>
              {x}
            </option>
          ))}
        </SelectField>
        {(saved.data ?? []).length > 0 && (
          <SelectField
            label={t('importDesk.savedMapping')}
            name="saved"
            value=""
            onChange={(e) => {
              const m = saved.data?.find((x) => x.name === e.target.value)?.mapping;
              if (m) void check(m as ImportMapping);
            }}
          >
            <option value="">—</option>
            {(saved.data ?? []).map((m) => (
              <option key={m.name} value={m.name}>
                {m.name}
              </option>
            ))}
          </SelectField>
        )}
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy || files.length === 0}>
            {t('importDesk.check')}
          </button>
        </div>
      </form>

      {preview && (
        <section className="card" data-testid="import-preview">
          <h2>{t('importDesk.report')}</h2>
          <p data-testid="import-summary">
            {t('importDesk.summary', {
              households: preview.householdsInFile,
              rows: preview.rowsInFile,
              toRegister: preview.toRegister,
              people: preview.people,
              already: preview.alreadyImported,
              invalid: preview.invalidHouseholds,
            })}
          </p>
          {!site && !preview.mapping.columns.site && (
            <div className="notice notice-warn" role="alert" data-testid="import-no-site">
              {t('importDesk.noSite')}
            </div>
          )}
          <h3>{t('importDesk.mapping')}</h3>
          <table className="table">
            <thead>
              <tr>
                <th>{t('importDesk.column')}</th>
                <th>{t('importDesk.field')}</th>
              </tr>
            </thead>
            <tbody>
              {headers.map((h) => (
                <tr key={h}>
                  <td>
                    <bdi>{h}</bdi>
                  </td>
                  <td>
                    <select
                      aria-label={h}
                      value={targetOf(h)}
                      onChange={(e) => setColumn(h, e.target.value as ImportTarget | '')}
                      disabled={busy}
                    >
                      <option value="">—</option>
                      {importTargets.map((x) => (
                        <option key={x} value={x}>
                          {t(`importDesk.targets.${x}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions">
            <Field
              label={t('importDesk.saveAs')}
              name="mapping-name"
              value={mappingName}
              onChange={(e) => setMappingName(e.target.value)}
            />
            <button type="button" className="button" onClick={() => void saveMapping()} disabled={!mappingName.trim()}>
              {t('importDesk.saveMapping')}
            </button>
          </div>
          {preview.issuesTotal > 0 && (
            <>
              <h3>{t('importDesk.problems', { count: preview.issuesTotal })}</h3>
              <table className="table" data-testid="import-issues">
                <thead>
                  <tr>
                    <th>{t('importDesk.where')}</th>
                    <th>{t('importDesk.column')}</th>
                    <th>{t('importDesk.problem')}</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.issues.slice(0, 200).map((i, n) => (
                    <tr key={n}>
                      <td>
                        <bdi>{i.table}</bdi> · {fmt.number(i.line)}
                      </td>
                      <td>
                        <bdi>{i.column ?? '—'}</bdi>
                      </td>
                      <td>
                        <code>{i.code}</code> {problem(i)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <button type="button" className="button" onClick={() => download('import-report.csv', issuesCsv(preview.issues))}>
                {t('importDesk.downloadReport')}
              </button>
            </>
          )}
          <div className="actions">
            <Check label={t('importDesk.allOrNothing')} checked={allOrNothing} onChange={(e) => setAllOrNothing(e.target.checked)} />
            <button type="button" className="button primary" disabled={busy || preview.toRegister === 0} onClick={() => void start()}>
              {t('importDesk.import', { count: preview.toRegister })}
            </button>
          </div>
        </section>
      )}

      {run && (
        <section className="card" data-testid="import-progress" aria-live="polite">
          <progress max={run.total || 1} value={handled} />
          <p>
            {t(`importDesk.status.${run.status}`, {
              done: run.done,
              people: run.people,
              skipped: run.skipped,
              invalid: run.invalid,
              total: run.total,
            })}
          </p>
        </section>
      )}
    </div>
  );
}
