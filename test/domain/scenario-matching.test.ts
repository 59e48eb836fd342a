import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { generateMatchingSet } from '../../src/demo/scenario/matching-set.js';
import { spellingVariant, typo } from '../../src/demo/scenario/spelling.js';
import { familyNames, femaleGivenNames, maleGivenNames } from '../../src/demo/scenario/names.js';
import { Rng } from '../../src/demo/scenario/rng.js';

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

test('the name lists are long enough and written in both scripts', () => {
  assert.ok(maleGivenNames.entries.length >= 150);
  assert.ok(femaleGivenNames.entries.length >= 120);
  assert.ok(familyNames.entries.length >= 200);
  for (const list of [maleGivenNames, femaleGivenNames, familyNames]) {
    for (const e of list.entries) {
      assert.match(e.ar, /^[\u0600-\u06ff ]+$/, e.ar);
      assert.ok(e.lat.length >= 1 && e.lat.every((l) => /^[A-Za-z' -]+$/.test(l)), e.lat.join('/'));
    }
  }
});

test('spelling variants keep the script and usually change the spelling', () => {
  const rng = new Rng(7);
  assert.notEqual(spellingVariant(rng, 'Mohammed'), 'Mohammed');
  assert.ok(['Muhammad', 'Mohamad', 'Mohamed', 'Mohammad'].includes(spellingVariant(rng, 'Mohammed')));
  const hasan = spellingVariant(rng, 'al-Hasan');
  assert.notEqual(hasan, 'al-Hasan');
  assert.match(hasan.toLowerCase(), /has/);
  assert.match(spellingVariant(rng, 'أحمد'), /^[\u0600-\u06ff]+$/);
  assert.equal(spellingVariant(rng, 'أحمد'), 'احمد');
  for (const s of ['Youssef', 'عبد الرحمن', 'Alhassan', 'Unknownname']) assert.notEqual(spellingVariant(rng, s), s);
});

test('a typo changes the name by one keying mistake', () => {
  const rng = new Rng(3);
  for (const s of ['Mohammed', 'Khadija', 'محمد', 'فاطمة', 'al-Ali']) {
    for (let i = 0; i < 50; i++) {
      const t = typo(rng, s);
      assert.notEqual(t, s);
      assert.ok(Math.abs([...t].length - [...s].length) <= 1, `${s} -> ${t}`);
    }
  }
});

test('the matching set is the same for a seed and differs between seeds', () => {
  const a = generateMatchingSet({ seed: 11, people: 800 });
  const b = generateMatchingSet({ seed: 11, people: 800 });
  const c = generateMatchingSet({ seed: 12, people: 800 });
  assert.equal(hashOf(a), hashOf(b));
  assert.notEqual(hashOf(a), hashOf(c));
});

test('a third of the people have a duplicate, and every true pair names existing records', () => {
  const people = 3000;
  const { records, truePairs } = generateMatchingSet({ seed: 5, people });
  const ids = new Set(records.map((r) => r.id));
  assert.equal(ids.size, records.length, 'ids are unique');
  const inPairs = new Set<string>();
  for (const [x, y] of truePairs) {
    assert.ok(ids.has(x) && ids.has(y) && x < y);
    inPairs.add(x).add(y);
  }
  const duplicated = records.length - people; // extra records
  assert.ok(duplicated / people > 0.3 && duplicated / people < 0.5, `extra records ${duplicated}`);
  // A person with two duplicates contributes three pairs.
  assert.ok(truePairs.length > duplicated, 'some people were registered three times');
  for (const r of records) assert.ok(['male', 'female', 'unknown'].includes(r.sex));
});

test('the set holds hard negatives: siblings and cousins sharing names who are different people', () => {
  const { records, truePairs } = generateMatchingSet({ seed: 9, people: 3000 });
  const pairs = new Set(truePairs.map(([x, y]) => `${x}|${y}`));
  const byLineage = new Map<string, string[]>();
  for (const r of records) {
    if (!r.father_name || !r.grandfather_name) continue;
    const key = `${r.father_name}|${r.grandfather_name}|${r.family_name}`;
    byLineage.set(key, [...(byLineage.get(key) ?? []), r.id]);
  }
  let negatives = 0;
  const byId = new Map(records.map((r) => [r.id, r]));
  for (const ids of byLineage.values()) {
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const [x, y] = [ids[i] as string, ids[j] as string].sort() as [string, string];
        if (!pairs.has(`${x}|${y}`) && byId.get(x)?.given_name !== byId.get(y)?.given_name) negatives++;
      }
    }
  }
  assert.ok(negatives > 200, `sibling-like negatives: ${negatives}`);
  const common = records.filter((r) => ['Mohammed', 'محمد', 'Ahmad', 'أحمد'].includes(r.given_name));
  assert.ok(common.length > records.length * 0.05, 'common given names are common');
});
