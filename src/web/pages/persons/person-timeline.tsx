/**
 * A person's timeline on their record: every fact about them and their household, oldest
 * first — who it concerns, what happened, where, on which vehicle and convoy, and who recorded
 * it. Read once with the record (the server audits the read).
 */
import { useTranslation } from 'react-i18next';
import type { PersonTimeline, Site, TimelineEntry } from '../../api/types.js';
import { ErrorNotice, Loading } from '../../components/notice.js';
import { useFormat } from '../../i18n/format.js';
import { shortName, siteMap, siteName } from '../../lib/names.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import * as api from '../../api/endpoints.js';

/** First-strong isolate: a Latin name inside Arabic text (or the reverse) keeps its own direction. */
const isolate = (s: string) => `\u2068${s}\u2069`;

export function Timeline({ personId }: { personId: string }) {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const onOp = { operationId: operation.id };
  const data = useResource<PersonTimeline>(api.urlOf(api.persons.getPersonTimeline, { ...onOp, personId }));
  const sites = siteMap(useResource<Site[]>(api.urlOf(api.operations.listSites, onOp)).data);
  const members = new Map((data.data?.members ?? []).map((m) => [m.id, m]));
  const who = (id: string | null) => {
    if (!id) return '';
    if (id === personId) return t('persons.timeline.thisPerson');
    const m = members.get(id);
    return m ? isolate(shortName(m, i18n.language)) : '—';
  };
  const describe = (e: TimelineEntry) => {
    // A correction names the kind of fact it voids, in the user's words (without the member's name).
    const what =
      typeof e.details.corrects === 'string'
        ? t(`persons.timeline.kinds.${e.details.corrects}`, { who: '', defaultValue: e.details.corrects }).trim()
        : '';
    const parts = [t(`persons.timeline.kinds.${e.kind}`, { who: who(e.personId), what, defaultValue: e.kind })];
    if (e.details.voided === 1) parts[0] = `${parts[0]} ${t('persons.timeline.voided')}`;
    if (e.siteId) parts.push(t('persons.timeline.at', { site: siteName(sites, e.siteId, i18n.language) }));
    if (e.vehicleId) parts.push(t('persons.timeline.vehicle', { vehicle: isolate(e.vehiclePlate ?? e.vehicleId) }));
    if (e.convoyId) parts.push(t('persons.timeline.convoy', { convoy: isolate(e.convoyName ?? e.convoyId) }));
    if (typeof e.details.observedHeadCount === 'number')
      parts.push(t('persons.timeline.headCount', { n: fmt.number(e.details.observedHeadCount) }));
    if (typeof e.details.shelter === 'string') parts.push(t('persons.timeline.shelter', { shelter: isolate(e.details.shelter) }));
    if (typeof e.details.reason === 'string') parts.push(t(`convoys.haltReasons.${e.details.reason}`, { defaultValue: e.details.reason }));
    if (typeof e.details.outcome === 'string') parts.push(t(`alerts.outcomes.${e.details.outcome}`, { defaultValue: e.details.outcome }));
    return parts.join(' · ');
  };
  return (
    <section className="card" aria-labelledby="timeline-title" data-testid="person-timeline">
      <h2 id="timeline-title">{t('persons.timeline.title')}</h2>
      {data.loading && <Loading />}
      <ErrorNotice error={data.error} />
      {data.data?.entries.length === 0 && <p className="muted">{t('persons.timeline.none')}</p>}
      <ol className="results timeline">
        {(data.data?.entries ?? []).map((e, i) => (
          <li key={`${e.kind}-${e.factId ?? i}`} data-testid="timeline-entry" data-kind={e.kind}>
            <time dateTime={e.at} className="muted">
              {fmt.dateTime(e.at)}
            </time>{' '}
            <span>{describe(e)}</span>
            {e.by && (
              <span className="muted">
                {' '}
                ·{' '}
                {e.by.kind === 'device'
                  ? t('persons.timeline.byDevice', { name: isolate(e.by.name) })
                  : t('persons.timeline.by', { name: isolate(e.by.name) })}
              </span>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
