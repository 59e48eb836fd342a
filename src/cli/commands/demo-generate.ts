/**
 * `corridor demo generate`: writes the synthetic Aleppo 2016 population to files, for
 * benchmarks and imports. The generator hands over one convoy at a time and each chunk is
 * written straight away (respecting back-pressure), so a million people fit in little memory.
 * Files: operation.json, persons.csv (the dedupe columns first), households.jsonl, convoys.jsonl,
 * facts.jsonl, tracing-requests.jsonl and the truth: duplicates.csv, tracing-truth.csv,
 * missing.csv, totals.json; with --matching N also the labelled matching set.
 */
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  generateMatchingSet,
  generateScenarioChunks,
  operation,
  routes,
  sites,
  windows,
  recordBirthYear,
} from '../../demo/scenario/index.js';
import type { ScenarioHousehold } from '../../demo/scenario/index.js';
import { neutraliseCsvCell } from '../../domain/csv-cell.js';

const PERSON_COLUMNS = [
  'id',
  'given_name',
  'father_name',
  'grandfather_name',
  'family_name',
  'sex',
  'birth_year',
  'given_name_ar',
  'father_name_ar',
  'grandfather_name_ar',
  'family_name_ar',
  'household_id',
  'relationship',
  'site',
  'tag',
  'registered_at',
  'date_of_birth',
  'estimated_age',
  'vulnerabilities',
  'consent_tracing',
  'consent_disclosure',
];

function csvCell(v: string | number | boolean | undefined | null): string {
  if (v === undefined || v === null) return '';
  const s = neutraliseCsvCell(String(v));
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvLine(cells: ReadonlyArray<string | number | boolean | undefined | null>): string {
  return `${cells.map(csvCell).join(',')}\n`;
}

function personLines(h: ScenarioHousehold): string {
  let out = '';
  for (const p of h.members) {
    // The dedupe columns hold the Latin names when the registrar wrote them, else the Arabic.
    const main = p.names.lat ?? p.names.ar ?? {};
    const ar = p.names.ar ?? {};
    out += csvLine([
      p.id,
      main.given,
      main.father,
      main.grandfather,
      main.family,
      p.sex,
      recordBirthYear(p),
      ar.given,
      ar.father,
      ar.grandfather,
      ar.family,
      h.id,
      p.relationship,
      h.siteId,
      p.tag,
      h.registeredAt,
      p.dateOfBirth,
      p.estimatedAge,
      p.vulnerabilities.join(';'),
      p.consent.tracing,
      p.consent.disclosure,
    ]);
  }
  return out;
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (text.length > 0 && !stream.write(text)) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

export interface DemoGenerateOptions {
  people: number;
  out: string;
  seed: number;
  matching?: number;
}

/** Writes the scenario files; returns what was written and how long it took. */
export async function writeScenarioFiles(opts: DemoGenerateOptions): Promise<{ ms: number; files: string[]; evacuated: number }> {
  const t0 = performance.now();
  mkdirSync(opts.out, { recursive: true });
  const path = (f: string): string => join(opts.out, f);
  writeFileSync(path('operation.json'), JSON.stringify({ seed: opts.seed, operation, windows, sites, routes }, null, 2));
  const names = ['persons.csv', 'households.jsonl', 'convoys.jsonl', 'facts.jsonl', 'tracing-requests.jsonl', 'duplicates.csv'] as const;
  const s = Object.fromEntries(names.map((n) => [n, createWriteStream(path(n))])) as Record<(typeof names)[number], WriteStream>;
  await write(s['persons.csv'], csvLine(PERSON_COLUMNS));
  await write(s['duplicates.csv'], csvLine(['id_a', 'id_b']));

  const it = generateScenarioChunks({ seed: opts.seed, people: opts.people });
  let step = it.next();
  while (!step.done) {
    const c = step.value;
    await write(s['persons.csv'], c.households.map(personLines).join(''));
    await write(s['households.jsonl'], c.households.map((h) => `${JSON.stringify(h)}\n`).join(''));
    if (c.convoy) await write(s['convoys.jsonl'], `${JSON.stringify(c.convoy)}\n`);
    // Within a convoy, facts in the order the server received them.
    const facts = [...c.facts].sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));
    await write(s['facts.jsonl'], facts.map((f) => `${JSON.stringify(f)}\n`).join(''));
    await write(s['tracing-requests.jsonl'], c.tracingRequests.map((r) => `${JSON.stringify(r)}\n`).join(''));
    await write(s['duplicates.csv'], c.duplicates.map((d) => csvLine(d)).join(''));
    step = it.next();
  }
  await Promise.all(Object.values(s).map(close));
  const end = step.value;
  writeFileSync(
    path('tracing-truth.csv'),
    csvLine(['request_id', 'person_id', 'status']) + end.tracing.map((t) => csvLine([t.requestId, t.personId, t.status])).join(''),
  );
  writeFileSync(path('missing.csv'), csvLine(['person_id']) + end.missingInTransit.map((id) => csvLine([id])).join(''));
  writeFileSync(path('totals.json'), JSON.stringify(end.totals, null, 2));
  const files = ['operation.json', ...names, 'tracing-truth.csv', 'missing.csv', 'totals.json'];
  if (opts.matching && opts.matching > 0) {
    const set = generateMatchingSet({ seed: opts.seed, people: opts.matching });
    const cols = ['id', 'given_name', 'father_name', 'grandfather_name', 'family_name', 'sex', 'birth_year'] as const;
    writeFileSync(path('matching-records.csv'), csvLine(cols) + set.records.map((r) => csvLine(cols.map((k) => r[k]))).join(''));
    writeFileSync(path('matching-pairs.csv'), csvLine(['id_a', 'id_b']) + set.truePairs.map((p) => csvLine(p)).join(''));
    files.push('matching-records.csv', 'matching-pairs.csv');
  }
  return { ms: performance.now() - t0, files, evacuated: end.totals.evacuated };
}

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not “${v}”`);
    return n;
  };
}

export function registerDemoGenerate(demo: Command): void {
  demo
    .command('generate')
    .description('Write the synthetic Aleppo 2016 population (people, households, convoys, facts, truth) to files')
    .requiredOption('--out <dir>', 'folder to write the files into')
    .option('--people <n>', 'people evacuated in all, about 12 % of them counted, not named', positiveInt('--people'), 34_000)
    .option('--seed <n>', 'seed: the same seed gives the same files', positiveInt('--seed'), 2016)
    .option('--matching <n>', 'also write a labelled matching set of n people', positiveInt('--matching'))
    .action(async (opts: DemoGenerateOptions) => {
      const r = await writeScenarioFiles(opts);
      const mb = process.memoryUsage().rss / 1e6;
      process.stdout.write(
        `wrote ${r.files.length} files to ${opts.out}: ${r.evacuated} people evacuated (seed ${opts.seed}) in ${(r.ms / 1000).toFixed(1)} s, ${mb.toFixed(0)} MB resident\n`,
      );
    });
}
