import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeScenarioFiles } from '../../src/cli/commands/demo-generate.js';

test('demo generate writes the population, the facts and the truth to files that agree', async () => {
  const out = mkdtempSync(join(tmpdir(), 'corridor-scenario-'));
  try {
    const r = await writeScenarioFiles({ people: 2000, out, seed: 3, matching: 200 });
    const lines = (f: string): string[] => readFileSync(join(out, f), 'utf8').trim().split('\n');
    const persons = lines('persons.csv');
    assert.match(persons[0] as string, /^id,given_name,father_name,grandfather_name,family_name,sex,birth_year,/);
    const totals = JSON.parse(readFileSync(join(out, 'totals.json'), 'utf8')) as {
      registeredRecords: number;
      facts: number;
      evacuated: number;
    };
    assert.equal(persons.length - 1, totals.registeredRecords);
    assert.equal(lines('facts.jsonl').length, totals.facts);
    assert.equal(r.evacuated, totals.evacuated);
    const ids = new Set(persons.slice(1).map((l) => l.split(',')[0]));
    for (const l of lines('duplicates.csv').slice(1)) for (const id of l.split(',')) assert.ok(ids.has(id));
    assert.ok(lines('matching-records.csv').length > 200);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
