/**
 * Tracing desk: first the protection alerts for children who arrived alone (acted on here,
 * components/protection-alerts.tsx); then the requests from families looking for someone, a page
 * at a time, searched by names and filtered by status and origin; a request's ranked candidates
 * (request-view.tsx: a "found" is confirmed before anything is disclosed); and a new request —
 * who asks (a registered person picked by tag or name, or a name typed), how to reach them,
 * whatever is known of the person sought. Only people who consented to be traced are proposed.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { sexes } from '../../../domain/schemas/persons.js';
import { tracingRequestInput, tracingStatuses } from '../../../domain/schemas/tracing.js';
import * as commands from '../../api/commands.js';
import { ApiError, fieldMap } from '../../api/errors.js';
import type { Site, TracingList } from '../../api/types.js';
import { Field, SelectField } from '../../components/field.js';
import { ProtectionAlerts } from '../../components/protection-alerts.js';
import { ErrorNotice, Loading } from '../../components/notice.js';
import { Pager } from '../../components/pager.js';
import { useFormat } from '../../i18n/format.js';
import { siteMap } from '../../lib/names.js';
import { useResource } from '../../lib/use-resource.js';
import { zodFields } from '../../lib/zod-fields.js';
import { useOperation } from '../../session/operation.js';
import * as api from '../../api/endpoints.js';
import { EnquirerPick, type PickedEnquirer } from './enquirer-pick.js';
import { RequestView, soughtName } from './request-view.js';
import { useTracingNews } from './use-tracing-news.js';

const relations = ['parent', 'child', 'spouse', 'sibling', 'grandparent', 'grandchild', 'other_relative', 'friend', 'other'] as const;
const blank = {
  enquirer: '',
  phone: '',
  // Chosen by the officer each time: a default would record a parent when nobody said so.
  relation: '',
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

const PAGE = 25;

export default function Tracing() {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const onOp = { operationId: operation.id };
  const [params, setParams] = useSearchParams();
  const open = params.get('request');
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState<{ q: string; status: string; origin: string; attention: boolean; offset: number }>({
    q: '',
    status: '',
    origin: '',
    attention: false,
    offset: 0,
  });
  const list = useResource<TracingList>(
    api.urlOf(api.matching.listTracing, onOp, {
      ...(filter.attention ? { attention: 'true' } : {}),
      q: filter.q,
      status: filter.status,
      origin: filter.origin,
      offset: filter.offset,
      limit: PAGE,
    }),
  );
  const sites = useResource<Site[]>(api.urlOf(api.operations.listSites, onOp));
  // Live news (a later registration, a check-in, a linked request, a request read at another desk): read again without a reload.
  const [openNews, setOpenNews] = useState(0);
  useTracingNews(
    operation.id,
    () => list.data?.needingAttention,
    (news) => {
      list.reload();
      if (open !== null && news.requests.includes(open)) setOpenNews((n) => n + 1);
    },
  );
  const [form, setForm] = useState(blank);
  const [enquirer, setEnquirer] = useState<PickedEnquirer | null>(null);
  const [registeredEnquirer, setRegisteredEnquirer] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const set = (k: keyof typeof blank) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const refilter = (change: Partial<typeof filter>) => setFilter((f) => ({ ...f, offset: 0, ...change }));

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
      enquirer: {
        name: enquirer ? enquirer.name : form.enquirer.trim(),
        ...(enquirer ? { personId: enquirer.id } : {}),
        ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
      },
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
      setEnquirer(null);
      setRegisteredEnquirer(false);
      list.reload();
      setParams({ request: r.id });
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setErrors(fieldMap(err.fields));
    }
  }

  const requests = list.data?.requests ?? [];
  return (
    <div className="page tracing">
      <h1>{t('tracing.title')}</h1>
      <ProtectionAlerts sites={siteMap(sites.data)} />
      <section className="card" aria-labelledby="requests-title">
        <h2 id="requests-title">{t('tracing.requests')}</h2>
        <form
          className="search-row"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            refilter({ q: q.trim() });
          }}
        >
          <Field
            label={t('tracing.search')}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            autoComplete="off"
            data-testid="tracing-search"
          />
          <button type="submit" className="button">
            {t('tracing.searchButton')}
          </button>
          <SelectField
            label={t('tracing.filterStatus')}
            value={filter.status}
            onChange={(e) => refilter({ status: e.target.value })}
            data-testid="tracing-filter-status"
          >
            <option value="">{t('tracing.all')}</option>
            {tracingStatuses.map((st) => (
              <option key={st} value={st}>
                {t(`tracing.statuses.${st}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('tracing.filterOrigin')} value={filter.origin} onChange={(e) => refilter({ origin: e.target.value })}>
            <option value="">{t('tracing.all')}</option>
            {(['enquiry', 'missing_in_transit'] as const).map((o) => (
              <option key={o} value={o}>
                {t(`tracing.origins.${o}`)}
              </option>
            ))}
          </SelectField>
        </form>
        <ErrorNotice error={list.error} />
        {list.data && (list.data.needingAttention > 0 || filter.attention) && (
          <div className="notice warn" role="status" data-testid="tracing-news">
            <p>{t('tracing.news', { count: list.data.needingAttention })}</p>
            <button
              type="button"
              className="button"
              onClick={() => refilter({ attention: !filter.attention })}
              data-testid="tracing-news-filter"
            >
              {filter.attention ? t('tracing.showAll') : t('tracing.showNews')}
            </button>
          </div>
        )}
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
              {requests.length === 0 && (
                <tr>
                  <td colSpan={5} className="muted">
                    {t('tracing.none')}
                  </td>
                </tr>
              )}
              {requests.map((r) => (
                <tr key={r.id} className={open === r.id ? 'selected' : ''} data-testid="tracing-row">
                  <td>
                    <button type="button" className="button ghost" onClick={() => setParams({ request: r.id })}>
                      <bdi>{soughtName(r.sought, i18n.language)}</bdi>
                    </button>
                    {r.attentionAt && (
                      <span className="pill warn" data-testid="tracing-new">
                        {t('tracing.newPill')}
                      </span>
                    )}
                  </td>
                  <td>
                    <bdi>{r.enquirer.name}</bdi> <span className="muted">({t(`tracing.relations.${r.relation}`)})</span>
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
        {list.data && (
          <Pager
            offset={list.data.offset}
            shown={requests.length}
            pageSize={PAGE}
            total={list.data.total}
            onPage={(offset) => setFilter((f) => ({ ...f, offset }))}
            labels={{ previous: 'tracing.previous', next: 'tracing.next', showing: 'tracing.showing' }}
            label={t('tracing.requests')}
            testId="tracing-pager"
          />
        )}
      </section>
      {open && (
        <RequestView key={open} id={open} news={openNews} onChanged={list.reload} onOpenRequest={(id) => setParams({ request: id })} />
      )}
      <form className="card grid-form" onSubmit={submit} aria-labelledby="new-request" data-testid="new-tracing">
        <h2 id="new-request">{t('tracing.newRequest')}</h2>
        <label className="check wide">
          <input
            type="checkbox"
            checked={registeredEnquirer}
            data-testid="enquirer-registered"
            onChange={(e) => {
              setRegisteredEnquirer(e.target.checked);
              if (!e.target.checked) setEnquirer(null);
            }}
          />
          <span>{t('tracing.enquirerRegistered')}</span>
        </label>
        {registeredEnquirer ? (
          <EnquirerPick picked={enquirer} onPick={setEnquirer} />
        ) : (
          <Field
            label={t('tracing.enquirerName')}
            value={form.enquirer}
            onChange={set('enquirer')}
            error={errors['enquirer.name']}
            required
          />
        )}
        {(errors['enquirer.personId'] || (registeredEnquirer && errors['enquirer.name'])) && (
          <p className="field-error wide" role="alert">
            {errors['enquirer.personId'] ?? errors['enquirer.name']}
          </p>
        )}
        <Field
          label={t('tracing.phone')}
          dir="ltr"
          inputMode="tel"
          value={form.phone}
          onChange={set('phone')}
          error={errors['enquirer.phone']}
        />
        <SelectField label={t('tracing.relation')} value={form.relation} onChange={set('relation')} error={errors.relation}>
          <option value="" disabled>
            {t('tracing.chooseRelation')}
          </option>
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
    </div>
  );
}
