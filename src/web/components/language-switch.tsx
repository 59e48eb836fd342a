/** One button that switches between Arabic and English at any time, keeping the page. */
import { useTranslation } from 'react-i18next';
import { switchLanguage } from '../i18n/index.js';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const other = i18n.language === 'ar' ? 'en' : 'ar';
  return (
    <button
      type="button"
      className="button ghost lang"
      lang={other}
      // The name is the visible word (label in name, WCAG 2.5.3); what it does is its description.
      title={t('app.languageLabel')}
      data-testid="language-switch"
      onClick={() => void switchLanguage(other)}
    >
      {t('app.language')}
    </button>
  );
}
