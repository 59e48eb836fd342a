/**
 * Numbers and dates per the current language with Intl (Arabic shows Arabic-Indic digits),
 * and times in the operation's own time zone.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { arabicIndicDigits } from '../../domain/digits.js';

function localeOf(lang: string) {
  return lang === 'ar' ? 'ar-SY' : 'en-GB';
}

/**
 * Text people typed (a convoy's name, a plate, a username) inside a sentence of the interface:
 * isolated (U+2068 … U+2069), so Latin letters in an Arabic sentence keep their own direction.
 */
export const isolate = (s: string) => `\u2068${s}\u2069`;

export function useFormat(timeZone?: string) {
  const { i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  return useMemo(() => {
    const num = new Intl.NumberFormat(locale);
    const dt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) });
    const d = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...(timeZone ? { timeZone } : {}) });
    const tm = new Intl.DateTimeFormat(locale, { timeStyle: 'short', ...(timeZone ? { timeZone } : {}) });
    const list = new Intl.ListFormat(locale, { type: 'conjunction', style: 'short' });
    return {
      number: (n: number) => num.format(n),
      dateTime: (iso: string) => dt.format(new Date(iso)),
      date: (iso: string) => d.format(new Date(iso)),
      time: (iso: string) => tm.format(new Date(iso)),
      list: (items: string[]) => list.format(items),
      locale,
    };
  }, [locale, timeZone]);
}

/** A bilingual name (site, operation) in the current language, falling back to English. */
export function useLocalName() {
  const { i18n } = useTranslation();
  return (x: { nameEn: string; nameAr?: string | null }) => (i18n.language === 'ar' && x.nameAr ? x.nameAr : x.nameEn);
}

/**
 * An age band ("5-11", "60+", "unknown") in the current language: Arabic-Indic digits in Arabic
 * (one digit style per language, docs/i18n.md), "unknown" in words.
 */
export function useAgeBand() {
  const { t, i18n } = useTranslation();
  return (band: string) => ageBandText(band, i18n.language, t);
}

/** An age band in the given language (a printed sheet has its own): see useAgeBand. */
export function ageBandText(band: string, lang: string, t: (key: 'ageBands.unknown') => string): string {
  return band === 'unknown' ? t('ageBands.unknown') : lang === 'ar' ? arabicIndicDigits(band) : band;
}
