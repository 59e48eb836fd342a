/**
 * Fits skeleton-edits.json (see src/domain/names/skeleton-edits.ts) on the Wikidata Arabic ⇄
 * Latin name pairs of ../shared/data/names (training file only; the dev file is held out).
 * Writings of one name: each distinct pair of skeletons (Latin line, its Arabic) one edit
 * apart counts its edit once. Two names: each distinct pair of a Latin skeleton and an Arabic
 * skeleton one edit apart that no line writes as one name counts its edit once — what a
 * one-letter difference between two people's names looks like in the same population of
 * names. Run:
 *   npx tsx scripts/fit/fit-skeleton-edits.ts < ../shared/data/names/wikidata-arabic-latin-train.tsv > /tmp/e.json
 *   mv /tmp/e.json src/domain/names/skeleton-edits.json
 */
import { skeleton } from '../../src/domain/names/skeleton.js';
import { whenRunWithLines } from './support/stdin-lines.js';
import { skeletonEdit, type SkeletonEditTable } from '../../src/domain/names/skeleton-edits.js';

const MIN_LENGTH = 2;

/** Every string with one letter left out, with the position left out. */
function deletions(s: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (let k = 0; k < s.length; k++) out.push([s.slice(0, k) + s.slice(k + 1), k]);
  return out;
}

export function fitSkeletonEdits(lines: readonly string[], alpha = 1): SkeletonEditTable {
  const same = new Set<string>();
  const latins = new Set<string>();
  const arabics = new Set<string>();
  for (const line of lines) {
    const [latin = '', arabicSpaced = ''] = line.split('\t');
    const l = skeleton(latin).replace(/ /g, '');
    const a = skeleton(arabicSpaced.replace(/ /g, '')).replace(/ /g, '');
    if (l.length < MIN_LENGTH || a.length < MIN_LENGTH) continue;
    same.add(`${l}|${a}`);
    latins.add(l);
    arabics.add(a);
  }
  const sameCounts = new Map<string, number>();
  for (const pair of same) {
    const [l = '', a = ''] = pair.split('|');
    const e = skeletonEdit(l, a);
    if (e !== null) sameCounts.set(e, (sameCounts.get(e) ?? 0) + 1);
  }
  // Arabic skeletons by themselves and by each one-letter deletion, to find the Latin ones one edit away.
  const whole = new Set(arabics);
  const byDeletion = new Map<string, string[]>();
  for (const a of arabics) {
    for (const [d] of deletions(a)) {
      const list = byDeletion.get(d) ?? [];
      list.push(a);
      byDeletion.set(d, list);
    }
  }
  const otherCounts = new Map<string, number>();
  const seen = new Set<string>();
  const count = (l: string, a: string) => {
    const pair = `${l}|${a}`;
    if (same.has(pair) || seen.has(pair)) return;
    seen.add(pair);
    const e = skeletonEdit(l, a);
    if (e !== null) otherCounts.set(e, (otherCounts.get(e) ?? 0) + 1);
  };
  for (const l of latins) {
    for (const a of byDeletion.get(l) ?? []) count(l, a);
    for (const [d] of deletions(l)) {
      if (whole.has(d)) count(l, d);
      for (const a of byDeletion.get(d) ?? []) if (a.length === l.length) count(l, a);
    }
  }
  const totalSame = [...sameCounts.values()].reduce((x, y) => x + y, 0);
  const totalOther = [...otherCounts.values()].reduce((x, y) => x + y, 0);
  const edits: Record<string, number[]> = {};
  for (const [e, n] of [...sameCounts].sort((x, y) => y[1] - x[1])) {
    if (n < 2) continue;
    const ratio = (n + alpha) / (totalSame + alpha) / (((otherCounts.get(e) ?? 0) + alpha) / (totalOther + alpha));
    edits[e] = [n, Math.round(Math.log2(ratio) * 100) / 100];
  }
  return { edits };
}

whenRunWithLines(import.meta.url, (lines) => JSON.stringify(fitSkeletonEdits(lines), null, 1));
