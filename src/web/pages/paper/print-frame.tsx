/**
 * The frame of every printable sheet: a toolbar that never prints (print, back), and the sheet
 * itself in its own language and direction — an Arabic sheet is right-to-left whatever the
 * interface language — laid out for A4 by the print rules in styles.css.
 */
import { use, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { TFunction } from 'i18next';
import { ageBandText, formatFor, useDigitStyle } from '../../i18n/format.js';
import { digitStyle } from '../../i18n/digit-style.js';
import { ensureLanguage, languageLoaded } from '../../i18n/index.js';

export type PaperLang = 'ar' | 'en';

/** The sheet's language: `?lang=` when given, else the interface's; and its fixed translator. */
export function usePaperLang(): { lang: PaperLang; pt: TFunction } {
  const { i18n } = useTranslation();
  useDigitStyle(); // the sheet is drawn again in another digit style
  const [params] = useSearchParams();
  const asked = params.get('lang');
  const lang: PaperLang = asked === 'ar' || asked === 'en' ? asked : i18n.language === 'ar' ? 'ar' : 'en';
  // A sheet in the language the interface is not in waits (Suspense) for that catalogue's chunk.
  if (!languageLoaded(lang)) use(ensureLanguage(lang));
  return { lang, pt: i18n.getFixedT(lang) };
}

/**
 * Dates and numbers in the sheet's language and the user's digits (a Western-digit reader prints
 * an Arabic sheet with Western digits), times in the operation's time zone.
 */
export function paperFormat(lang: PaperLang, timeZone?: string) {
  return formatFor(lang, digitStyle(), timeZone);
}

/** A full name from its parts, in one script. */
export function fullName(parts?: Record<string, string | undefined>): string {
  return parts ? [parts.given, parts.father, parts.grandfather, parts.family].filter(Boolean).join(' ') : '';
}

/**
 * The person's cells of a printed list (manifest, arrival list): the row number, the name in both
 * scripts (each in its own direction), the tag, and sex and age band in the sheet's language.
 */
export function PaperPersonCells({
  index,
  person,
  lang,
  pt,
}: {
  index: number;
  person: {
    names: { ar?: Record<string, string | undefined>; lat?: Record<string, string | undefined> };
    tag: string | null;
    sex: string;
    ageBand: string;
  };
  lang: PaperLang;
  pt: TFunction;
}) {
  const fmt = paperFormat(lang);
  return (
    <>
      <td>{fmt.number(index + 1)}</td>
      <td>
        {fullName(person.names.ar) && (
          <div dir="rtl" lang="ar">
            {fullName(person.names.ar)}
          </div>
        )}
        {fullName(person.names.lat) && (
          <div dir="ltr" lang="en">
            {fullName(person.names.lat)}
          </div>
        )}
      </td>
      <td className="mono" dir="ltr">
        {person.tag ?? '—'}
      </td>
      <td>
        {pt(`sex.${person.sex}`)} · <bdi data-testid="paper-age-band">{ageBandText(person.ageBand, fmt, pt)}</bdi>
      </td>
    </>
  );
}

export function PrintFrame({ lang, testId, children }: { lang: PaperLang; testId: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="paper-page">
      <div className="paper-tools no-print">
        <button type="button" className="button primary" onClick={() => window.print()} data-testid="print-sheet">
          {t('paper.print')}
        </button>
        <button type="button" className="button" onClick={() => window.history.back()}>
          {t('paper.back')}
        </button>
      </div>
      <article className="paper" lang={lang} dir={lang === 'ar' ? 'rtl' : 'ltr'} data-testid={testId}>
        {children}
      </article>
    </div>
  );
}
