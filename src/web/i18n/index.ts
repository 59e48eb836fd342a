/**
 * i18next set-up: English and Arabic catalogues, the chosen language kept in localStorage,
 * and the page's `lang`/`dir` following the language so the whole layout mirrors in Arabic.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
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

export async function setUpI18n(): Promise<typeof i18next> {
  const lng = storedLang() ?? (navigator.language.startsWith('ar') ? 'ar' : 'en');
  i18next.on('languageChanged', applyToDocument);
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, ar: { translation: ar } },
    lng,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  applyToDocument(lng);
  return i18next;
}

export async function switchLanguage(lang: Lang) {
  localStorage.setItem(STORAGE_KEY, lang);
  await i18next.changeLanguage(lang);
}
