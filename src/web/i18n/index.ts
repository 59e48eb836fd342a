/**
 * i18next set-up: English and Arabic catalogues, the chosen language kept in localStorage,
 * and the page's `lang`/`dir` following the language so the whole layout mirrors in Arabic.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { FormatterModule } from 'i18next';
import { arabicIndicDigits } from '../../domain/digits.js';
import { en } from './en.js';
import { ar } from './ar.js';

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
 * One digit style per language (docs/i18n.md): a number put into a sentence shows in Arabic-Indic
 * digits in Arabic (as Intl shows counts and dates for ar-SY) and Western digits in English. Text
 * values — tags, plates, ids, names as typed — are strings and pass unchanged.
 */
const digitsPerLanguage: FormatterModule = {
  type: 'formatter',
  init() {},
  add() {},
  addCached() {},
  format(value, _format, lng) {
    return typeof value === 'number' && lng === 'ar' ? arabicIndicDigits(String(value)) : value;
  },
};

export async function setUpI18n(): Promise<typeof i18next> {
  const lng = storedLang() ?? (navigator.language.startsWith('ar') ? 'ar' : 'en');
  i18next.on('languageChanged', applyToDocument);
  await i18next
    .use(digitsPerLanguage)
    .use(initReactI18next)
    .init({
      resources: { en: { translation: en }, ar: { translation: ar } },
      lng,
      fallbackLng: 'en',
      interpolation: { escapeValue: false, alwaysFormat: true },
      returnNull: false,
    });
  applyToDocument(lng);
  return i18next;
}

export async function switchLanguage(lang: Lang) {
  localStorage.setItem(STORAGE_KEY, lang);
  await i18next.changeLanguage(lang);
}
