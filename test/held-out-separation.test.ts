/**
 * The held-out evaluation sets (bench/held-out/) are never seen by the fit: no module that
 * scripts/fit imports, directly or through others, is a held-out generator, and neither the
 * held-out seed nor the Wikidata dev file appears in what the fit runs. The held-out Syrian
 * set also really is another set than the fit set (no record in common).
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { HELD_OUT_SEED, generateSyrianHeldOutSet } from '../bench/held-out/syrian-set.js';
import { generateMatchingSet } from '../src/demo/scenario/matching-set.js';
import { CROSS_SCRIPT_CALIBRATION_SEEDS, CROSS_SCRIPT_SEEDS, FIT_SEED, TRAINING_SEEDS } from '../scripts/fit/fit-weights.js';
import { WIKIDATA_TRAIN } from '../scripts/fit/sets/wikidata-train-set.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every local module a file imports, followed through its imports (static and dynamic). */
function importClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const spec = (m[1] as string).replace(/\.js$/, '.ts');
      const target = resolve(dirname(file), spec);
      if (existsSync(target)) stack.push(target);
    }
  }
  return seen;
}

const fitEntries = readdirSync(join(ROOT, 'scripts/fit'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join(ROOT, 'scripts/fit', f));

test('the fit scripts never import a held-out generator, its seed or the Wikidata dev file', () => {
  assert.ok(fitEntries.length >= 2);
  for (const entry of fitEntries) {
    const closure = importClosure(entry);
    assert.ok(closure.size > 3, `${entry} imports something`);
    for (const file of closure) {
      assert.ok(!file.includes(`${join('bench', 'held-out')}`), `${entry} reaches ${file}`);
      const text = readFileSync(file, 'utf8');
      assert.ok(!text.includes(String(HELD_OUT_SEED)) && !text.includes('7_310_026'), `${file} names the held-out seed`);
      assert.ok(!text.includes('arabic-latin-dev'), `${file} reads the Wikidata dev file`);
    }
  }
});

test('the held-out seed is none of the training seeds and the sets share no record', () => {
  assert.ok(![FIT_SEED, ...TRAINING_SEEDS, ...CROSS_SCRIPT_SEEDS, ...CROSS_SCRIPT_CALIBRATION_SEEDS].includes(HELD_OUT_SEED));
  // The fit's cross-script batches read the train file, never the dev file the held-out set reads.
  assert.match(WIKIDATA_TRAIN, /wikidata-arabic-latin-train\.tsv$/);
  const heldOut = generateSyrianHeldOutSet({ people: 400 });
  const fit = generateMatchingSet({ seed: FIT_SEED, people: 400 });
  const line = (r: { given_name: string; father_name: string; grandfather_name: string; family_name: string; birth_year: string }) =>
    [r.given_name, r.father_name, r.grandfather_name, r.family_name, r.birth_year].join('|');
  const fitLines = new Set(fit.records.map(line));
  const shared = heldOut.rows.filter((r) => fitLines.has(line(r))).length;
  assert.ok(shared < heldOut.rows.length * 0.02, `${shared} held-out records also in the fit set`);
  assert.ok(heldOut.truePairs.length > 50 && heldOut.twoPart.size > 20);
});
