/**
 * What does not add up, for a convoy or a site: missing in transit, arrived but on no manifest,
 * head counts that differ from the manifest, households split. Grouped by kind, each item with
 * the people it concerns (linked to their record when the role may read it). A person missing in
 * transit can become a tracing case at once (roles with tracing.manage), linked to the desk.
 * Vehicles seen out of route order or past a checkpoint that never logged them name the sites,
 * the device times and the facts involved, so the monitor can be asked or the fact corrected.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { reconciliationKinds, type ReconciliationKind } from '../../domain/reconciliation/reconcile.js';
import * as commands from '../api/commands.js';
import type { Reconciliation, Site } from '../api/types.js';
import { isolate, useFormat } from '../i18n/format.js';
import { useResource } from '../lib/use-resource.js';
import { shortName, siteName } from '../lib/names.js';
import { useOperation } from '../session/operation.js';
import { ErrorNotice, Loading } from './notice.js';
import { Pager } from './pager.js';
import { tIsolated } from './isolated.js';
import * as api from '../api/endpoints.js';
import { ExportDownload } from './export-download.js';

interface Seen {
  factId: string;
  siteId: string;
  at: string;
}
type RouteOrderDetails = { factId?: string; at?: string; seenAfter?: Seen; seenFurtherOn?: Seen; vehicleIds?: string[] };

/** A vehicle (or the whole convoy) seen out of route order, or never logged at a checkpoint it went past. */
function RouteOrderItem({
  item,
  sites,
  vehicle,
  convoy,
}: {
  item: Reconciliation['items'][number];
  sites: Map<string, Site>;
  vehicle: (id: string) => string;
  convoy: (id: string) => string;
}) {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const d = (item.details ?? {}) as RouteOrderDetails;
  const site = (id: string | undefined) => siteName(sites, id, i18n.language);
  // The vehicle's id or plate, and the convoy's name, each isolated in the sentence (Latin in Arabic).
  const who = item.vehicleId
    ? tIsolated(t, 'reconcile.vehicleNamed', { vehicle: vehicle(item.vehicleId) })
    : tIsolated(t, 'reconcile.wholeConvoy', { convoy: convoy(item.convoyId ?? '') });
  const at = (iso: string | undefined) => (iso ? fmt.dateTime(iso) : '—');
  const text =
    item.kind === 'checkpoint_out_of_order'
      ? tIsolated(
          t,
          'reconcile.outOfOrder',
          { who },
          { site: site(item.siteId), at: at(d.at), after: site(d.seenAfter?.siteId), afterAt: at(d.seenAfter?.at) },
        )
      : tIsolated(
          t,
          'reconcile.skipped',
          { who },
          { site: site(item.siteId), further: site(d.seenFurtherOn?.siteId), at: at(d.seenFurtherOn?.at) },
        );
  const facts = [d.factId, d.seenAfter?.factId, d.seenFurtherOn?.factId].filter((f): f is string => !!f);
  return (
    <span data-testid="route-order-item">
      <span>{text}</span>{' '}
      {facts.length > 0 && (
        <span className="muted">
          {t('reconcile.facts')}{' '}
          {facts
            .map((f) => (
              <bdi key={f} className="mono" dir="ltr">
                {f}
              </bdi>
            ))
            .reduce<ReactNode[]>((acc, el, n) => (n ? [...acc, ' · ', el] : [el]), [])}
        </span>
      )}
    </span>
  );
}

export function ReconciliationList({
  scope,
  sites,
  title,
  reloadKey = 0,
  kind: onlyKind,
  pageSize,
}: {
  scope: { convoyId?: string; siteId?: string };
  sites: Map<string, Site>;
  title?: string;
  reloadKey?: number;
  /** Only the items of this kind. */
  kind?: ReconciliationKind;
  /** Read the items a page at a time (the operation-wide list); all of them when absent. */
  pageSize?: number;
}) {
  const { t, i18n } = useTranslation();
  const { operation, can } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const [offset, setOffset] = useState(0);
  useEffect(() => setOffset(0), [onlyKind]);
  const path = api.urlOf(
    api.convoys.getReconciliation,
    { operationId: operation.id },
    { ...scope, kind: onlyKind, ...(pageSize ? { offset, limit: pageSize } : {}) },
  );
  const data = useResource<Reconciliation>(can('person.read') ? path : null);
  const { reload } = data;
  useEffect(() => {
    if (reloadKey) reload();
  }, [reloadKey, reload]);
  // Names, plates and convoy names come with the list (the server audits the names it gives).
  const labels = data.data?.labels;
  const persons = new Map((labels?.persons ?? []).map((p) => [p.id, p]));
  const plates = new Map((labels?.vehicles ?? []).map((v) => [v.id, v]));
  const convoyNames = new Map((labels?.convoys ?? []).map((c) => [c.id, c.name]));
  const vehicle = (id: string | undefined) => {
    if (!id) return '—';
    const v = plates.get(id);
    return v?.plate
      ? t('reconcile.vehicleLabel', { kind: t(`convoys.kinds.${v.kind}`, { defaultValue: v.kind }), plate: isolate(v.plate) })
      : id;
  };
  const convoy = (id: string) => isolate(convoyNames.get(id) ?? id);
  const [cases, setCases] = useState<Record<string, string>>({});
  const [opening, setOpening] = useState<string | null>(null);
  const [caseError, setCaseError] = useState<unknown>();
  if (!can('person.read')) return null;
  const base = `/op/${encodeURIComponent(operation.id)}`;
  const person = (id: string) => {
    const p = persons.get(id);
    return (
      <Link key={id} to={`${base}/persons/${encodeURIComponent(id)}`} className="pill">
        {/* A name keeps its own script's direction inside the other language's text (a Latin name in Arabic). */}
        {p ? <bdi>{shortName(p, i18n.language)}</bdi> : t('reconcile.person')}
        {p?.tag && (
          <>
            {' '}
            <span className="tag">{p.tag}</span>
          </>
        )}
      </Link>
    );
  };
  const label = (id: string) => {
    const p = persons.get(id);
    return p ? shortName(p, i18n.language) : t('reconcile.person');
  };
  async function openCase(personId: string) {
    setCaseError(undefined);
    setOpening(personId);
    try {
      const r = await commands.openTracingFromMissing(operation.id, personId);
      setCases((c) => ({ ...c, [personId]: r.id }));
    } catch (err) {
      setCaseError(err);
    } finally {
      setOpening(null);
    }
  }
  const tracingCase = (id: string) => {
    const caseId = cases[id];
    if (caseId) {
      return (
        <span key={`case-${id}`} role="status" data-testid="tracing-case-opened">
          {t('reconcile.caseOpened', { name: label(id) })}{' '}
          <Link to={`${base}/tracing?request=${encodeURIComponent(caseId)}`} data-testid="tracing-case-link">
            {t('reconcile.goToCase')}
          </Link>
        </span>
      );
    }
    return (
      <button
        key={`case-${id}`}
        type="button"
        className="button small"
        data-testid="open-tracing-case"
        disabled={opening === id}
        aria-label={t('reconcile.openCaseFor', { name: label(id) })}
        onClick={() => void openCase(id)}
      >
        {t('reconcile.openCase')}
      </button>
    );
  };
  return (
    <section className="card reconciliation" aria-labelledby="rec-title" data-testid="reconciliation">
      <h2 id="rec-title">{title ?? t('reconcile.title')}</h2>
      <ExportDownload
        what="missing"
        {...(scope.siteId ? { siteId: scope.siteId } : {})}
        {...(scope.convoyId ? { convoyId: scope.convoyId } : {})}
      />
      {data.loading && <Loading />}
      <ErrorNotice error={data.error} />
      <ErrorNotice error={caseError} />
      {data.data && data.data.items.length === 0 && <p className="muted">{t('reconcile.none')}</p>}
      {data.data &&
        reconciliationKinds.map((kind) => {
          const items = data.data!.items.filter((i) => i.kind === kind);
          if (items.length === 0) return null;
          return (
            <div key={kind} className="rec-group" data-kind={kind}>
              <h3>
                {t(`reconcile.kinds.${kind}`)}{' '}
                <span className="pill alert">{fmt.number(data.data!.summary.operation[kind] ?? items.length)}</span>
              </h3>
              <ul className="results">
                {items.map((i) => {
                  const d = i.details as { expected?: number; observed?: number; intentional?: boolean } | undefined;
                  return (
                    <li key={i.key}>
                      {kind === 'head_count_mismatch' && d ? (
                        <span>
                          {tIsolated(
                            t,
                            'reconcile.counted',
                            { vehicle: vehicle(i.vehicleId) },
                            {
                              observed: fmt.number(d.observed ?? 0),
                              expected: fmt.number(d.expected ?? 0),
                              site: siteName(sites, i.siteId, i18n.language),
                            },
                          )}
                        </span>
                      ) : null}
                      {kind === 'household_split' && (
                        <span className="muted">{d?.intentional ? t('reconcile.onPurpose') : t('reconcile.noReason')} </span>
                      )}
                      {kind === 'missing_in_transit' && (
                        <span className="muted">
                          {i.convoyId
                            ? tIsolated(t, 'reconcile.vehicleOfConvoy', { vehicle: vehicle(i.vehicleId), convoy: convoy(i.convoyId) })
                            : tIsolated(t, 'reconcile.vehicle', { vehicle: vehicle(i.vehicleId) })}{' '}
                        </span>
                      )}
                      {kind === 'arrived_not_manifested' && <span className="muted">{siteName(sites, i.siteId, i18n.language)} </span>}
                      {(kind === 'checkpoint_out_of_order' || kind === 'checkpoint_skipped') && (
                        <RouteOrderItem item={i} sites={sites} vehicle={vehicle} convoy={convoy} />
                      )}
                      {(i.personIds ?? []).map(person)}
                      {kind === 'missing_in_transit' && can('tracing.manage') && (i.personIds ?? []).map(tracingCase)}
                    </li>
                  );
                })}
              </ul>
            </div>
          );
        })}
      {pageSize && data.data && (
        <Pager
          offset={data.data.offset}
          shown={data.data.items.length}
          pageSize={pageSize}
          total={data.data.total}
          onPage={setOffset}
          labels={{ previous: 'reconcile.previous', next: 'reconcile.next', showing: 'reconcile.showing' }}
          label={title ?? t('reconcile.title')}
          testId="reconciliation-pager"
        />
      )}
    </section>
  );
}
