/**
 * After-action replay: the coordinator steps through the operation hour by hour (a slider and
 * step buttons) and sees, as of each hour, the counts, where the convoys were on the map, the
 * incidents so far and the convoys that were overdue — all from the facts as known now.
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Replay, RouteInfo, Site } from '../../api/types.js';
import * as api from '../../api/endpoints.js';
import { ErrorNotice, Loading } from '../../components/notice.js';
import { useFormat } from '../../i18n/format.js';
import { routeArrow, siteName } from '../../lib/names.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import { IncidentsTable } from '../convoy-watch/incidents-table.js';

const SiteMap = lazy(() => import('../dashboard/site-map.js'));
const HOUR = 3_600_000;
const metrics = ['registered', 'boarded', 'in_transit', 'arrived', 'missing', 'turned_back'] as const;

export default function ReplayPage() {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const onOp = { operationId: operation.id };
  const sitesRes = useResource<Site[]>(api.urlOf(api.operations.listSites, onOp));
  const routes = useResource<RouteInfo[]>(api.urlOf(api.convoys.listRoutes, onOp));
  const config = useResource<{ tileUrl: string | null }>('/config.json');
  const [at, setAt] = useState<number>();
  // The first read (as of now) gives the span of the operation's hours; the slider starts at its end.
  // "Now" is taken once, when the page opens: a new time at every render would be a new address, read again and again.
  const [openedAt] = useState(() => new Date().toISOString());
  const span = useResource<Replay>(api.urlOf(api.convoyOps.getReplay, onOp, { asOf: openedAt }));
  const first = span.data?.firstHour ? Date.parse(span.data.firstHour) : undefined;
  const last = span.data?.lastHour ? Date.parse(span.data.lastHour) + HOUR : undefined;
  useEffect(() => {
    if (at === undefined && last !== undefined) setAt(last);
  }, [at, last]);
  const replay = useResource<Replay>(
    at !== undefined ? api.urlOf(api.convoyOps.getReplay, onOp, { asOf: new Date(at).toISOString() }) : null,
  );
  const sites = new Map((sitesRes.data ?? []).map((s) => [s.id, s]));
  const data = replay.data;
  const step = (h: number) =>
    first !== undefined && last !== undefined && setAt((v) => Math.min(last, Math.max(first, (v ?? last) + h * HOUR)));

  return (
    <div className="page replay">
      <h1>{t('convoyOps.replayTitle')}</h1>
      <p className="muted">{t('convoyOps.replayIntro')}</p>
      <ErrorNotice error={span.error ?? replay.error} />
      {span.data && first === undefined && <p className="muted">{t('convoyOps.nothingYet')}</p>}
      {first !== undefined && last !== undefined && at !== undefined && (
        <div className="card replay-controls" data-testid="replay-controls">
          <label>
            {t('convoyOps.hour')}{' '}
            <input
              type="range"
              min={first}
              max={last}
              step={HOUR}
              value={at}
              onChange={(e) => setAt(Number(e.target.value))}
              aria-valuetext={fmt.dateTime(new Date(at).toISOString())}
              data-testid="replay-slider"
            />
          </label>
          <div className="button-row">
            <button type="button" className="button" onClick={() => setAt(first)}>
              {t('convoyOps.first')}
            </button>
            <button type="button" className="button" onClick={() => step(-1)} data-testid="replay-back">
              {t('convoyOps.previous')}
            </button>
            <button type="button" className="button" onClick={() => step(1)} data-testid="replay-on">
              {t('convoyOps.next')}
            </button>
            <button type="button" className="button" onClick={() => setAt(last)}>
              {t('convoyOps.last')}
            </button>
          </div>
          <p data-testid="replay-as-of">
            <strong>{t('convoyOps.asOf', { at: fmt.dateTime(new Date(at).toISOString()) })}</strong>
          </p>
        </div>
      )}
      {data ? (
        <>
          <div className="kpis" data-testid="replay-kpis">
            {metrics.map((m) => (
              <div key={m} className="kpi">
                <span className="n">{fmt.number(data.totals[m] ?? 0)}</span>
                {t(`persons.statuses.${m}`)}
              </div>
            ))}
          </div>
          <p>
            {t('convoyOps.casualties', {
              injured: fmt.number(data.casualties.injured),
              killed: fmt.number(data.casualties.killed),
              detained: fmt.number(data.casualties.detained),
            })}
          </p>
          <section className="panels">
            <div className="card">
              <h2>{t('convoyOps.positions')}</h2>
              {sitesRes.data && !config.loading && (
                <Suspense fallback={<Loading />}>
                  <SiteMap
                    sites={sitesRes.data}
                    tileUrl={config.data?.tileUrl ?? null}
                    routes={routes.data ?? []}
                    inTransit={data.bySite.in_transit ?? {}}
                    convoys={data.positions.filter((p) => p.siteId !== null)}
                  />
                </Suspense>
              )}
            </div>
            <div className="card">
              <h2>{t('convoyOps.overdueThen')}</h2>
              {data.overdue.length === 0 ? (
                <p className="muted">{t('convoyOps.noAlerts')}</p>
              ) : (
                <ul data-testid="replay-overdue">
                  {data.overdue.map((o) => (
                    <li key={o.convoyId}>
                      <span className="pill alert">{o.level === 'escalated' ? t('convoyOps.escalated') : t('convoyOps.overdue')}</span>{' '}
                      {o.convoyId}
                      {routeArrow(i18n.language)}
                      {siteName(sites, o.nextSiteId, i18n.language)} · {fmt.dateTime(o.dueAt)}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </section>
          <section className="card">
            <h2>{t('convoyOps.incidentsUntil')}</h2>
            <IncidentsTable incidents={data.incidents} sites={sites} timeZone={operation.timeZone} />
          </section>
        </>
      ) : (
        at !== undefined && <Loading />
      )}
    </div>
  );
}
