import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MatchRecord, MatchResult } from '../src/domain/matching/index.js';
import { blockingKeys } from '../src/domain/names/index.js';
import { generateScenarioChunks } from '../src/demo/scenario/index.js';
import { toMatchRecord } from '../src/services/matching/candidates.js';
import { blocksOfKey, scanRecords } from '../src/services/matching/scan.js';

/** Scenario people as the scan reads them, and their blocks as person_keys groups them. */
function population(people: number) {
  const records: MatchRecord[] = [];
  const keys = new Map<string, number[]>();
  const chunks = generateScenarioChunks({ seed: 5, people: people * 2 });
  for (let step = chunks.next(); !step.done && records.length < people; step = chunks.next()) {
    for (const h of step.value.households) {
      for (const m of h.members) {
        const i = records.length;
        const birthYear = m.dateOfBirth ? Number(m.dateOfBirth.slice(0, 4)) : 2016 - (m.estimatedAge ?? 30);
        records.push(
          toMatchRecord(`p${String(i).padStart(6, '0')}`, {
            names: m.names,
            sex: m.sex,
            birthYear,
            birthYearEstimated: !m.dateOfBirth,
            householdId: h.id,
          }),
        );
        for (const k of blockingKeys({ names: m.names, sex: m.sex, birthYear }))
          keys.set(`${k.kind}|${k.value}`, [...new Set([...(keys.get(`${k.kind}|${k.value}`) ?? []), i])]);
      }
    }
  }
  const blocks: Int32Array[] = [];
  const sizes: number[] = [];
  for (const members of keys.values()) {
    if (members.length < 2) continue;
    for (const part of blocksOfKey(members, (i) => records[i]?.birthYear ?? 0, 40)) {
      blocks.push(part);
      sizes.push(members.length);
    }
  }
  return { records, blocks, sizes };
}

async function scan(exhaustive: boolean) {
  const { records, blocks, sizes } = population(3000);
  const found: MatchResult[] = [];
  const stats = await scanRecords(records, blocks, sizes, { workers: 0, exhaustive, onResults: async (r) => (found.push(...r), r.length) });
  return { stats, found: found.map((r) => JSON.stringify(r)).sort() };
}

test('the batch scan proposes the same pairs with the same weights and explanations with or without the weight bound', async () => {
  const fast = await scan(false);
  const full = await scan(true);
  assert.equal(full.stats.boundedPairs, 0);
  assert.ok(
    fast.stats.boundedPairs > fast.stats.candidatePairs / 2,
    `only ${fast.stats.boundedPairs} of ${fast.stats.candidatePairs} pairs ruled out by the bound`,
  );
  assert.equal(fast.stats.candidatePairs, full.stats.candidatePairs);
  assert.ok(fast.found.length > 20, `only ${fast.found.length} proposals`);
  assert.deepEqual(fast.found, full.found);
});

test('the batch scan counts how common each name chain is over the whole operation, as the in-memory pipeline does', async () => {
  const { records, blocks, sizes } = population(3000);
  const found: MatchResult[] = [];
  await scanRecords(records, blocks, sizes, { workers: 0, onResults: async (r) => (found.push(...r), r.length) });
  const chain = found
    .map((r) => r.explanation.find((e) => e.field === 'chainFrequency'))
    .filter((e) => e !== undefined && e.level !== 'missing');
  // Without the operation's own counts every pair's chain level is missing (weight 0), and
  // strangers sharing a common chain look like one man registered twice.
  assert.ok(chain.length > found.length / 2, `${chain.length} of ${found.length} proposals weigh how common their chain is`);
  assert.ok(chain.every((e) => /records carry this chain/.test(e?.detail ?? '')));
});
