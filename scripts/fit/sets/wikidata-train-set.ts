/**
 * Labelled cross-script batches for the fit, from the Wikidata Arabic/Latin pairs of the TRAIN
 * file only (../shared/data/names/wikidata-arabic-latin-train.tsv; the dev file is held out):
 * people of every origin known by a given and a family name, registered in one script and
 * often again in the other. The Syrian fit set has no such names, so without these batches the
 * weights of a cross-script near spelling were learned on Arabic names alone. Its own error
 * model: one Latin token may stand for several Arabic ones (the train file's variants are
 * kept as they come), birth years a year off at times, sex unknown at times, and strangers
 * drawn from a small pool of given names so many share one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../../src/demo/scenario/rng.js';

export const WIKIDATA_TRAIN = fileURLToPath(new URL('../../../../shared/data/names/wikidata-arabic-latin-train.tsv', import.meta.url));

export interface TrainToken {
  latin: string;
  arabic: string;
}

export interface CrossScriptRow {
  id: string;
  given_name: string;
  father_name: string;
  grandfather_name: string;
  family_name: string;
  sex: string;
  birth_year: string;
}

/** The train file's tokens (Latin letters, three or more; Arabic joined), or why there are none. */
export function readTrainTokens(path = WIKIDATA_TRAIN): TrainToken[] | string {
  if (!existsSync(path)) return `Wikidata train pairs absent (${path})`;
  const out: TrainToken[] = [];
  const seen = new Set<string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [latin, letters, count] = line.split('\t');
    if (latin === undefined || letters === undefined || !/^[a-z]{3,}$/.test(latin)) continue;
    const arabic = letters.replace(/ /g, '');
    const key = `${latin} ${arabic}`;
    // A pair seen once only is as often a misalignment (a title beside a name) as a spelling.
    if (arabic.length < 2 || seen.has(key) || Number(count ?? '0') < 2) continue;
    seen.add(key);
    out.push({ latin, arabic });
  }
  return out;
}

const capital = (s: string) => s.slice(0, 1).toUpperCase() + s.slice(1);

/** A labelled batch of `people` people; `slice` picks which half of the tokens it draws from (fit 0, calibration 1). */
export function generateWikidataTrainSet(
  tokens: readonly TrainToken[],
  opts: { seed: number; people: number; slice: 0 | 1 },
): { records: CrossScriptRow[]; truePairs: Array<[string, string]> } {
  const rng = new Rng(opts.seed).fork('fit:wikidata-train');
  const half = tokens.filter((_, i) => i % 2 === opts.slice);
  const pool = [...half];
  rng.shuffle(pool);
  const givenPool = pool.slice(0, Math.max(50, Math.floor(opts.people / 6)));
  const rows: Array<{ row: Omit<CrossScriptRow, 'id'>; person: number }> = [];
  for (let i = 0; i < opts.people; i++) {
    const given = rng.pick(givenPool);
    const family = rng.pick(pool);
    const sex = rng.chance(0.5) ? 'male' : 'female';
    const year = rng.int(1950, 2005);
    const first = rng.chance(0.5);
    const record = (arabic: boolean, duplicate: boolean) => ({
      given_name: arabic ? given.arabic : capital(given.latin),
      father_name: '',
      grandfather_name: '',
      family_name: arabic ? family.arabic : capital(family.latin),
      sex: rng.chance(0.03) ? '' : sex,
      birth_year: String(duplicate && rng.chance(0.2) ? year + (rng.chance(0.5) ? 1 : -1) : year),
    });
    rows.push({ row: record(first, false), person: i });
    if (rng.chance(0.4)) rows.push({ row: record(rng.chance(0.8) ? !first : first, true), person: i });
  }
  rng.shuffle(rows);
  const byPerson = new Map<number, string[]>();
  const records = rows.map((r, i) => {
    const id = `w${String(i + 1).padStart(6, '0')}`;
    byPerson.set(r.person, [...(byPerson.get(r.person) ?? []), id]);
    return { id, ...r.row };
  });
  const truePairs: Array<[string, string]> = [];
  for (const ids of byPerson.values()) if (ids.length === 2) truePairs.push([ids[0] as string, ids[1] as string]);
  return { records, truePairs };
}
