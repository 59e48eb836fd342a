/** The one resolver from a record to the record that stands for it, built from the merge links the storage reads. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergedIntoOf, mergeResolver } from '../../src/domain/counts/registry.js';

test('a record resolves to the end of its merge chain, however long', () => {
  const links = Array.from({ length: 12 }, (_, i) => ({ id: `p${i}`, merged_into: i < 11 ? `p${i + 1}` : null }));
  const canonical = mergeResolver(links);
  assert.equal(canonical('p0'), 'p11');
  assert.equal(canonical('p11'), 'p11');
  assert.equal(canonical('stranger'), 'stranger', 'a record merged with nobody stands for itself');
  assert.deepEqual(Object.keys(mergedIntoOf(links)).length, 11, 'the record that stands has no link');
});

test('a loop of merges stops where it loops', () => {
  const canonical = mergeResolver([
    { id: 'a', merged_into: 'b' },
    { id: 'b', merged_into: 'c' },
    { id: 'c', merged_into: 'a' },
  ]);
  assert.equal(canonical('a'), 'c');
  assert.equal(canonical('b'), 'a');
});
