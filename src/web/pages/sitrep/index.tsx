/**
 * The situation report desk (coordinators): produce the report (PDF or HTML, English or Arabic,
 * as of now or an earlier time) and download it; check a report file against the database; and
 * record other sources' figures, which the report sets beside Corridor's and explains.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as commands from '../../api/commands.js';
import * as api from '../../api/endpoints.js';
import { DateTimeField } from '../../components/date-time-field.js';
import { Field, SelectField } from '../../components/field.js';
import { ErrorNotice } from '../../components/notice.js';
import { ApiError, fieldMap } from '../../api/errors.js';
import { download } from '../../lib/download.js';
import { readWallTime } from '../../lib/wall-time.js';
import { zodFields } from '../../lib/zod-fields.js';
import { outsideSourceInput } from '../../../domain/sitrep/sources.js';
import { ungroupedWholeNumber } from '../../../domain/digits.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import { useFormat } from '../../i18n/format.js';

function bytesOf(base64: string): Uint8Array {
  const raw = atob(base64);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

type Sources = api.ResponseOf<typeof api.sitrep.listOutsideSources>;

export default function Sitrep() {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat(operation.timeZone);
  // The report in the language the coordinator reads the desk in, unless they choose the other.
  const [lang, setLang] = useState<'en' | 'ar'>(i18n.language === 'ar' ? 'ar' : 'en');
  const [format, setFormat] = useState<'pdf' | 'html'>('pdf');
  const [asOf, setAsOf] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [asOfChecked, setAsOfChecked] = useState(false);
  const [made, setMade] = useState<{ digest: string; left: number; asOf: string } | null>(null);
  const [verdict, setVerdict] = useState<{ ok: boolean; problems: string[] } | null>(null);
  const sources = useResource<Sources>(api.urlOf(api.sitrep.listOutsideSources, { operationId: operation.id }));
  const [src, setSrc] = useState({ source: '', at: '', figure: '', claims: 'left', qualifier: 'about' });
  const [srcChecked, setSrcChecked] = useState(false);
  const [srcErrors, setSrcErrors] = useState<Record<string, string>>({});

  async function produce(e: FormEvent) {
    e.preventDefault();
    // Wall-clock time in the operation's zone, whatever zone this computer is set to; empty is now.
    const at = readWallTime(asOf, operation.timeZone);
    if (at.problem) return setAsOfChecked(true);
    setBusy(true);
    setError(null);
    try {
      const r = await commands.produceSitrep(operation.id, { lang, format, ...(at.iso ? { asOf: at.iso } : {}) });
      download(bytesOf(r.contentBase64), r.fileName, r.mediaType);
      setMade({ digest: r.digest, left: r.totals.left ?? 0, asOf: r.asOf });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function check(file: File | undefined) {
    if (!file) return;
    setError(null);
    setVerdict(null);
    try {
      const r = await commands.verifySitrep(operation.id, await base64Of(file));
      setVerdict({ ok: r.ok, problems: r.problems });
    } catch (err) {
      setError(err);
    }
  }

  async function record(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const at = readWallTime(src.at, operation.timeZone, true);
    setSrcChecked(true);
    // The shared schema first, so a figure left empty is asked for (it used to be sent as 0).
    const parsed = outsideSourceInput.safeParse({
      source: src.source,
      at: at.iso ?? '',
      ...(src.figure.trim() ? { figure: Number(ungroupedWholeNumber(src.figure)) } : {}),
      qualifier: src.qualifier,
      claims: src.claims,
    });
    const errors = parsed.success ? {} : zodFields(parsed.error);
    // The time's own words (required, not a date and time) come from its field.
    delete errors.at;
    setSrcErrors(errors);
    if (!parsed.success || !at.iso) return;
    try {
      await commands.recordOutsideSource(operation.id, parsed.data);
      setSrcChecked(false);
      setSrc({ ...src, source: '', figure: '' });
      sources.reload();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setSrcErrors(fieldMap(err.fields));
    }
  }

  return (
    <section className="page sitrep" data-testid="sitrep">
      <h1>{t('sitrep.title')}</h1>
      <p>{t('sitrep.intro')}</p>
      {error ? <ErrorNotice error={error} /> : null}
      <form className="card" onSubmit={(e) => void produce(e)}>
        <SelectField label={t('sitrep.lang')} value={lang} onChange={(e) => setLang(e.target.value as 'en' | 'ar')}>
          <option value="en">English</option>
          <option value="ar">العربية</option>
        </SelectField>
        <SelectField label={t('sitrep.format')} value={format} onChange={(e) => setFormat(e.target.value as 'pdf' | 'html')}>
          <option value="pdf">PDF</option>
          <option value="html">HTML</option>
        </SelectField>
        <DateTimeField
          label={t('sitrep.asOf')}
          hint={t('sitrep.asOfHint')}
          timeZone={operation.timeZone}
          value={asOf}
          onChange={setAsOf}
          checked={asOfChecked}
          data-testid="sitrep-as-of"
        />
        <button type="submit" className="button" disabled={busy}>
          {t('sitrep.produce')}
        </button>
        {made && (
          // The digest is 64 characters with no space: it breaks anywhere rather than widen a phone's page.
          <p role="status" data-testid="sitrep-made" className="breaks-anywhere">
            {t('sitrep.made', { at: fmt.dateTime(made.asOf), left: fmt.number(made.left), digest: made.digest })}
          </p>
        )}
      </form>
      <div className="card">
        <h3>{t('sitrep.verifyTitle')}</h3>
        <Field label={t('sitrep.verifyFile')} type="file" accept=".pdf,.html" onChange={(e) => void check(e.target.files?.[0])} />
        {verdict && (
          <p role="status" data-testid="sitrep-verdict">
            {verdict.ok ? t('sitrep.verified') : t('sitrep.notVerified', { problems: verdict.problems.join(t('app.joiner')) })}
          </p>
        )}
      </div>
      <div className="card">
        <h3>{t('sitrep.sourcesTitle')}</h3>
        <ul>
          {(sources.data ?? []).map((s) => (
            <li key={s.id}>
              {/* In the interface's language and digits; the source's name as it was typed. */}
              <bdi>{s.source}</bdi> — {fmt.dateTime(s.at)} — {s.qualifier === 'exactly' ? '' : `${t(`sitrep.qualifiers.${s.qualifier}`)} `}
              {fmt.number(s.figure)} ({t(`sitrep.claimKinds.${s.claims}`)})
            </li>
          ))}
        </ul>
        <form onSubmit={(e) => void record(e)}>
          <Field
            label={t('sitrep.source')}
            value={src.source}
            onChange={(e) => setSrc({ ...src, source: e.target.value })}
            error={srcErrors.source}
          />
          <DateTimeField
            label={t('sitrep.sourceAt')}
            timeZone={operation.timeZone}
            required
            value={src.at}
            onChange={(at) => setSrc({ ...src, at })}
            checked={srcChecked}
            error={srcErrors.at}
            data-testid="source-at"
          />
          <Field
            label={t('sitrep.figure')}
            inputMode="numeric"
            dir="ltr"
            value={src.figure}
            onChange={(e) => setSrc({ ...src, figure: e.target.value })}
            error={srcErrors.figure}
          />
          <SelectField label={t('sitrep.qualifier')} value={src.qualifier} onChange={(e) => setSrc({ ...src, qualifier: e.target.value })}>
            {(['exactly', 'about', 'more_than', 'less_than'] as const).map((q) => (
              <option key={q} value={q}>
                {t(`sitrep.qualifiers.${q}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('sitrep.claims')} value={src.claims} onChange={(e) => setSrc({ ...src, claims: e.target.value })}>
            {(['left', 'arrived', 'in_transit', 'head_count_vehicles', 'registered'] as const).map((c) => (
              <option key={c} value={c}>
                {t(`sitrep.claimKinds.${c}`)}
              </option>
            ))}
          </SelectField>
          <button type="submit" className="button small">
            {t('sitrep.record')}
          </button>
        </form>
      </div>
    </section>
  );
}
