/**
 * Matching quality: pairwise precision, recall and F1 of the `link` decision, recall of
 * link + review, and blocking pair completeness, on FEBRL3 (dedupe), FEBRL4 (link two
 * files), Splink's fake_1000 and the synthetic Arabic/Latin set — each beside a baseline
 * measured in the same run: the recordlinkage tutorial's rule (block on given name, count
 * agreeing fields, link when more than 3) reimplemented over the same fields.
 * Data sets are read from ../shared/data and skipped with a message when absent.
 * Train/evaluation discipline: the synthetic set is scored with the shipped model
 * (weights.json, its known-name list and given-name shares), all fitted on seed FIT_SEED (1)
 * by fit-weights.ts; it is evaluated on seed 20161215, which nothing is fitted on. FEBRL and
 * Splink re-estimate u, m and the prior on the data itself without labels (EM), and the
 * batch's own name counts (which names are common) are label-free too.
 * Run alone: npx tsx bench/matching-quality.ts [febrl3 febrl4 splink synthetic]
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { BenchRow } from './lib.js';
import { matchRecords, REVIEW_QUEUE_MIN_PROBABILITY } from '../src/domain/matching/index.js';
import { weightAtProbability } from '../src/domain/matching/score.js';
import type { ExtraKind, MatchRecord } from '../src/domain/matching/index.js';
import { normaliseArabic, normaliseLatin, hasArabicScript } from '../src/domain/names/index.js';
import { jaroWinkler } from '../src/domain/matching/string-distance.js';
import { generateMatchingSet } from '../src/demo/scenario/matching-set.js';
import { blockingKeys, type PersonNames } from '../src/domain/names/index.js';
import { toMatchRecord } from '../src/services/matching/candidates.js';
import { scanRecords } from '../src/services/matching/scan.js';
import { KeyBlocks } from './matching-scan.js';
import { FIT_SEED } from '../scripts/fit/fit-weights.js';

const DATA = fileURLToPath(new URL('../../shared/data/', import.meta.url));

interface DataSet {
  name: string;
  records: MatchRecord[];
  truth: Set<string>;
  extra: Record<string, ExtraKind>;
  /** Re-estimate the parameters on the data (EM); false uses the shipped model. */
  estimate: boolean;
  sourceOf?: (i: number) => string;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

function readCsv(path: string): Array<Record<string, string>> {
  return parse(readFileSync(path, 'utf8'), { columns: true, trim: true, skip_empty_lines: true }) as Array<Record<string, string>>;
}

function truthFromGroups(records: Array<{ id: string; group: string }>): Set<string> {
  const groups = new Map<string, string[]>();
  for (const r of records) {
    const g = groups.get(r.group) ?? [];
    g.push(r.id);
    groups.set(r.group, g);
  }
  const truth = new Set<string>();
  for (const ids of groups.values())
    for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) truth.add(pairKey(ids[i] as string, ids[j] as string));
  return truth;
}

const FEBRL_EXTRA: Record<string, ExtraKind> = {
  street_number: 'code',
  address_1: 'text',
  address_2: 'text',
  suburb: 'text',
  postcode: 'code',
  state: 'code',
  dob: 'date',
  ssn: 'code',
};

function febrlRecord(r: Record<string, string>): MatchRecord {
  return {
    id: r['rec_id'] ?? '',
    given: r['given_name'] ?? '',
    family: r['surname'] ?? '',
    extra: {
      street_number: r['street_number'] ?? '',
      address_1: r['address_1'] ?? '',
      address_2: r['address_2'] ?? '',
      suburb: r['suburb'] ?? '',
      postcode: r['postcode'] ?? '',
      state: r['state'] ?? '',
      dob: r['date_of_birth'] ?? '',
      ssn: r['soc_sec_id'] ?? '',
    },
  };
}

const febrlGroup = (id: string) => id.replace(/^rec-(\d+)-.*$/, '$1');

export function loadFebrl3(): DataSet | string {
  const f = `${DATA}febrl/dataset3.csv`;
  if (!existsSync(f)) return `FEBRL3 absent (${f})`;
  const records = readCsv(f).map(febrlRecord);
  return {
    name: 'FEBRL3',
    records,
    extra: FEBRL_EXTRA,
    estimate: true,
    truth: truthFromGroups(records.map((r) => ({ id: r.id, group: febrlGroup(r.id) }))),
  };
}

export function loadFebrl4(): DataSet | string {
  const a = `${DATA}febrl/dataset4a.csv`;
  const b = `${DATA}febrl/dataset4b.csv`;
  if (!existsSync(a) || !existsSync(b)) return `FEBRL4 absent (${a})`;
  const ra = readCsv(a).map(febrlRecord);
  const rb = readCsv(b).map(febrlRecord);
  const idsB = new Map(rb.map((r) => [febrlGroup(r.id), r.id]));
  const truth = new Set<string>();
  for (const r of ra) {
    const other = idsB.get(febrlGroup(r.id));
    if (other !== undefined) truth.add(pairKey(r.id, other));
  }
  const n = ra.length;
  return { name: 'FEBRL4', records: [...ra, ...rb], extra: FEBRL_EXTRA, estimate: true, truth, sourceOf: (i) => (i < n ? 'a' : 'b') };
}

export function loadSplink(): DataSet | string {
  const f = `${DATA}splink/fake_1000.csv`;
  if (!existsSync(f)) return `Splink fake_1000 absent (${f})`;
  const rows = readCsv(f);
  const records: MatchRecord[] = rows.map((r) => ({
    id: r['unique_id'] ?? '',
    given: r['first_name'] ?? '',
    family: r['surname'] ?? '',
    extra: { dob: r['dob'] ?? '', city: r['city'] ?? '', email: r['email'] ?? '' },
  }));
  const truth = truthFromGroups(rows.map((r) => ({ id: r['unique_id'] ?? '', group: r['cluster'] ?? '' })));
  return { name: 'Splink fake_1000', records, extra: { dob: 'date', city: 'text', email: 'text' }, estimate: true, truth };
}

export function loadSynthetic(seed = 20161215, people = 3000): DataSet {
  if (seed === FIT_SEED) throw new Error(`seed ${seed} is the training seed of the shipped model; evaluate on another`);
  const set = generateMatchingSet({ seed, people });
  const records: MatchRecord[] = set.records.map((r) => {
    const year = Number.parseInt(r.birth_year, 10);
    return {
      id: r.id,
      given: r.given_name,
      father: r.father_name,
      grandfather: r.grandfather_name,
      family: r.family_name,
      sex: r.sex,
      birthYear: Number.isFinite(year) ? year : null,
    };
  });
  return {
    name: 'synthetic Arabic/Latin',
    records,
    extra: {},
    estimate: false,
    truth: new Set(set.truePairs.map(([a, b]) => pairKey(a, b))),
  };
}

interface Quality {
  precision: number;
  recall: number;
  f1: number;
  recallReview: number;
  completeness: number;
  candidates: number;
  /** Share of true pairs compared by blocking or proposed by the transitive step. */
  reached: number;
  /** Review pairs proposed by the transitive step, and how many of them are true. */
  transitive: number;
  transitiveTrue: number;
}

function quality(
  truth: Set<string>,
  links: Set<string>,
  reviews: Set<string>,
  candidates: Set<string>,
  transitive: Set<string> = new Set(),
): Quality {
  let tp = 0;
  for (const k of links) if (truth.has(k)) tp++;
  let tpr = tp;
  for (const k of reviews) if (truth.has(k)) tpr++;
  let kept = 0;
  let reached = 0;
  for (const k of truth) {
    if (candidates.has(k)) kept++;
    if (candidates.has(k) || transitive.has(k)) reached++;
  }
  let transitiveTrue = 0;
  for (const k of transitive) if (truth.has(k)) transitiveTrue++;
  const precision = links.size === 0 ? 0 : tp / links.size;
  const recall = truth.size === 0 ? 0 : tp / truth.size;
  return {
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    recallReview: truth.size === 0 ? 0 : tpr / truth.size,
    completeness: truth.size === 0 ? 0 : kept / truth.size,
    candidates: candidates.size,
    reached: truth.size === 0 ? 0 : reached / truth.size,
    transitive: transitive.size,
    transitiveTrue,
  };
}

function flatten(v: MatchRecord['given']): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

const norm = (s: string) => (hasArabicScript(s) ? normaliseArabic(s) : normaliseLatin(s));

/** recordlinkage tutorial rule: block on the given name, one point per agreeing field, link when > 3. */
function baseline(ds: DataSet): Quality {
  const blocks = new Map<string, number[]>();
  ds.records.forEach((r, i) => {
    const g = norm(flatten(r.given)[0] ?? '');
    if (g === '') return;
    const b = blocks.get(g) ?? [];
    b.push(i);
    blocks.set(g, b);
  });
  const links = new Set<string>();
  const candidates = new Set<string>();
  const names = (r: MatchRecord) => [r.family, r.father, r.grandfather].map((v) => norm(flatten(v)[0] ?? ''));
  for (const members of blocks.values()) {
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const i = members[x] as number;
        const j = members[y] as number;
        if (ds.sourceOf !== undefined && ds.sourceOf(i) === ds.sourceOf(j)) continue;
        const a = ds.records[i] as MatchRecord;
        const b = ds.records[j] as MatchRecord;
        const key = pairKey(a.id, b.id);
        candidates.add(key);
        let points = 1;
        const na = names(a);
        const nb = names(b);
        na.forEach((v, k) => {
          if (v !== '' && jaroWinkler(v, nb[k] ?? '') >= 0.85) points++;
        });
        if (a.birthYear != null && a.birthYear === b.birthYear) points++;
        if (a.sex !== undefined && a.sex !== '' && a.sex === b.sex) points++;
        for (const [f, v] of Object.entries(a.extra ?? {})) if (v !== '' && v === b.extra?.[f]) points++;
        if (points > 3) links.add(key);
      }
    }
  }
  return quality(ds.truth, links, new Set(), candidates);
}

function evaluate(
  ds: DataSet,
): Quality & { recallQueue: number; queueReviews: number; reviewsAll: number; twoPartPrecision: number; twoPartLinks: number } {
  const opts: Parameters<typeof matchRecords>[1] = { extra: ds.extra, estimate: ds.estimate };
  if (ds.sourceOf !== undefined) opts.sourceOf = ds.sourceOf;
  const out = matchRecords(ds.records, opts);
  const links = new Set<string>();
  const reviews = new Set<string>();
  for (const r of out.results) (r.decision === 'link' ? links : reviews).add(pairKey(r.idA, r.idB));
  const candidates = new Set(
    out.candidatePairs.map(([i, j]) => pairKey((ds.records[i] as MatchRecord).id, (ds.records[j] as MatchRecord).id)),
  );
  const q = quality(ds.truth, links, reviews, candidates, new Set(out.transitive.map((r) => pairKey(r.idA, r.idB))));
  // What an operation's queue shows: review pairs at or above its floor (queue.ts).
  const floor = weightAtProbability(out.model, REVIEW_QUEUE_MIN_PROBABILITY);
  let found = 0;
  for (const r of out.results) if ((r.decision === 'link' || r.weight >= floor) && ds.truth.has(pairKey(r.idA, r.idB))) found++;
  // Link precision where a record of the pair has two name parts at most (given and family).
  const byId = new Map(ds.records.map((r) => [r.id, r]));
  const twoPart = (id: string) => {
    const r = byId.get(id);
    return r !== undefined && NAME_PARTS.filter((f) => flatten(r[f]).some((v) => v.trim() !== '')).length <= 2;
  };
  let twoLinks = 0;
  let twoTrue = 0;
  for (const r of out.results) {
    if (r.decision !== 'link' || !(twoPart(r.idA) || twoPart(r.idB))) continue;
    twoLinks++;
    if (ds.truth.has(pairKey(r.idA, r.idB))) twoTrue++;
  }
  return {
    ...q,
    twoPartPrecision: twoLinks ? twoTrue / twoLinks : 1,
    twoPartLinks: twoLinks,
    recallQueue: ds.truth.size ? found / ds.truth.size : 1,
    queueReviews: out.results.filter((r) => r.decision === 'review' && r.weight >= floor).length,
    reviewsAll: reviews.size,
  };
}

const NAME_PARTS = ['given', 'father', 'grandfather', 'family'] as const;

/** A record of the set as a registration holds it: each name part under its script. */
function personNamesOf(r: MatchRecord): PersonNames {
  const names: PersonNames = {};
  for (const f of NAME_PARTS) {
    const v = r[f];
    if (typeof v !== 'string' || v.trim() === '') continue;
    const script = hasArabicScript(v) ? 'ar' : 'lat';
    (names[script] ??= {})[f] = v;
  }
  return names;
}

/**
 * The same set through the operation's own batch scan (`corridor dedupe --operation`,
 * services/matching/scan.ts): blocks of the registration's blocking keys as person_keys groups
 * them, the shipped model with the queue's review floor, no transitive step: the figures the
 * field gets.
 */
async function evaluateOperationScan(ds: DataSet): Promise<{ f1: number; recallReview: number }> {
  const records: MatchRecord[] = [];
  const keys = new KeyBlocks();
  ds.records.forEach((r, i) => {
    const names = personNamesOf(r);
    const birthYear = typeof r.birthYear === 'number' ? r.birthYear : null;
    records.push(toMatchRecord(r.id, { names, ...(r.sex ? { sex: r.sex } : {}), birthYear }));
    keys.add(i, blockingKeys({ names, ...(r.sex ? { sex: r.sex } : {}), birthYear }));
  });
  const { blocks, keySizes } = keys.blocks((i) => records[i]?.birthYear ?? 0);
  const links = new Set<string>();
  const reviews = new Set<string>();
  await scanRecords(records, blocks, keySizes, {
    workers: 0,
    onResults: async (results) => {
      for (const r of results) (r.decision === 'link' ? links : reviews).add(pairKey(r.idA, r.idB));
      return results.length;
    },
  });
  const q = quality(ds.truth, links, reviews, new Set());
  return { f1: q.f1, recallReview: q.recallReview };
}

function rows(ds: DataSet, f1Goal: number): BenchRow[] {
  const q = evaluate(ds);
  const b = baseline(ds);
  const group = `matching ${ds.name}`;
  const base = (value: number) => ({ label: 'block on given name, > 3 agreeing fields', value });
  const r3 = (x: number) => Math.round(x * 10000) / 10000;
  return [
    { group, figure: 'precision (link)', target: 'none', value: r3(q.precision), unit: 'ratio', baseline: base(r3(b.precision)) },
    { group, figure: 'recall (link)', target: 'none', value: r3(q.recall), unit: 'ratio', baseline: base(r3(b.recall)) },
    {
      group,
      figure: 'F1 (link)',
      target: 'none',
      value: r3(q.f1),
      unit: 'ratio',
      baseline: base(r3(b.f1)),
      goal: `≥ ${f1Goal}`,
      pass: q.f1 >= f1Goal,
    },
    {
      group,
      figure: 'recall (link + review)',
      target: 'none',
      value: r3(q.recallReview),
      unit: 'ratio',
      baseline: base(r3(b.recall)),
      goal: '≥ 0.99',
      pass: q.recallReview >= 0.99,
    },
    {
      group,
      figure: 'precision (link), pairs with a record of two name parts',
      target: 'none',
      value: r3(q.twoPartPrecision),
      unit: 'ratio',
      goal: '≥ 0.99',
      pass: q.twoPartPrecision >= 0.99,
    },
    { group, figure: 'link pairs with a record of two name parts', target: 'none', value: q.twoPartLinks, unit: 'pairs' },
    {
      group,
      figure: `recall (link + review at the queue's floor, p ≥ ${REVIEW_QUEUE_MIN_PROBABILITY})`,
      target: 'none',
      value: r3(q.recallQueue),
      unit: 'ratio',
    },
    {
      group,
      figure: "review pairs at the queue's floor",
      target: 'none',
      value: q.queueReviews,
      unit: 'pairs',
      baseline: { label: 'review pairs at the fitted threshold', value: q.reviewsAll },
    },
    {
      group,
      figure: 'blocking pair completeness',
      target: 'none',
      value: r3(q.completeness),
      unit: 'ratio',
      baseline: base(r3(b.completeness)),
      goal: '≥ 0.995',
      pass: q.completeness >= 0.995,
    },
    {
      group,
      figure: 'pairs reached (blocking + transitive review)',
      target: 'none',
      value: r3(q.reached),
      unit: 'ratio',
      goal: '≥ 0.995',
      pass: q.reached >= 0.995,
    },
    {
      group,
      figure: 'candidate pairs',
      target: 'none',
      value: q.candidates,
      unit: 'pairs',
      baseline: { label: 'block on given name', value: b.candidates },
    },
    {
      group,
      figure: 'candidate pairs per record',
      target: 'none',
      value: Math.round((q.candidates / ds.records.length) * 10) / 10,
      unit: 'pairs',
      baseline: { label: 'block on given name', value: Math.round((b.candidates / ds.records.length) * 10) / 10 },
    },
    { group, figure: 'transitive review pairs', target: 'none', value: q.transitive, unit: 'pairs' },
    { group, figure: 'true pairs among transitive review pairs', target: 'none', value: q.transitiveTrue, unit: 'pairs' },
  ];
}

/** only: names of the data sets to run (febrl3, febrl4, splink, synthetic); all by default. */
export async function runMatchingQuality(only?: readonly string[]): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  const all: Array<[string, () => DataSet | string, number]> = [
    ['febrl3', loadFebrl3, 0.99],
    ['febrl4', loadFebrl4, 0.99],
    ['splink', loadSplink, 0.9],
    ['synthetic', () => loadSynthetic(), 0.97],
  ];
  const sets = all
    .filter(([name]) => only === undefined || only.length === 0 || only.includes(name))
    .map(([, load, goal]) => [load(), goal] as const);
  for (const [ds, goal] of sets) {
    if (typeof ds === 'string') {
      console.warn(`matching-quality: skipped, ${ds}`);
      continue;
    }
    out.push(...rows(ds, goal));
    if (!ds.estimate) {
      // The shipped model's set: also through the operation's batch scan, which has no EM.
      const scan = await evaluateOperationScan(ds);
      const group = `matching ${ds.name}`;
      const r3 = (x: number) => Math.round(x * 10000) / 10000;
      out.push(
        {
          group,
          figure: 'F1 (link), operation batch scan',
          target: 'none',
          value: r3(scan.f1),
          unit: 'ratio',
          goal: `≥ ${goal}`,
          pass: scan.f1 >= goal,
        },
        // The operation proposes review pairs only from the queue's floor (queue.ts): compare with the row at that floor above.
        {
          group,
          figure: `recall (link + review at the queue's floor, p ≥ ${REVIEW_QUEUE_MIN_PROBABILITY}), operation batch scan`,
          target: 'none',
          value: r3(scan.recallReview),
          unit: 'ratio',
        },
      );
    }
  }
  return out;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await runMatchingQuality(process.argv.slice(2));
  console.table(
    result.map((r) => ({
      group: r.group,
      figure: r.figure,
      value: r.value,
      baseline: r.baseline?.value,
      goal: r.goal ?? '',
      pass: r.pass ?? '',
    })),
  );
}
