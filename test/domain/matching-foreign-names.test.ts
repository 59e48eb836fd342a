/**
 * Names of every origin across scripts (issue 18, fourth pass): an initial أل / إل written with
 * a hamza is a name's first letters, not the article. The names here are made up for the tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareNameValue } from '../../src/domain/matching/prepare.js';
import { compareNameValues, MISSING, NAME_LEVELS } from '../../src/domain/matching/compare-names.js';

const level = (x: string, y: string) => {
  const l = compareNameValues(prepareNameValue(x), prepareNameValue(y));
  return l === MISSING ? 'missing' : NAME_LEVELS[l];
};

test('an initial أل with a hamza is read as a name’s first letters as well as an article', () => {
  assert.equal(level('Olmaro', 'ألمارو'), 'phonetic');
  assert.equal(level('Ulvana', 'إلفانا'), 'phonetic');
  // The article is written with a bare alif: المارو stays al- + مارو.
  assert.equal(level('Olmaro', 'المارو'), 'disagree');
  // And a Latin spelling that drops the article still meets the article-less reading.
  assert.equal(level('Maro', 'ألمارو'), 'phonetic');
});
