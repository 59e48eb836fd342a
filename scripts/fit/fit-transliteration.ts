/**
 * Fits transliteration.json (see transliteration.ts) on the Wikidata Arabic ⇄ Latin name
 * pairs of ../shared/data/names (training file only; the dev file checks it in
 * test/domain/names-transliteration.test.ts). Each pair whose two names share a
 * consonant frame counts once per slot. Run (write elsewhere first: this module's import
 * chain loads the current table):
 *   npx tsx scripts/fit/fit-transliteration.ts < ../shared/data/names/wikidata-arabic-latin-train.tsv > /tmp/t.json
 *   mv /tmp/t.json src/domain/names/transliteration.json
 */
import { normaliseArabic } from '../../src/domain/names/arabic.js';
import { normaliseLatin } from '../../src/domain/names/latin.js';
import { skeleton } from '../../src/domain/names/skeleton.js';
import { whenRunWithLines } from './support/stdin-lines.js';
import { sameNameAcrossScripts, slotKey, vowelFrame, type TransliterationTable } from '../../src/domain/names/transliteration.js';

/**
 * Wikidata holds people of every nationality, and Arabic script writes the vowels of a
 * European name as long letters (روبرتو) but not the short vowels of an Arabic one (محمد):
 * only pairs whose Arabic form has a letter of Arabic phonology that foreign names rarely
 * need (ح ع ص ض ظ ذ ث) teach how Arabic names are transliterated.
 */
export const ARABIC_ORIGIN = /[حعصضظذث]/;

export function fitTransliteration(lines: readonly string[], alpha = 4, minCount = 2): TransliterationTable {
  const counts: Record<string, Record<string, number>> = {};
  const positions: Record<string, Record<string, number>> = { M: {}, F: {} };
  for (const line of lines) {
    const [latin = '', arabicSpaced = ''] = line.split('\t');
    const l = vowelFrame(latin);
    if (!ARABIC_ORIGIN.test(arabicSpaced)) continue;
    const a = vowelFrame(arabicSpaced.replace(/ /g, ''));
    if (l === null || a === null || l.consonants !== a.consonants || l.slots.length !== a.slots.length) continue;
    for (let k = 0; k < l.slots.length; k++) {
      const key = slotKey(l, k);
      const ar = a.slots[k] ?? '';
      const row = (counts[key] ??= {});
      row[ar] = (row[ar] ?? 0) + 1;
      const pos = positions[k === l.slots.length - 1 ? 'F' : 'M'] as Record<string, number>;
      pos[ar] = (pos[ar] ?? 0) + 1;
    }
  }
  const marginal: Record<string, Record<string, number>> = {};
  for (const [pos, row] of Object.entries(positions)) {
    const total = Object.values(row).reduce((s, x) => s + x, 0);
    marginal[pos] = Object.fromEntries(
      Object.entries(row)
        .filter(([, c]) => c >= minCount)
        .sort(([x], [y]) => (x < y ? -1 : 1))
        .map(([ar, c]) => [ar, Number((c / total).toPrecision(3))]),
    );
  }
  const kept: Record<string, Record<string, number>> = {};
  for (const key of Object.keys(counts).sort()) {
    const row = counts[key] as Record<string, number>;
    const total = Object.values(row).reduce((s, x) => s + x, 0);
    if (total < minCount || Object.values(row).every((c) => c < minCount)) continue;
    kept[key] = Object.fromEntries(
      Object.entries(row)
        .filter(([, c]) => c >= minCount)
        .sort(([x], [y]) => (x < y ? -1 : 1)),
    );
  }
  const slotsOnly: TransliterationTable = { alpha, counts: kept, marginal };
  return { ...slotsOnly, names: ambiguousNames(lines, slotsOnly) };
}

/**
 * The Arabic writing of Latin names whose consonants are shared by another Arabic name
 * (Maryam → مريم beside مرام), from pairs seen at least minCount times: there, a slot model
 * cannot always choose ("ya" is يا in Ziyad, ي in Maryam) and the name itself can. Only the
 * names the slots alone would get wrong for one of the Arabic names are kept.
 */
function ambiguousNames(lines: readonly string[], slotsOnly: TransliterationTable, minCount = 3): Record<string, string> {
  const pairs: Array<[string, string, string]> = [];
  const formsBySkeleton = new Map<string, Set<string>>();
  for (const line of lines) {
    const [latin = '', arabicSpaced = '', count = '0'] = line.split('\t');
    if (Number(count) < minCount) continue;
    const ar = normaliseArabic(arabicSpaced.replace(/ /g, ''));
    const sk = skeleton(ar);
    if (ar === '' || ar.includes(' ') || sk !== skeleton(latin)) continue;
    pairs.push([normaliseLatin(latin), ar, sk]);
    const forms = formsBySkeleton.get(sk) ?? new Set<string>();
    forms.add(ar);
    formsBySkeleton.set(sk, forms);
  }
  const out: Record<string, string> = {};
  for (const [lat, ar, sk] of pairs.sort(([x], [y]) => (x < y ? -1 : 1))) {
    const forms = formsBySkeleton.get(sk) ?? new Set<string>();
    if (forms.size < 2 || lat.includes(' ')) continue;
    // Only where the slots alone would decide wrongly for one of the Arabic names.
    const wrong = [...forms].some((f) => sameNameAcrossScripts(lat, f, slotsOnly) === (f === ar ? 'other' : 'same'));
    if (wrong) out[lat] = ar;
  }
  return out;
}

whenRunWithLines(import.meta.url, (lines) => JSON.stringify(fitTransliteration(lines)));
