/**
 * Protection alerts for unaccompanied and separated children who arrived, where tracing officers
 * act on them: open or closed; "someone is with the child" (acknowledge), and close with an
 * outcome and a note. Both are sent now (not kept in the offline outbox): when another officer
 * acknowledged or closed the alert first, the 409 says who was first and how, and the list is
 * read again so nobody acts on a stale row.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { protectedChildFlags, type ProtectedChildFlag } from '../../domain/schemas/persons.js';
import * as commands from '../api/commands.js';
import { ApiError } from '../api/errors.js';
import { read } from '../api/read.js';
import type { Person, ProtectionAlert, Site } from '../api/types.js';
import { useFormat } from '../i18n/format.js';
import { shortName, siteName } from '../lib/names.js';
import { useResource } from '../lib/use-resource.js';
import { useOperation } from '../session/operation.js';
import { SelectField } from './field.js';
import { ErrorNotice, Loading, Notice } from './notice.js';
import * as api from '../api/endpoints.js';

const filters = ['open', 'closed'] as const;

/** First-strong isolate: a Latin name inside Arabic text (or the reverse) does not reorder its neighbours. */
const isolate = (name: string) => `\u2068${name}\u2069`;

/** Each child's record, read once (every read is audited, as any record read). */
function usePersons(operationId: string, ids: string[]) {
  const [byId, setById] = useState<Map<string, Person>>(new Map());
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    const todo = key.split(',').filter((id) => id && !byId.has(id));
    if (todo.length === 0) return;
    let live = true;
    void Promise.all(
      todo.map((id) => read<Person>(api.urlOf(api.persons.getPerson, { operationId, personId: id })).catch(() => null)),
    ).then((found) => {
      if (live) setById((m) => new Map([...m, ...found.flatMap((p) => (p ? [[p.id, p] as const] : []))]));
    });
    return () => {
      live = false;
    };
  }, [operationId, key, byId]);
  return byId;
}

function CloseForm({
  name,
  onSend,
  onCancel,
  busy,
}: {
  name: string;
  onSend: (outcome: commands.AlertOutcome, note: string) => void;
  onCancel: () => void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [outcome, setOutcome] = useState<commands.AlertOutcome>();
  const [note, setNote] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (outcome && note.trim()) onSend(outcome, note.trim());
  };
  return (
    <form className="alert-close grid-form" onSubmit={submit} aria-label={t('alerts.closeFor', { name })} data-testid="alert-close-form">
      <fieldset className="wide">
        <legend>{t('alerts.outcome')}</legend>
        {commands.alertOutcomes.map((o) => (
          <label key={o} className="check">
            <input type="radio" name={`${id}-outcome`} value={o} checked={outcome === o} onChange={() => setOutcome(o)} required />
            <span>{t(`alerts.outcomes.${o}`)}</span>
          </label>
        ))}
      </fieldset>
      <div className="field wide">
        <label htmlFor={`${id}-note`}>{t('alerts.note')}</label>
        <textarea
          id={`${id}-note`}
          value={note}
          maxLength={2000}
          rows={3}
          required
          aria-describedby={`${id}-hint`}
          onChange={(e) => setNote(e.target.value)}
        />
        <span className="hint" id={`${id}-hint`}>
          {t('alerts.noteHint')}
        </span>
      </div>
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy || !outcome || !note.trim()} data-testid="alert-close-send">
          {t('alerts.sendClose')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  );
}

/** How many alerts show before "show all". */
const FIRST_ALERTS = 10;

export function ProtectionAlerts({ sites, reloadKey = 0 }: { sites: Map<string, Site>; reloadKey?: number }) {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const [filter, setFilter] = useState<(typeof filters)[number]>('open');
  const [kind, setKind] = useState<'' | ProtectedChildFlag>('');
  const list = useResource<ProtectionAlert[]>(
    api.urlOf(api.reception.listProtectionAlerts, { operationId: operation.id }, { status: filter, kind }),
  );
  const { reload } = list;
  useEffect(() => {
    if (reloadKey) reload();
  }, [reloadKey, reload]);
  // The first few, then all on request: on a busy operation (52 open in the demo) the whole list pushed the
  // desk's own work (the tracing requests, a new request) thousands of pixels down.
  const [all, setAll] = useState(false);
  const alerts = list.data ?? [];
  const shown = all ? alerts : alerts.slice(0, FIRST_ALERTS);
  const persons = usePersons(
    operation.id,
    shown.map((a) => a.personId),
  );
  const [closing, setClosing] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const base = `/op/${encodeURIComponent(operation.id)}`;
  const nameOf = (a: ProtectionAlert) => {
    const p = persons.get(a.personId);
    return p ? shortName(p, i18n.language) : t('alerts.child');
  };
  // Who acted, by the display name the server gives (a name keeps its own direction inside Arabic text).
  const acknowledgedText = (a: ProtectionAlert, at: string) =>
    a.acknowledgedByName
      ? t('alerts.acknowledgedBy', { at: fmt.dateTime(at), name: isolate(a.acknowledgedByName) })
      : t('alerts.acknowledged', { at: fmt.dateTime(at) });
  const closedText = (a: ProtectionAlert) => {
    const values = {
      at: a.closedAt ? fmt.dateTime(a.closedAt) : '—',
      outcome: t(`alerts.outcomes.${a.outcome ?? ''}`, { defaultValue: a.outcome ?? '' }),
    };
    return a.closedByName ? t('alerts.closedAtBy', { ...values, name: isolate(a.closedByName) }) : t('alerts.closedAt', values);
  };

  async function act(what: () => Promise<ProtectionAlert>, message: (a: ProtectionAlert) => string) {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const a = await what();
      setDone(message(a));
      setClosing(undefined);
    } catch (err) {
      setError(err);
      // Someone else acted first: the row is stale, read the list again.
      if (err instanceof ApiError && err.status === 409) setClosing(undefined);
    } finally {
      setBusy(false);
      list.reload();
    }
  }

  return (
    <section className="card" aria-labelledby="alerts-title" data-testid="alerts">
      <h2 id="alerts-title">{t('alerts.title')}</h2>
      <div className="actions" role="group" aria-label={t('alerts.show')}>
        {filters.map((f) => (
          <button
            key={f}
            type="button"
            className={`button small${filter === f ? ' primary' : ''}`}
            aria-pressed={filter === f}
            data-testid={`alerts-${f}`}
            onClick={() => {
              setFilter(f);
              setAll(false);
              setDone(undefined);
              setError(undefined);
              setClosing(undefined);
            }}
          >
            {t(`alerts.filters.${f}`)}
          </button>
        ))}
        <SelectField
          label={t('alerts.kindFilter')}
          value={kind}
          data-testid="alerts-kind"
          onChange={(e) => setKind(e.target.value as '' | ProtectedChildFlag)}
        >
          <option value="">{t('alerts.allKinds')}</option>
          {protectedChildFlags.map((k) => (
            <option key={k} value={k}>
              {t(`vulnerabilities.${k}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <ErrorNotice error={error ?? list.error} />
      {done && <Notice kind="ok">{done}</Notice>}
      {list.loading && !list.data && <Loading />}
      {list.data?.length === 0 && <p className="muted">{t(filter === 'open' ? 'alerts.noneOpen' : 'alerts.noneClosed')}</p>}
      <ul className="results" aria-live="polite">
        {shown.map((a) => (
          <li key={a.id} data-testid="alert-row" data-status={a.status}>
            <span className="pill alert">{t(`vulnerabilities.${a.kind}`)}</span>{' '}
            <Link to={`${base}/persons/${encodeURIComponent(a.personId)}`}>
              <bdi>{nameOf(a)}</bdi>
            </Link>{' '}
            <span className="muted">
              {t('alerts.raised', { site: siteName(sites, a.siteId, i18n.language), at: fmt.dateTime(a.raisedAt) })}
            </span>
            {' · '}
            {a.status === 'closed' ? (
              <span data-testid="alert-outcome">
                {closedText(a)}
                {a.note && (
                  <>
                    {' '}
                    — <q dir="auto">{a.note}</q>
                  </>
                )}
              </span>
            ) : (
              <span className={a.acknowledgedAt ? 'field-ok' : 'field-error'} data-testid="alert-acknowledged">
                {a.acknowledgedAt ? acknowledgedText(a, a.acknowledgedAt) : t('alerts.unattended')}
              </span>
            )}
            {a.status === 'open' && closing !== a.id && (
              <span className="actions">
                {!a.acknowledgedAt && (
                  <button
                    type="button"
                    className="button small"
                    disabled={busy}
                    aria-label={t('alerts.acknowledgeFor', { name: nameOf(a) })}
                    data-testid="alert-acknowledge"
                    onClick={() =>
                      void act(
                        () => commands.acknowledgeAlert(operation.id, a.id),
                        () => t('alerts.acknowledgedDone'),
                      )
                    }
                  >
                    {t('alerts.acknowledge')}
                  </button>
                )}
                <button
                  type="button"
                  className="button small"
                  disabled={busy}
                  aria-label={t('alerts.closeFor', { name: nameOf(a) })}
                  data-testid="alert-close"
                  onClick={() => {
                    setClosing(a.id);
                    setDone(undefined);
                    setError(undefined);
                  }}
                >
                  {t('alerts.close')}
                </button>
              </span>
            )}
            {a.status === 'open' && closing === a.id && (
              <CloseForm
                name={nameOf(a)}
                busy={busy}
                onCancel={() => setClosing(undefined)}
                onSend={(outcome, note) =>
                  void act(
                    () => commands.closeAlert(operation.id, a.id, { outcome, note }),
                    (r) => t('alerts.closedDone', { outcome: t(`alerts.outcomes.${r.outcome ?? outcome}`) }),
                  )
                }
              />
            )}
          </li>
        ))}
      </ul>
      {shown.length < alerts.length && (
        <button type="button" className="button" onClick={() => setAll(true)} data-testid="alerts-show-all">
          {t('alerts.showAll', { n: fmt.number(alerts.length) })}
        </button>
      )}
    </section>
  );
}
