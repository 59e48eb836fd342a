/** Short display names of people and bilingual sites, shared by the evacuation desks. */
import type { Person, Site } from '../api/types.js';

export function shortName(p: Pick<Person, 'names'>, lang: string): string {
  const pick = (x?: Record<string, string | undefined>) => (x ? [x.given, x.father, x.family].filter(Boolean).join(' ') : '');
  const ar = pick(p.names.ar);
  const lat = pick(p.names.lat);
  return (lang === 'ar' ? ar || lat : lat || ar) || '—';
}

export function siteMap(sites: readonly Site[] | undefined): Map<string, Site> {
  return new Map((sites ?? []).map((s) => [s.id, s]));
}

/** The site's name in the current language, or its id when it is not known. */
export function siteName(sites: Map<string, Site>, id: string | null | undefined, lang: string): string {
  if (!id) return '—';
  const s = sites.get(id);
  if (!s) return id;
  return lang === 'ar' && s.nameAr ? s.nameAr : s.nameEn;
}

/** A route's name in the current language (the Arabic name in Arabic when it has one), else its id. */
export function localRouteName(r: { id: string; name: string | null; nameAr?: string | null }, lang: string): string {
  return (lang === 'ar' && r.nameAr ? r.nameAr : r.name) ?? r.id;
}

/**
 * A movement window's note in the user's language: the Arabic note in Arabic, the English one
 * otherwise; a window with a note in one language only shows that one (better than nothing).
 */
export function localWindowNote(w: { note: string | null; noteAr?: string | null }, lang: string): string | null {
  return (lang === 'ar' ? (w.noteAr ?? w.note) : (w.note ?? w.noteAr)) ?? null;
}

/** The arrow between the sites of a route, pointing the way the text reads. */
export function routeArrow(lang: string): string {
  return lang === 'ar' ? ' ← ' : ' → ';
}
