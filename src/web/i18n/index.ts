/**
 * i18next set-up: English and Arabic catalogues, the chosen language kept in localStorage,
 * and the page's `lang`/`dir` following the language so the whole layout mirrors in Arabic.
 * Each catalogue is its own chunk, loaded when its language is first needed: a phone downloads
 * one language on first load, not both (the service worker still keeps both for offline use).
 * Both catalogues are complete (`Catalogue<Messages>`), so no key ever falls back to the other.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { FormatterModule } from 'i18next';
import { digitStyle, inDigits, numberingSystemOf, subscribeDigitStyle } from './digit-style.js';

export type Lang = 'en' | 'ar';
const STORAGE_KEY = 'corridor.lang';

export function storedLang(): Lang | null {
  const v = localStorage.getItem(STORAGE_KEY);
  return v === 'ar' || v === 'en' ? v : null;
}

function applyToDocument(lang: string) {
  const html = document.documentElement;
  html.lang = lang;
  html.dir = lang === 'ar' ? 'rtl' : 'ltr';
}

/**
 * The user's digits (i18n/digit-style.ts) for a number put into a sentence — a count, `{{count}}` —
 * as `useFormat` gives them for numbers and dates. Text values — tags, plates, ids, names as typed,
 * numbers already formatted — are strings and pass unchanged.
 */
export const chosenDigits: FormatterModule = {
  type: 'formatter',
  init() {},
  add() {},
  addCached() {},
  format(value, _format, lng) {
    return typeof value === 'number' ? inDigits(String(value), numberingSystemOf(lng ?? 'en', digitStyle())) : value;
  },
};

const catalogues: Record<Lang, () => Promise<object>> = {
  en: () => import('./en.js').then((m) => m.en),
  ar: () => import('./ar.js').then((m) => m.ar),
};
const loading = new Map<Lang, Promise<void>>();
const loaded = new Set<Lang>();

/** Whether a language's whole catalogue is in i18next (a lazy chunk may have added a few keys before). */
export function languageLoaded(lang: Lang): boolean {
  return loaded.has(lang);
}

/**
 * Loads a language's catalogue into i18next once; the same promise for every caller (so a component
 * can hand it to React's `use`). Keys a lazy chunk added before are kept.
 */
export function ensureLanguage(lang: Lang): Promise<void> {
  let p = loading.get(lang);
  if (!p) {
    p = catalogues[lang]().then((cat) => {
      i18next.addResourceBundle(lang, 'translation', cat, true, false);
      loaded.add(lang);
    });
    p.catch(() => loading.delete(lang));
    loading.set(lang, p);
  }
  return p;
}

export async function setUpI18n(): Promise<typeof i18next> {
  const lng = storedLang() ?? (navigator.language.startsWith('ar') ? 'ar' : 'en');
  i18next.on('languageChanged', applyToDocument);
  // Another digit style renders every translated text again, as a change of language does.
  subscribeDigitStyle(() => i18next.emit('digitsChanged'));
  await i18next
    .use(chosenDigits)
    .use(initReactI18next)
    .init({
      resources: {},
      lng,
      fallbackLng: false,
      interpolation: { escapeValue: false, alwaysFormat: true },
      returnNull: false,
      react: { bindI18n: 'languageChanged digitsChanged' },
    });
  await ensureLanguage(lng);
  await i18next.changeLanguage(lng);
  applyToDocument(lng);
  // The other language is fetched right after, not awaited: the first desk does not wait for it, and
  // the switch still works once the network is gone (before the service worker holds it).
  ensureLanguage(lng === 'ar' ? 'en' : 'ar').catch(() => undefined);
  return i18next;
}

/** Switches the interface's language; with no network and the catalogue not yet here, it stays as it is. */
export async function switchLanguage(lang: Lang) {
  try {
    await ensureLanguage(lang);
  } catch {
    return;
  }
  localStorage.setItem(STORAGE_KEY, lang);
  await i18next.changeLanguage(lang);
}
