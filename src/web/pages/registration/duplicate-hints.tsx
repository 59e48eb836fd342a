/**
 * The place where possible duplicates of the member being typed appear, with their
 * explanation, before saving. The server does not offer a candidate check for a draft yet; until
 * it does, the box says so instead of pretending to check.
 */
import { useTranslation } from 'react-i18next';

export function DuplicateHints() {
  const { t } = useTranslation();
  return (
    <aside className="card duplicates" aria-labelledby="dup-title" aria-live="polite" data-testid="duplicate-hints">
      <h2 id="dup-title">{t('registration.duplicates')}</h2>
      <p className="muted">{t('registration.duplicatesWaiting')}</p>
    </aside>
  );
}
