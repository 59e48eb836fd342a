/**
 * Matching on data the matcher was never tuned on (issue 18): the held-out Syrian set and the
 * Wikidata cross-script set of bench/held-out/, each written as the CSV a new user would give
 * `corridor dedupe --csv` and read through that command's own row reader (so a year in
 * Arabic-Indic digits is read as the command reads it), scored with the shipped model as the
 * command does when no x.* fields are mapped. Reported per set: link precision, recall, F1,
 * recall with review, and link precision on pairs where a record has two name parts only.
 * Run alone: npx tsx bench/matching-held-out.ts [syrian cross-script]
 */
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './lib.js';
import { parseColumnMap, rowToRecord } from '../src/cli/commands/dedupe.js';
import { matchRecords } from '../src/domain/matching/index.js';
import { generateSyrianHeldOutSet, type HeldOutSet } from './held-out/syrian-set.js';
import { generateCrossScriptHeldOutSet, readWikidataTokens } from './held-out/cross-script-set.js';

const DEV = fileURLToPath(new URL('../../shared/data/names/wikidata-arabic-latin-dev.tsv', import.meta.url));
const MAP = parseColumnMap(
  'id=id,given=given_name,father=father_name,grandfather=grandfather_name,family=family_name,sex=sex,birth_year=birth_year',
);
const pairKey = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);

export interface HeldOutQuality {
  precision: number;
  recall: number;
  f1: number;
  recallReview: number;
  twoPartPrecision: number;
  twoPartLinks: number;
  links: number;
  truePairs: number;
}

export function evaluateHeldOut(set: HeldOutSet): HeldOutQuality {
  const records = set.rows.map((r) => rowToRecord(r as unknown as Record<string, string>, MAP));
  const out = matchRecords(records, { estimate: false });
  const truth = new Set(set.truePairs.map(([a, b]) => pairKey(a, b)));
  let links = 0;
  let tp = 0;
  let tpr = 0;
  let twoLinks = 0;
  let twoTp = 0;
  for (const r of out.results) {
    const k = pairKey(r.idA, r.idB);
    const ok = truth.has(k);
    if (ok) tpr++;
    if (r.decision !== 'link') continue;
    links++;
    if (ok) tp++;
    if (set.twoPart.has(r.idA) || set.twoPart.has(r.idB)) {
      twoLinks++;
      if (ok) twoTp++;
    }
  }
  const precision = links ? tp / links : 0;
  const recall = truth.size ? tp / truth.size : 0;
  return {
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    recallReview: truth.size ? tpr / truth.size : 0,
    twoPartPrecision: twoLinks ? twoTp / twoLinks : 1,
    twoPartLinks: twoLinks,
    links,
    truePairs: truth.size,
  };
}

const r4 = (x: number) => Math.round(x * 10000) / 10000;

function rowsOf(name: string, q: HeldOutQuality): BenchRow[] {
  const group = `matching held-out ${name}`;
  const row = (figure: string, value: number, goal?: string, pass?: boolean): BenchRow => ({
    group,
    figure,
    target: 'none',
    value,
    unit: figure.includes('pairs') ? 'pairs' : 'ratio',
    ...(goal !== undefined ? { goal, pass } : {}),
  });
  return [
    row('precision (link)', r4(q.precision)),
    row('recall (link)', r4(q.recall)),
    row('F1 (link)', r4(q.f1), '≥ 0.97', q.f1 >= 0.97),
    row('recall (link + review)', r4(q.recallReview), '≥ 0.99', q.recallReview >= 0.99),
    row('precision (link), records with two name parts', r4(q.twoPartPrecision), '≥ 0.99', q.twoPartPrecision >= 0.99),
    row('link pairs with a two-part record', q.twoPartLinks),
    row('true pairs', q.truePairs),
  ];
}

/** only: syrian, cross-script; both by default. */
export async function runMatchingHeldOut(only?: readonly string[]): Promise<BenchRow[]> {
  const want = (n: string) => only === undefined || only.length === 0 || only.includes(n);
  const out: BenchRow[] = [];
  if (want('syrian')) out.push(...rowsOf('Syrian (own error model)', evaluateHeldOut(generateSyrianHeldOutSet())));
  if (want('cross-script')) {
    const tokens = readWikidataTokens(DEV);
    if (typeof tokens === 'string') console.warn(`matching-held-out: skipped, ${tokens}`);
    else out.push(...rowsOf('cross-script two-part (Wikidata dev)', evaluateHeldOut(generateCrossScriptHeldOutSet(tokens))));
  }
  return out;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await runMatchingHeldOut(process.argv.slice(2));
  console.table(result.map((r) => ({ group: r.group, figure: r.figure, value: r.value, goal: r.goal ?? '', pass: r.pass ?? '' })));
}
