/**
 * The digits the interface shows, chosen by each user: as the language (Arabic-Indic ٠١٢ in
 * Arabic, Western 012 in English — the default), always Arabic-Indic, or always Western (many
 * Arabic readers in the field read Western digits more easily). Every formatter asks
 * `numberingSystemOf` (i18n/format.ts for numbers, dates, age bands; i18n/index.ts for numbers put
 * into sentences), so the choice is made in one place. Codes — tags, plates, ids — are strings and
 * never pass through it.
 *
 * The choice is kept per account on this device (localStorage `corridor.digits.<user id>`): the
 * server has no store of preferences to keep it in. Nobody logged in sees the language's digits.
 */
import { arabicIndicDigits, westernDigits } from '../../domain/digits.js';

export const digitStyles = ['auto', 'arab', 'latn'] as const;
export type DigitStyle = (typeof digitStyles)[number];
export type NumberingSystem = 'arab' | 'latn';

/** The digits a text in `lang` is shown in under `style`. */
export function numberingSystemOf(lang: string, style: DigitStyle): NumberingSystem {
  if (style !== 'auto') return style;
  return lang === 'ar' ? 'arab' : 'latn';
}

/** A text made of Western digits (a number, an age band "5-11") in the given digits. */
export function inDigits(s: string, system: NumberingSystem): string {
  return system === 'arab' ? arabicIndicDigits(s) : westernDigits(s);
}

const KEY = 'corridor.digits.';
let user: string | null = null;
let current: DigitStyle = 'auto';
const listeners = new Set<() => void>();

function stored(userId: string | null): DigitStyle {
  if (!userId) return 'auto';
  try {
    const v = localStorage.getItem(KEY + userId);
    return (digitStyles as readonly string[]).includes(v ?? '') ? (v as DigitStyle) : 'auto';
  } catch {
    return 'auto';
  }
}

function change(next: DigitStyle) {
  if (next === current) return;
  current = next;
  for (const l of listeners) l();
}

/** The style of the account logged in now. */
export function digitStyle(): DigitStyle {
  return current;
}

export function subscribeDigitStyle(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The account whose choice applies (the session says who is logged in; null when nobody is). */
export function setDigitsUser(userId: string | null) {
  user = userId;
  change(stored(userId));
}

/** The account logged in chooses its digits: kept for it on this device, applied at once. */
export function chooseDigitStyle(style: DigitStyle) {
  if (user) {
    try {
      if (style === 'auto') localStorage.removeItem(KEY + user);
      else localStorage.setItem(KEY + user, style);
    } catch {
      /* storage refused (private mode): the choice holds until the page is closed */
    }
  }
  change(style);
}
