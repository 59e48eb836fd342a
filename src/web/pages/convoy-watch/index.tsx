/**
 * The coordinator's convoy watch: overdue convoys (escalated first; someone says they follow one
 * up), and every incident of the operation with its casualties. The list is read again whenever
 * the live counts say the alerts changed (the overdue watch moves the count version).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConvoyAlert, IncidentList, Site } from '../../api/types.js';
import * as api from '../../api/endpoints.js';
import * as commands from '../../api/commands.js';
import { ErrorNotice, Loading } from '../../components/notice.js';
import { isolate, useFormat } from '../../i18n/format.js';
import { tIsolated } from '../../components/isolated.js';
import { siteName } from '../../lib/names.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import { useCounts } from '../dashboard/use-counts.js';
import { IncidentsTable } from './incidents-table.js';

export default function ConvoyWatch() {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const onOp = { operationId: operation.id };
  const [resolved, setResolved] = useState(false);
  const [error, setError] = useState<unknown>();
  const alerts = useResource<ConvoyAlert[]>(api.urlOf(api.convoyOps.listConvoyAlerts, onOp, resolved ? {} : { status: 'open' }));
  const incidents = useResource<IncidentList>(api.urlOf(api.convoyOps.listIncidents, onOp));
  const sitesRes = useResource<Site[]>(api.urlOf(api.operations.listSites, onOp));
  const sites = new Map((sitesRes.data ?? []).map((s) => [s.id, s]));
  const { counts } = useCounts(operation.id);
  const { reload: reloadAlerts } = alerts;
  const { reload: reloadIncidents } = incidents;
  useEffect(() => {
    reloadAlerts();
    reloadIncidents();
  }, [counts?.version, reloadAlerts, reloadIncidents]);
  const site = (id: string) => siteName(sites, id, i18n.language);

  async function acknowledge(id: string) {
    setError(undefined);
    try {
      await commands.acknowledgeConvoyAlert(operation.id, id);
    } catch (err) {
      setError(err);
    }
    reloadAlerts();
  }

  return (
    <div className="page convoy-watch">
      <h1>{t('convoyOps.watchTitle')}</h1>
      <p className="muted">{t('convoyOps.watchIntro')}</p>
      <ErrorNotice error={error ?? alerts.error ?? incidents.error} />
      <section className="card" aria-labelledby="overdue-title">
        <h2 id="overdue-title">{t('convoyOps.alerts')}</h2>
        <label className="check">
          <input type="checkbox" checked={resolved} onChange={(e) => setResolved(e.target.checked)} /> {t('convoyOps.showResolved')}
        </label>
        {!alerts.data ? (
          <Loading />
        ) : alerts.data.length === 0 ? (
          <p className="muted" data-testid="no-overdue">
            {t('convoyOps.noAlerts')}
          </p>
        ) : (
          <ul className="alert-list" data-testid="overdue-alerts">
            {alerts.data.map((a) => (
              <li key={a.id} className={`alert-item level-${a.level} status-${a.status}`}>
                <span className={`pill${a.status === 'open' ? ' alert' : ''}`}>
                  {a.status === 'resolved'
                    ? t('convoyOps.resolved')
                    : a.level === 'escalated'
                      ? t('convoyOps.escalated')
                      : t('convoyOps.overdue')}
                </span>{' '}
                {tIsolated(
                  t,
                  'convoyOps.alertLine',
                  { convoy: a.convoyId },
                  { from: site(a.lastSiteId), seenAt: fmt.dateTime(a.lastSeenAt), to: site(a.nextSiteId), dueAt: fmt.dateTime(a.dueAt) },
                )}{' '}
                ·{' '}
                {a.escalatedAt
                  ? t('convoyOps.escalatedAt', { at: fmt.dateTime(a.escalatedAt) })
                  : t('convoyOps.escalatesAt', { at: fmt.dateTime(a.escalateAt) })}
                {a.acknowledgedAt ? (
                  <span className="muted">
                    {' '}
                    · {t('convoyOps.acknowledgedBy', { name: isolate(a.acknowledgedByName ?? '—'), at: fmt.dateTime(a.acknowledgedAt) })}
                  </span>
                ) : (
                  a.status === 'open' && (
                    <button type="button" className="button" onClick={() => void acknowledge(a.id)}>
                      {t('convoyOps.acknowledge')}
                    </button>
                  )
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="incidents-title">
        <h2 id="incidents-title">{t('convoyOps.incidents')}</h2>
        {incidents.data ? (
          <>
            <p data-testid="casualties">
              {t('convoyOps.casualties', {
                injured: fmt.number(incidents.data.totals.injured),
                killed: fmt.number(incidents.data.totals.killed),
                detained: fmt.number(incidents.data.totals.detained),
              })}
            </p>
            <IncidentsTable incidents={incidents.data.incidents} sites={sites} timeZone={operation.timeZone} />
          </>
        ) : (
          <Loading />
        )}
      </section>
    </div>
  );
}
