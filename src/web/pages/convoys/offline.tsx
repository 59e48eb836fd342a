/**
 * The convoy board opened with no network (pages/checkpoint/offline.tsx), from the desk copy the
 * board keeps (use-convoy-copy.ts): the convoys being prepared with their vehicles, as of when
 * they were saved. A head count of a head-count vehicle is taken here and waits in the outbox
 * (ids and numbers, no names); a household is boarded from the list of households still to board
 * that the phone keeps sealed in its vault (offline-boarding.tsx: opened with the PIN after a
 * reload), and waits in the outbox too. The manifest itself (who is on board, by name) is not kept.
 */
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { DeskCopy } from '../../lib/checkpoint-copy.js';
import { preparedStates } from '../../lib/checkpoint-copy.js';
import { Notice } from '../../components/notice.js';
import { useFormat } from '../../i18n/format.js';
import { routeArrow, siteMap, siteName } from '../../lib/names.js';
import { useOperation } from '../../session/operation.js';
import { HeadCountEditor } from './head-count.js';
import { OfflineBoarding } from './offline-boarding.js';
import { VehiclesTable } from './vehicles-table.js';

export default function OfflineConvoys({ copy }: { copy: DeskCopy }) {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const [params, setParams] = useSearchParams();
  const bySite = siteMap(copy.sites);
  const convoys = copy.convoys.filter((c) => preparedStates.includes(c.state));
  const open = convoys.find((c) => c.id === params.get('convoy'));
  const routeText = (id: string) =>
    (copy.routes.find((r) => r.id === id)?.siteIds ?? []).map((s) => siteName(bySite, s, i18n.language)).join(routeArrow(i18n.language));
  return (
    <div className="page convoys">
      <h1>{t('convoys.title')}</h1>
      <div data-testid="convoys-offline">
        <Notice kind="info">{t('convoys.offlineAsOf', { time: fmt.dateTime(copy.savedAt) })}</Notice>
      </div>
      {convoys.length === 0 && <p className="muted">{t('convoys.offlineNone')}</p>}
      <ul className="convoy-list" data-testid="convoy-board">
        {convoys.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className={`convoy-card${open?.id === c.id ? ' open' : ''}`}
              aria-pressed={open?.id === c.id}
              onClick={() => setParams({ convoy: c.id })}
              data-testid={`convoy-${c.id}`}
            >
              <strong>
                <bdi>{c.name ?? c.id}</bdi>
              </strong>
              <span className={`state state-${c.state}`}>{t(`convoys.states.${c.state}`)}</span>
              <span className="muted small">{routeText(c.routeId)}</span>
            </button>
          </li>
        ))}
      </ul>
      {open && (
        <section className="card convoy-detail" aria-labelledby="convoy-title" data-testid="convoy-detail">
          <h2 id="convoy-title">
            <bdi>{open.name ?? open.id}</bdi>{' '}
            <span className={`state state-${open.state}`} data-testid="convoy-state">
              {t(`convoys.states.${open.state}`)}
            </span>
          </h2>
          <h3>{t('convoys.vehicles')}</h3>
          <VehiclesTable vehicles={open.vehicles} />
          {open.vehicles
            .filter((v) => v.mode === 'head_count')
            .map((v) => (
              <div key={v.id} className="manifest-vehicle">
                <h4>
                  <span className="mono" dir="ltr">
                    {v.id}
                  </span>{' '}
                  · {t(`convoys.kinds.${v.kind}`)}
                </h4>
                <HeadCountEditor convoyId={open.id} vehicle={{ ...v, headCount: null }} editable onSaved={() => undefined} />
              </div>
            ))}
          <OfflineBoarding key={open.id} convoy={open} />
        </section>
      )}
    </div>
  );
}
