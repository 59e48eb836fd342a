import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { skeleton } from '../../src/domain/names/index.js';
import { levenshtein } from '../../src/domain/matching/string-distance.js';

// Wikidata Arabic ⇄ Latin name tokens (shared data, never copied into the repo).
const DEV = fileURLToPath(new URL('../../../shared/data/names/wikidata-arabic-latin-dev.tsv', import.meta.url));

// Measured on the dev file when the skeleton was written: 0.817 identical, 0.947 within one
// edit. The floors sit a little below so a change that loses agreement fails here.
const FLOOR_IDENTICAL = 0.8;
const FLOOR_WITHIN_ONE_EDIT = 0.93;

test('Arabic and Latin skeletons agree on Wikidata dev name pairs', { skip: existsSync(DEV) ? false : `data absent: ${DEV}` }, () => {
  const lines = readFileSync(DEV, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  let identical = 0;
  let close = 0;
  for (const line of lines) {
    const [latin = '', arabic = ''] = line.split('\t');
    const a = skeleton(arabic.replace(/ /g, ''));
    const l = skeleton(latin);
    if (a === l) identical++;
    if (levenshtein(a, l, 1) <= 1) close++;
  }
  const n = lines.length;
  assert.ok(n > 10_000, `only ${n} lines read`);
  assert.ok(identical / n >= FLOOR_IDENTICAL, `identical ${(identical / n).toFixed(3)} < ${FLOOR_IDENTICAL}`);
  assert.ok(close / n >= FLOOR_WITHIN_ONE_EDIT, `within one edit ${(close / n).toFixed(3)} < ${FLOOR_WITHIN_ONE_EDIT}`);
});
