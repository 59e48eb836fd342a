/**
 * Checkpoint desk: routed, permission-checked and code-split; the page itself is not built yet and
 * says so instead of pretending (see docs/web.md for which APIs exist).
 */
import { useTranslation } from 'react-i18next';
import { WaitingForApi } from '../../components/notice.js';

export default function Desk() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <h1>{t('checkpoint.title')}</h1>
      <WaitingForApi api="checkpoint" />
    </div>
  );
}
