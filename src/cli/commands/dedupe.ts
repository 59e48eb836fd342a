/**
 * `corridor dedupe`: finds records of the same person in one CSV file, or links two files,
 * and writes the pairs decided `link` or `review` with their score (log2 odds). Columns are
 * mapped onto the matcher's fields with --map, so any file (FEBRL, Splink, a registration
 * export) can be run without editing it. The CSV mode is the function dedupeCsv; the database
 * mode (--operation, the batch scan of an operation) is in dedupe-db.ts, loaded only when asked for.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { neutraliseCsvCell } from '../../domain/csv-cell.js';
import type { Command } from 'commander';
import { matchRecords, OPERATION_MODEL } from '../../domain/matching/index.js';
import { mapDigits } from '../../domain/names/index.js';
import type { ExtraKind, MatchRecord, MatchResult } from '../../domain/matching/index.js';
import { scanRecordStream } from '../../services/matching/scan.js';

export const DEFAULT_MAP =
  'id=id,given=given_name,father=father_name,grandfather=grandfather_name,family=family_name,sex=sex,birth_year=birth_year';

const CORE_TARGETS = ['id', 'given', 'father', 'grandfather', 'family', 'sex', 'birth_year', 'origin', 'household'] as const;
type CoreTarget = (typeof CORE_TARGETS)[number];

export interface ColumnMap {
  core: Partial<Record<CoreTarget, { column: string; year: boolean }>>;
  extra: Record<string, { column: string; kind: ExtraKind }>;
}

/** Parses "target=column[:kind],…"; x.NAME targets are extra fields (kind text|code|date). */
export function parseColumnMap(spec: string): ColumnMap {
  const map: ColumnMap = { core: {}, extra: {} };
  for (const item of spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    const m = /^([\w.]+)=([^:]+)(?::(\w+))?$/.exec(item);
    if (m === null) throw new Error(`--map: cannot read "${item}"; expected target=column[:kind]`);
    const [, target = '', column = '', kind] = m;
    if (target.startsWith('x.')) {
      const k = (kind ?? 'text') as ExtraKind;
      if (!['text', 'code', 'date'].includes(k)) throw new Error(`--map: kind of ${target} must be text, code or date, not "${k}"`);
      map.extra[target.slice(2)] = { column, kind: k };
    } else if ((CORE_TARGETS as readonly string[]).includes(target)) {
      if (kind !== undefined && !(target === 'birth_year' && kind === 'year'))
        throw new Error(`--map: ":${kind}" is not allowed on ${target}`);
      map.core[target as CoreTarget] = { column, year: kind === 'year' };
    } else {
      throw new Error(`--map: unknown target "${target}"; use ${CORE_TARGETS.join(', ')} or x.NAME`);
    }
  }
  if (map.core.id === undefined) throw new Error('--map: an id column is required (id=COLUMN)');
  return map;
}

export function rowToRecord(row: Record<string, string>, map: ColumnMap, idPrefix = ''): MatchRecord {
  const get = (t: CoreTarget) => {
    const c = map.core[t];
    return c === undefined ? undefined : (row[c.column] ?? '').trim();
  };
  const r: MatchRecord = { id: idPrefix + (get('id') ?? '') };
  for (const t of ['given', 'father', 'grandfather', 'family'] as const) {
    const v = get(t);
    if (v !== undefined && v !== '') r[t] = v;
  }
  const sex = get('sex');
  if (sex !== undefined && sex !== '') r.sex = sex;
  const year = /([0-9]{4})/.exec(mapDigits(get('birth_year') ?? ''));
  r.birthYear = year === null ? null : Number(year[1]);
  const origin = get('origin');
  if (origin !== undefined && origin !== '') r.origin = origin;
  const household = get('household');
  if (household !== undefined && household !== '') r.householdId = household;
  const extra: Record<string, string> = {};
  for (const [name, { column }] of Object.entries(map.extra)) extra[name] = (row[column] ?? '').trim();
  if (Object.keys(extra).length > 0) r.extra = extra;
  return r;
}

/** The file's records one at a time, as it is parsed (a stream: the file is never held whole). */
async function* streamRecords(path: string, map: ColumnMap): AsyncGenerator<MatchRecord> {
  // trim: FEBRL writes a space after every comma, in the header too.
  const parser = createReadStream(path).pipe(parse({ columns: true, trim: true, skip_empty_lines: true, bom: true }));
  for await (const row of parser) yield rowToRecord(row as Record<string, string>, map);
}

async function readRecords(path: string, map: ColumnMap): Promise<MatchRecord[]> {
  const records: MatchRecord[] = [];
  for await (const r of streamRecords(path, map)) records.push(r);
  return records;
}

export interface DedupeCsvOptions {
  csv: string;
  link?: string;
  out: string;
  map?: string;
  /** Mapping for the --link file; the --map mapping when absent. */
  mapLink?: string;
  /** Re-estimate weights on the data (EM). Default: when extra fields are mapped. */
  estimate?: boolean;
  linkThreshold?: number;
  reviewThreshold?: number;
  explain?: boolean;
  /**
   * scan: the engine of the operation scan (`dedupe --operation`): the file streamed, blocked on
   * the registration's blocking keys, each record's best candidates scored with the shipped
   * model, in worker threads on a large file — the default above PAIRWISE_UP_TO lines where it
   * applies (one file, no x.* fields, no --estimate, no origin, no review threshold below the model's).
   * pairwise: every record in memory, compared by the matcher's own blocking (the only engine
   * for --link, x.* fields and --estimate).
   */
  engine?: 'scan' | 'pairwise';
  /** Worker threads of the scan engine (default: 2 from 20,000 records). */
  workers?: number;
}

export interface DedupeSummary {
  records: number;
  candidatePairs: number;
  links: number;
  reviews: number;
  engine: 'scan' | 'pairwise';
}

/**
 * Up to this many lines the default engine is pairwise: on a list of this size it keeps more of the
 * true pairs above the review floor (recall with review 0.991 against the scan's 0.965 on 20,000
 * synthetic rows), in minutes. Above it the whole file in memory grows past what a field laptop has,
 * and the streamed scan takes over.
 */
export const PAIRWISE_UP_TO = 25_000;

/** Lines in a file (a record with a quoted line break counts twice: near enough to choose an engine). */
async function lineCount(path: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(path)) {
    const buf = chunk as Buffer;
    for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  }
  return n;
}

/** Why the scan engine cannot run these options, or null when it can. */
export function scanEngineRefusal(opts: DedupeCsvOptions, map: ColumnMap): string | null {
  if (opts.link !== undefined) return '--link (two files)';
  if (Object.keys(map.extra).length > 0) return 'x.* fields';
  if (opts.estimate === true) return '--estimate';
  if (map.core.origin !== undefined) return 'an origin column';
  if (opts.reviewThreshold !== undefined && opts.reviewThreshold < OPERATION_MODEL.thresholds.review)
    return `a review threshold below the model's (${OPERATION_MODEL.thresholds.review.toFixed(2)})`;
  return null;
}

/** Writes the decided pairs as they come; returns counts. */
function pairWriter(opts: DedupeCsvOptions) {
  const writer = stringify({
    header: true,
    columns: opts.explain === true ? ['id_a', 'id_b', 'score', 'decision', 'explanation'] : ['id_a', 'id_b', 'score', 'decision'],
  });
  const file = createWriteStream(opts.out);
  writer.pipe(file);
  let links = 0;
  let reviews = 0;
  return {
    async write(results: readonly MatchResult[], thresholds: { link: number; review: number }) {
      let n = 0;
      for (const r of results) {
        const decision = r.weight >= thresholds.link ? 'link' : r.weight >= thresholds.review ? 'review' : 'none';
        if (decision === 'none') continue;
        if (decision === 'link') links++;
        else reviews++;
        n++;
        const row = [r.idA, r.idB, r.weight.toFixed(2), decision];
        if (opts.explain === true) row.push(r.explanation.map((e) => `${e.field}=${e.level}(${e.weight})`).join('; '));
        if (!writer.write(row.map(neutraliseCsvCell))) await once(writer, 'drain');
      }
      return n;
    },
    async end() {
      writer.end();
      await once(file, 'finish');
      return { links, reviews };
    },
  };
}

async function dedupeWithScan(opts: DedupeCsvOptions, map: ColumnMap): Promise<DedupeSummary> {
  const thresholds = {
    link: opts.linkThreshold ?? OPERATION_MODEL.thresholds.link,
    review: opts.reviewThreshold ?? OPERATION_MODEL.thresholds.review,
  };
  const out = pairWriter(opts);
  const stats = await scanRecordStream(streamRecords(opts.csv, map), {
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    onResults: (results) => out.write(results, thresholds),
  });
  const { links, reviews } = await out.end();
  return { records: stats.people, candidatePairs: stats.candidatePairs, links, reviews, engine: 'scan' };
}

export async function dedupeCsv(opts: DedupeCsvOptions): Promise<DedupeSummary> {
  const map = parseColumnMap(opts.map ?? DEFAULT_MAP);
  const refusal = scanEngineRefusal(opts, map);
  if (opts.engine === 'scan' && refusal !== null) throw new Error(`dedupe: --engine scan does not take ${refusal}; use --engine pairwise`);
  if (opts.engine === 'scan' || (opts.engine === undefined && refusal === null && (await lineCount(opts.csv)) > PAIRWISE_UP_TO))
    return dedupeWithScan(opts, map);
  const a = await readRecords(opts.csv, map);
  const b = opts.link === undefined ? [] : await readRecords(opts.link, opts.mapLink === undefined ? map : parseColumnMap(opts.mapLink));
  const records = [...a, ...b];
  const extra = Object.fromEntries(Object.entries(map.extra).map(([k, v]) => [k, v.kind]));
  const matchOpts: Parameters<typeof matchRecords>[1] = { extra, estimate: opts.estimate ?? Object.keys(extra).length > 0 };
  if (opts.link !== undefined) matchOpts.sourceOf = (i) => (i < a.length ? 'a' : 'b');
  const result = matchRecords(records, matchOpts);
  const thresholds = {
    link: opts.linkThreshold ?? result.model.thresholds.link,
    review: opts.reviewThreshold ?? result.model.thresholds.review,
  };
  const out = pairWriter(opts);
  await out.write(result.results, thresholds);
  const { links, reviews } = await out.end();
  return { records: records.length, candidatePairs: result.candidatePairs.length, links, reviews, engine: 'pairwise' };
}

const HELP = `
Column mapping (--map, --map-link): comma-separated target=column[:kind].
  targets: id, given, father, grandfather, family, sex, birth_year[:year], origin, household,
           x.NAME[:text|code|date] for any further field compared generically.
  birth_year=COLUMN:year takes the first four digits of a date column.
  default: ${DEFAULT_MAP}
FEBRL example:
  corridor dedupe --csv dataset4a.csv --link dataset4b.csv --out pairs.csv \\
    --map id=rec_id,given=given_name,family=surname,x.dob=date_of_birth:date,x.ssn=soc_sec_id:code,\\
x.street_number=street_number:code,x.address_1=address_1,x.address_2=address_2,x.suburb=suburb,\\
x.postcode=postcode:code,x.state=state:code
Output: id_a,id_b,score,decision — score is the log2 odds that the pair is one person,
decision is link or review (pairs below the review threshold are not written).
Engines (--engine): pairwise holds the whole file and runs the matcher's own blocking — the
default up to ${PAIRWISE_UP_TO.toLocaleString('en')} lines, and the only one for --link, x.* fields, --estimate or a lower
review threshold; scan, the default above that for one file without them, streams the file and
scores as \`dedupe --operation\` does (worker threads from 20,000 records; the model's review floor).`;

export function registerDedupe(program: Command): void {
  program
    .command('dedupe')
    .description('find records of the same person in a CSV file, or link two CSV files')
    .option('--csv <file>', 'input CSV (or the first file when linking)')
    .option('--link <file>', 'second CSV: link records across the two files')
    .option('--out <file>', 'output CSV of pairs: id_a,id_b,score,decision')
    .option('--map <spec>', 'column mapping for --csv (see below)')
    .option('--map-link <spec>', 'column mapping for --link (default: --map)')
    .option('--estimate', 're-estimate weights on the data (default when x.* fields are mapped)')
    .option('--no-estimate', 'use the shipped weights as they are')
    .option('--link-threshold <n>', 'score at or above which a pair is linked', Number.parseFloat)
    .option('--review-threshold <n>', 'score at or above which a pair is sent to review', Number.parseFloat)
    .option('--explain', 'add a column with each field’s agreement level and weight')
    .option('--engine <engine>', 'pairwise or scan (streamed; the default for a large file, see below)')
    .option('--operation <id>', 'deduplicate the persons of an operation in the database')
    .addHelpText('after', HELP)
    .action(async (o: DedupeCsvOptions & { operation?: string }) => {
      if (o.csv === undefined) {
        if (o.operation !== undefined) {
          const { dedupeOperationCli } = await import('./dedupe-db.js');
          await dedupeOperationCli(o.operation);
          return;
        }
        throw new Error('dedupe: give --csv FILE (and --out FILE)');
      }
      if (o.out === undefined) throw new Error('dedupe: give --out FILE for the pairs');
      if (o.engine !== undefined && o.engine !== 'scan' && o.engine !== 'pairwise')
        throw new Error(`dedupe: --engine is scan or pairwise, not "${String(o.engine)}"`);
      const s = await dedupeCsv(o);
      console.error(
        `dedupe: ${s.records} records, ${s.candidatePairs} candidate pairs, ${s.links} link, ${s.reviews} review (${s.engine}) → ${o.out}`,
      );
    });
}
