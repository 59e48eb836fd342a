/**
 * Tracing desk: requests from families looking for someone, a new request (who asks, how to
 * reach them, whatever is known of the person sought), and a request's ranked candidates with
 * the matcher's explanation — only people who consented to be traced are ever proposed. An
 * outcome "found" respects disclosure consent: without it the case reads "found, does not wish
 * contact" and the enquirer is told nothing of where the person is. Protection alerts for
 * children who arrived alone are acted on here too (components/protection-alerts.tsx).
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { sexes } from '../../../domain/schemas/persons.js';
import { tracingRequestInput } from '../../../domain/schemas/tracing.js';
import * as commands from '../../api/commands.js';
import { ApiError, fieldMap } from '../../api/errors.js';
import type { Site, TracingDetail, TracingSummary } from '../../api/types.js';
import { Field, SelectField } from '../../components/field.js';
import { MatchExplanation } from '../../components/match-explanation.js';
import { ProtectionAlerts } from '../../components/protection-alerts.js';
import { ErrorNotice, Loading, Notice } from '../../components/notice.js';
import { useFormat } from '../../i18n/format.js';
import { shortName, siteMap, siteName } from '../../lib/names.js';
import { useResource } from '../../lib/use-resource.js';
import { zodFields } from '../../lib/zod-fields.js';
import { useOperation } from '../../session/operation.js';
import * as api from '../../api/endpoints.js';

const relations = ['parent', 'child', 'spouse', 'sibling', 'grandparent', 'grandchild', 'other_relative', 'friend', 'other'] as const;
const blank = {
  enquirer: '',
  phone: '',
  relation: 'parent',
  arGiven: '',
  arFather: '',
  arFamily: '',
  latGiven: '',
  latFather: '',
  latFamily: '',
  sex: '',
  ageMin: '',
  ageMax: '',
  lastSeenPlace: '',
  notes: '',
};
const soughtName = (s: TracingSummary['sought'], lang: string) => shortName({ names: s.names }, lang);

export default function Tracing() {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const onOp = { operationId: operation.id };
  const [params, setParams] = useSearchParams();
  const open = params.get('request');
  const list = useResource<TracingSummary[]>(api.urlOf(api.matching.listTracing, onOp));
  const sites = useResource<Site[]>(api.urlOf(api.operations.listSites, onOp));
  const [form, setForm] = useState(blank);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const set = (k: keyof typeof blank) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const part = (given: string, father: string, family: string) => {
      const o = Object.fromEntries(
        Object.entries({ given, father, family })
          .filter(([, v]) => v.trim())
          .map(([k, v]) => [k, v.trim()]),
      );
      return Object.keys(o).length ? o : undefined;
    };
    const ar = part(form.arGiven, form.arFather, form.arFamily);
    const lat = part(form.latGiven, form.latFather, form.latFamily);
    const input = {
      enquirer: { name: form.enquirer.trim(), ...(form.phone.trim() ? { phone: form.phone.trim() } : {}) },
      relation: form.relation,
      sought: {
        names: { ...(ar ? { ar } : {}), ...(lat ? { lat } : {}) },
        ...(form.sex ? { sex: form.sex } : {}),
        ...(form.ageMin ? { ageMin: Number(form.ageMin) } : {}),
        ...(form.ageMax ? { ageMax: Number(form.ageMax) } : {}),
        ...(form.lastSeenPlace.trim() ? { lastSeenPlace: form.lastSeenPlace.trim() } : {}),
        ...(form.notes.trim() ? { notes: form.notes.trim() } : {}),
      },
    };
    const parsed = tracingRequestInput.safeParse(input);
    if (!parsed.success) return setErrors(zodFields(parsed.error));
    if (!ar && !lat) return setErrors({ 'sought.names': t('registration.needName') });
    setErrors({});
    try {
      const r = await commands.openTracingRequest(operation.id, parsed.data);
      setForm(blank);
      list.reload();
      setParams({ request: r.id });
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setErrors(fieldMap(err.fields));
    }
  }

  return (
    <div className="page tracing">
      <h1>{t('tracing.title')}</h1>
      <ErrorNotice error={list.error} />
      {list.loading && <Loading />}
      {list.data && (
        <table className="table" data-testid="tracing-requests">
          <thead>
            <tr>
              <th scope="col">{t('tracing.sought')}</th>
              <th scope="col">{t('tracing.enquirer')}</th>
              <th scope="col">{t('tracing.status')}</th>
              <th scope="col">{t('tracing.candidates')}</th>
              <th scope="col">{t('tracing.opened')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  {t('tracing.none')}
                </td>
              </tr>
            )}
            {list.data.map((r) => (
              <tr key={r.id} className={open === r.id ? 'selected' : ''}>
                <td>
                  <button type="button" className="button ghost" onClick={() => setParams({ request: r.id })}>
                    {soughtName(r.sought, i18n.language)}
                  </button>
                </td>
                <td>
                  {r.enquirer.name} <span className="muted">({t(`tracing.relations.${r.relation}`)})</span>
                </td>
                <td>
                  <span className="pill">{t(`tracing.statuses.${r.status}`)}</span>
                </td>
                <td>{fmt.number(r.candidates)}</td>
                <td>{fmt.dateTime(r.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && <RequestView key={open} id={open} onChanged={list.reload} />}
      <form className="card grid-form" onSubmit={submit} aria-labelledby="new-request" data-testid="new-tracing">
        <h2 id="new-request">{t('tracing.newRequest')}</h2>
        <Field
          label={t('tracing.enquirerName')}
          value={form.enquirer}
          onChange={set('enquirer')}
          error={errors['enquirer.name']}
          required
        />
        <Field
          label={t('tracing.phone')}
          dir="ltr"
          inputMode="tel"
          value={form.phone}
          onChange={set('phone')}
          error={errors['enquirer.phone']}
        />
        <SelectField label={t('tracing.relation')} value={form.relation} onChange={set('relation')}>
          {relations.map((r) => (
            <option key={r} value={r}>
              {t(`tracing.relations.${r}`)}
            </option>
          ))}
        </SelectField>
        <fieldset className="wide" dir="rtl" lang="ar">
          <legend>{t('names.arabic')}</legend>
          <div className="grid-form">
            <Field label={t('names.given')} value={form.arGiven} onChange={set('arGiven')} error={errors['sought.names']} />
            <Field label={t('names.father')} value={form.arFather} onChange={set('arFather')} />
            <Field label={t('names.family')} value={form.arFamily} onChange={set('arFamily')} />
          </div>
        </fieldset>
        <fieldset className="wide" dir="ltr" lang="en">
          <legend>{t('names.latin')}</legend>
          <div className="grid-form">
            <Field label={t('names.given')} value={form.latGiven} onChange={set('latGiven')} />
            <Field label={t('names.father')} value={form.latFather} onChange={set('latFather')} />
            <Field label={t('names.family')} value={form.latFamily} onChange={set('latFamily')} />
          </div>
        </fieldset>
        <SelectField label={t('registration.sex')} value={form.sex} onChange={set('sex')}>
          <option value="">—</option>
          {sexes.map((s) => (
            <option key={s} value={s}>
              {t(`sex.${s}`)}
            </option>
          ))}
        </SelectField>
        <Field
          label={t('tracing.ageMin')}
          dir="ltr"
          inputMode="numeric"
          value={form.ageMin}
          onChange={(e) => setForm({ ...form, ageMin: e.target.value.replace(/\D/g, '') })}
          error={errors['sought.ageMin']}
        />
        <Field
          label={t('tracing.ageMax')}
          dir="ltr"
          inputMode="numeric"
          value={form.ageMax}
          onChange={(e) => setForm({ ...form, ageMax: e.target.value.replace(/\D/g, '') })}
          error={errors['sought.ageMax']}
        />
        <Field label={t('tracing.lastSeen')} value={form.lastSeenPlace} onChange={set('lastSeenPlace')} />
        <Field label={t('convoys.note')} value={form.notes} onChange={set('notes')} />
        <ErrorNotice error={error} />
        <div className="actions">
          <button type="submit" className="button primary" data-testid="open-tracing">
            {t('tracing.open')}
          </button>
        </div>
      </form>
      <ProtectionAlerts sites={siteMap(sites.data)} />
    </div>
  );
}

function RequestView({ id, onChanged }: { id: string; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const onOp = { operationId: operation.id };
  const req = useResource<TracingDetail>(api.urlOf(api.matching.getTracing, { ...onOp, requestId: id }));
  const sites = useResource<Site[]>(api.urlOf(api.operations.listSites, onOp));
  const bySite = siteMap(sites.data);
  const [detail, setDetail] = useState<TracingDetail>();
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>();
  const r = detail ?? req.data;

  async function outcome(o: 'found' | 'reunited' | 'not_found' | 'consent_refused' | 'closed', personId?: string) {
    setError(undefined);
    try {
      setDetail(
        await commands.recordTracingOutcome(operation.id, id, {
          outcome: o,
          ...(personId ? { personId } : {}),
          ...(note.trim() ? { note: note.trim() } : {}),
        }),
      );
      setNote('');
      onChanged();
    } catch (err) {
      setError(err);
    }
  }
  async function rematch() {
    setError(undefined);
    try {
      setDetail(await commands.rematchTracing(operation.id, id));
      onChanged();
    } catch (err) {
      setError(err);
    }
  }

  if (!r) return req.error ? <ErrorNotice error={req.error} /> : <Loading />;
  const closed = !['open'].includes(r.status);
  return (
    <section className="card" aria-labelledby="req-title" data-testid="tracing-request">
      <h2 id="req-title">
        {t('tracing.looking', { name: soughtName(r.sought, i18n.language) })}{' '}
        <span className="pill" data-testid="tracing-status">
          {t(`tracing.statuses.${r.status}`)}
        </span>
      </h2>
      <p className="muted">
        {t('tracing.askedBy', { name: r.enquirer.name, relation: t(`tracing.relations.${r.relation}`) })}
        {r.enquirer.phone && (
          <>
            {' '}
            · <bdi dir="ltr">{r.enquirer.phone}</bdi>
          </>
        )}
        {(r.sought.ageMin !== undefined || r.sought.ageMax !== undefined) && (
          <> · {t('tracing.ageRange', { min: r.sought.ageMin ?? '?', max: r.sought.ageMax ?? '?' })}</>
        )}
        {r.sought.lastSeenPlace && (
          <>
            {' '}
            · {t('tracing.lastSeen')}: {r.sought.lastSeenPlace}
          </>
        )}
      </p>
      {r.disclosure && (
        <Notice kind={r.disclosure.allowed ? 'ok' : 'warn'}>
          {r.disclosure.allowed
            ? t('tracing.mayDisclose', { site: siteName(bySite, r.disclosure.siteId, i18n.language) })
            : t('tracing.noContact')}
        </Notice>
      )}
      <ErrorNotice error={error} />
      <h3>{t('tracing.ranked')}</h3>
      {r.candidates.length === 0 && <p className="muted">{t('tracing.noCandidates')}</p>}
      <ol className="results candidates">
        {r.candidates.map((c) => (
          <li key={c.personId} data-testid="tracing-candidate">
            <strong>{shortName(c.person, i18n.language)}</strong> {c.person.tag && <span className="tag">{c.person.tag}</span>}
            <span className="muted">
              {' '}
              · {t(`sex.${c.person.sex}`)} · <bdi>{c.person.ageBand}</bdi>
              {c.lastCheckIn && (
                <>
                  {' '}
                  ·{' '}
                  {t('tracing.checkedInAt', {
                    site: siteName(bySite, c.lastCheckIn.siteId, i18n.language),
                    at: fmt.dateTime(c.lastCheckIn.at),
                  })}
                </>
              )}
            </span>
            <MatchExplanation match={c} />
            {!closed && (
              <button type="button" className="button primary" onClick={() => void outcome('found', c.personId)} data-testid="found-this">
                {t('tracing.foundThis')}
              </button>
            )}
          </li>
        ))}
      </ol>
      <Field label={t('tracing.outcomeNote')} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      <div className="actions">
        <button type="button" className="button" onClick={() => void rematch()}>
          {t('tracing.rematch')}
        </button>
        {r.status === 'found' && (
          <button type="button" className="button primary" onClick={() => void outcome('reunited')} data-testid="reunited">
            {t('tracing.outcomes.reunited')}
          </button>
        )}
        {!closed && (
          <button type="button" className="button" onClick={() => void outcome('not_found')}>
            {t('tracing.outcomes.not_found')}
          </button>
        )}
        {!closed && (
          <button type="button" className="button" onClick={() => void outcome('consent_refused')}>
            {t('tracing.outcomes.consent_refused')}
          </button>
        )}
        {r.status !== 'closed' && (
          <button type="button" className="button ghost" onClick={() => void outcome('closed')}>
            {t('tracing.outcomes.closed')}
          </button>
        )}
      </div>
      {r.events.length > 0 && (
        <>
          <h3>{t('tracing.history')}</h3>
          <ul className="results">
            {r.events.map((e) => (
              <li key={e.id}>
                {fmt.dateTime(e.at)} · {t(`tracing.statuses.${e.kind}`, { defaultValue: e.kind })}
                {e.note && <> · {e.note}</>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
