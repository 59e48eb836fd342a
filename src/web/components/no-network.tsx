/**
 * The page shown when the app opened with no network and the desk asked for cannot work without
 * it (every desk but the checkpoint log, which handles no person data and keeps a copy of its
 * convoys). Where this phone has such a copy, it offers to open the checkpoint log from it.
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../i18n/format.js';

export interface OfflineDeskLink {
  /** The desk that opens from the phone's copy: the checkpoint log, or the registration desk (names sealed). */
  desk?: 'checkpoint' | 'registration' | 'reception' | 'convoys';
  operationId: string;
  name: string;
  savedAt: string;
}

export function NoNetwork({ desks = [] }: { desks?: OfflineDeskLink[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <div className="page" data-testid="app-offline">
      <h1>{t('shell.offlineTitle')}</h1>
      <div className="notice notice-warn" role="status">
        {t('shell.offline')}
      </div>
      {desks.length > 0 && (
        <ul className="tap-list" aria-label={t('shell.offlineDesks')}>
          {desks.map((d) => (
            <li key={`${d.desk ?? 'checkpoint'} ${d.operationId}`}>
              <Link
                className="button primary tap"
                to={`/op/${encodeURIComponent(d.operationId)}/${d.desk ?? 'checkpoint'}`}
                data-testid={`offline-${d.desk ?? 'checkpoint'}-link`}
              >
                {d.desk === 'registration'
                  ? t('shell.openRegistrationOffline', { operation: d.name })
                  : d.desk === 'reception'
                    ? t('shell.openReceptionOffline', { operation: d.name, time: fmt.dateTime(d.savedAt) })
                    : d.desk === 'convoys'
                      ? t('shell.openConvoysOffline', { operation: d.name, time: fmt.dateTime(d.savedAt) })
                      : t('shell.openCheckpointOffline', { operation: d.name, time: fmt.dateTime(d.savedAt) })}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
