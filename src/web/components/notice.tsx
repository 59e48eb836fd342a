/** Messages to the user: errors from the API (translated where the app knows them), notices, loading. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/errors.js';
import { useFormat } from '../i18n/format.js';
import { fieldText } from '../i18n/field-text.js';
import { routeArrow } from '../lib/names.js';

export function useErrorText() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  return (err: unknown): string => {
    if (err instanceof ApiError) {
      if (err.code === 'network') return t('errors.network');
      if (err.code === 'auth.forbidden') return t('errors.forbidden');
      if (err.code === 'convoy.invalid_transition') {
        // The 409 names the moves allowed from where the convoy is; say them in the user's language.
        const d = err.details as { from?: string; event?: string; allowed?: { event: string; to: string }[] };
        const allowed = d.allowed ?? [];
        const list =
          allowed.length === 0
            ? t('convoys.allowedNone')
            : allowed.map((a) => `${t(`convoys.events.${a.event}`)}${routeArrow(i18n.language)}${t(`convoys.states.${a.to}`)}`).join(' · ');
        return `${t('convoys.refused', { state: t(`convoys.states.${d.from ?? 'planned'}`), event: t(`convoys.events.${d.event ?? 'board'}`) })} ${t('convoys.allowedNow', { list })}`;
      }
      if (err.code.startsWith('protection_alert.')) {
        // Who was first, and how: the outcome in the user's language and the time in their format.
        const d = err.details as {
          outcome?: string;
          closedAt?: string;
          acknowledgedAt?: string;
          closedByName?: string | null;
          acknowledgedByName?: string | null;
        };
        const when = (iso?: string) => (iso ? fmt.dateTime(iso) : '—');
        // Who was first, by display name (isolated, so a Latin name keeps its place in Arabic text); "someone else" when not an account.
        const name = err.code === 'protection_alert.closed' ? d.closedByName : d.acknowledgedByName;
        const extra = {
          outcomeText: d.outcome ? t(`alerts.outcomes.${d.outcome}`, { defaultValue: d.outcome }) : '—',
          closedAtText: when(d.closedAt),
          acknowledgedAtText: when(d.acknowledgedAt),
          ...(name ? { name: `\u2068${name}\u2069` } : {}),
        };
        const key = `errors.codes.${err.code.replace('.', '_')}${name ? '_by' : ''}`;
        if (t(key, { ...extra, defaultValue: '' })) return t(key, extra);
      }
      if (err.code === 'request.invalid' && err.fields.length > 0) {
        // Bad input: the first field's words (forms show every field beside its input too).
        return `${t('errors.codes.request_invalid')} ${fieldText(err.fields[0]!)}`;
      }
      if (err.code === 'conflict' && err.fields.length > 0) return fieldText(err.fields[0]!);
      // The generic codes carry the situation in the server's message: in English it says more than the code's words.
      if ((err.code === 'conflict' || err.code === 'request.invalid') && i18n.language === 'en' && err.message) return err.message;
      const known = `errors.codes.${err.code.replace('.', '_')}`;
      const reference = typeof err.details.reference === 'string' ? ` ${t('errors.reference', { reference: err.details.reference })}` : '';
      const text = t(known, { ...err.details, defaultValue: '' });
      // Words that need a detail this answer lacks fall back to the code's plain words, never to "{{…}}".
      if (text && !text.includes('{{')) return text + reference;
      // A code this app does not know: the server's English in English, plain words in any other language.
      return (i18n.language === 'en' && err.message ? err.message : t('errors.unknown')) + reference;
    }
    return t('errors.unknown');
  };
}

export function ErrorNotice({ error }: { error: unknown }) {
  const text = useErrorText();
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <div className="notice notice-error" role="alert" data-code={code}>
      {text(error)}
    </div>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'ok' | 'warn'; children: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'warn' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('app.loading')}
    </p>
  );
}

/** A desk whose server API does not exist yet says so plainly. */
export function WaitingForApi({ api }: { api: 'convoys' | 'checkpoint' | 'reception' | 'tracing' | 'duplicates' | 'counts' }) {
  const { t } = useTranslation();
  return (
    <div className="notice notice-warn waiting" role="status">
      <strong>{t('waiting.title')}</strong>
      <p>{t('waiting.body', { what: t(`waiting.apis.${api}`) })}</p>
    </div>
  );
}
