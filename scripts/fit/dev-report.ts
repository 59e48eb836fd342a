/**
 * Development figures on fit-side data only (never the held-out sets of bench/held-out/): the
 * fit generator's development seeds and a Wikidata cross-script batch from the TRAIN file, scored
 * with the shipped model as `corridor dedupe --csv` scores a file. Used to decide whether a model
 * change is kept; the held-out bench is run once at the end. Prints precision, recall, F1, recall
 * with review and link precision where a record has two name parts; `--errors` lists the false
 * links with a two-part record. Run: npx tsx scripts/fit/dev-report.ts [--errors]
 */
import { generateMatchingSet } from '../../src/demo/scenario/matching-set.js';
import { matchRecords } from '../../src/domain/matching/index.js';
import type { MatchRecord } from '../../src/domain/matching/types.js';
import { toMatchRecord } from './fit-weights.js';
import { generateWikidataTrainSet, readTrainTokens } from './sets/wikidata-train-set.js';

/** Development seeds of the fit generator (docs/matching.md): never fitted or calibrated on. */
export const DEV_SEEDS: readonly number[] = [2, 3];
/** A cross-script development batch: calibration half of the train file, a seed of its own. */
export const CROSS_SCRIPT_DEV_SEED = 501;

type Row = Parameters<typeof toMatchRecord>[0];

function report(name: string, set: { records: Row[]; truePairs: Array<[string, string]> }, errors: boolean, misses = false): void {
  const records = set.records.map(toMatchRecord);
  const twoPart = new Set(set.records.filter((r) => r.father_name === '' && r.grandfather_name === '').map((r) => r.id));
  const byId = new Map<string, MatchRecord>(records.map((r) => [r.id, r]));
  const key = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);
  const truth = new Set(set.truePairs.map(([a, b]) => key(a, b)));
  const out = matchRecords(records, { estimate: false });
  let links = 0;
  let tp = 0;
  let tpr = 0;
  let two = 0;
  let twoTp = 0;
  const shown: string[] = [];
  for (const r of out.results) {
    const ok = truth.has(key(r.idA, r.idB));
    if (ok) tpr++;
    if (r.decision !== 'link') continue;
    links++;
    if (ok) tp++;
    if (twoPart.has(r.idA) || twoPart.has(r.idB)) {
      two++;
      if (ok) twoTp++;
      else if (errors && shown.length < 40) {
        const s = (x: MatchRecord) =>
          `${String(x.given)}|${String(x.father)}|${String(x.grandfather)}|${String(x.family)} ${x.sex ?? ''} ${x.birthYear ?? ''}`;
        const expl = r.explanation.map((e) => `${e.field}=${e.code}:${e.weight}`).join(' ');
        shown.push(`${s(byId.get(r.idA) as MatchRecord)}  ~  ${s(byId.get(r.idB) as MatchRecord)}  w=${r.weight.toFixed(2)}\n    ${expl}`);
      }
    }
  }
  if (misses) {
    const linked = new Set(out.results.filter((r) => r.decision === 'link').map((r) => key(r.idA, r.idB)));
    const s = (x: MatchRecord) =>
      `${String(x.given)}|${String(x.father)}|${String(x.grandfather)}|${String(x.family)} ${x.sex ?? ''} ${x.birthYear ?? ''}`;
    const weights = new Map(out.results.map((r) => [key(r.idA, r.idB), r]));
    let n = 0;
    for (const [a, b] of set.truePairs) {
      if (linked.has(key(a, b)) || n++ >= 60) continue;
      const r = weights.get(key(a, b));
      const expl =
        r === undefined
          ? 'below review'
          : `w=${r.weight.toFixed(2)} ` + r.explanation.map((e) => `${e.field}=${e.code}:${e.weight}`).join(' ');
      shown.push(`MISS ${s(byId.get(a) as MatchRecord)}  ~  ${s(byId.get(b) as MatchRecord)}\n    ${expl}`);
    }
  }
  const p = links ? tp / links : 0;
  const rc = truth.size ? tp / truth.size : 0;
  const f = (x: number) => x.toFixed(4);
  console.log(
    `${name}: P ${f(p)} R ${f(rc)} F1 ${f(p + rc ? (2 * p * rc) / (p + rc) : 0)} R+rev ${f(tpr / truth.size)} two-part P ${f(two ? twoTp / two : 1)} (${two} links)`,
  );
  for (const s of shown) console.log(`  ${s}`);
}

if (process.argv[1]?.endsWith('dev-report.ts')) {
  const errors = process.argv.includes('--errors');
  if (process.argv.includes('--misses')) {
    report(`fit generator seed ${DEV_SEEDS[0]}`, generateMatchingSet({ seed: DEV_SEEDS[0] as number, people: 4000 }), false, true);
    process.exit(0);
  }
  for (const seed of DEV_SEEDS) report(`fit generator seed ${seed}`, generateMatchingSet({ seed, people: 4000 }), errors);
  const tokens = readTrainTokens();
  if (typeof tokens === 'string') console.warn(tokens);
  else
    report('wikidata train, dev seed', generateWikidataTrainSet(tokens, { seed: CROSS_SCRIPT_DEV_SEED, people: 3000, slice: 1 }), errors);
}
