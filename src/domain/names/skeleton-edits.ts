/**
 * Which one-letter differences between a Latin and an Arabic skeleton a transliteration makes.
 * The shared skeleton (skeleton.ts) merges the consonants both scripts confuse, but names of
 * every origin bring habits it cannot merge without joining names within one script: a final
 * s that Arabic writes ز (Niels / نيلز), a German w or a v written ف (Walther / فالتر), a
 * Slavic j written ي (Janus / يانوس), a z read as s (Quezada / كيسادا). Between an Arabic and
 * a Latin spelling such a difference says little against one name, while another one-letter
 * difference (m / n, r / l) is as likely another name.
 *
 * The table (skeleton-edits.json) is fitted on the Wikidata train pairs
 * (scripts/fit/fit-skeleton-edits.ts): for each edit — a letter changed, left out or added, at
 * the start, inside or at the end of the skeleton — how often it separates the two writings of
 * one name against how often it separates a Latin and an Arabic name of two different people.
 * An edit is usual when it is at least USUAL_MIN_RATIO times as frequent between the writings
 * of one name, seen at least USUAL_MIN_COUNT times.
 */
import table from './skeleton-edits.json' with { type: 'json' };

export const USUAL_MIN_RATIO = 4;
export const USUAL_MIN_COUNT = 5;

export interface SkeletonEditTable {
  /** Edit key (skeletonEdit) → [count between writings of one name, log2 ratio against two names]. */
  edits: Record<string, readonly number[]>;
}

/**
 * The one edit between a Latin and an Arabic skeleton, as a key: position (^ start, $ end,
 * - inside), the Latin letter and the Arabic letter ('' for none). Null when the skeletons
 * are equal or more than one edit apart.
 */
export function skeletonEdit(latin: string, arabic: string): string | null {
  if (latin === arabic) return null;
  const ll = latin.length;
  const la = arabic.length;
  if (Math.abs(ll - la) > 1) return null;
  let i = 0;
  while (i < ll && i < la && latin[i] === arabic[i]) i++;
  let lEnd = ll;
  let aEnd = la;
  while (lEnd > i && aEnd > i && latin[lEnd - 1] === arabic[aEnd - 1]) {
    lEnd--;
    aEnd--;
  }
  const l = latin.slice(i, lEnd);
  const a = arabic.slice(i, aEnd);
  if (l.length > 1 || a.length > 1) return null;
  const longest = Math.max(ll, la);
  const pos = i === 0 ? '^' : i === longest - 1 ? '$' : '-';
  return `${pos}${l}>${a}`;
}

const shipped = table as SkeletonEditTable;

/** Whether a Latin and an Arabic skeleton one edit apart differ as a transliteration usually makes them. */
export function usualSkeletonEdit(latin: string, arabic: string, t: SkeletonEditTable = shipped): boolean {
  const key = skeletonEdit(latin, arabic);
  if (key === null) return false;
  const e = t.edits[key];
  return e !== undefined && (e[0] ?? 0) >= USUAL_MIN_COUNT && (e[1] ?? 0) >= Math.log2(USUAL_MIN_RATIO);
}
