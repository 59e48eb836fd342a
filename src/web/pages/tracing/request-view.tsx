/**
 * One tracing request: who asks, what is known of the person sought, the ranked candidates with
 * the matcher's explanation, and the outcomes. "This is the person" only proposes the candidate
 * (nothing is disclosed); the case then asks to confirm — after checking the identity — or to
 * say it is not the person, and only the confirmation makes it found and, with the person's
 * consent, disclosable.
 */
import { useEffect, useState, useRef } from 'react';
import { likelihoodOf } from '../../../domain/matching/likelihood.js';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import * as commands from '../../api/commands.js';
import { ApiError } from '../../api/errors.js';
import { read } from '../../api/read.js';
import type { Site, TracingDetail, TracingElsewhere, TracingSummary } from '../../api/types.js';
import { Field } from '../../components/field.js';
import { MatchExplanation } from '../../components/match-explanation.js';
import { ErrorNotice, Loading, Notice } from '../../components/notice.js';
import { isolate, useAgeBand, useFormat } from '../../i18n/format.js';
import { tIsolated } from '../../components/isolated.js';
import { shortName, siteMap, siteName } from '../../lib/names.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import * as api from '../../api/endpoints.js';

export const soughtName = (s: TracingSummary['sought'], lang: string) => shortName({ names: s.names }, lang);

/** Events the server writes by itself (tracing closes the loop): their note is an id, shown as words. */
const SYSTEM_EVENTS = new Set(['candidate_proposed', 'candidate_checked_in', 'request_linked']);

type Outcome = 'found' | 'confirm_found' | 'not_the_person' | 'reunited' | 'not_found' | 'consent_refused' | 'closed';

export function RequestView({
  id,
  onChanged,
  onOpenRequest,
  news = 0,
}: {
  id: string;
  onChanged: () => void;
  onOpenRequest: (id: string) => void;
  /** Moves when the live stream says this request has news: it is read again. */
  news?: number;
}) {
  const { t, i18n } = useTranslation();
  const band = useAgeBand();
  const { operation } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const onOp = { operationId: operation.id };
  const req = useResource<TracingDetail>(api.urlOf(api.matching.getTracing, { ...onOp, requestId: id }));
  const sites = useResource<Site[]>(api.urlOf(api.operations.listSites, onOp));
  const bySite = siteMap(sites.data);
  const [detail, setDetail] = useState<TracingDetail>();
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>();
  const [elsewhere, setElsewhere] = useState<TracingElsewhere | 'loading'>();
  const r = detail ?? req.data;
  // Opening a request with news reads the news: the list drops its "New" mark.
  const hadNews = req.data?.attentionAt != null;
  useEffect(() => {
    if (hadNews) onChanged();
  }, [hadNews, onChanged]);

  const { reload } = req;
  const newsSeen = useRef(news);
  useEffect(() => {
    if (news === newsSeen.current) return;
    newsSeen.current = news;
    setDetail(undefined);
    reload();
  }, [news, reload]);

  async function outcome(o: Outcome, personId?: string) {
    setError(undefined);
    try {
      setDetail(
        await commands.recordTracingOutcome(operation.id, id, {
          outcome: o,
          ...(personId ? { personId } : {}),
          ...(note.trim() ? { note: note.trim() } : {}),
        }),
      );
      setNote('');
      onChanged();
    } catch (err) {
      setError(err);
      // Someone changed the case meanwhile: show it as it stands now.
      if (err instanceof ApiError && err.status === 409) {
        setDetail(undefined);
        req.reload();
      }
    }
  }
  function eventText(e: TracingDetail['events'][number]) {
    if (e.kind === 'candidate_checked_in')
      return t('tracing.eventKinds.candidate_checked_in', { site: siteName(bySite, e.note, i18n.language) });
    if (SYSTEM_EVENTS.has(e.kind)) return t(`tracing.eventKinds.${e.kind as 'candidate_proposed'}`);
    return t(`tracing.statuses.${e.kind}`, { defaultValue: e.kind });
  }
  async function searchElsewhere() {
    setError(undefined);
    setElsewhere('loading');
    try {
      setElsewhere(await read<TracingElsewhere>(api.urlOf(api.matching.searchTracingElsewhere, { ...onOp, requestId: id })));
    } catch (err) {
      setElsewhere(undefined);
      setError(err);
    }
  }
  async function rematch() {
    setError(undefined);
    try {
      setDetail(await commands.rematchTracing(operation.id, id));
      onChanged();
    } catch (err) {
      setError(err);
    }
  }

  if (!r) return req.error ? <ErrorNotice error={req.error} /> : <Loading />;
  const closed = !['open'].includes(r.status);
  const pendingCandidate = r.candidates.find((c) => c.personId === r.foundPersonId);
  const pendingName = `\u2068${pendingCandidate ? shortName(pendingCandidate.person, i18n.language) : '—'}\u2069`;
  return (
    <section className="card" aria-labelledby="req-title" data-testid="tracing-request">
      <h2 id="req-title">
        {t('tracing.looking', { name: isolate(soughtName(r.sought, i18n.language)) })}{' '}
        <span className="pill" data-testid="tracing-status">
          {t(`tracing.statuses.${r.status}`)}
        </span>
      </h2>
      <p className="muted">
        {t('tracing.askedBy', { name: isolate(r.enquirer.name), relation: t(`tracing.relations.${r.relation}`) })}
        {r.enquirer.personId && (
          <>
            {' '}
            ·{' '}
            <Link
              to={`/op/${encodeURIComponent(operation.id)}/persons/${encodeURIComponent(r.enquirer.personId)}`}
              data-testid="enquirer-record"
            >
              {t('persons.record')}
            </Link>
          </>
        )}
        {r.enquirer.phone && (
          <>
            {' '}
            · <bdi dir="ltr">{r.enquirer.phone}</bdi>
          </>
        )}
        {(r.sought.ageMin !== undefined || r.sought.ageMax !== undefined) && (
          <>
            {' '}
            ·{' '}
            {t('tracing.ageRange', {
              min: r.sought.ageMin !== undefined ? fmt.number(r.sought.ageMin) : '?',
              max: r.sought.ageMax !== undefined ? fmt.number(r.sought.ageMax) : '?',
            })}
          </>
        )}
        {r.sought.lastSeenPlace && (
          <>
            {' '}
            · {t('tracing.lastSeen')}: <bdi>{r.sought.lastSeenPlace}</bdi>
          </>
        )}
      </p>
      {r.disclosure && (
        <Notice kind={r.disclosure.allowed ? 'ok' : 'warn'}>
          {r.disclosure.allowed
            ? t('tracing.mayDisclose', { site: siteName(bySite, r.disclosure.siteId, i18n.language) })
            : t('tracing.noContact')}
        </Notice>
      )}
      {r.status === 'found_pending' && r.foundPersonId && (
        <div className="notice warn" role="group" aria-labelledby="confirm-title" data-testid="tracing-confirm-step">
          <p>{t('tracing.pending', { name: pendingName })}</p>
          <h3 id="confirm-title">{t('tracing.confirmTitle', { name: pendingName })}</h3>
          <p>{t('tracing.confirmText')}</p>
          {r.proposedByYou && <p data-testid="tracing-second-officer">{t('tracing.secondOfficer')}</p>}
          <div className="actions">
            {!r.proposedByYou && (
              <button
                type="button"
                className="button primary"
                data-testid="tracing-confirm"
                onClick={() => void outcome('confirm_found', r.foundPersonId!)}
              >
                {t('tracing.confirm')}
              </button>
            )}
            <button
              type="button"
              className="button"
              data-testid="tracing-not-the-person"
              onClick={() => void outcome('not_the_person', r.foundPersonId!)}
            >
              {t('tracing.notThePerson')}
            </button>
          </div>
        </div>
      )}
      <ErrorNotice error={error} />
      <h3>{t('tracing.ranked')}</h3>
      {r.candidates.length === 0 && <p className="muted">{t('tracing.noCandidates')}</p>}
      <ol className="results candidates">
        {r.candidates.map((c) => (
          <li key={c.personId} data-testid="tracing-candidate">
            <strong>{shortName(c.person, i18n.language)}</strong> {c.person.tag && <span className="tag">{c.person.tag}</span>}
            <span className="muted">
              {' '}
              · {t(`sex.${c.person.sex}`)} · <bdi>{band(c.person.ageBand)}</bdi>
              {c.person.birthYear !== null && <> · {t('tracing.bornIn', { year: fmt.integer(c.person.birthYear) })}</>}
              {c.person.origin && <> · {tIsolated(t, 'tracing.from', { origin: c.person.origin })}</>}
              {c.lastCheckIn ? (
                <>
                  {' '}
                  ·{' '}
                  {t('tracing.checkedInAt', {
                    site: siteName(bySite, c.lastCheckIn.siteId, i18n.language),
                    at: fmt.dateTime(c.lastCheckIn.at),
                  })}
                </>
              ) : (
                // Two people of one name tell apart by where and when they were registered.
                <>
                  {' '}
                  ·{' '}
                  {t('tracing.registeredAtSite', {
                    site: c.person.siteId ? siteName(bySite, c.person.siteId, i18n.language) : '—',
                    at: fmt.dateTime(c.person.registeredAt),
                  })}
                </>
              )}
            </span>
            <MatchExplanation match={c} />
            {!closed && (
              <button type="button" className="button primary" onClick={() => void outcome('found', c.personId)} data-testid="found-this">
                {t('tracing.foundThis')}
              </button>
            )}
          </li>
        ))}
      </ol>
      <Field label={t('tracing.outcomeNote')} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      <div className="actions">
        <button type="button" className="button" onClick={() => void rematch()}>
          {t('tracing.rematch')}
        </button>
        <button type="button" className="button" onClick={() => void searchElsewhere()} data-testid="tracing-elsewhere">
          {t('tracing.elsewhere')}
        </button>
        {r.status === 'found' && (
          <button type="button" className="button primary" onClick={() => void outcome('reunited')} data-testid="reunited">
            {t('tracing.outcomes.reunited')}
          </button>
        )}
        {!closed && (
          <button type="button" className="button" onClick={() => void outcome('not_found')}>
            {t('tracing.outcomes.not_found')}
          </button>
        )}
        {!closed && (
          <button type="button" className="button" onClick={() => void outcome('consent_refused')}>
            {t('tracing.outcomes.consent_refused')}
          </button>
        )}
        {r.status !== 'closed' && r.status !== 'found_pending' && (
          <button type="button" className="button ghost" onClick={() => void outcome('closed')}>
            {t('tracing.outcomes.closed')}
          </button>
        )}
      </div>
      {elsewhere === 'loading' && <Loading />}
      {elsewhere && elsewhere !== 'loading' && (
        <section aria-labelledby="elsewhere-title" data-testid="tracing-elsewhere-results">
          <h3 id="elsewhere-title">{t('tracing.elsewhereTitle')}</h3>
          {elsewhere.operations.length === 0 && <p className="muted">{t('tracing.elsewhereNoOperation')}</p>}
          {elsewhere.operations.map((o) => (
            <div key={o.operationId}>
              <h4>{(i18n.language === 'ar' && o.nameAr) || o.nameEn}</h4>
              {o.candidates.length === 0 && <p className="muted">{t('tracing.elsewhereNobody')}</p>}
              <ol className="results candidates">
                {o.candidates.map((c) => (
                  <li key={c.personId} data-testid="tracing-elsewhere-candidate">
                    <strong>{shortName(c.person, i18n.language)}</strong> {c.person.tag && <span className="tag">{c.person.tag}</span>}
                    <span className="muted">
                      {' '}
                      · {t(`sex.${c.person.sex}`)} · <bdi>{band(c.person.ageBand)}</bdi>
                      {c.lastCheckIn && (
                        <> · {t('tracing.checkedInAt', { site: c.lastCheckIn.siteId ?? '—', at: fmt.dateTime(c.lastCheckIn.at) })}</>
                      )}
                    </span>
                    <MatchExplanation match={c} />
                  </li>
                ))}
              </ol>
            </div>
          ))}
        </section>
      )}
      {r.linkedRequests.length > 0 && (
        <>
          <h3>{t('tracing.linkedTitle')}</h3>
          <ul className="results" data-testid="tracing-linked">
            {r.linkedRequests.map((l) => (
              <li key={l.requestId}>
                {t(`tracing.directions.${l.direction}`)} · {t(`match.likelihood.${likelihoodOf(l.probability)}`)} ·{' '}
                <span className="pill">{t(`tracing.statuses.${l.status}`, { defaultValue: l.status })}</span>{' '}
                <button type="button" className="button ghost" onClick={() => onOpenRequest(l.requestId)}>
                  {t('tracing.linkedOpen')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {r.events.length > 0 && (
        <>
          <h3>{t('tracing.history')}</h3>
          <ul className="results">
            {r.events.map((e) => (
              <li key={e.id}>
                {fmt.dateTime(e.at)} · {eventText(e)}
                {e.note && !SYSTEM_EVENTS.has(e.kind) && <> · {e.note}</>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
