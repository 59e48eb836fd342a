/**
 * A convoy's road, from its standing facts: departure, each checkpoint passage with the heads
 * counted against those expected (a mismatch marked), halts, incidents with their casualties,
 * arrival. Read again whenever the convoy detail is.
 */
import { useTranslation } from 'react-i18next';
import type { ConvoyTimeline as Timeline, Site } from '../../api/types.js';
import { ErrorNotice, Loading } from '../../components/notice.js';
import { useFormat } from '../../i18n/format.js';
import { siteName } from '../../lib/names.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import * as api from '../../api/endpoints.js';
import { useEffect } from 'react';

export function ConvoyTimeline({ convoyId, sites, reloadKey }: { convoyId: string; sites: Map<string, Site>; reloadKey: number }) {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const timeline = useResource<Timeline>(api.urlOf(api.convoyOps.getConvoyTimeline, { operationId: operation.id, convoyId }));
  const { reload } = timeline;
  useEffect(() => {
    if (reloadKey > 0) reload();
  }, [reloadKey, reload]);
  if (!timeline.data) return timeline.error ? <ErrorNotice error={timeline.error} /> : <Loading />;
  const site = (id: string | null) => (id ? siteName(sites, id, i18n.language) : '—');
  return (
    <section aria-labelledby="convoy-timeline" data-testid="convoy-timeline">
      <h3 id="convoy-timeline">{t('convoyOps.timeline')}</h3>
      <p className="muted">{t('convoyOps.expectedHeads', { n: fmt.number(timeline.data.expected) })}</p>
      {timeline.data.entries.length === 0 ? (
        <p className="muted">{t('convoyOps.noTimeline')}</p>
      ) : (
        <ol className="timeline">
          {timeline.data.entries.map((e, i) => {
            const mismatch = e.counted !== null && e.expected !== null && e.counted !== e.expected;
            return (
              <li key={i} className={`timeline-entry entry-${e.kind}`} data-kind={e.kind}>
                <time dateTime={e.at}>{fmt.dateTime(e.at)}</time>{' '}
                <strong>{t(`convoyOps.entries.${e.kind}`, { site: site(e.siteId) })}</strong>
                {e.reason && <> · {t(`convoys.haltReasons.${e.reason}` as 'convoys.haltReasons.other')}</>}
                {e.vehicleId && (
                  <>
                    {' '}
                    ·{' '}
                    <span className="mono" dir="ltr">
                      {e.vehicleId}
                    </span>
                  </>
                )}
                {e.incident && (
                  <>
                    {' '}
                    · {t(`checkpoint.incidentKinds.${e.incident.incidentKind}` as 'checkpoint.incidentKinds.other')} ·{' '}
                    {t(`checkpoint.severities.${e.incident.severity}` as 'checkpoint.severities.low')}
                    {e.incident.injured + e.incident.killed + e.incident.detained > 0 && (
                      <>
                        {' '}
                        ·{' '}
                        <span className="pill alert">
                          {t('convoyOps.casualties', {
                            injured: fmt.number(e.incident.injured),
                            killed: fmt.number(e.incident.killed),
                            detained: fmt.number(e.incident.detained),
                          })}
                        </span>
                      </>
                    )}
                  </>
                )}
                {(e.kind === 'passed' || e.kind === 'arrived') && (
                  <>
                    {' '}
                    ·{' '}
                    <span className={mismatch ? 'field-error' : ''} data-testid="timeline-heads">
                      {e.counted === null
                        ? t('convoyOps.notCounted')
                        : e.expected === null
                          ? t('convoyOps.countedNoExpected', { counted: fmt.number(e.counted) })
                          : t('convoyOps.counted', { counted: fmt.number(e.counted), expected: fmt.number(e.expected), count: e.expected })}
                      {mismatch && <> ({t('convoyOps.mismatch')})</>}
                    </span>
                  </>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
