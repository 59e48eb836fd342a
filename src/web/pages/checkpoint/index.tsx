/**
 * Checkpoint desk. Its server API (checkpoint facts API) is not in src/server/routes yet, so the page says
 * so instead of pretending; it is routed, permission-checked and code-split already.
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
