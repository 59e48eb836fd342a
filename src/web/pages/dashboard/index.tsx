/**
 * Dashboard for coordinators and viewers: headline counts, sex and age, people moved over time,
 * arrivals per site, and the map. The map (d3-geo + Natural Earth) loads as its own chunk. The
 * counts wait for the counts API; the map of sites works now.
 */
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { Site } from '../../api/types.js';
import { ErrorNotice, Loading, WaitingForApi } from '../../components/notice.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';

const SiteMap = lazy(() => import('./site-map.js'));

export default function Dashboard() {
  const { t } = useTranslation();
  const { operation } = useOperation();
  const sites = useResource<Site[]>(`/api/operations/${encodeURIComponent(operation.id)}/sites`);
  const config = useResource<{ tileUrl: string | null }>('/config.json');
  return (
    <div className="page dashboard">
      <h1>{t('dashboard.title')}</h1>
      <WaitingForApi api="counts" />
      <section className="panels">
        <div className="card">
          <h2>{t('dashboard.map')}</h2>
          <ErrorNotice error={sites.error} />
          {sites.data && !config.loading ? (
            <Suspense fallback={<Loading />}><SiteMap sites={sites.data} tileUrl={config.data?.tileUrl ?? null} /></Suspense>
          ) : <Loading />}
        </div>
      </section>
    </div>
  );
}
