/**
 * Numbers and dates with Intl in the current language and the user's digits (i18n/digit-style.ts),
 * and times in the operation's own time zone. `formatFor` is the one place that decides how a number
 * or a date reads; `useFormat` gives it to a component for the interface's language (or a printed
 * sheet's own).
 */
import { useMemo, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { digitStyle, inDigits, numberingSystemOf, subscribeDigitStyle, type DigitStyle } from './digit-style.js';

/**
 * Text people typed (a convoy's name, a plate, a username) inside a sentence of the interface:
 * isolated (U+2068 … U+2069), so Latin letters in an Arabic sentence keep their own direction.
 */
export const isolate = (s: string) => `\u2068${s}\u2069`;

/** The Intl locale of a language in the given digits (`ar-SY-u-nu-latn`: Arabic words, Western digits). */
export function localeFor(lang: string, style: DigitStyle): string {
  return `${lang === 'ar' ? 'ar-SY' : 'en-GB'}-u-nu-${numberingSystemOf(lang, style)}`;
}

export type Format = ReturnType<typeof formatFor>;

/** Every formatter of numbers and dates, for one language, digit style and time zone. */
export function formatFor(lang: string, style: DigitStyle, timeZone?: string) {
  const locale = localeFor(lang, style);
  const zone = timeZone ? { timeZone } : {};
  const num = new Intl.NumberFormat(locale);
  const whole = new Intl.NumberFormat(locale, { useGrouping: false });
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const dt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...zone });
  const d = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...zone });
  const tm = new Intl.DateTimeFormat(locale, { timeStyle: 'short', ...zone });
  const list = new Intl.ListFormat(locale, { type: 'conjunction', style: 'short' });
  const system = numberingSystemOf(lang, style);
  return {
    number: (n: number) => num.format(n),
    /** Without grouping: a year, an age. */
    integer: (n: number) => whole.format(n),
    percent: (fraction: number) => pct.format(fraction),
    dateTime: (iso: string) => dt.format(new Date(iso)),
    date: (iso: string) => d.format(new Date(iso)),
    time: (iso: string) => tm.format(new Date(iso)),
    list: (items: string[]) => list.format(items),
    /** Western digits in a text that is not a code (an age band "5-11") in these digits. */
    digits: (s: string) => inDigits(s, system),
    locale,
  };
}

/** The user's digit style, re-rendering the component when it changes. */
export function useDigitStyle(): DigitStyle {
  return useSyncExternalStore(subscribeDigitStyle, digitStyle, digitStyle);
}

/** The formatters for the interface's language (or `lang`, a printed sheet's) and the user's digits. */
export function useFormat(timeZone?: string, lang?: string) {
  const { i18n } = useTranslation();
  const style = useDigitStyle();
  const language = lang ?? i18n.language;
  return useMemo(() => formatFor(language, style, timeZone), [language, style, timeZone]);
}

/** A bilingual name (site, operation) in the current language, falling back to English. */
export function useLocalName() {
  const { i18n } = useTranslation();
  return (x: { nameEn: string; nameAr?: string | null }) => (i18n.language === 'ar' && x.nameAr ? x.nameAr : x.nameEn);
}

/** An age band ("5-11", "60+", "unknown") in the current language and the user's digits. */
export function useAgeBand() {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (band: string) => ageBandText(band, fmt, t);
}

/** An age band with the given formatters (a printed sheet has its own language): see useAgeBand. */
export function ageBandText(band: string, fmt: Pick<Format, 'digits'>, t: (key: 'ageBands.unknown') => string): string {
  return band === 'unknown' ? t('ageBands.unknown') : fmt.digits(band);
}
