/**
 * One tracing request: who asks, what is known of the person sought, the ranked candidates with
 * the matcher's explanation, and the outcomes. "This is the person" only proposes the candidate
 * (nothing is disclosed); the case then asks to confirm — after checking the identity — or to
 * say it is not the person, and only the confirmation makes it found and, with the person's
 * consent, disclosable.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import * as commands from '../../api/commands.js';
import { ApiError } from '../../api/errors.js';
import type { Site, TracingDetail, TracingSummary } from '../../api/types.js';
import { Field } from '../../components/field.js';
import { MatchExplanation } from '../../components/match-explanation.js';
import { ErrorNotice, Loading, Notice } from '../../components/notice.js';
import { useFormat } from '../../i18n/format.js';
import { shortName, siteMap, siteName } from '../../lib/names.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import * as api from '../../api/endpoints.js';

export const soughtName = (s: TracingSummary['sought'], lang: string) => shortName({ names: s.names }, lang);

type Outcome = 'found' | 'confirm_found' | 'not_the_person' | 'reunited' | 'not_found' | 'consent_refused' | 'closed';

export function RequestView({ id, onChanged }: { id: string; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const onOp = { operationId: operation.id };
  const req = useResource<TracingDetail>(api.urlOf(api.matching.getTracing, { ...onOp, requestId: id }));
  const sites = useResource<Site[]>(api.urlOf(api.operations.listSites, onOp));
  const bySite = siteMap(sites.data);
  const [detail, setDetail] = useState<TracingDetail>();
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>();
  const r = detail ?? req.data;

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
        {t('tracing.looking', { name: soughtName(r.sought, i18n.language) })}{' '}
        <span className="pill" data-testid="tracing-status">
          {t(`tracing.statuses.${r.status}`)}
        </span>
      </h2>
      <p className="muted">
        {t('tracing.askedBy', { name: r.enquirer.name, relation: t(`tracing.relations.${r.relation}`) })}
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
          <> · {t('tracing.ageRange', { min: r.sought.ageMin ?? '?', max: r.sought.ageMax ?? '?' })}</>
        )}
        {r.sought.lastSeenPlace && (
          <>
            {' '}
            · {t('tracing.lastSeen')}: {r.sought.lastSeenPlace}
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
              · {t(`sex.${c.person.sex}`)} · <bdi>{c.person.ageBand}</bdi>
              {c.lastCheckIn && (
                <>
                  {' '}
                  ·{' '}
                  {t('tracing.checkedInAt', {
                    site: siteName(bySite, c.lastCheckIn.siteId, i18n.language),
                    at: fmt.dateTime(c.lastCheckIn.at),
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
      {r.events.length > 0 && (
        <>
          <h3>{t('tracing.history')}</h3>
          <ul className="results">
            {r.events.map((e) => (
              <li key={e.id}>
                {fmt.dateTime(e.at)} · {t(`tracing.statuses.${e.kind}`, { defaultValue: e.kind })}
                {e.note && <> · {e.note}</>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
