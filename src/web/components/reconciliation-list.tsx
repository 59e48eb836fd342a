/**
 * What does not add up, for a convoy or a site: missing in transit, arrived but on no manifest,
 * head counts that differ from the manifest, households split. Grouped by kind, each item with
 * the people it concerns (linked to their record when the role may read it).
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { reconciliationKinds } from '../../domain/reconciliation/reconcile.js';
import type { Reconciliation, Site } from '../api/types.js';
import { useFormat } from '../i18n/format.js';
import { useHouseholds } from '../lib/households.js';
import { useResource } from '../lib/use-resource.js';
import { shortName, siteName } from '../lib/names.js';
import { useOperation } from '../session/operation.js';
import { ErrorNotice, Loading } from './notice.js';

export function ReconciliationList({ scope, sites, title, reloadKey = 0 }: { scope: { convoyId?: string; siteId?: string }; sites: Map<string, Site>; title?: string; reloadKey?: number }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const { operation, can } = useOperation();
  const q = new URLSearchParams(Object.entries(scope).filter((e): e is [string, string] => !!e[1]));
  const path = `/api/operations/${encodeURIComponent(operation.id)}/reconciliation?${q.toString()}`;
  const data = useResource<Reconciliation>(can('person.read') ? path : null);
  const { reload } = data;
  useEffect(() => { if (reloadKey) reload(); }, [reloadKey, reload]);
  const householdIds = (data.data?.items ?? []).flatMap((i) => (i.householdId ? [i.householdId] : []));
  const { persons } = useHouseholds(operation.id, householdIds);
  if (!can('person.read')) return null;
  const base = `/op/${encodeURIComponent(operation.id)}`;
  const person = (id: string) => {
    const p = persons.get(id);
    return <Link key={id} to={`${base}/persons/${encodeURIComponent(id)}`} className="pill">{p ? shortName(p, i18n.language) : t('reconcile.person')}</Link>;
  };
  return (
    <section className="card reconciliation" aria-labelledby="rec-title" data-testid="reconciliation">
      <h2 id="rec-title">{title ?? t('reconcile.title')}</h2>
      {data.loading && <Loading />}
      <ErrorNotice error={data.error} />
      {data.data && data.data.items.length === 0 && <p className="muted">{t('reconcile.none')}</p>}
      {data.data && reconciliationKinds.map((kind) => {
        const items = data.data!.items.filter((i) => i.kind === kind);
        if (items.length === 0) return null;
        return (
          <div key={kind} className="rec-group" data-kind={kind}>
            <h3>{t(`reconcile.kinds.${kind}`)} <span className="pill alert">{fmt.number(items.length)}</span></h3>
            <ul className="results">
              {items.map((i) => {
                const d = i.details as { expected?: number; observed?: number; intentional?: boolean } | undefined;
                return (
                  <li key={i.key}>
                    {kind === 'head_count_mismatch' && d ? <span>{t('reconcile.counted', { observed: fmt.number(d.observed ?? 0), expected: fmt.number(d.expected ?? 0), vehicle: i.vehicleId, site: siteName(sites, i.siteId, i18n.language) })}</span> : null}
                    {kind === 'household_split' && <span className="muted">{d?.intentional ? t('reconcile.onPurpose') : t('reconcile.noReason')} </span>}
                    {kind === 'missing_in_transit' && <span className="muted">{t('reconcile.vehicle', { vehicle: i.vehicleId })} </span>}
                    {kind === 'arrived_not_manifested' && <span className="muted">{siteName(sites, i.siteId, i18n.language)} </span>}
                    {(i.personIds ?? []).map(person)}
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
    </section>
  );
}
