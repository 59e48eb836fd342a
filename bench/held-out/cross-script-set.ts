/**
 * A held-out cross-script set of people with two name parts, most of them of non-Arabic
 * origin: given and family name drawn from the Wikidata Arabic/Latin pairs of the dev file
 * (../shared/data/names/wikidata-arabic-latin-dev.tsv — the transliteration model is fitted on
 * the train file only), one record in Arabic script and, for most people, a second in Latin
 * letters. Everyone is born within twelve years and about half share a sex, so every
 * stranger agrees on sex and birth year with hundreds of others: the name alone must decide.
 * Given names come from a smaller pool than family names, so many strangers share one.
 *
 * Nothing in scripts/fit may import this file (test/held-out-separation.test.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { Rng } from '../../src/demo/scenario/rng.js';
import { HELD_OUT_SEED, type HeldOutRow, type HeldOutSet } from './syrian-set.js';

interface Token {
  latin: string;
  arabic: string;
}

/** The dev file's tokens: Latin letters only, three letters or more, Arabic joined. */
export function readWikidataTokens(path: string): Token[] | string {
  if (!existsSync(path)) return `Wikidata dev pairs absent (${path})`;
  const out: Token[] = [];
  const seen = new Set<string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [latin, letters] = line.split('\t');
    if (latin === undefined || letters === undefined || !/^[a-z]{3,}$/.test(latin)) continue;
    const arabic = letters.replace(/ /g, '');
    if (arabic.length < 2 || seen.has(latin)) continue;
    seen.add(latin);
    out.push({ latin, arabic });
  }
  return out;
}

const capital = (s: string) => s.slice(0, 1).toUpperCase() + s.slice(1);

export function generateCrossScriptHeldOutSet(tokens: readonly Token[], opts: { seed?: number; people?: number } = {}): HeldOutSet {
  const rng = new Rng(opts.seed ?? HELD_OUT_SEED).fork('held-out:cross-script');
  const pool = [...tokens];
  rng.shuffle(pool);
  const givenPool = pool.slice(0, 600);
  const rows: Array<{ row: Omit<HeldOutRow, 'id'>; person: number }> = [];
  const total = opts.people ?? 3000;
  for (let i = 0; i < total; i++) {
    const given = rng.pick(givenPool);
    const family = rng.pick(pool);
    const sex = rng.chance(0.5) ? 'male' : 'female';
    const year = String(rng.int(1975, 1986));
    const arabicFirst = rng.chance(0.5);
    const record = (arabic: boolean) => ({
      given_name: arabic ? given.arabic : capital(given.latin),
      father_name: '',
      grandfather_name: '',
      family_name: arabic ? family.arabic : capital(family.latin),
      sex,
      birth_year: year,
    });
    rows.push({ row: record(arabicFirst), person: i });
    if (rng.chance(0.6)) rows.push({ row: record(!arabicFirst), person: i });
  }
  rng.shuffle(rows);
  const byPerson = new Map<number, string[]>();
  const out = rows.map((r, i) => {
    const id = `x${String(i + 1).padStart(6, '0')}`;
    byPerson.set(r.person, [...(byPerson.get(r.person) ?? []), id]);
    return { id, ...r.row };
  });
  const truePairs: Array<[string, string]> = [];
  for (const ids of byPerson.values()) if (ids.length === 2) truePairs.push([ids[0]!, ids[1]!]);
  return { rows: out, truePairs, twoPart: new Set(out.map((r) => r.id)) };
}
