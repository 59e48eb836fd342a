/**
 * The outbox in the header: how many commands wait on this device, why the last send did not go
 * through, a "send now" button, and the commands the server refused after they were sent late
 * (each kept until the user dismisses it, so no refusal is dropped unseen). Hidden when the
 * outbox is empty.
 */
import { useId, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { dismissRefused, flushOutbox, outboxState, subscribeOutbox } from '../api/outbox.js';
import { useFormat } from '../i18n/format.js';
import { ApiError } from '../api/errors.js';
import { useErrorText } from './notice.js';

/** Times in the operation's time zone when inside one (as the desks show them), else the device's. */
export function OutboxIndicator({ timeZone }: { timeZone?: string | undefined }) {
  const { t } = useTranslation();
  const fmt = useFormat(timeZone);
  const s = useSyncExternalStore(subscribeOutbox, outboxState);
  const errorText = useErrorText();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const waiting = s.items.filter((i) => !i.refused);
  const refused = s.items.filter((i) => i.refused);
  if (s.items.length === 0 && s.others === 0) return null;
  return (
    <div className="outbox" data-testid="outbox">
      <button
        type="button"
        className={`button outbox-toggle${refused.length ? ' has-refused' : ''}`}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
        data-testid="outbox-toggle"
      >
        {waiting.length > 0 && <span data-testid="outbox-count">{t('outbox.waiting', { n: fmt.number(waiting.length) })}</span>}
        {refused.length > 0 && (
          <span className="pill alert" data-testid="outbox-refused-count">
            {t('outbox.refusedCount', { n: fmt.number(refused.length) })}
          </span>
        )}
      </button>
      {open && (
        <section id={panelId} className="outbox-panel card" aria-label={t('outbox.title')} data-testid="outbox-panel">
          <h2>{t('outbox.title')}</h2>
          <p role="status" aria-live="polite" data-testid="outbox-status">
            {s.sending
              ? t('outbox.sending')
              : s.lastError && waiting.length > 0
                ? t('outbox.lastError', {
                    time: fmt.time(s.lastErrorAt ?? new Date().toISOString()),
                    reason: t(`outbox.reasons.${s.lastError}`),
                  })
                : waiting.length === 0
                  ? t('outbox.empty')
                  : t('outbox.willSend')}
          </p>
          {!s.persistent && <p className="field-error">{t('outbox.notPersistent')}</p>}
          {s.others > 0 && <p className="muted">{t('outbox.others', { n: fmt.number(s.others) })}</p>}
          <ol className="results">
            {s.items.map((i) => (
              <li key={i.seq} data-status={i.refused ? 'refused' : 'waiting'}>
                <strong>{t(`outbox.kinds.${i.kind}`, { defaultValue: i.kind })}</strong> ·{' '}
                <span className="muted">{fmt.dateTime(i.queuedAt)}</span>
                {i.refused ? (
                  <>
                    {' '}
                    <span className="field-error" role="alert">
                      {t('outbox.refused', { reason: errorText(new ApiError(i.refused.status, i.refused.code, i.refused.message)) })}
                    </span>{' '}
                    <button type="button" className="button" onClick={() => void dismissRefused(i.seq!)}>
                      {t('outbox.dismiss')}
                    </button>
                  </>
                ) : (
                  i.attempts > 0 && <span className="muted"> · {t('outbox.attempts', { n: fmt.number(i.attempts) })}</span>
                )}
              </li>
            ))}
          </ol>
          {waiting.length > 0 && (
            <button
              type="button"
              className="button primary"
              disabled={s.sending}
              onClick={() => void flushOutbox()}
              data-testid="outbox-send"
            >
              {t('outbox.sendNow')}
            </button>
          )}
        </section>
      )}
    </div>
  );
}
