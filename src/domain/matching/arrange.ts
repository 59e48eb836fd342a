/**
 * A MatchRecord's names laid out by parts, not by the boxes they were typed into
 * (names/parts.ts): each script's chain is arranged on its own — a registration may hold an
 * Arabic and a Latin chain — and a field with several spellings in one script is left as it is.
 * Blocking (record-keys.ts) and preparing (prepare.ts) both read a record through this, so a
 * name typed whole into one field meets its other registrations and is compared part by part.
 */
import { arrangeNameParts, hasArabicScript, type NameParts } from '../names/index.js';
import type { MatchRecord, NameValue } from './types.js';

const FIELDS = ['given', 'father', 'grandfather', 'family'] as const;

const listOf = (v: NameValue | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function arrangeRecordNames(r: MatchRecord): MatchRecord {
  const lists = FIELDS.map((f) => listOf(r[f]).filter((s) => s.trim() !== ''));
  // Nothing to do unless some value has a space in it (a whole name, or a compound).
  if (!lists.some((l) => l.some((s) => /\S\s+\S/.test(s)))) return r;
  const byScript: Record<'ar' | 'lat', NameParts> = { ar: {}, lat: {} };
  for (let k = 0; k < FIELDS.length; k++) {
    const seen = { ar: 0, lat: 0 };
    for (const s of lists[k] as string[]) {
      const script = hasArabicScript(s) ? 'ar' : 'lat';
      if (++seen[script] > 1) return r;
      byScript[script][FIELDS[k] as (typeof FIELDS)[number]] = s;
    }
  }
  const ar = arrangeNameParts(byScript.ar);
  const lat = arrangeNameParts(byScript.lat);
  if (ar === byScript.ar && lat === byScript.lat) return r;
  const out: MatchRecord = { ...r };
  for (const f of FIELDS) {
    const values = [ar[f], lat[f]].filter((v): v is string => v !== undefined && v !== '');
    if (values.length === 0) delete out[f];
    else out[f] = values.length === 1 ? (values[0] as string) : values;
  }
  return out;
}
