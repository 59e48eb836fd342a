/**
 * The digits this account reads numbers and dates in, beside the language switch: as the
 * language, Arabic-Indic (٠١٢٣) or Western (0123). Each choice shows its own digits, so it reads
 * whatever the reader's script. Kept per account (i18n/digit-style.ts).
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { chooseDigitStyle, digitStyles, type DigitStyle } from '../i18n/digit-style.js';
import { useDigitStyle } from '../i18n/format.js';

export function DigitStyleSwitch() {
  const { t } = useTranslation();
  const style = useDigitStyle();
  const id = useId();
  return (
    <span className="digit-style">
      <label htmlFor={id} className="visually-hidden">
        {t('app.digits')}
      </label>
      <select id={id} value={style} onChange={(e) => chooseDigitStyle(e.target.value as DigitStyle)} data-testid="digit-style">
        {digitStyles.map((s) => (
          <option key={s} value={s}>
            {t(`app.digitStyles.${s}`)}
          </option>
        ))}
      </select>
    </span>
  );
}
