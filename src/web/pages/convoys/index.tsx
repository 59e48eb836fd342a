/**
 * Convoy board: planning a new convoy on a route (new work first), every convoy of the operation
 * grouped by where it is (being prepared, on the road, finished — the finished ones folded away,
 * they are many by the end of an operation), and the open convoy's detail — its moves, vehicles,
 * manifest and what does not add up — brought into view and focused when opened. The open convoy
 * is in the address (?convoy=…), so a reload or a shared link keeps it.
 */
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { onTheRoadStates, terminalStates, type ConvoyState } from '../../../domain/convoys/state-machine.js';
import * as commands from '../../api/commands.js';
import type { ConvoySummary, MovementWindowInfo, RouteInfo, Site } from '../../api/types.js';
import { Field, SelectField } from '../../components/field.js';
import { ErrorNotice, Loading, Notice } from '../../components/notice.js';
import { useFormat } from '../../i18n/format.js';
import { localRouteName, routeArrow, siteMap, siteName } from '../../lib/names.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import { ConvoyDetailView } from './convoy-detail.js';
import { useConvoyCopy } from './use-convoy-copy.js';
import { useBoardingListDownload } from './boarding-list.js';
import * as api from '../../api/endpoints.js';

const VaultPin = lazy(() => import('../../components/vault-pin.js'));

const groups: { id: 'planning' | 'road' | 'done'; has: (s: ConvoyState) => boolean }[] = [
  { id: 'planning', has: (s) => s === 'planned' || s === 'boarding' },
  { id: 'road', has: (s) => onTheRoadStates.includes(s) },
  { id: 'done', has: (s) => terminalStates.includes(s) },
];

export default function Convoys() {
  const { t, i18n } = useTranslation();
  const { operation, can } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const onOp = { operationId: operation.id };
  const convoys = useResource<ConvoySummary[]>(api.urlOf(api.convoys.listConvoys, onOp));
  const routes = useResource<RouteInfo[]>(api.urlOf(api.convoys.listRoutes, onOp));
  const sites = useResource<Site[]>(api.urlOf(api.operations.listSites, onOp));
  const windows = useResource<MovementWindowInfo[]>(api.urlOf(api.convoys.listMovementWindows, onOp));
  const [params, setParams] = useSearchParams();
  const open = params.get('convoy');
  const [routeId, setRouteId] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [showFinished, setShowFinished] = useState(false);
  // Kept on the phone for the board with no network: convoys being prepared and their vehicles (no names).
  const [changes, setChanges] = useState(0);
  useConvoyCopy(sites.data, routes.data, convoys.data, changes);
  // And, sealed in the phone vault, the households still to board (boarding with no network: offline-boarding.tsx).
  useBoardingListDownload(operation.id, can('convoy.manage'), changes);
  const bySite = siteMap(sites.data);
  const routeText = (id: string) =>
    (routes.data?.find((r) => r.id === id)?.siteIds ?? []).map((s) => siteName(bySite, s, i18n.language)).join(routeArrow(i18n.language));
  const chosenRoute = routeId || routes.data?.[0]?.id || '';

  async function create(e: FormEvent) {
    e.preventDefault();
    if (!chosenRoute) return;
    setBusy(true);
    setError(undefined);
    try {
      const c = await commands.createConvoy(operation.id, { routeId: chosenRoute, ...(name.trim() ? { name: name.trim() } : {}) });
      setName('');
      convoys.reload();
      setParams({ convoy: c.id });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const cards = (list: ConvoySummary[]) => (
    <ul className="convoy-list">
      {list.map((c) => (
        <li key={c.id}>
          <button
            type="button"
            className={`convoy-card${open === c.id ? ' open' : ''}`}
            aria-pressed={open === c.id}
            aria-controls={open === c.id ? 'convoy-detail' : undefined}
            onClick={() => setParams({ convoy: c.id })}
            data-testid={`convoy-${c.id}`}
          >
            <strong>
              <bdi>{c.name ?? c.id}</bdi>
            </strong>
            <span className={`state state-${c.state}`}>{t(`convoys.states.${c.state}`)}</span>
            <span className="muted small">{routeText(c.routeId)}</span>
            {c.dispatchedAt && <span className="muted small">{t('convoys.dispatchedAt', { at: fmt.dateTime(c.dispatchedAt) })}</span>}
          </button>
        </li>
      ))}
    </ul>
  );

  if (convoys.loading && !convoys.data) return <Loading />;
  return (
    <div className="page convoys">
      <h1>{t('convoys.title')}</h1>
      <ErrorNotice error={convoys.error ?? routes.error} />
      {can('convoy.manage') && (
        <Suspense fallback={null}>
          <VaultPin />
        </Suspense>
      )}
      {can('convoy.manage') && (
        <form className="card grid-form" onSubmit={create} aria-labelledby="new-convoy" data-testid="new-convoy">
          <h2 id="new-convoy">{t('convoys.newConvoy')}</h2>
          {routes.data && routes.data.length === 0 && <Notice kind="warn">{t('convoys.noRoutes')}</Notice>}
          <SelectField label={t('convoys.route')} value={chosenRoute} onChange={(e) => setRouteId(e.target.value)}>
            {(routes.data ?? []).map((r) => (
              <option key={r.id} value={r.id}>
                {localRouteName(r, i18n.language)} · {routeText(r.id)}
              </option>
            ))}
          </SelectField>
          <Field label={t('convoys.name')} value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
          <ErrorNotice error={error} />
          <div className="actions">
            <button className="button primary" type="submit" disabled={busy || !chosenRoute}>
              {t('convoys.create')}
            </button>
          </div>
        </form>
      )}
      <div className="board" data-testid="convoy-board">
        {groups.map((g) => {
          const list = (convoys.data ?? []).filter((c) => g.has(c.state));
          return (
            <section key={g.id} className="board-column" aria-labelledby={`col-${g.id}`}>
              <h2 id={`col-${g.id}`}>
                {t(`convoys.groups.${g.id}`)} <span className="pill">{fmt.number(list.length)}</span>
              </h2>
              {list.length === 0 && <p className="muted">{t('convoys.empty')}</p>}
              {g.id === 'done' && list.length > 0 ? (
                <details
                  data-testid="finished-convoys"
                  open={showFinished || list.some((c) => c.id === open)}
                  onToggle={(e) => setShowFinished(e.currentTarget.open)}
                >
                  <summary>{t('convoys.showFinished', { n: fmt.number(list.length) })}</summary>
                  {cards(list)}
                </details>
              ) : (
                cards(list)
              )}
            </section>
          );
        })}
      </div>
      {open && (
        <ConvoyDetailView
          key={open}
          convoyId={open}
          routes={routes.data ?? []}
          sites={bySite}
          windows={windows.data ?? []}
          onChanged={() => {
            convoys.reload();
            setChanges((n) => n + 1);
          }}
          onClose={() => setParams({})}
        />
      )}
    </div>
  );
}
