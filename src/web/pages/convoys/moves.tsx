/**
 * The commands that move a convoy. Only the moves the state machine allows are offered; if the
 * convoy moved meanwhile (another officer, a checkpoint), the server's 409 names what is
 * allowed now and the board reloads. Dispatch is checked against the movement windows before
 * sending (the shared checkDispatch); outside a window a coordinator may override with a reason.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { checkDispatch } from '../../../domain/convoys/routes.js';
import type { ConvoyEvent } from '../../../domain/convoys/state-machine.js';
import { haltReasons } from '../../../domain/movements/facts.js';
import * as commands from '../../api/commands.js';
import { ApiError } from '../../api/errors.js';
import { newClientId } from '../../api/write.js';
import type { ConvoyDetail, MovementWindowInfo, RouteInfo, Site } from '../../api/types.js';
import { Field, SelectField } from '../../components/field.js';
import { ErrorNotice, Notice } from '../../components/notice.js';
import { useFormat } from '../../i18n/format.js';
import { localWindowNote, siteName } from '../../lib/names.js';
import { useOperation } from '../../session/operation.js';

const needsForm: ConvoyEvent[] = ['depart', 'halt', 'turn_back', 'pass_checkpoint', 'arrive', 'cancel'];

export function Moves({
  convoy,
  route,
  sites,
  windows,
  onMoved,
  onStale,
}: {
  convoy: ConvoyDetail;
  route: RouteInfo | undefined;
  sites: Map<string, Site>;
  windows: MovementWindowInfo[];
  onMoved: () => void;
  onStale: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { operation, can } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const [pending, setPending] = useState<ConvoyEvent>();
  const [reason, setReason] = useState<(typeof haltReasons)[number]>('checkpoint_inspection');
  const [note, setNote] = useState('');
  const [siteId, setSiteId] = useState('');
  const [override, setOverride] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const siteIds = route?.siteIds ?? [];
  const middle = siteIds.slice(1, -1);

  const now = new Date().toISOString();
  const decision = checkDispatch(
    windows.map((w) => ({ start: w.start, end: w.end })),
    now,
  );
  const nextWindow = !decision.ok ? (decision.details.nextWindow as MovementWindowInfo | undefined) : undefined;
  // The note of the window a dispatch falls in (or of the next one): its terms, in the user's language.
  const shownWindow = decision.ok && decision.decision === 'allowed' ? decision.window : nextWindow;
  const shownNote = shownWindow
    ? localWindowNote(windows.find((w) => w.start === shownWindow.start && w.end === shownWindow.end) ?? { note: null }, i18n.language)
    : null;
  const windowNote = shownNote && (
    <>
      {' '}
      <bdi data-testid="window-note">{shownNote}</bdi>
    </>
  );
  const mayOverride = can('operation.manage');

  async function send(event: ConvoyEvent) {
    setBusy(true);
    setError(undefined);
    const body: Parameters<typeof commands.moveConvoy>[2] = { event };
    if (event === 'halt' || event === 'turn_back') {
      body.reason = reason;
      if (note.trim()) body.note = note.trim();
    }
    if (event === 'cancel' && note.trim()) body.note = note.trim();
    if (event === 'pass_checkpoint') body.siteId = siteId || middle[0] || '';
    if (event === 'arrive') body.siteId = siteId || siteIds[siteIds.length - 1] || '';
    if (event === 'depart' && !decision.ok && override.trim()) body.override = { reason: override.trim() };
    try {
      await commands.moveConvoy(operation.id, convoy.id, body, newClientId());
      setPending(undefined);
      setNote('');
      setOverride('');
      onMoved();
    } catch (err) {
      setError(err);
      // The convoy moved meanwhile: show what is allowed now.
      if (err instanceof ApiError && err.code === 'convoy.invalid_transition') {
        setPending(undefined);
        onStale();
      }
    } finally {
      setBusy(false);
    }
  }

  const click = (event: ConvoyEvent) => {
    setError(undefined);
    if (needsForm.includes(event)) {
      setPending(pending === event ? undefined : event);
      setSiteId('');
    } else void send(event);
  };
  const confirm = (e: FormEvent) => {
    e.preventDefault();
    if (pending) void send(pending);
  };
  const canSendDepart = decision.ok || (mayOverride && override.trim().length > 0);

  return (
    <div className="moves" data-testid="moves">
      <div className="actions" role="group" aria-label={t('convoys.moves')}>
        {convoy.allowed.length === 0 && <span className="muted">{t('convoys.allowedNone')}</span>}
        {convoy.allowed
          .filter((a) => a.to !== convoy.state)
          .map((a) => (
            <button
              key={a.event}
              type="button"
              className={`button${a.event === 'depart' ? ' primary' : ''}${a.event === 'cancel' || a.event === 'turn_back' ? ' danger' : ''}`}
              aria-expanded={needsForm.includes(a.event) ? pending === a.event : undefined}
              disabled={busy}
              onClick={() => click(a.event)}
              data-testid={`move-${a.event}`}
            >
              {t(`convoys.events.${a.event}`)}
            </button>
          ))}
      </div>
      <ErrorNotice error={error} />
      {pending && (
        <form className="card grid-form sub-form" onSubmit={confirm} aria-label={t(`convoys.events.${pending}`)} data-testid="move-form">
          {pending === 'depart' &&
            (decision.ok && decision.decision === 'allowed' ? (
              <Notice kind="ok">
                {t('convoys.windowOpen', { end: fmt.dateTime(decision.window.end) })}
                {windowNote}
              </Notice>
            ) : (
              <>
                <Notice kind="warn">
                  {t('convoys.windowClosed')}{' '}
                  {nextWindow
                    ? t('convoys.nextWindow', { start: fmt.dateTime(nextWindow.start), end: fmt.dateTime(nextWindow.end) })
                    : t('convoys.noNextWindow')}
                  {nextWindow && windowNote}
                </Notice>
                {mayOverride ? (
                  <Field
                    label={t('convoys.overrideReason')}
                    hint={t('convoys.overrideHint')}
                    value={override}
                    maxLength={500}
                    onChange={(e) => setOverride(e.target.value)}
                    className="wide"
                    data-testid="override-reason"
                  />
                ) : (
                  <p className="wide">{t('convoys.onlyCoordinator')}</p>
                )}
              </>
            ))}
          {(pending === 'halt' || pending === 'turn_back') && (
            <>
              <SelectField label={t('convoys.reason')} value={reason} onChange={(e) => setReason(e.target.value as typeof reason)}>
                {haltReasons.map((r) => (
                  <option key={r} value={r}>
                    {t(`convoys.haltReasons.${r}`)}
                  </option>
                ))}
              </SelectField>
              <Field label={t('convoys.note')} value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} />
            </>
          )}
          {pending === 'cancel' && (
            <Field label={t('convoys.note')} value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} />
          )}
          {(pending === 'pass_checkpoint' || pending === 'arrive') && (
            <SelectField
              label={t('convoys.site')}
              value={siteId || (pending === 'arrive' ? siteIds[siteIds.length - 1] : middle[0]) || ''}
              onChange={(e) => setSiteId(e.target.value)}
            >
              {(pending === 'arrive' ? siteIds.slice(1) : middle).map((s) => (
                <option key={s} value={s}>
                  {siteName(sites, s, i18n.language)}
                </option>
              ))}
            </SelectField>
          )}
          <div className="actions">
            <button
              type="submit"
              className="button primary"
              disabled={busy || (pending === 'depart' && !canSendDepart)}
              data-testid="move-confirm"
            >
              {pending === 'depart' && !decision.ok ? t('convoys.dispatchOverride') : t(`convoys.events.${pending}`)}
            </button>
            <button type="button" className="button ghost" onClick={() => setPending(undefined)}>
              {t('app.cancel')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
