/**
 * Duplicate review: pairs proposed at registration or by a scan, strongest first, with the
 * matcher's explanation. Confirm (choose which record stays; the other is merged into it and
 * kept), reject (different people), or undo a merge. Nothing is deleted. Pairs found by the
 * check that runs just after each registration arrive while the desk is open: it watches the
 * queue (use-review-summary.ts) and says so.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as commands from '../../api/commands.js';
import type { DuplicateReview, Person } from '../../api/types.js';
import { MatchExplanation } from '../../components/match-explanation.js';
import { ErrorNotice, Loading, Notice } from '../../components/notice.js';
import { isolate, useFormat } from '../../i18n/format.js';
import { shortName } from '../../lib/names.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import * as api from '../../api/endpoints.js';
import { useReviewSummary } from './use-review-summary.js';

const statuses = ['open', 'merged', 'rejected', 'undone'] as const;
/** Pairs read at once: the list asks for this many, and a full page does not say how many there are. */
const PAGE = 50;

function Side({ p, timeZone }: { p: Person | null; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat(timeZone);
  if (!p) return <div className="dup-side muted">—</div>;
  const full = (x?: Record<string, string | undefined>) =>
    x ? [x.given, x.father, x.grandfather, x.family].filter(Boolean).join(' ') : '';
  return (
    <div className="dup-side">
      <strong>{shortName(p, i18n.language)}</strong>
      {full(p.names.ar) && (
        <div dir="rtl" lang="ar">
          {full(p.names.ar)}
        </div>
      )}
      {full(p.names.lat) && (
        <div dir="ltr" lang="en">
          {full(p.names.lat)}
        </div>
      )}
      <div className="muted">
        {t(`sex.${p.sex}`)} · <bdi>{p.ageBand}</bdi> · {p.tag ? <span className="tag">{p.tag}</span> : '—'}
      </div>
      <div className="muted small">
        {t('persons.registered')}: {fmt.dateTime(p.registeredAt)}
      </div>
    </div>
  );
}

export default function Duplicates() {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const [status, setStatus] = useState<(typeof statuses)[number]>('open');
  const list = useResource<DuplicateReview[]>(
    api.urlOf(api.matching.listDuplicates, { operationId: operation.id }, { status, limit: PAGE }),
  );
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const fmt = useFormat(operation.timeZone);
  const watch = useReviewSummary(operation.id, status === 'open');
  const { listLoaded } = watch;
  const shown = status === 'open' && !list.loading ? list.data : undefined;
  useEffect(() => {
    if (shown) listLoaded(shown.length, shown.length >= PAGE);
  }, [shown, listLoaded]);
  // Nothing on screen to lose: the new pairs are shown at once.
  const { reload } = list;
  const nothingShown = (shown?.length ?? 0) === 0;
  useEffect(() => {
    if (watch.changed && nothingShown && !busy) reload();
  }, [watch.changed, nothingShown, busy, reload]);

  async function act(what: () => Promise<unknown>, message: string) {
    setBusy(true);
    setError(undefined);
    try {
      await what();
      setDone(message);
      list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page duplicates-desk">
      <h1>{t('duplicatesDesk.title')}</h1>
      <div className="actions" role="group" aria-label={t('duplicatesDesk.status')}>
        {statuses.map((s) => (
          <button
            key={s}
            type="button"
            className={`button${status === s ? ' primary' : ''}`}
            aria-pressed={status === s}
            onClick={() => {
              setStatus(s);
              setDone(undefined);
            }}
          >
            {t(`duplicatesDesk.statuses.${s}`)}
          </button>
        ))}
        <button
          type="button"
          className="button ghost"
          disabled={busy}
          onClick={() => void act(() => commands.scanDuplicates(operation.id), t('duplicatesDesk.scanned'))}
        >
          {t('duplicatesDesk.scan')}
        </button>
      </div>
      {status === 'open' && watch.summary && watch.summary.checksWaiting > 0 && (
        <p className="muted" aria-live="polite" data-testid="checks-waiting">
          {t('duplicatesDesk.checksWaiting', { n: fmt.number(watch.summary.checksWaiting), count: watch.summary.checksWaiting })}
        </p>
      )}
      {status === 'open' && watch.changed && !nothingShown && watch.summary && (
        <Notice kind="info">
          <span data-testid="queue-changed">
            {t('duplicatesDesk.changed', { n: fmt.number(watch.summary.open), count: watch.summary.open })}
          </span>{' '}
          <button type="button" className="button" onClick={() => list.reload()} data-testid="show-changed">
            {t('duplicatesDesk.showChanged')}
          </button>
        </Notice>
      )}
      {done && <Notice kind="ok">{done}</Notice>}
      <ErrorNotice error={error ?? list.error} />
      {list.loading && <Loading />}
      {list.data?.length === 0 && <p className="muted">{t('duplicatesDesk.none')}</p>}
      {(list.data ?? []).map((r) => {
        const a = r.personA;
        const b = r.personB;
        const name = (p: Person | null) => (p ? shortName(p, i18n.language) : '—');
        return (
          <article key={r.id} className="card dup-pair" data-testid="duplicate-pair">
            <div className="dup-sides">
              <Side p={a} timeZone={operation.timeZone} />
              <Side p={b} timeZone={operation.timeZone} />
            </div>
            <MatchExplanation match={r} />
            <div className="actions">
              {r.status === 'open' && a && b && (
                <>
                  <button
                    type="button"
                    className="button primary"
                    disabled={busy}
                    onClick={() =>
                      void act(() => commands.mergeDuplicate(operation.id, r.id, a.id), t('duplicatesDesk.merged', { keep: name(a) }))
                    }
                    data-testid="merge-keep-a"
                  >
                    {t('duplicatesDesk.keep', { name: isolate(name(a)) })}
                  </button>
                  <button
                    type="button"
                    className="button primary"
                    disabled={busy}
                    onClick={() =>
                      void act(() => commands.mergeDuplicate(operation.id, r.id, b.id), t('duplicatesDesk.merged', { keep: name(b) }))
                    }
                  >
                    {t('duplicatesDesk.keep', { name: isolate(name(b)) })}
                  </button>
                  <button
                    type="button"
                    className="button"
                    disabled={busy}
                    onClick={() => void act(() => commands.rejectDuplicate(operation.id, r.id), t('duplicatesDesk.rejected'))}
                    data-testid="reject-pair"
                  >
                    {t('duplicatesDesk.different')}
                  </button>
                </>
              )}
              {r.status === 'merged' && (
                <button
                  type="button"
                  className="button danger"
                  disabled={busy}
                  onClick={() => void act(() => commands.undoMerge(operation.id, r.id), t('duplicatesDesk.undone'))}
                  data-testid="undo-merge"
                >
                  {t('duplicatesDesk.undo')}
                </button>
              )}
            </div>
          </article>
        );
      })}
    </div>
  );
}
