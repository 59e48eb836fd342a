/**
 * Dashboard for coordinators and viewers: headline counts (registered, in transit, arrived,
 * missing), sex and age, people moved over time, arrivals and occupancy per site, and the map.
 * Counts arrive live by server-sent events; when the session ends the stream says so, the page
 * stops listening and offers to log in again (back to this address). The map (d3-geo + Natural Earth) is its own chunk.
 */
import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { onTheRoadStates } from '../../../domain/convoys/state-machine.js';
import type { Permission } from '../../../domain/policy.js';
import type { ConvoyPosition, ConvoySummary, RouteInfo, Site } from '../../api/types.js';
import { ErrorNotice, Loading } from '../../components/notice.js';
import { useFormat, useLocalName } from '../../i18n/format.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import { useSession } from '../../session/session.js';
import { MovedOverTime, SexAgeTable } from './charts.js';
import { useCounts, type Counts } from './use-counts.js';
import * as api from '../../api/endpoints.js';
import { ExportDownload } from '../../components/export-download.js';

// Asked for as soon as the dashboard's own code runs, not when the page first renders the map.
const siteMapCode = import('./site-map.js');
siteMapCode.catch(() => undefined); // a failed load shows where the map would be (React.lazy)
const SiteMap = lazy(() => siteMapCode);
const headline = [
  ['registered', 'registered'],
  ['in_transit', 'inTransit'],
  ['arrived', 'arrived'],
  ['missing', 'missing'],
] as const;

/** The list each headline card opens, and the permission it needs (no list: the card is a number only). */
const listBehind: Partial<Record<(typeof headline)[number][0], { path: string; permission: Permission }>> = {
  registered: { path: 'persons?status=registered', permission: 'person.read' },
  in_transit: { path: 'convoys', permission: 'convoy.manage' },
  arrived: { path: 'persons?status=arrived', permission: 'person.read' },
  missing: { path: 'reconciliation?kind=missing_in_transit', permission: 'person.read' },
};

function PerSite({ counts, sites }: { counts: Counts; sites: Site[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const local = useLocalName();
  const shown = sites.filter((s) => s.kind === 'reception_centre' || s.kind === 'camp' || s.kind === 'hospital');
  return (
    <table className="table" data-testid="per-site">
      <thead>
        <tr>
          <th scope="col">{t('admin.site')}</th>
          <th scope="col">{t('dashboard.arrived')}</th>
          <th scope="col">{t('admin.capacity')}</th>
          <th scope="col">{t('dashboard.occupancy')}</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((s) => {
          const n = counts.bySite.arrived?.[s.id] ?? 0;
          return (
            <tr key={s.id}>
              <td>{local(s)}</td>
              <td>{fmt.number(n)}</td>
              <td>{s.capacity ? fmt.number(s.capacity) : '—'}</td>
              <td>{s.capacity ? `${fmt.number(Math.round((n / s.capacity) * 100))}%` : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export default function Dashboard() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { operation, can } = useOperation();
  const sites = useResource<Site[]>(api.urlOf(api.operations.listSites, { operationId: operation.id }));
  const config = useResource<{ tileUrl: string | null }>('/config.json');
  const routes = useResource<RouteInfo[]>(api.urlOf(api.convoys.listRoutes, { operationId: operation.id }));
  const convoys = useResource<ConvoySummary[]>(api.urlOf(api.convoys.listConvoys, { operationId: operation.id }));
  const { counts, error, live, ended } = useCounts(operation.id);
  const { signOut } = useSession();
  // Convoy states follow the counts: read them again whenever the counts move.
  const { reload: reloadConvoys } = convoys;
  useEffect(() => {
    reloadConvoys();
  }, [counts?.version, reloadConvoys]);
  // Where each convoy was last seen, for roles that manage convoys; read again with the counts.
  const positions = useResource<ConvoyPosition[]>(
    can('convoy.manage') ? api.urlOf(api.convoyOps.listConvoyPositions, { operationId: operation.id }) : null,
  );
  const { reload: reloadPositions } = positions;
  useEffect(() => {
    if (can('convoy.manage')) reloadPositions();
  }, [counts?.version, reloadPositions, can]);
  const overdue = counts ? counts.convoyAlerts.overdue + counts.convoyAlerts.escalated : 0;
  const activeRoutes = new Set((convoys.data ?? []).filter((c) => onTheRoadStates.includes(c.state)).map((c) => c.routeId));
  return (
    <div className="page dashboard">
      <h1>
        {t('dashboard.title')}{' '}
        <span className={`pill${live ? '' : ' alert'}`} data-testid="live">
          {live ? t('dashboard.live') : t('dashboard.offline')}
        </span>
      </h1>
      {ended && (
        <div className="notice notice-warn" role="alert" data-testid="session-ended">
          {t('session.ended')}{' '}
          <button type="button" className="button primary" onClick={() => void signOut()} data-testid="log-in-again">
            {t('session.logInAgain')}
          </button>
        </div>
      )}
      {overdue > 0 && (
        <div className="notice notice-warn" role="alert" data-testid="overdue-banner">
          {t('convoyOps.overdueBanner', { n: fmt.number(overdue), escalated: fmt.number(counts?.convoyAlerts.escalated ?? 0) })}{' '}
          {can('convoy.manage') && <Link to={`/op/${encodeURIComponent(operation.id)}/convoy-watch`}>{t('convoyOps.openWatch')}</Link>}
        </div>
      )}
      <ExportDownload what="counts" />
      <ErrorNotice error={error ?? sites.error} />
      {counts ? (
        <div className="kpis" data-testid="kpis">
          {headline.map(([metric, label]) => {
            const body = (
              <>
                <span className="n">{fmt.number(counts.totals[metric] ?? 0)}</span>
                {t(`dashboard.${label}`)}
              </>
            );
            // A card opens the list behind it, for a role that may see it; a viewer reads the number only.
            const behind = listBehind[metric];
            return behind && can(behind.permission) ? (
              <Link
                key={metric}
                className="kpi kpi-link"
                data-testid={`kpi-${metric}`}
                to={`/op/${encodeURIComponent(operation.id)}/${behind.path}`}
              >
                {body}
                {/* Said after the visible words, so the link's name holds them (WCAG 2.5.3). */}
                <span className="visually-hidden"> — {t('dashboard.openList', { what: t(`dashboard.${label}`) })}</span>
              </Link>
            ) : (
              <div key={metric} className="kpi" data-testid={`kpi-${metric}`}>
                {body}
              </div>
            );
          })}
        </div>
      ) : (
        !error && <Loading />
      )}
      <section className="panels">
        {counts && (
          <div className="card">
            <h2>{t('dashboard.sexAge')}</h2>
            <SexAgeTable counts={counts} />
          </div>
        )}
        {counts && (
          <div className="card">
            <h2>{t('dashboard.overTime')}</h2>
            <MovedOverTime counts={counts} timeZone={operation.timeZone} />
          </div>
        )}
        {counts && sites.data && (
          <div className="card">
            <h2>{t('dashboard.perSite')}</h2>
            <PerSite counts={counts} sites={sites.data} />
          </div>
        )}
        <div className="card">
          <h2>{t('dashboard.map')}</h2>
          {sites.data && !config.loading ? (
            <Suspense fallback={<Loading />}>
              <SiteMap
                sites={sites.data}
                tileUrl={config.data?.tileUrl ?? null}
                routes={routes.data ?? []}
                activeRoutes={activeRoutes}
                inTransit={counts?.bySite.in_transit ?? {}}
                convoys={(positions.data ?? []).filter((p) => onTheRoadStates.includes(p.state))}
              />
            </Suspense>
          ) : (
            <Loading />
          )}
        </div>
      </section>
    </div>
  );
}
